// `nonceforge profit`: what mining with this hashrate, power and electricity price earns, as a
// table or JSON, with an optional SVG chart. The model is miner/profit; this file only turns
// flags into its inputs. Every flag is read as text and parsed here, so that a bad value gets
// one line naming the flag and the value, and a non-zero exit.
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

namespace nonceforge::app {

namespace {

namespace profit = miner::profit;
using profit::Input;

// Measured seconds for `--hashrate auto`: long enough for a stable median on a CPU.
constexpr double AUTO_HASHRATE_SECONDS = 2.0;

struct Flag {
    std::string text;
    CLI::Option* option = nullptr;
    bool Given() const { return option != nullptr && option->count() > 0; }
};

struct ProfitArgs {
    Flag hashrate, power, electricity_price, btc_price, difficulty, nbits, height, fees_per_block,
        pool_fee, stale_rate, uptime, hardware_cost, difficulty_growth, price_change, months,
        share_difficulty;
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

int Fail(const std::string& message) {
    std::fprintf(stderr, "nonceforge profit: %s\n", message.c_str());
    return 2;
}

std::string Quoted(Input input, const std::string& text) {
    return "--" + std::string(profit::InputName(input)) + " '" + text + "'";
}

using Parsed = core::Expected<double, std::string>;

// A plain decimal; negative values parse and are refused by the model with its range message.
Parsed Decimal(const Flag& f, Input input) {
    if (auto v = profit::ParseDecimal(f.text)) {
        return *v;
    }
    return core::MakeUnexpected(Quoted(input, f.text) + ": not a number");
}

Parsed Required(const Flag& f, Input input, const char* what) {
    if (!f.Given()) {
        return core::MakeUnexpected("--" + std::string(profit::InputName(input)) +
                                    " is required (" + what + ")");
    }
    return Decimal(f, input);
}

std::optional<double> OptionalDecimal(const Flag& f, Input input, std::string& error) {
    if (!f.Given() || !error.empty()) {
        return std::nullopt;
    }
    auto v = Decimal(f, input);
    if (!v) {
        error = v.error();
        return std::nullopt;
    }
    return *v;
}

Parsed SiNumber(const Flag& f, Input input) {
    auto v = profit::ParseSiNumber(f.text);
    if (!v) {
        return core::MakeUnexpected(Quoted(input, f.text) + ": " + profit::ToString(v.error()));
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
    const cpu::CpuSelection sel = cpu::SelectCpuImpl(cpu::DetectCpuFeatures());
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
        auto h = profit::ParseHashrate(a.hashrate.text);
        if (!h) {
            return Fail(Quoted(Input::Hashrate, a.hashrate.text) + ": " +
                        profit::ToString(h.error()));
        }
        in.hashrate_hps = *h;
    }
    auto power = Required(a.power, Input::Power, "watts drawn at the wall");
    if (!power) {
        return Fail(power.error());
    }
    in.power_watts = *power;
    auto electricity = Required(a.electricity_price, Input::ElectricityPrice, "USD per kWh");
    if (!electricity) {
        return Fail(electricity.error());
    }
    in.electricity_price_per_kwh = *electricity;
    auto price = Required(a.btc_price, Input::BtcPrice, "USD per BTC");
    if (!price) {
        return Fail(price.error());
    }
    in.btc_price = *price;

    // --from-pool: network difficulty, height and subsidy + fees from the pool's live job.
    std::optional<double> pool_fees_btc;
    if (!a.from_pool.empty()) {
        if (a.difficulty.Given() || a.nbits.Given() || a.height.Given()) {
            return Fail("--from-pool sets difficulty, nbits and height; do not give them too");
        }
        auto job = FetchFirstJob(a.from_pool, a.pool_user, a.pool_password, {}, 30);
        if (!job) {
            return Fail("--from-pool: " + job.error());
        }
        const std::vector<uint8_t> en2((*job)->extranonce2_size, 0);
        const auto cb = core::DecodeCoinbase((*job)->Coinbase(en2));
        if (!cb.height || !cb.value) {
            return Fail("--from-pool: the pool's coinbase has no readable BIP 34 height or value");
        }
        in.network_difficulty = core::DifficultyFromBits((*job)->nbits);
        in.height = *cb.height;
        const int64_t subsidy = profit::BlockSubsidySats(*cb.height);
        pool_fees_btc = double(std::max<int64_t>(0, int64_t(*cb.value) - subsidy)) / 1e8;
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
        auto difficulty = a.difficulty.Given() ? SiNumber(a.difficulty, Input::Difficulty)
                                               : DifficultyFromNbits(a.nbits);
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

    std::string error;
    in.fees_per_block_btc = OptionalDecimal(a.fees_per_block, Input::FeesPerBlock, error);
    if (pool_fees_btc && !a.fees_per_block.Given()) {
        in.fees_per_block_btc = *pool_fees_btc;
    }
    in.pool_fee_percent = OptionalDecimal(a.pool_fee, Input::PoolFee, error);
    in.stale_rate_percent = OptionalDecimal(a.stale_rate, Input::StaleRate, error);
    in.uptime_percent = OptionalDecimal(a.uptime, Input::Uptime, error);
    in.hardware_cost = OptionalDecimal(a.hardware_cost, Input::HardwareCost, error);
    in.difficulty_growth_percent_per_month =
        OptionalDecimal(a.difficulty_growth, Input::DifficultyGrowth, error);
    in.price_change_percent_per_month = OptionalDecimal(a.price_change, Input::PriceChange, error);
    if (a.share_difficulty.Given() && error.empty()) {
        auto s = SiNumber(a.share_difficulty, Input::ShareDifficulty);
        if (!s) {
            error = s.error();
        } else {
            in.share_difficulty = *s;
        }
    }
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
            return Fail(h.error());
        }
        in.hashrate_hps = *h;
    }
    auto report = profit::EstimateProfit(in);
    if (!report) {
        return complain(report.error());
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
            return Fail("--plot '" + a.plot + "': cannot write the file");
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
    add("--power", args->power, "Power drawn at the wall, in watts", "W");
    add("--electricity-price", args->electricity_price, "Electricity price per kWh", "USD/kWh");
    add("--btc-price", args->btc_price, "BTC price", "USD");
    add("--difficulty", args->difficulty, "Network difficulty (k/M/G/T/P/E allowed: 126.4T)", "D");
    add("--nbits", args->nbits, "Network target as compact nBits instead of --difficulty", "HEX");
    cmd->add_option("--from-pool", args->from_pool,
                    "Take difficulty, height and subsidy + fees from this pool's live job")
        ->type_name("URL");
    cmd->add_option("-u,--user", args->pool_user, "Pool user for --from-pool");
    cmd->add_option("-p,--pass", args->pool_password, "Pool password for --from-pool");
    add("--height", args->height, "Height of the block being mined (sets the subsidy)", "N");
    add("--fees-per-block", args->fees_per_block, "Average transaction fees per block (default 0)",
        "BTC");
    add("--pool-fee", args->pool_fee, "Pool fee (default 0)", "%");
    add("--stale-rate", args->stale_rate, "Stale/rejected share rate (default 0)", "%");
    add("--uptime", args->uptime, "Share of the time the miner runs (default 100)", "%");
    add("--hardware-cost", args->hardware_cost, "Hardware cost, for the payback month", "USD");
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

} // namespace nonceforge::app
