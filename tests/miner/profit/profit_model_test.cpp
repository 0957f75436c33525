// The profitability model against numbers computed by hand (the arithmetic is in the comments;
// docs/profitability.md walks the same worked example).
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "miner/profit/profit.hpp"
#include "profit_test_support.hpp"

using namespace nonceforge::miner::profit;
using nonceforge::miner::profit::testing::Estimate;
using nonceforge::miner::profit::testing::Near;
using nonceforge::miner::profit::testing::RequiredOnly;
using nonceforge::miner::profit::testing::WorkedExample;

// ---- subsidy and halvings ----

TEST(ProfitHalving, FirstHalvingAt210000) {
    EXPECT_EQ(BlockSubsidySats(0), 5'000'000'000);
    EXPECT_EQ(BlockSubsidySats(209'999), 5'000'000'000); // 209,999 / 210,000 = 0 halvings
    EXPECT_EQ(BlockSubsidySats(210'000), 2'500'000'000); // 1 halving: 50 BTC >> 1 = 25 BTC
}

TEST(ProfitHalving, FifthHalvingAt1050000) {
    // 1,049,999 / 210,000 = 4 halvings: 5,000,000,000 >> 4 = 312,500,000 sat (3.125 BTC).
    EXPECT_EQ(BlockSubsidySats(1'049'999), 312'500'000);
    // 1,050,000 / 210,000 = 5 halvings: 5,000,000,000 >> 5 = 156,250,000 sat (1.5625 BTC).
    EXPECT_EQ(BlockSubsidySats(1'050'000), 156'250'000);
}

TEST(ProfitHalving, SubsidyIsWholeSatoshisRoundedDown) {
    // 5,000,000,000 >> 10 = 4,882,812.5 -> 4,882,812 (Bitcoin Core shifts an integer).
    EXPECT_EQ(BlockSubsidySats(10 * 210'000), 4'882'812);
    // 32 halvings: 5,000,000,000 / 2^32 = 1.16 -> 1 sat; 33 halvings: 0.58 -> 0.
    EXPECT_EQ(BlockSubsidySats(32 * 210'000 + 209'999), 1);
    EXPECT_EQ(BlockSubsidySats(33 * 210'000), 0);
}

TEST(ProfitHalving, ZeroFromThe64thHalving) {
    // 64 * 210,000 = 13,440,000: Bitcoin Core returns 0 here instead of shifting by 64 (which
    // would be undefined behaviour in C++).
    EXPECT_EQ(BlockSubsidySats(13'439'999), 0);
    EXPECT_EQ(BlockSubsidySats(13'440'000), 0);
    EXPECT_EQ(BlockSubsidySats(13'440'000ull * 1000), 0);
}

TEST(ProfitHalving, SubsidySumSpansAHalving) {
    // 209,999 at 50 BTC + 210,000 at 25 BTC = 7,500,000,000 sat.
    EXPECT_EQ(SubsidySumSats(209'999, 2), 7'500'000'000);
    // 680 blocks at 3.125 BTC + 3,640 at 1.5625 BTC
    // = 212,500,000,000 + 568,750,000,000 = 781,250,000,000 sat.
    EXPECT_EQ(SubsidySumSats(1'049'320, 4320), 781'250'000'000);
    EXPECT_EQ(SubsidySumSats(13'439'000, 5000), 0);
    EXPECT_EQ(SubsidySumSats(5, 0), 0);
}

TEST(ProfitHalving, HalvingHeightsWithinARange) {
    EXPECT_EQ(HalvingHeightsWithin(209'999, 2), std::vector<uint64_t>{210'000});
    // A halving at the first height is already in the current subsidy.
    EXPECT_TRUE(HalvingHeightsWithin(210'000, 10).empty());
    EXPECT_EQ(HalvingHeightsWithin(0, 420'001), (std::vector<uint64_t>{210'000, 420'000}));
    // The 33rd halving takes the last satoshi (1 -> 0); later ones change nothing.
    EXPECT_EQ(HalvingHeightsWithin(6'929'000, 2000), std::vector<uint64_t>{6'930'000});
    EXPECT_TRUE(HalvingHeightsWithin(13'000'000, 1'000'000).empty());
}

// ---- the daily formula ----

TEST(ProfitFormula, OneDifficultyOneBlockPerTwoToThe32Hashes) {
    // 2^32 H/s at difficulty 1 finds 86,400 blocks a day; at 50 BTC each that is 4,320,000 BTC.
    EXPECT_DOUBLE_EQ(ExpectedBtcPerDay(4294967296.0, 1, 5'000'000'000, 1), 4'320'000);
    // The factor scales linearly: pool fee 2 %, stale 1 %, uptime 95 % = 0.92169.
    EXPECT_TRUE(
        Near(ExpectedBtcPerDay(4294967296.0, 1, 5'000'000'000, 0.92169), 4'320'000 * 0.92169));
}

TEST(ProfitFormula, WorkedExampleDaily) {
    const ProfitReport r = Estimate(WorkedExample());
    EXPECT_EQ(r.subsidy_sats, 312'500'000);                 // 1,045,000 / 210,000 = 4 halvings
    EXPECT_EQ(r.fees_per_block_sats, 6'250'000);            // 0.0625 BTC
    EXPECT_EQ(r.block_reward_sats, 318'750'000);            // 312,500,000 + 6,250,000
    EXPECT_TRUE(Near(r.efficiency_factor, 0.92169, 1e-15)); // 0.98 * 0.99 * 0.95
    // Blocks a day at 1e14 H/s and difficulty 1e14: 86,400 / 2^32 = 675 / 33,554,432.
    EXPECT_TRUE(Near(r.expected_blocks_per_day, 675.0 / 33554432.0));
    // Gross sats/day = 86,400 * 318,750,000 / 2^32 = 27,540,000,000,000 / 4,294,967,296
    //               = 6,412.155926227569580078125 (exact: 13,447,265,625 / 2,097,152).
    // Net = 6,412.155926227569580078125 * 0.92169 = 5,910.019995644688606...
    EXPECT_TRUE(Near(r.sats_per_day, 5910.0199956446886));
    EXPECT_TRUE(Near(r.btc_per_day, 5910.0199956446886e-8));
    // Revenue = 0.000059100199956446886 BTC * 100,000 USD = 5.9100199956446886 USD.
    EXPECT_TRUE(Near(r.per_day.revenue, 5.9100199956446886));
    // Energy = 3 kW * 24 h * 0.95 = 68.4 kWh; cost = 68.4 * 0.05 = 3.42 USD.
    EXPECT_TRUE(Near(r.power_kwh_per_day, 68.4));
    EXPECT_TRUE(Near(r.per_day.power_cost, 3.42));
    EXPECT_TRUE(Near(r.per_day.profit, 2.4900199956446886, 1e-11));
    // Week, 30-day month, 365-day year: 7, 30 and 365 times a day.
    EXPECT_TRUE(Near(r.per_week.revenue, 41.370139969512820));
    EXPECT_TRUE(Near(r.per_week.power_cost, 23.94));
    EXPECT_TRUE(Near(r.per_month.revenue, 177.30059986934066));
    EXPECT_TRUE(Near(r.per_month.profit, 74.700599869340660, 1e-11));
    EXPECT_TRUE(Near(r.per_year.revenue, 2157.1572984103113));
    EXPECT_TRUE(Near(r.per_year.power_cost, 1248.3));
    EXPECT_TRUE(Near(r.per_year.profit, 908.85729841031130, 1e-11));
}

TEST(ProfitFormula, HashpriceEfficiencyBreakEven) {
    const ProfitReport r = Estimate(WorkedExample());
    // Hashprice: 1 TH/s is 1/100 of 100 TH/s, before the 0.92169 factor:
    // 6,412.155926227569580078125 / 100 = 64.12155926227569580 sat/TH/day
    // -> * 100,000 USD / 1e8 = 0.06412155926227570 USD/TH/day.
    EXPECT_TRUE(Near(r.hashprice_sats_per_th_day, 64.121559262275696));
    EXPECT_TRUE(Near(r.hashprice_usd_per_th_day, 0.064121559262275696));
    // 3,000 W / 100 TH/s = 30 J/TH.
    ASSERT_TRUE(r.joules_per_th);
    EXPECT_TRUE(Near(*r.joules_per_th, 30));
    // Break-even: 5.9100199956446886 USD / 68.4 kWh = 0.086403801105916500 USD/kWh.
    ASSERT_TRUE(r.breakeven_electricity_price);
    EXPECT_TRUE(Near(*r.breakeven_electricity_price, 0.086403801105916500));
}

TEST(ProfitFormula, BreakEvenBtcPriceIsPowerCostOverBtcMined) {
    const ProfitReport r = Estimate(WorkedExample());
    // 68.4 kWh * 0.05 USD = 3.42 USD a day, over 0.000059100199956446886 BTC a day
    // = 57,867.824517012... USD/BTC (pool fee, stale and uptime are in the BTC mined).
    ASSERT_TRUE(r.breakeven_btc_price);
    EXPECT_TRUE(Near(*r.breakeven_btc_price, 57867.82451701219, 1e-11));
    // At exactly that price the day's profit is zero.
    ProfitInputs at = WorkedExample();
    at.btc_price = *r.breakeven_btc_price;
    EXPECT_NEAR(Estimate(at).per_day.profit, 0, 1e-9);
}

TEST(ProfitFormula, BreakEvenBtcPriceWithoutPowerCostOrWithoutMining) {
    ProfitInputs free_power = WorkedExample();
    free_power.electricity_price_per_kwh = 0;
    const ProfitReport r = Estimate(free_power);
    ASSERT_TRUE(r.breakeven_btc_price);
    EXPECT_EQ(*r.breakeven_btc_price, 0); // nothing to cover
    ProfitInputs idle = WorkedExample();
    idle.hashrate_hps = 0;
    EXPECT_FALSE(Estimate(idle).breakeven_btc_price); // no price covers a cost with no BTC
    EXPECT_FALSE(Estimate(idle).ToJson().at("breakeven_btc_price").is_number());
}

// ---- mainnet or not ----

TEST(ProfitNetwork, DifficultyBelowOneIsNeverMainnet) {
    // Regtest's 0x207fffff is difficulty 4.66e-10; mainnet's limit 0x1d00ffff is exactly 1.
    const auto regtest = NotMainnetReason(4.656542373906925e-10, 100);
    ASSERT_TRUE(regtest);
    EXPECT_NE(regtest->find("below mainnet's minimum of 1"), std::string::npos) << *regtest;
    EXPECT_TRUE(NotMainnetReason(0.999, 0));
    EXPECT_FALSE(NotMainnetReason(1, 0)); // the genesis block's difficulty
    EXPECT_FALSE(NotMainnetReason(1, 99'999));
}

TEST(ProfitNetwork, DifficultyFarBelowMainnetsAtThatHeight) {
    // The embedded test pool: difficulty 1 at height 900,000.
    const auto pool = NotMainnetReason(1, 900'000);
    ASSERT_TRUE(pool);
    EXPECT_NE(pool->find("far below mainnet's at height 900000"), std::string::npos) << *pool;
    EXPECT_TRUE(NotMainnetReason(9.9e12, 950'000));
    EXPECT_FALSE(NotMainnetReason(126e12, 950'000)); // mainnet's in 2025
    EXPECT_FALSE(NotMainnetReason(14'484, 100'000)); // block 100,000's own difficulty
    EXPECT_TRUE(NotMainnetReason(999, 100'000));
    EXPECT_FALSE(NotMainnetReason(100e12, 1'045'000)); // the worked example
    EXPECT_FALSE(Estimate(WorkedExample()).network_warning);
    ProfitInputs test_pool = WorkedExample();
    test_pool.network_difficulty = 1;
    EXPECT_TRUE(Estimate(test_pool).network_warning);
}

TEST(ProfitFormula, DefaultsAreFilledInAndReported) {
    const ProfitReport r = Estimate(RequiredOnly());
    const std::vector<std::pair<Input, double>> expected = {
        {Input::FeesPerBlock, 0}, {Input::PoolFee, 0},          {Input::StaleRate, 0},
        {Input::Uptime, 100},     {Input::DifficultyGrowth, 0}, {Input::PriceChange, 0},
        {Input::Months, 12}};
    EXPECT_EQ(r.defaults_used, expected);
    EXPECT_EQ(r.inputs.uptime_percent, 100);
    EXPECT_EQ(r.inputs.horizon_months, 12);
    EXPECT_FALSE(r.inputs.hardware_cost);
    EXPECT_EQ(r.payback_status, PaybackStatus::NoHardwareCost);
    EXPECT_FALSE(r.expected_seconds_per_share);
    // Fees 0, pool fee 0, stale 0, uptime 100 %: factor 1 and a reward of the subsidy alone,
    // 86,400 * 312,500,000 / 4,294,967,296 = 6,286.4273786544799804688 sat/day.
    EXPECT_TRUE(Near(r.sats_per_day, 6286.4273786544799804688));

    const ProfitReport given = Estimate(WorkedExample());
    for (const auto& [input, value] : given.defaults_used) {
        EXPECT_TRUE(input == Input::DifficultyGrowth || input == Input::PriceChange ||
                    input == Input::Months)
            << InputName(input) << " was given yet listed as a default (" << value << ")";
    }
    EXPECT_EQ(given.defaults_used.size(), 3u);
}

TEST(ProfitFormula, ZeroHashrateEarnsNothingAndStillPaysForPower) {
    ProfitInputs in = WorkedExample();
    in.hashrate_hps = 0;
    const ProfitReport r = Estimate(in);
    EXPECT_EQ(r.btc_per_day, 0);
    EXPECT_EQ(r.sats_per_day, 0);
    EXPECT_EQ(r.per_day.revenue, 0);
    EXPECT_TRUE(Near(r.per_day.profit, -3.42)); // 68.4 kWh * 0.05 USD
    EXPECT_FALSE(r.joules_per_th);              // W / 0 TH/s has no meaning
    ASSERT_TRUE(r.breakeven_electricity_price);
    EXPECT_EQ(*r.breakeven_electricity_price, 0);
    EXPECT_TRUE(std::isinf(r.expected_seconds_to_block));
    EXPECT_TRUE(std::isinf(r.expected_days_to_block));
    EXPECT_EQ(r.block_probability_day, 0);
    EXPECT_EQ(r.block_probability_year, 0);
    ASSERT_TRUE(r.expected_seconds_per_share);
    EXPECT_TRUE(std::isinf(*r.expected_seconds_per_share));
    EXPECT_EQ(r.payback_status, PaybackStatus::Never);
    // Hashprice is a network figure and does not depend on our hashrate.
    EXPECT_TRUE(Near(r.hashprice_sats_per_th_day, 64.121559262275696));
}

TEST(ProfitFormula, NoPowerDrawMeansAnyElectricityPriceBreaksEven) {
    ProfitInputs in = WorkedExample();
    in.power_watts = 0;
    const ProfitReport r = Estimate(in);
    EXPECT_FALSE(r.breakeven_electricity_price);
    EXPECT_EQ(r.per_day.power_cost, 0);
    EXPECT_TRUE(Near(r.per_day.profit, r.per_day.revenue));
}

// ---- the month-by-month projection ----

TEST(ProfitProjection, WorkedExampleCrossesTheFifthHalvingInMonth2) {
    const ProfitReport r = Estimate(WorkedExample());
    ASSERT_EQ(r.projection.months.size(), 12u);
    EXPECT_EQ(r.halvings_in_horizon, std::vector<uint64_t>{1'050'000});
    const MonthRow& m1 = r.projection.months[0];
    const MonthRow& m2 = r.projection.months[1];
    const MonthRow& m3 = r.projection.months[2];
    EXPECT_EQ(m1.first_height, 1'045'000u);
    EXPECT_EQ(m2.first_height, 1'049'320u); // + 144 * 30 = 4,320 blocks
    EXPECT_FALSE(m1.halving_height);
    ASSERT_TRUE(m2.halving_height);
    EXPECT_EQ(*m2.halving_height, 1'050'000u);
    EXPECT_FALSE(m3.halving_height);
    // Month 1: every block at 3.125 BTC + 0.0625 BTC fees = 318,750,000 sat.
    EXPECT_TRUE(Near(m1.avg_reward_sats, 318'750'000));
    EXPECT_TRUE(Near(m1.revenue, 177.30059986934066)); // = 30 days of 5.9100199956446886 USD
    EXPECT_TRUE(Near(m1.power_cost, 102.6));           // 30 * 3.42 USD
    // Month 2: blocks 1,049,320 .. 1,053,639: 680 at 312,500,000 and 3,640 at 156,250,000
    // (781,250,000,000 sat) plus 4,320 * 6,250,000 = 27,000,000,000 sat of fees
    // = 808,250,000,000 / 4,320 = 187,094,907.407407... sat per block.
    EXPECT_TRUE(Near(m2.avg_reward_sats, 808'250'000'000.0 / 4320));
    // Revenue scales with the reward: 177.30059986934066 * 187,094,907.407 / 318,750,000
    // = 104.06914295163006 USD; profit 104.06914295163006 - 102.6 = 1.46914295163006.
    EXPECT_TRUE(Near(m2.revenue, 104.06914295163006));
    EXPECT_TRUE(Near(m2.profit, 1.4691429516300558, 1e-10));
    // Month 3 on: 156,250,000 + 6,250,000 = 162,500,000 sat.
    EXPECT_TRUE(Near(m3.avg_reward_sats, 162'500'000));
    EXPECT_TRUE(Near(m3.revenue, 90.388541109859940));
    // Cumulative after 12 months: 74.70059986934066 + 1.46914295163006
    // + 10 * (90.38854110985994 - 102.6) = 76.16974282097072 - 122.11458890140056
    // = -45.94484608042984 USD.
    EXPECT_TRUE(Near(r.projection.months.back().cumulative_profit, -45.944846080429855, 1e-10));
    // 1,500 USD of hardware is never paid back.
    EXPECT_EQ(r.payback_status, PaybackStatus::Never);
    EXPECT_FALSE(r.projection.payback_month);
    // No growth and no price change: one scenario.
    EXPECT_FALSE(r.scenarios_differ);
}

TEST(ProfitProjection, HalvingOnAMonthBoundaryFallsInTheLaterMonth) {
    ProfitInputs in = RequiredOnly();
    in.height = 1'050'000 - 4320; // month 2 starts exactly at the halving
    const ProfitReport r = Estimate(in);
    EXPECT_FALSE(r.projection.months[0].halving_height);
    ASSERT_TRUE(r.projection.months[1].halving_height);
    EXPECT_EQ(*r.projection.months[1].halving_height, 1'050'000u);
    EXPECT_TRUE(Near(r.projection.months[0].avg_reward_sats, 312'500'000));
    EXPECT_TRUE(Near(r.projection.months[1].avg_reward_sats, 156'250'000));
}

TEST(ProfitProjection, GrowthAndPriceChangeCompoundMonthly) {
    ProfitInputs in = RequiredOnly();
    in.height = 100'000; // far from a halving: the reward stays 50 BTC
    in.difficulty_growth_percent_per_month = 10;
    in.price_change_percent_per_month = -50;
    const ProfitReport r = Estimate(in);
    ASSERT_TRUE(r.scenarios_differ);
    const auto& m = r.projection.months;
    // Month 3 is today's values compounded twice: difficulty 1e14 * 1.1^2 = 1.21e14,
    // price 100,000 * 0.5^2 = 25,000 USD.
    EXPECT_TRUE(Near(m[2].difficulty, 1.21e14));
    EXPECT_TRUE(Near(m[2].btc_price, 25'000));
    // BTC mined falls with difficulty: month 1 / 1.21.
    EXPECT_TRUE(Near(m[2].btc, m[0].btc / 1.21));
    // Month 1: 86,400 * 5,000,000,000 / 2^32 * 30 / 1e8 = 0.03017485141754150390625 BTC.
    EXPECT_TRUE(Near(m[0].btc, 0.03017485141754150390625));
    // The flat scenario keeps month 1's values throughout.
    EXPECT_TRUE(Near(r.flat.months[2].btc, m[0].btc));
    EXPECT_TRUE(Near(r.flat.months[2].btc_price, 100'000));
    EXPECT_EQ(r.flat.difficulty_growth_percent, 0);
}

TEST(ProfitProjection, PaybackMonthIsTheFirstWhoseCumulativeProfitCoversTheHardware) {
    // Worked example cumulative profit: month 1 74.70 USD, month 2 76.17 USD, then falling.
    ProfitInputs in = WorkedExample();
    in.hardware_cost = 70;
    EXPECT_EQ(Estimate(in).projection.payback_month, 1);
    in.hardware_cost = 75;
    const ProfitReport r75 = Estimate(in);
    EXPECT_EQ(r75.projection.payback_month, 2);
    EXPECT_EQ(r75.payback_status, PaybackStatus::Reached);
    in.hardware_cost = 77;
    EXPECT_FALSE(Estimate(in).projection.payback_month);
    in.hardware_cost = 0; // nothing to pay back
    EXPECT_EQ(Estimate(in).projection.payback_month, 0);
}

// ---- solo mining ----

TEST(ProfitSolo, WorkedExampleWaitingTimeAndPoissonOdds) {
    const ProfitReport r = Estimate(WorkedExample());
    // Solo hashrate 1e14 * 0.95 * 0.99 = 9.405e13 H/s; a block takes 1e14 * 2^32 hashes:
    // 4.294967296e23 / 9.405e13 = 4,566,685,056.884636 s = 52,855.151121349954 days.
    EXPECT_TRUE(Near(r.expected_seconds_to_block, 4566685056.884636));
    EXPECT_TRUE(Near(r.expected_days_to_block, 52855.151121349954));
    // P(>= 1 block in t) = 1 - exp(-t / 4,566,685,056.88 s):
    // day 1 - exp(-1.8919631e-5) = 1.891945286369278e-5,
    // 30 days 5.674279070240999e-4, 365 days 6.8818763041805005e-3.
    EXPECT_TRUE(Near(r.block_probability_day, 1.891945286369278e-05, 1e-10));
    EXPECT_TRUE(Near(r.block_probability_month, 5.674279070240999e-04, 1e-10));
    EXPECT_TRUE(Near(r.block_probability_year, 6.8818763041805005e-03, 1e-10));
    // A share at difficulty 65,536 takes 65,536 * 2^32 = 2^48 hashes:
    // 281,474,976,710,656 / 1e14 H/s = 2.81474976710656 s.
    ASSERT_TRUE(r.expected_seconds_per_share);
    EXPECT_TRUE(Near(*r.expected_seconds_per_share, 2.81474976710656));
}

TEST(ProfitSolo, PoissonAtOneExpectedBlockPerDay) {
    // Hashrate = difficulty * 2^32 / 86,400 s: exactly one block a day expected, so
    // P(day) = 1 - e^-1 = 0.63212055882855767, P(30 days) = 1 - e^-30, P(year) ~ 1.
    ProfitInputs in = RequiredOnly();
    in.network_difficulty = 86400;
    in.hashrate_hps = 4294967296.0;
    const ProfitReport r = Estimate(in);
    EXPECT_TRUE(Near(r.expected_days_to_block, 1));
    EXPECT_TRUE(Near(r.block_probability_day, 0.63212055882855767));
    EXPECT_TRUE(Near(r.block_probability_month, 1 - std::exp(-30.0)));
    EXPECT_EQ(r.block_probability_year, 1.0);
}

// ---- input validation ----

TEST(ProfitInputs, EachBadInputIsNamed) {
    auto refused = [](auto mutate) {
        ProfitInputs in = WorkedExample();
        mutate(in);
        auto r = EstimateProfit(in);
        return r ? std::string("accepted") : std::string(InputName(r.error().input));
    };
    EXPECT_EQ(refused([](ProfitInputs& in) { in.hashrate_hps = -1; }), "hashrate");
    EXPECT_EQ(refused([](ProfitInputs& in) { in.hashrate_hps = NAN; }), "hashrate");
    EXPECT_EQ(refused([](ProfitInputs& in) { in.power_watts = -5; }), "power");
    EXPECT_EQ(refused([](ProfitInputs& in) { in.electricity_price_per_kwh = INFINITY; }),
              "electricity-price");
    EXPECT_EQ(refused([](ProfitInputs& in) { in.btc_price = -1; }), "btc-price");
    EXPECT_EQ(refused([](ProfitInputs& in) { in.network_difficulty = 0; }), "difficulty");
    EXPECT_EQ(refused([](ProfitInputs& in) { in.fees_per_block_btc = -0.1; }), "fees-per-block");
    EXPECT_EQ(refused([](ProfitInputs& in) { in.pool_fee_percent = 100.5; }), "pool-fee");
    EXPECT_EQ(refused([](ProfitInputs& in) { in.stale_rate_percent = -1; }), "stale-rate");
    EXPECT_EQ(refused([](ProfitInputs& in) { in.uptime_percent = 101; }), "uptime");
    EXPECT_EQ(refused([](ProfitInputs& in) { in.hardware_cost = -1; }), "hardware-cost");
    EXPECT_EQ(refused([](ProfitInputs& in) { in.difficulty_growth_percent_per_month = -100; }),
              "difficulty-growth");
    EXPECT_EQ(refused([](ProfitInputs& in) { in.price_change_percent_per_month = -100.1; }),
              "price-change");
    EXPECT_EQ(refused([](ProfitInputs& in) { in.horizon_months = 0; }), "months");
    EXPECT_EQ(refused([](ProfitInputs& in) { in.horizon_months = 1201; }), "months");
    EXPECT_EQ(refused([](ProfitInputs& in) { in.share_difficulty = 0; }), "share-difficulty");
    // Edges that are allowed: a price falling to zero, 100 % fees, zero uptime.
    EXPECT_EQ(refused([](ProfitInputs& in) { in.price_change_percent_per_month = -100; }),
              "accepted");
    EXPECT_EQ(refused([](ProfitInputs& in) { in.pool_fee_percent = 100; }), "accepted");
    EXPECT_EQ(refused([](ProfitInputs& in) { in.uptime_percent = 0; }), "accepted");
}

// ---- the live estimate while mining ----

TEST(ProfitLive, DifficultyOneAndTwoToThe32HashesPerSecond) {
    // nBits 0x1d00ffff is difficulty 1; 2^32 H/s finds 86,400 blocks a day. At a coinbase
    // of 318,750,000 sat that is 86,400 * 3.1875 = 275,400 BTC a day; with a 2 % pool fee
    // and 1 % stale: 275,400 * 0.98 * 0.99 = 267,193.08 BTC. At 10 USD/BTC: 2,671,930.8 USD;
    // 1,000 W at 0.1 USD/kWh costs 24 kWh * 0.1 = 2.4 USD a day.
    LiveInputs live;
    live.hashrate_hps = 4294967296.0;
    live.nbits = 0x1d00ffff;
    live.coinbase_value_sats = 318'750'000;
    live.power_watts = 1000;
    live.electricity_price_per_kwh = 0.1;
    live.btc_price = 10;
    live.pool_fee_percent = 2;
    live.stale_rate_percent = 1;
    auto e = EstimateLive(live);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->network_difficulty, 1);
    EXPECT_TRUE(Near(e->btc_per_day, 267'193.08));
    EXPECT_TRUE(Near(e->sats_per_day, 26'719'308'000'000));
    EXPECT_TRUE(Near(e->revenue_per_day, 2'671'930.8));
    EXPECT_TRUE(Near(e->power_cost_per_day, 2.4));
    EXPECT_TRUE(Near(e->profit_per_day, 2'671'928.4));
}

TEST(ProfitLive, Block840000Bits) {
    // nBits 0x17034219: target 0x034219 * 2^160, difficulty 0xFFFF * 2^208 / target
    // = 65,535 * 2^48 / 213,529 = 86,388,558,925,171.02.
    // 1 PH/s with a 3.5 BTC coinbase: 1e15 * 86,400 * 350,000,000 / (86,388,558,925,171.02
    // * 2^32) = 81,501.51769740359 sat = 0.0008150151769740359 BTC a day; at 60,000 USD
    // 48.900910618442154 USD; 20 kW * 24 h * 0.06 USD = 28.8 USD; profit 20.100910618442154.
    LiveInputs live;
    live.hashrate_hps = 1e15;
    live.nbits = 0x17034219;
    live.coinbase_value_sats = 350'000'000;
    live.power_watts = 20'000;
    live.electricity_price_per_kwh = 0.06;
    live.btc_price = 60'000;
    auto e = EstimateLive(live);
    ASSERT_TRUE(e);
    EXPECT_TRUE(Near(e->network_difficulty, 86388558925171.02, 1e-14));
    EXPECT_TRUE(Near(e->btc_per_day, 0.0008150151769740359, 1e-12));
    EXPECT_TRUE(Near(e->revenue_per_day, 48.900910618442154, 1e-12));
    EXPECT_TRUE(Near(e->profit_per_day, 20.100910618442157, 1e-11));
}

TEST(ProfitLive, RefusesAnInvalidTargetAndNegativeValues) {
    LiveInputs live;
    live.hashrate_hps = 1e12;
    live.nbits = 0x1d00ffff;
    live.coinbase_value_sats = 312'500'000;
    live.nbits = 0x04800000; // negative mantissa
    ASSERT_FALSE(EstimateLive(live));
    EXPECT_EQ(EstimateLive(live).error().input, Input::Nbits);
    live.nbits = 0x1d000000; // zero target
    EXPECT_EQ(EstimateLive(live).error().input, Input::Nbits);
    live.nbits = 0x1d00ffff;
    live.coinbase_value_sats = -1;
    EXPECT_EQ(EstimateLive(live).error().input, Input::CoinbaseValue);
    live.coinbase_value_sats = 312'500'000;
    live.hashrate_hps = -1;
    EXPECT_EQ(EstimateLive(live).error().input, Input::Hashrate);
    live.hashrate_hps = 0; // zero is a valid measurement: nothing earned, power still paid
    live.power_watts = 100;
    live.electricity_price_per_kwh = 0.5;
    auto e = EstimateLive(live);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->btc_per_day, 0);
    EXPECT_TRUE(Near(e->profit_per_day, -1.2)); // 2.4 kWh * 0.5 USD
}
