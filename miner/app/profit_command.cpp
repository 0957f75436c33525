// `nonceforge profit`: what mining with this hashrate, power and electricity price earns, as a
// table or JSON, with an optional SVG chart. The model is miner/profit; this file only turns
// flags into its inputs. Every flag is read as text and parsed here, so that a bad value gets
// one line naming the flag and the value, and exit status 2; a failure that is not the user's
// input (the pool of --from-pool cannot be reached, the chart cannot be written) exits 1.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "miner/app/command.hpp"
#include "miner/app/first_job.hpp"
#include "miner/benchmark.hpp"
#include "miner/cpu/cpu_backend.hpp"
#include "miner/cpu/cpu_features.hpp"
#include "miner/profit/profit.hpp"
#include "miner/profit/profit_chart.hpp"
#include "miner/profit/units.hpp"
#include "nonceforge/core/coinbase.hpp"
#include "nonceforge/core/target.hpp"

namespace nonceforge::miner::app {

namespace {

namespace profit = miner::profit;
using profit::Input;

// Measured seconds for `--hashrate auto`: long enough for a stable median on a CPU.
constexpr double AUTO_HASHRATE_SECONDS = 2.0;
// How long --from-pool waits for the pool's first job unless --timeout says otherwise.
constexpr double FROM_POOL_TIMEOUT_SECONDS = 30.0;

constexpr int EXIT_RUNTIME_FAILURE = 1;
constexpr int EXIT_BAD_INPUT = 2;

struct Flag {
    std::string text;
    CLI::Option* option = nullptr;
    bool Given() const { return option != nullptr && option->count() > 0; }
};

struct ProfitArgs {
    Flag hashrate, power, electricity_price, btc_price, difficulty, nbits, height, fees_per_block,
        pool_fee, stale_rate, uptime, hardware_cost, difficulty_growth, price_change, months,
        share_difficulty, timeout;
    bool json = false;
    std::string plot;
    std::string from_pool, pool_user = "nonceforge", pool_password = "x";

    const Flag* For(Input input) const {
        switch (input) {
        case Input::Hashrate:
            return &hashrate;
        case Input::Power:
            return &power;
        case Input::ElectricityPrice:
            return &electricity_price;
        case Input::BtcPrice:
            return &btc_price;
        case Input::Difficulty:
            return difficulty.Given() ? &difficulty : &nbits;
        case Input::Nbits:
            return &nbits;
        case Input::Height:
            return &height;
        case Input::FeesPerBlock:
            return &fees_per_block;
        case Input::PoolFee:
            return &pool_fee;
        case Input::StaleRate:
            return &stale_rate;
        case Input::Uptime:
            return &uptime;
        case Input::HardwareCost:
            return &hardware_cost;
        case Input::DifficultyGrowth:
            return &difficulty_growth;
        case Input::PriceChange:
            return &price_change;
        case Input::Months:
            return &months;
        case Input::ShareDifficulty:
            return &share_difficulty;
        case Input::CoinbaseValue:
            return nullptr; // not a flag of this command
        }
        return nullptr;
    }
};

int Fail(const std::string& message, int status = EXIT_BAD_INPUT) {
    std::fprintf(stderr, "nonceforge profit: %s\n", message.c_str());
    return status;
}

void Warn(const std::string& message) {
    std::fprintf(stderr, "nonceforge profit: warning: %s\n", message.c_str());
}

std::string Quoted(Input input, const std::string& text) {
    return "--" + std::string(profit::InputName(input)) + " '" + text + "'";
}

using Parsed = core::Expected<double, std::string>;

// What a quantity may carry after its number: an SI prefix and, for some, a unit.
enum class Suffix { Decimal, Si, Hashrate, Power };

Parsed NumberFailure(const Flag& f, Input input, profit::NumberError e, Suffix suffix) {
    std::string why = profit::ToString(e);
    if (e == profit::NumberError::BadSuffix) {
        why = suffix == Suffix::Hashrate ? "unknown unit (use k, M, G, T, P or E, optionally "
                                           "followed by H/s)"
              : suffix == Suffix::Power  ? "unknown unit (use k, M, G, T, P or E, optionally "
                                           "followed by W: 3kW, 3000W, 3000)"
                                         : why;
    } else if (e == profit::NumberError::NotANumber && suffix == Suffix::Decimal) {
        why = "not a number (a plain decimal: no unit or prefix)";
    }
    return core::MakeUnexpected(Quoted(input, f.text) + ": " + why);
}

// A plain signed decimal (percentages, growth rates, BTC amounts); the model checks ranges.
Parsed Decimal(const Flag& f, Input input) {
    auto v = profit::ParseFiniteDecimal(f.text);
    if (!v) {
        return NumberFailure(f, input, v.error(), Suffix::Decimal);
    }
    return *v;
}

// A number >= 0 with an optional SI prefix (95k, 1.2M) and, for hashrates and power, a unit.
Parsed Scaled(const Flag& f, Input input, Suffix suffix) {
    auto v = suffix == Suffix::Hashrate ? profit::ParseHashrate(f.text)
             : suffix == Suffix::Power  ? profit::ParsePower(f.text)
                                        : profit::ParseSiNumber(f.text);
    if (!v) {
        return NumberFailure(f, input, v.error(), suffix);
    }
    return *v;
}

Parsed Required(const Flag& f, Input input, const char* what, Suffix suffix) {
    if (!f.Given()) {
        return core::MakeUnexpected("--" + std::string(profit::InputName(input)) +
                                    " is required (" + what + ")");
    }
    return Scaled(f, input, suffix);
}

std::optional<double> OptionalNumber(const Flag& f, Input input, std::string& error,
                                     Suffix suffix = Suffix::Decimal) {
    if (!f.Given() || !error.empty()) {
        return std::nullopt;
    }
    auto v = suffix == Suffix::Decimal ? Decimal(f, input) : Scaled(f, input, suffix);
    if (!v) {
        error = v.error();
        return std::nullopt;
    }
    return *v;
}

// Mainnet never goes below difficulty 1; a lower one is a test network's, which this estimate
// refuses when typed in (a --from-pool job gets a warning instead: it is what the pool sends).
Parsed AtLeastMainnetMinimum(const Flag& f, Input input, Parsed difficulty) {
    if (!difficulty || *difficulty >= profit::MAINNET_MIN_DIFFICULTY) {
        return difficulty;
    }
    std::string why = "must be at least 1";
    if (input == Input::Nbits) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "gives difficulty %.6g, below 1", *difficulty);
        why = buf;
    }
    return core::MakeUnexpected(Quoted(input, f.text) + ": " + why +
                                ", mainnet's minimum difficulty (lower ones are regtest, testnet "
                                "or signet targets; this estimate is for mainnet)");
}

// The --timeout of --from-pool: seconds, finite and > 0.
Parsed Seconds(const Flag& f) {
    auto v = profit::ParseFiniteDecimal(f.text);
    if (!v || *v <= 0) {
        return core::MakeUnexpected("--timeout '" + f.text +
                                    "': must be a finite number of seconds greater than 0");
    }
    return *v;
}

// nBits as 1..8 hex digits with an optional 0x, the way getblocktemplate and a job print it.
Parsed DifficultyFromNbits(const Flag& f) {
    std::string_view s = f.text;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s.remove_prefix(2);
    }
    uint32_t nbits = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), nbits, 16);
    if (s.empty() || s.size() > 8 || ec != std::errc() || end != s.data() + s.size()) {
        return core::MakeUnexpected(Quoted(Input::Nbits, f.text) +
                                    ": expected 8 hex digits, e.g. 17034219");
    }
    const core::CompactTarget t = core::DecodeCompact(nbits);
    if (!t.IsValidPow()) {
        return core::MakeUnexpected(Quoted(Input::Nbits, f.text) + ": not a valid target (" +
                                    (t.negative   ? "negative"
                                     : t.overflow ? "overflow"
                                                  : "zero") +
                                    ")");
    }
    return core::DifficultyFromBits(nbits);
}

// The hashrate the miner would mine at: the implementation mining would choose, on every CPU.
Parsed MeasureHashrate(std::string& source) {
    const miner::cpu::CpuSelection sel = miner::cpu::SelectCpuImpl(miner::cpu::DetectCpuFeatures());
    if (sel.chosen == nullptr) {
        return core::MakeUnexpected(std::string("--hashrate auto: no CPU implementation passed "
                                                "its self-test"));
    }
    miner::BenchmarkOptions options;
    options.seconds = AUTO_HASHRATE_SECONDS;
    options.cpu_impl = std::string(sel.chosen->name);
    options.single_thread_rows = false;
    std::fprintf(stderr, "nonceforge profit: --hashrate auto: measuring cpu/%s for %.0f s\n",
                 options.cpu_impl.c_str(), options.seconds);
    const miner::BenchmarkReport report = miner::RunBenchmark(options, {});
    const miner::BenchmarkRow* best = nullptr;
    for (const auto& row : report.rows) {
        if (best == nullptr || row.median_hps > best->median_hps) {
            best = &row;
        }
    }
    if (best == nullptr) {
        return core::MakeUnexpected(std::string("--hashrate auto: the benchmark measured nothing"));
    }
    char buf[128];
    std::snprintf(buf, sizeof buf, "benchmark: %s/%s x%u, %.1f s", best->backend.c_str(),
                  best->impl.c_str(), best->threads, best->seconds);
    source = buf;
    return best->median_hps;
}

int Run(const ProfitArgs& a) {
    profit::ProfitInputs in;
    const bool auto_hashrate = a.hashrate.Given() && a.hashrate.text == "auto";
    if (!a.hashrate.Given()) {
        return Fail("--hashrate is required (e.g. 100T, 950M, 3e12 H/s, or auto)");
    }
    if (!auto_hashrate) {
        auto h = Scaled(a.hashrate, Input::Hashrate, Suffix::Hashrate);
        if (!h) {
            return Fail(h.error());
        }
        in.hashrate_hps = *h;
    }
    auto power =
        Required(a.power, Input::Power, "watts drawn at the wall: 3kW, 3000W, 3000", Suffix::Power);
    if (!power) {
        return Fail(power.error());
    }
    in.power_watts = *power;
    auto electricity =
        Required(a.electricity_price, Input::ElectricityPrice, "USD per kWh", Suffix::Si);
    if (!electricity) {
        return Fail(electricity.error());
    }
    in.electricity_price_per_kwh = *electricity;
    auto price = Required(a.btc_price, Input::BtcPrice, "USD per BTC: 95000 or 95k", Suffix::Si);
    if (!price) {
        return Fail(price.error());
    }
    in.btc_price = *price;

    double timeout = FROM_POOL_TIMEOUT_SECONDS;
    if (a.timeout.Given()) {
        if (a.from_pool.empty()) {
            return Fail("--timeout applies to --from-pool only");
        }
        auto t = Seconds(a.timeout);
        if (!t) {
            return Fail(t.error());
        }
        timeout = *t;
    }

    std::string error;
    in.fees_per_block_btc = OptionalNumber(a.fees_per_block, Input::FeesPerBlock, error);
    in.pool_fee_percent = OptionalNumber(a.pool_fee, Input::PoolFee, error);
    in.stale_rate_percent = OptionalNumber(a.stale_rate, Input::StaleRate, error);
    in.uptime_percent = OptionalNumber(a.uptime, Input::Uptime, error);
    in.hardware_cost = OptionalNumber(a.hardware_cost, Input::HardwareCost, error, Suffix::Si);
    in.difficulty_growth_percent_per_month =
        OptionalNumber(a.difficulty_growth, Input::DifficultyGrowth, error);
    in.price_change_percent_per_month = OptionalNumber(a.price_change, Input::PriceChange, error);
    in.share_difficulty =
        OptionalNumber(a.share_difficulty, Input::ShareDifficulty, error, Suffix::Si);
    if (!error.empty()) {
        return Fail(error);
    }
    if (a.months.Given()) {
        auto m = profit::ParseUnsigned(a.months.text);
        if (!m) {
            return Fail(Quoted(Input::Months, a.months.text) + ": not a whole number of months");
        }
        // Out-of-range counts are clamped just past the limit so the model reports them.
        in.horizon_months = int(std::min<uint64_t>(*m, profit::MAX_HORIZON_MONTHS + 1));
    }

    // --from-pool: network difficulty, height and subsidy + fees from the pool's live job.
    // Every other flag is parsed first, so that a typo does not wait for the pool.
    if (!a.from_pool.empty()) {
        if (a.difficulty.Given() || a.nbits.Given() || a.height.Given()) {
            return Fail("--from-pool sets difficulty, nbits and height; do not give them too");
        }
        if (auto url = stratum::ParsePoolUrl(a.from_pool); !url) {
            return Fail("--from-pool '" + a.from_pool + "': " + url.error());
        }
        // The pool unreachable, or sending no usable job, is not the user's input: exit 1.
        auto job = FetchFirstJob(a.from_pool, a.pool_user, a.pool_password, {}, timeout);
        if (!job) {
            return Fail("--from-pool: " + job.error(), EXIT_RUNTIME_FAILURE);
        }
        const std::vector<uint8_t> en2((*job)->extranonce2_size, 0);
        const auto cb = core::DecodeCoinbase((*job)->Coinbase(en2));
        if (!cb.height || !cb.value) {
            return Fail("--from-pool: the pool's coinbase has no readable BIP 34 height or value",
                        EXIT_RUNTIME_FAILURE);
        }
        in.network_difficulty = core::DifficultyFromBits((*job)->nbits);
        in.height = *cb.height;
        const int64_t subsidy = profit::BlockSubsidySats(*cb.height);
        if (!a.fees_per_block.Given()) {
            in.fees_per_block_btc =
                double(std::max<int64_t>(0, int64_t(*cb.value) - subsidy)) / 1e8;
        }
        std::fprintf(stderr,
                     "nonceforge profit: from %s: height %u, network difficulty %.6g, coinbase "
                     "%.8f BTC\n",
                     a.from_pool.c_str(), *cb.height, in.network_difficulty,
                     double(*cb.value) / 1e8);
    } else if (a.difficulty.Given() && a.nbits.Given()) {
        return Fail("--difficulty and --nbits both given; use one");
    }
    if (a.from_pool.empty()) {
        if (!a.difficulty.Given() && !a.nbits.Given()) {
            return Fail(
                "--difficulty is required (network difficulty, e.g. 126.4T; or --nbits HEX)");
        }
        auto difficulty =
            a.difficulty.Given()
                ? AtLeastMainnetMinimum(a.difficulty, Input::Difficulty,
                                        Scaled(a.difficulty, Input::Difficulty, Suffix::Si))
                : AtLeastMainnetMinimum(a.nbits, Input::Nbits, DifficultyFromNbits(a.nbits));
        if (!difficulty) {
            return Fail(difficulty.error());
        }
        in.network_difficulty = *difficulty;

        if (!a.height.Given()) {
            return Fail("--height is required (the height of the block being mined)");
        }
        auto height = profit::ParseUnsigned(a.height.text);
        if (!height) {
            return Fail(Quoted(Input::Height, a.height.text) + ": not a block height");
        }
        in.height = *height;
    }

    // Every other input is checked before a benchmark is spent on the hashrate.
    auto complain = [&a](const profit::InputError& e) {
        const Flag* f = a.For(e.input);
        const std::string name = f == &a.nbits ? "nbits" : std::string(profit::InputName(e.input));
        return Fail("--" + name + (f ? " '" + f->text + "'" : std::string()) + ": " + e.message);
    };
    if (auto e = profit::ValidateInputs(in)) {
        return complain(*e);
    }
    if (auto_hashrate) {
        auto h = MeasureHashrate(in.hashrate_source);
        if (!h) {
            return Fail(h.error(), EXIT_RUNTIME_FAILURE);
        }
        in.hashrate_hps = *h;
    }
    auto report = profit::EstimateProfit(in);
    if (!report) {
        return complain(report.error());
    }
    if (report->network_warning) {
        // On stderr, so that it shows above the table and beside --json (which carries it too).
        if (a.from_pool.empty()) {
            Warn(*report->network_warning +
                 ": not a mainnet difficulty (a missing prefix, such as T?), so the figures are "
                 "not meaningful money");
        } else {
            Warn("the pool's job is not Bitcoin mainnet's: " + *report->network_warning +
                 "; the figures are for a test network, not meaningful money");
        }
    }
    if (a.json) {
        std::cout << report->ToJson().dump(2) << "\n";
    } else {
        std::cout << report->ToTable();
    }
    if (!a.plot.empty()) {
        std::ofstream out(a.plot, std::ios::binary);
        out << profit::RenderProfitChartSvg(*report);
        out.close();
        if (!out) {
            return Fail("--plot '" + a.plot + "': cannot write the file", EXIT_RUNTIME_FAILURE);
        }
        if (!a.json) {
            std::cout << "\nChart written to " << a.plot << "\n";
        }
    }
    return 0;
}

} // namespace

Command AddProfitCommand(CLI::App& root) {
    auto args = std::make_shared<ProfitArgs>();
    CLI::App* cmd = root.add_subcommand(
        "profit", "Estimate mining revenue, power cost, profit, payback and solo odds");
    // A repeated flag takes its last value, so a script can append overrides.
    auto add = [cmd](const char* name, Flag& flag, const char* help, const char* type) {
        flag.option = cmd->add_option(name, flag.text, help)
                          ->type_name(type)
                          ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    };
    add("--hashrate", args->hashrate,
        "Hashrate in H/s with optional k/M/G/T/P/E prefix (100T, 950MH/s, 3e12), or auto to "
        "measure it with the benchmark",
        "H/s|auto");
    add("--power", args->power,
        "Power drawn at the wall in W, with optional k/M/G/T/P/E prefix (3kW, 3000W, 3000)", "W");
    add("--electricity-price", args->electricity_price, "Electricity price per kWh", "USD/kWh");
    add("--btc-price", args->btc_price, "BTC price (k/M/G/T/P/E allowed: 95k)", "USD");
    add("--difficulty", args->difficulty,
        "Network difficulty, at least 1 (k/M/G/T/P/E allowed: 126.4T)", "D");
    add("--nbits", args->nbits, "Network target as compact nBits instead of --difficulty", "HEX");
    cmd->add_option("--from-pool", args->from_pool,
                    "Take difficulty, height and subsidy + fees from this pool's live job")
        ->type_name("URL");
    cmd->add_option("-u,--user", args->pool_user, "Pool user for --from-pool");
    cmd->add_option("-p,--pass", args->pool_password, "Pool password for --from-pool");
    add("--timeout", args->timeout,
        "Seconds --from-pool waits for the pool's first job (default 30)", "S");
    add("--height", args->height, "Height of the block being mined (sets the subsidy)", "N");
    add("--fees-per-block", args->fees_per_block, "Average transaction fees per block (default 0)",
        "BTC");
    add("--pool-fee", args->pool_fee, "Pool fee (default 0)", "%");
    add("--stale-rate", args->stale_rate, "Stale/rejected share rate (default 0)", "%");
    add("--uptime", args->uptime, "Share of the time the miner runs (default 100)", "%");
    add("--hardware-cost", args->hardware_cost,
        "Hardware cost, for the payback month (k/M/G/T/P/E allowed: 1.5k)", "USD");
    add("--difficulty-growth", args->difficulty_growth,
        "Network difficulty growth per month, compounded (default 0)", "%");
    add("--price-change", args->price_change, "BTC price change per month, compounded (default 0)",
        "%");
    add("--months", args->months, "Projection horizon (default 12)", "N");
    add("--share-difficulty", args->share_difficulty,
        "Pool share difficulty, for the expected time per share", "D");
    cmd->add_flag("--json", args->json, "Print the estimate as JSON");
    cmd->add_option("--plot", args->plot, "Write a cumulative-profit chart (SVG) here")
        ->type_name("FILE.svg");
    return {cmd, [args] { return Run(*args); }};
}

} // namespace nonceforge::miner::app
