// The profitability model behind `nonceforge profit` and the live estimate while mining.
// Pure: no I/O, no threads, no exceptions; every formula is in docs/profitability.md.
//
// Units: hashrate in H/s, power in W, energy in kWh, money in the user's currency ("USD" in
// labels and JSON keys, but any currency works when every price is given in it), BTC amounts
// as doubles, block rewards in whole satoshis. A month is 30 days, a year 365 days, and the
// chain advances 144 blocks a day.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "nonceforge/core/expected.hpp"

namespace nonceforge::miner::profit {

inline constexpr int64_t SATS_PER_BTC = 100'000'000;
inline constexpr int64_t INITIAL_SUBSIDY_SATS = 50 * SATS_PER_BTC;
inline constexpr uint64_t HALVING_INTERVAL = 210'000;
inline constexpr uint64_t BLOCKS_PER_DAY = 144;
inline constexpr int DAYS_PER_WEEK = 7;
inline constexpr int DAYS_PER_MONTH = 30;
inline constexpr int DAYS_PER_YEAR = 365;
inline constexpr uint64_t BLOCKS_PER_MONTH = BLOCKS_PER_DAY * DAYS_PER_MONTH; // 4,320
inline constexpr int MAX_HORIZON_MONTHS = 1200;                               // 100 years
inline constexpr double SECONDS_PER_DAY = 86400;
// Hashes per unit of difficulty, as in the formula and every public calculator. The
// exact mean is 2^256 / (diff1 target + 1) = 2^32 * 65536/65535 hashes, 0.0015 % more.
inline constexpr double HASHES_PER_DIFFICULTY = 4294967296.0; // 2^32

// Block subsidy in satoshis for a block at `height` (Bitcoin Core's GetBlockSubsidy): 50 BTC
// shifted right once per 210,000 blocks, and 0 from the 64th halving on (the shift is already
// 0 from the 33rd: 5,000,000,000 >> 33 == 0).
constexpr int64_t BlockSubsidySats(uint64_t height) {
    const uint64_t halvings = height / HALVING_INTERVAL;
    if (halvings >= 64) {
        return 0;
    }
    return INITIAL_SUBSIDY_SATS >> halvings;
}

// Mainnet's proof-of-work limit is the difficulty-1 target (0x1d00ffff): no mainnet block has a
// lower difficulty. Regtest (0x207fffff), signet and testnet's 20-minute rule go below it.
inline constexpr double MAINNET_MIN_DIFFICULTY = 1;

// Why a network difficulty at a height cannot be Bitcoin mainnet's, or nullopt when it can be:
// below MAINNET_MIN_DIFFICULTY, or far below mainnet's difficulty at that height (under a
// floor that mainnet has not come within a factor of ten of since that height). A pool's job
// that fails this is a test network or a test pool, and money figures from it mean nothing.
// ("network difficulty 1 is far below mainnet's at height 900,000 (never under 1e+13 since)")
std::optional<std::string> NotMainnetReason(double difficulty, uint64_t height);

// Sum of the subsidies of blocks first_height .. first_height + count - 1, in satoshis.
// Exact for count below 1.8e9 (the sum stays under 2^63).
int64_t SubsidySumSats(uint64_t first_height, uint64_t count);

// Heights in first_height + 1 .. first_height + count - 1 at which the subsidy changes (a
// halving that still halves something), ascending. A halving at first_height itself is already
// in the current subsidy and is not listed.
std::vector<uint64_t> HalvingHeightsWithin(uint64_t first_height, uint64_t count);

// The formula: expected BTC per day =
//   hashrate * 86400 * reward_sats / (difficulty * 2^32) / 1e8 * factor,
// where factor = (1 - pool fee)(1 - stale rate)(uptime). reward_sats may be an average.
double ExpectedBtcPerDay(double hashrate_hps, double difficulty, double reward_sats, double factor);

// Inputs of the model. Names match the `nonceforge profit` flags without the leading "--".
enum class Input {
    Hashrate,
    Power,
    ElectricityPrice,
    BtcPrice,
    Difficulty,
    Nbits,
    Height,
    FeesPerBlock,
    PoolFee,
    StaleRate,
    Uptime,
    HardwareCost,
    DifficultyGrowth,
    PriceChange,
    Months,
    ShareDifficulty,
    CoinbaseValue, // live estimate only: subsidy + fees of the current job's coinbase
};

std::string_view InputName(Input input); // "electricity-price"

struct InputError {
    Input input;
    std::string message; // "must be between 0 and 100 %"
};

struct ProfitInputs {
    // Required.
    double hashrate_hps = 0;
    double power_watts = 0;
    double electricity_price_per_kwh = 0; // currency per kWh
    double btc_price = 0;                 // currency per BTC
    double network_difficulty = 0;        // > 0
    uint64_t height = 0; // the block being mined (chain tip + 1), as in a job's BIP 34 push
    // Optional; the defaults are filled in and reported by EstimateProfit.
    std::optional<double> fees_per_block_btc;                  // default 0
    std::optional<double> pool_fee_percent;                    // default 0
    std::optional<double> stale_rate_percent;                  // default 0
    std::optional<double> uptime_percent;                      // default 100
    std::optional<double> difficulty_growth_percent_per_month; // default 0
    std::optional<double> price_change_percent_per_month;      // default 0
    std::optional<int> horizon_months;                         // default 12
    // Optional without a default: no payback analysis / no share time when absent.
    std::optional<double> hardware_cost;
    std::optional<double> share_difficulty;
    std::string hashrate_source = "given"; // or e.g. "benchmark: cpu/avx2-8way x8, 2.0 s"
};

// The range checks of EstimateProfit; nullopt when every input is usable.
std::optional<InputError> ValidateInputs(const ProfitInputs& inputs);

struct MonthRow {
    int month = 0;             // 1-based
    uint64_t first_height = 0; // its first block; the month spans BLOCKS_PER_MONTH blocks
    double difficulty = 0;     // network difficulty throughout the month
    double btc_price = 0;
    double avg_reward_sats = 0; // mean subsidy + fees over the month's blocks
    double btc = 0;             // expected BTC earned in the month, after fees/stale/uptime
    double revenue = 0;
    double power_cost = 0;
    double profit = 0;
    double cumulative_profit = 0;           // months 1..month, before hardware cost
    std::optional<uint64_t> halving_height; // a subsidy halving inside this month
};

struct Scenario {
    std::string label;                    // "flat: difficulty and BTC price as today"
    double difficulty_growth_percent = 0; // per month, compounded
    double price_change_percent = 0;      // per month, compounded
    std::vector<MonthRow> months;         // horizon_months rows
    std::optional<int> payback_month;     // first month whose cumulative profit >= hardware
};

enum class PaybackStatus {
    Reached,        // payback_month is set
    Never,          // cumulative profit stays below the hardware cost within the horizon
    NoHardwareCost, // no hardware cost given
};

std::string_view ToString(PaybackStatus s); // "reached", "never", "no_hardware_cost"

struct PeriodMoney {
    double revenue = 0;
    double power_cost = 0;
    double profit = 0;
};

struct ProfitReport {
    ProfitInputs inputs; // every default filled in
    // Inputs that took their default, with the value used, in flag order.
    std::vector<std::pair<Input, double>> defaults_used;

    int64_t subsidy_sats = 0;           // at inputs.height
    int64_t fees_per_block_sats = 0;    // inputs.fees_per_block_btc rounded to whole satoshis
    int64_t block_reward_sats = 0;      // subsidy + fees
    double efficiency_factor = 0;       // (1 - pool fee)(1 - stale rate)(uptime), in 0..1
    double expected_blocks_per_day = 0; // hashrate * 86400 / (difficulty * 2^32), before factor

    double btc_per_day = 0;
    double sats_per_day = 0;      // an expectation, so fractional
    double power_kwh_per_day = 0; // power * 24 h * uptime: the machine draws power while it runs
    PeriodMoney per_day, per_week, per_month, per_year; // today's difficulty and price
    // Hashprice: the network's revenue per TH/s per day, before pool fee, stale and uptime.
    double hashprice_usd_per_th_day = 0;
    double hashprice_sats_per_th_day = 0;
    std::optional<double> joules_per_th;               // none at zero hashrate
    std::optional<double> breakeven_electricity_price; // per kWh; none without power draw
    // The BTC price at which profit per day is zero: power cost/day / BTC/day (today's
    // difficulty, reward, fees, pool fee, stale rate and uptime). 0 without power cost; none
    // when nothing is mined (zero hashrate or zero reward).
    std::optional<double> breakeven_btc_price;
    // NotMainnetReason(difficulty, height), when the inputs cannot be mainnet's.
    std::optional<std::string> network_warning;

    Scenario projection; // with the given difficulty growth and price change
    Scenario flat;       // difficulty and price held at today's values (halvings still apply)
    bool scenarios_differ = false;
    std::vector<uint64_t> halvings_in_horizon;
    PaybackStatus payback_status = PaybackStatus::NoHardwareCost; // of `projection`

    // Solo mining, at hashrate * uptime * (1 - stale rate); no pool fee.
    double expected_seconds_to_block = 0; // infinity at zero hashrate
    double expected_days_to_block = 0;
    double block_probability_day = 0; // Poisson: P(at least one block) = 1 - exp(-t / mean)
    double block_probability_month = 0;
    double block_probability_year = 0;
    // share_difficulty * 2^32 / hashrate while running; none without a share difficulty, and
    // infinity at zero hashrate.
    std::optional<double> expected_seconds_per_share;

    nlohmann::json ToJson() const; // profit_report.cpp; non-finite numbers become null
    std::string ToTable() const;   // profit_report.cpp; every number carries its unit
};

core::Expected<ProfitReport, InputError> EstimateProfit(const ProfitInputs& inputs);

// The live estimate shown while mining: measured hashrate and the current job's nBits and
// coinbase value (subsidy + fees, which is what a pool job's coinbase outputs add up to).
struct LiveInputs {
    double hashrate_hps = 0;
    uint32_t nbits = 0;
    int64_t coinbase_value_sats = 0;
    double power_watts = 0;
    double electricity_price_per_kwh = 0;
    double btc_price = 0;
    double pool_fee_percent = 0;
    double stale_rate_percent = 0; // the runtime's measured stale/reject rate
};

struct LiveEstimate {
    double network_difficulty = 0;
    double btc_per_day = 0;
    double sats_per_day = 0;
    double revenue_per_day = 0;
    double power_cost_per_day = 0;
    double profit_per_day = 0;
};

core::Expected<LiveEstimate, InputError> EstimateLive(const LiveInputs& live);

} // namespace nonceforge::miner::profit
