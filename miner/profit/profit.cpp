#include "miner/profit/profit.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "nonceforge/core/target.hpp"

namespace nonceforge::miner::profit {

namespace {

// Bitcoin's supply cap; no fee or coinbase value can exceed it.
constexpr double MAX_BTC = 21'000'000;
// Far beyond the last subsidy (height 6,930,000) yet small enough that height plus a 100-year
// horizon cannot overflow.
constexpr uint64_t MAX_HEIGHT = 1'000'000'000'000ull;
constexpr double MAX_RATE_PERCENT = 1000; // per month, for growth and price change

constexpr int DEFAULT_HORIZON_MONTHS = 12;

// Expected satoshis per day in extended precision; reward_sats may be a monthly mean.
long double SatsPerDay(long double hashrate_hps, long double difficulty, long double reward_sats,
                       long double factor) {
    return hashrate_hps * SECONDS_PER_DAY * reward_sats /
           (difficulty * (long double)HASHES_PER_DIFFICULTY) * factor;
}

// P(at least one event) for a Poisson process with the given mean waiting time: 1 - e^(-t/m),
// written with expm1 so tiny probabilities (t much shorter than m) keep their digits.
double AtLeastOne(long double seconds, long double mean_seconds) {
    if (!std::isfinite(mean_seconds)) {
        return 0;
    }
    return double(-std::expm1(-seconds / mean_seconds));
}

std::optional<InputError> CheckFinite(Input input, double v) {
    if (!std::isfinite(v)) {
        return InputError{input, "must be a finite number"};
    }
    return std::nullopt;
}

std::optional<InputError> CheckAtLeastZero(Input input, double v) {
    if (auto e = CheckFinite(input, v)) {
        return e;
    }
    if (v < 0) {
        return InputError{input, "must not be negative"};
    }
    return std::nullopt;
}

std::optional<InputError> CheckPositive(Input input, double v) {
    if (auto e = CheckFinite(input, v)) {
        return e;
    }
    if (!(v > 0)) {
        return InputError{input, "must be greater than zero"};
    }
    return std::nullopt;
}

std::optional<InputError> CheckPercent(Input input, double v) {
    if (auto e = CheckFinite(input, v)) {
        return e;
    }
    if (v < 0 || v > 100) {
        return InputError{input, "must be between 0 and 100 (%)"};
    }
    return std::nullopt;
}

// A compounded monthly rate in %. The price may fall to zero (-100 %); the difficulty has to
// stay positive, so its growth must stay above -100 %.
std::optional<InputError> CheckRate(Input input, double v, bool allow_minus_100) {
    if (auto e = CheckFinite(input, v)) {
        return e;
    }
    const bool too_low = allow_minus_100 ? v < -100 : v <= -100;
    if (too_low || v > MAX_RATE_PERCENT) {
        return InputError{input, allow_minus_100
                                     ? "must be between -100 and 1000 (% per month)"
                                     : "must be above -100 and at most 1000 (% per month)"};
    }
    return std::nullopt;
}

std::string ScenarioLabel(double growth, double price_change) {
    if (growth == 0 && price_change == 0) {
        return "difficulty and BTC price as today";
    }
    char buf[128];
    std::snprintf(buf, sizeof buf, "difficulty %+g %%/month, BTC price %+g %%/month", growth,
                  price_change);
    return buf;
}

struct Resolved {
    const ProfitInputs& in; // defaults filled in
    int64_t fee_sats;
    double factor;
    double kwh_per_day;
    std::vector<uint64_t> halvings;
};

Scenario Project(const Resolved& r, double growth_percent, double price_change_percent) {
    const ProfitInputs& in = r.in;
    Scenario s;
    s.label = ScenarioLabel(growth_percent, price_change_percent);
    s.difficulty_growth_percent = growth_percent;
    s.price_change_percent = price_change_percent;
    const long double growth = 1.0L + (long double)growth_percent / 100;
    const long double price_change = 1.0L + (long double)price_change_percent / 100;
    const long double power_cost =
        (long double)r.kwh_per_day * in.electricity_price_per_kwh * DAYS_PER_MONTH;
    long double cumulative = 0;
    for (int m = 1; m <= *in.horizon_months; ++m) {
        MonthRow row;
        row.month = m;
        row.first_height = in.height + BLOCKS_PER_MONTH * uint64_t(m - 1);
        // Month m runs at today's values compounded m - 1 times: month 1 is today.
        const long double difficulty = in.network_difficulty * std::pow(growth, m - 1);
        const long double price = in.btc_price * std::pow(price_change, m - 1);
        const long double reward_sum =
            (long double)SubsidySumSats(row.first_height, BLOCKS_PER_MONTH) +
            (long double)r.fee_sats * BLOCKS_PER_MONTH;
        const long double avg_reward = reward_sum / BLOCKS_PER_MONTH;
        const long double btc = SatsPerDay(in.hashrate_hps, difficulty, avg_reward, r.factor) *
                                DAYS_PER_MONTH / SATS_PER_BTC;
        const long double revenue = btc * price;
        cumulative += revenue - power_cost;
        row.difficulty = double(difficulty);
        row.btc_price = double(price);
        row.avg_reward_sats = double(avg_reward);
        row.btc = double(btc);
        row.revenue = double(revenue);
        row.power_cost = double(power_cost);
        row.profit = double(revenue - power_cost);
        row.cumulative_profit = double(cumulative);
        for (uint64_t h : r.halvings) {
            if (h >= row.first_height && h < row.first_height + BLOCKS_PER_MONTH) {
                row.halving_height = h;
            }
        }
        if (in.hardware_cost && !s.payback_month && cumulative >= *in.hardware_cost) {
            s.payback_month = m;
        }
        s.months.push_back(row);
    }
    if (in.hardware_cost && *in.hardware_cost <= 0) {
        s.payback_month = 0; // nothing to pay back
    }
    return s;
}

PeriodMoney Period(double revenue_per_day, double power_cost_per_day, int days) {
    PeriodMoney p;
    p.revenue = revenue_per_day * days;
    p.power_cost = power_cost_per_day * days;
    p.profit = p.revenue - p.power_cost;
    return p;
}

// Mainnet's difficulty at a few heights (block 100,000: 14,484; 200,000: 2.86 M; 300,000:
// 8.00 G; 400,000: 163 G; 500,000: 1.87 T; 600,000: 13.7 T; 800,000: 53.9 T; 900,000: about
// 120 T) and a floor at least ten times lower: the difficulty has never fallen that far
// afterwards (its largest fall, in July 2021, was 28 %).
struct DifficultyFloor {
    uint64_t height;
    double difficulty;
};
constexpr DifficultyFloor MAINNET_FLOORS[] = {
    {100'000, 1e3},  {200'000, 1e5},  {300'000, 1e8},  {400'000, 1e10},
    {500'000, 1e11}, {600'000, 1e12}, {800'000, 5e12}, {900'000, 1e13},
};

} // namespace

std::optional<std::string> NotMainnetReason(double difficulty, uint64_t height) {
    char buf[256];
    if (difficulty < MAINNET_MIN_DIFFICULTY) {
        std::snprintf(buf, sizeof buf,
                      "network difficulty %.6g is below mainnet's minimum of 1 (a regtest, "
                      "testnet or signet target)",
                      difficulty);
        return std::string(buf);
    }
    const DifficultyFloor* floor = nullptr;
    for (const DifficultyFloor& f : MAINNET_FLOORS) {
        if (height >= f.height) {
            floor = &f;
        }
    }
    if (floor != nullptr && difficulty < floor->difficulty) {
        std::snprintf(buf, sizeof buf,
                      "network difficulty %.6g is far below mainnet's at height %llu (never "
                      "under %.3g since block %llu)",
                      difficulty, (unsigned long long)height, floor->difficulty,
                      (unsigned long long)floor->height);
        return std::string(buf);
    }
    return std::nullopt;
}

int64_t SubsidySumSats(uint64_t first_height, uint64_t count) {
    int64_t sum = 0;
    uint64_t h = first_height;
    const uint64_t end = first_height + count;
    while (h < end) {
        const int64_t subsidy = BlockSubsidySats(h);
        if (subsidy == 0) {
            break; // zero from here on
        }
        const uint64_t epoch_end = (h / HALVING_INTERVAL + 1) * HALVING_INTERVAL;
        const uint64_t segment_end = std::min(end, epoch_end);
        sum += int64_t(segment_end - h) * subsidy;
        h = segment_end;
    }
    return sum;
}

std::vector<uint64_t> HalvingHeightsWithin(uint64_t first_height, uint64_t count) {
    std::vector<uint64_t> out;
    const uint64_t end = first_height + count;
    for (uint64_t h = (first_height / HALVING_INTERVAL + 1) * HALVING_INTERVAL; h < end;
         h += HALVING_INTERVAL) {
        if (BlockSubsidySats(h - 1) == 0) {
            break; // nothing left to halve
        }
        out.push_back(h);
    }
    return out;
}

double ExpectedBtcPerDay(double hashrate_hps, double difficulty, double reward_sats,
                         double factor) {
    return double(SatsPerDay(hashrate_hps, difficulty, reward_sats, factor) / SATS_PER_BTC);
}

std::string_view InputName(Input input) {
    switch (input) {
    case Input::Hashrate:
        return "hashrate";
    case Input::Power:
        return "power";
    case Input::ElectricityPrice:
        return "electricity-price";
    case Input::BtcPrice:
        return "btc-price";
    case Input::Difficulty:
        return "difficulty";
    case Input::Nbits:
        return "nbits";
    case Input::Height:
        return "height";
    case Input::FeesPerBlock:
        return "fees-per-block";
    case Input::PoolFee:
        return "pool-fee";
    case Input::StaleRate:
        return "stale-rate";
    case Input::Uptime:
        return "uptime";
    case Input::HardwareCost:
        return "hardware-cost";
    case Input::DifficultyGrowth:
        return "difficulty-growth";
    case Input::PriceChange:
        return "price-change";
    case Input::Months:
        return "months";
    case Input::ShareDifficulty:
        return "share-difficulty";
    case Input::CoinbaseValue:
        return "coinbase-value";
    }
    return "input";
}

std::string_view ToString(PaybackStatus s) {
    switch (s) {
    case PaybackStatus::Reached:
        return "reached";
    case PaybackStatus::Never:
        return "never";
    case PaybackStatus::NoHardwareCost:
        return "no_hardware_cost";
    }
    return "unknown";
}

std::optional<InputError> ValidateInputs(const ProfitInputs& in) {
    if (auto e = CheckAtLeastZero(Input::Hashrate, in.hashrate_hps)) {
        return e;
    }
    if (auto e = CheckAtLeastZero(Input::Power, in.power_watts)) {
        return e;
    }
    if (auto e = CheckAtLeastZero(Input::ElectricityPrice, in.electricity_price_per_kwh)) {
        return e;
    }
    if (auto e = CheckAtLeastZero(Input::BtcPrice, in.btc_price)) {
        return e;
    }
    if (auto e = CheckPositive(Input::Difficulty, in.network_difficulty)) {
        return e;
    }
    if (in.height > MAX_HEIGHT) {
        return InputError{Input::Height, "must be at most 1000000000000"};
    }
    if (in.fees_per_block_btc) {
        if (auto e = CheckAtLeastZero(Input::FeesPerBlock, *in.fees_per_block_btc)) {
            return e;
        }
        if (*in.fees_per_block_btc > MAX_BTC) {
            return InputError{Input::FeesPerBlock, "must be at most 21000000 (BTC)"};
        }
    }
    if (in.pool_fee_percent) {
        if (auto e = CheckPercent(Input::PoolFee, *in.pool_fee_percent)) {
            return e;
        }
    }
    if (in.stale_rate_percent) {
        if (auto e = CheckPercent(Input::StaleRate, *in.stale_rate_percent)) {
            return e;
        }
    }
    if (in.uptime_percent) {
        if (auto e = CheckPercent(Input::Uptime, *in.uptime_percent)) {
            return e;
        }
    }
    if (in.hardware_cost) {
        if (auto e = CheckAtLeastZero(Input::HardwareCost, *in.hardware_cost)) {
            return e;
        }
    }
    if (in.difficulty_growth_percent_per_month) {
        if (auto e = CheckRate(Input::DifficultyGrowth, *in.difficulty_growth_percent_per_month,
                               false)) {
            return e;
        }
    }
    if (in.price_change_percent_per_month) {
        if (auto e = CheckRate(Input::PriceChange, *in.price_change_percent_per_month, true)) {
            return e;
        }
    }
    if (in.horizon_months && (*in.horizon_months < 1 || *in.horizon_months > MAX_HORIZON_MONTHS)) {
        return InputError{Input::Months, "must be between 1 and 1200"};
    }
    if (in.share_difficulty) {
        if (auto e = CheckPositive(Input::ShareDifficulty, *in.share_difficulty)) {
            return e;
        }
    }
    return std::nullopt;
}

core::Expected<ProfitReport, InputError> EstimateProfit(const ProfitInputs& given) {
    if (auto e = ValidateInputs(given)) {
        return core::MakeUnexpected(*e);
    }
    ProfitReport r;
    r.inputs = given;
    ProfitInputs& in = r.inputs;
    auto fill = [&r](std::optional<double>& field, Input input, double fallback) {
        if (!field) {
            field = fallback;
            r.defaults_used.emplace_back(input, fallback);
        }
    };
    fill(in.fees_per_block_btc, Input::FeesPerBlock, 0);
    fill(in.pool_fee_percent, Input::PoolFee, 0);
    fill(in.stale_rate_percent, Input::StaleRate, 0);
    fill(in.uptime_percent, Input::Uptime, 100);
    fill(in.difficulty_growth_percent_per_month, Input::DifficultyGrowth, 0);
    fill(in.price_change_percent_per_month, Input::PriceChange, 0);
    if (!in.horizon_months) {
        in.horizon_months = DEFAULT_HORIZON_MONTHS;
        r.defaults_used.emplace_back(Input::Months, DEFAULT_HORIZON_MONTHS);
    }

    const long double hashrate = in.hashrate_hps;
    const long double difficulty = in.network_difficulty;
    const long double uptime = (long double)*in.uptime_percent / 100;
    const long double factor = (1 - (long double)*in.pool_fee_percent / 100) *
                               (1 - (long double)*in.stale_rate_percent / 100) * uptime;

    r.subsidy_sats = BlockSubsidySats(in.height);
    r.fees_per_block_sats = std::llround((long double)*in.fees_per_block_btc * SATS_PER_BTC);
    r.block_reward_sats = r.subsidy_sats + r.fees_per_block_sats;
    r.efficiency_factor = double(factor);
    r.expected_blocks_per_day =
        double(hashrate * SECONDS_PER_DAY / (difficulty * (long double)HASHES_PER_DIFFICULTY));

    const long double sats_per_day = SatsPerDay(hashrate, difficulty, r.block_reward_sats, factor);
    const long double btc_per_day = sats_per_day / SATS_PER_BTC;
    const long double revenue = btc_per_day * in.btc_price;
    const long double kwh = (long double)in.power_watts / 1000 * 24 * uptime;
    const long double power_cost = kwh * in.electricity_price_per_kwh;
    r.sats_per_day = double(sats_per_day);
    r.btc_per_day = double(btc_per_day);
    r.power_kwh_per_day = double(kwh);
    r.per_day = Period(double(revenue), double(power_cost), 1);
    r.per_week = Period(double(revenue), double(power_cost), DAYS_PER_WEEK);
    r.per_month = Period(double(revenue), double(power_cost), DAYS_PER_MONTH);
    r.per_year = Period(double(revenue), double(power_cost), DAYS_PER_YEAR);

    const long double hashprice_sats = SatsPerDay(1e12L, difficulty, r.block_reward_sats, 1);
    r.hashprice_sats_per_th_day = double(hashprice_sats);
    r.hashprice_usd_per_th_day = double(hashprice_sats / SATS_PER_BTC * in.btc_price);
    if (hashrate > 0) {
        r.joules_per_th = double((long double)in.power_watts / (hashrate / 1e12L));
    }
    if (kwh > 0) {
        // Revenue and energy both scale with uptime, so uptime cancels out here.
        r.breakeven_electricity_price = double(revenue / kwh);
    }
    if (power_cost <= 0) {
        r.breakeven_btc_price = 0.0; // no cost to cover: any price pays
    } else if (btc_per_day > 0) {
        r.breakeven_btc_price = double(power_cost / btc_per_day);
    }
    r.network_warning = NotMainnetReason(in.network_difficulty, in.height);

    const uint64_t horizon_blocks = BLOCKS_PER_MONTH * uint64_t(*in.horizon_months);
    const Resolved resolved{in, r.fees_per_block_sats, double(factor), double(kwh),
                            HalvingHeightsWithin(in.height, horizon_blocks)};
    r.halvings_in_horizon = resolved.halvings;
    r.projection = Project(resolved, *in.difficulty_growth_percent_per_month,
                           *in.price_change_percent_per_month);
    r.flat = Project(resolved, 0, 0);
    r.scenarios_differ =
        *in.difficulty_growth_percent_per_month != 0 || *in.price_change_percent_per_month != 0;
    if (!in.hardware_cost) {
        r.payback_status = PaybackStatus::NoHardwareCost;
    } else {
        r.payback_status =
            r.projection.payback_month ? PaybackStatus::Reached : PaybackStatus::Never;
    }

    const long double solo_hashrate =
        hashrate * uptime * (1 - (long double)*in.stale_rate_percent / 100);
    const long double hashes_per_block = difficulty * (long double)HASHES_PER_DIFFICULTY;
    const long double mean_seconds = solo_hashrate > 0
                                         ? hashes_per_block / solo_hashrate
                                         : std::numeric_limits<long double>::infinity();
    r.expected_seconds_to_block = double(mean_seconds);
    r.expected_days_to_block = double(mean_seconds / SECONDS_PER_DAY);
    r.block_probability_day = AtLeastOne(SECONDS_PER_DAY, mean_seconds);
    r.block_probability_month = AtLeastOne(SECONDS_PER_DAY * DAYS_PER_MONTH, mean_seconds);
    r.block_probability_year = AtLeastOne(SECONDS_PER_DAY * DAYS_PER_YEAR, mean_seconds);
    if (in.share_difficulty) {
        r.expected_seconds_per_share =
            hashrate > 0
                ? double((long double)*in.share_difficulty * HASHES_PER_DIFFICULTY / hashrate)
                : std::numeric_limits<double>::infinity();
    }
    return r;
}

core::Expected<LiveEstimate, InputError> EstimateLive(const LiveInputs& live) {
    if (auto e = CheckAtLeastZero(Input::Hashrate, live.hashrate_hps)) {
        return core::MakeUnexpected(*e);
    }
    if (!core::DecodeCompact(live.nbits).IsValidPow()) {
        return core::MakeUnexpected(
            InputError{Input::Nbits, "is not a valid target (negative, zero or overflow)"});
    }
    if (live.coinbase_value_sats < 0 ||
        double(live.coinbase_value_sats) > MAX_BTC * double(SATS_PER_BTC)) {
        return core::MakeUnexpected(
            InputError{Input::CoinbaseValue, "must be between 0 and 21,000,000 BTC in satoshis"});
    }
    if (auto e = CheckAtLeastZero(Input::Power, live.power_watts)) {
        return core::MakeUnexpected(*e);
    }
    if (auto e = CheckAtLeastZero(Input::ElectricityPrice, live.electricity_price_per_kwh)) {
        return core::MakeUnexpected(*e);
    }
    if (auto e = CheckAtLeastZero(Input::BtcPrice, live.btc_price)) {
        return core::MakeUnexpected(*e);
    }
    if (auto e = CheckPercent(Input::PoolFee, live.pool_fee_percent)) {
        return core::MakeUnexpected(*e);
    }
    if (auto e = CheckPercent(Input::StaleRate, live.stale_rate_percent)) {
        return core::MakeUnexpected(*e);
    }
    LiveEstimate out;
    out.network_difficulty = core::DifficultyFromBits(live.nbits);
    const long double factor = (1 - (long double)live.pool_fee_percent / 100) *
                               (1 - (long double)live.stale_rate_percent / 100);
    const long double sats = SatsPerDay(live.hashrate_hps, out.network_difficulty,
                                        (long double)live.coinbase_value_sats, factor);
    const long double btc = sats / SATS_PER_BTC;
    const long double revenue = btc * live.btc_price;
    const long double power_cost =
        (long double)live.power_watts / 1000 * 24 * live.electricity_price_per_kwh;
    out.sats_per_day = double(sats);
    out.btc_per_day = double(btc);
    out.revenue_per_day = double(revenue);
    out.power_cost_per_day = double(power_cost);
    out.profit_per_day = double(revenue - power_cost);
    return out;
}

} // namespace nonceforge::miner::profit
