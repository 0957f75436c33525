// `nonceforge mine`: join a pool (or the embedded local pool) and mine. Flags follow cpuminer
// and cgminer where those exist.
#include <cstdio>
#include <iostream>
#include <memory>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "miner/app/command.hpp"
#include "miner/app/json_config.hpp"
#include "miner/runtime.hpp"

namespace nonceforge::app {

namespace {

struct MineArgs {
    miner::MineOptions options;
    std::string url;
    std::vector<std::string> backup_urls;
    std::optional<double> suggest;
    bool no_version_rolling = false;
    CLI::Option* cuda = nullptr; // --cuda [IDS]
    bool no_cuda = false;
    bool no_api = false;
    std::string log_file;
    bool quiet = false;
};

void SetUpLogging(const MineArgs& a) {
    std::vector<spdlog::sink_ptr> sinks;
    sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    if (!a.log_file.empty()) {
        sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(a.log_file));
    }
    auto logger = std::make_shared<spdlog::logger>("nonceforge", sinks.begin(), sinks.end());
    logger->set_level(a.quiet ? spdlog::level::warn : spdlog::level::info);
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(logger);
}

int Run(MineArgs& a) {
    if (a.cuda != nullptr && a.cuda->count() > 0 && !NF_HAVE_CUDA) {
        std::fprintf(stderr, "nonceforge: --cuda: GPU support is not built in (this binary was "
                             "built without the CUDA toolkit)\n");
        return 2;
    }
    a.options.use_cuda = NF_HAVE_CUDA && !a.no_cuda;
    SetUpLogging(a);
    if (!a.url.empty()) {
        a.options.urls.push_back(a.url);
    } else if (!a.backup_urls.empty()) {
        std::fprintf(stderr, "nonceforge: --backup-url needs a primary pool (-o URL)\n");
        return 2;
    }
    for (const auto& u : a.backup_urls) {
        a.options.urls.push_back(u);
    }
    a.options.suggest_difficulty = a.suggest;
    a.options.version_rolling = !a.no_version_rolling;
    a.options.api.enabled = !a.no_api;
    miner::MinerRuntime runtime(a.options, [](int level, const std::string& text) {
        if (level == 0) {
            spdlog::info("{}", text);
        } else if (level == 1) {
            spdlog::warn("{}", text);
        } else {
            spdlog::error("{}", text);
        }
    });
    const miner::MineResult r = runtime.Run();
    if (r.exit_code != 0 && r.stats.total.hashes == 0) {
        std::fprintf(stderr, "nonceforge: %s\n", r.error.c_str());
        return r.exit_code;
    }
    std::cout << miner::FormatSummary(r.stats);
    if (!r.live_profit.empty()) {
        std::cout << "  profitability" << r.live_profit << "\n";
    }
    if (r.exit_code != 0) {
        std::fprintf(stderr, "nonceforge: %s\n", r.error.c_str());
    }
    return r.exit_code;
}

} // namespace

Command AddMineCommand(CLI::App& root) {
    auto a = std::make_shared<MineArgs>();
    CLI::App* cmd = root.add_subcommand(
        "mine", "Mine on a Stratum V1 pool (without -o: on the embedded local demo pool)");
    auto& o = a->options;
    cmd->add_option("-o,--url", a->url, "Pool URL: stratum+tcp://host:port or stratum+ssl://...");
    cmd->add_option("-u,--user", o.user, "Pool user, usually address.worker")
        ->capture_default_str();
    cmd->add_option("-p,--pass", o.password, "Pool password")->capture_default_str();
    cmd->add_option("--backup-url", a->backup_urls, "Backup pool, in order (repeatable)");
    cmd->add_option("-t,--threads", o.threads, "CPU mining threads (default: one per CPU)")
        ->check(CLI::Range(1u, 4096u));
    cmd->add_option("--cpu-impl", o.cpu_impl, "Force a CPU scan implementation (see benchmark)");
    cmd->add_flag("--no-cpu", o.no_cpu, "Do not mine on the CPU");
    a->cuda = cmd->add_option("--cuda", o.cuda_devices,
                              "Mine on these CUDA GPUs (default: every GPU, when built with CUDA)")
                  ->expected(0, -1)
                  ->delimiter(',');
    cmd->add_flag("--no-cuda", a->no_cuda, "Do not mine on GPUs")->excludes(a->cuda);
    cmd->add_flag("--cpu-affinity", o.pin_threads, "Pin CPU thread i to CPU i");
    cmd->add_option("--suggest-difficulty", a->suggest, "Ask the pool for this share difficulty")
        ->check(CLI::PositiveNumber);
    cmd->add_flag("--no-version-rolling", a->no_version_rolling,
                  "Do not negotiate BIP 310 version rolling");
    cmd->add_flag("--extranonce-subscribe", o.extranonce_subscribe,
                  "Send mining.extranonce.subscribe (NiceHash-style pools)");
    cmd->add_flag("--allow-redirect", o.allow_redirect, "Follow client.reconnect to another host");
    cmd->add_option("--tls-ca", o.tls.ca_file, "Verify the pool's certificate with this CA file")
        ->check(CLI::ExistingFile);
    cmd->add_option("--tls-fingerprint", o.tls.fingerprint_sha256,
                    "Accept only this SHA-256 certificate fingerprint");
    cmd->add_flag("--tls-insecure", o.tls.insecure,
                  "Do not verify the pool's certificate (unsafe)");
    cmd->add_option("--duration", o.duration_seconds, "Stop after this many seconds")
        ->check(CLI::PositiveNumber);
    cmd->add_option("--status-interval", o.status_interval_seconds, "Seconds between status lines")
        ->check(CLI::Range(1.0, 86400.0))
        ->capture_default_str();
    cmd->add_option("--local-difficulty", o.local_difficulty,
                    "Share difficulty of the embedded local pool")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_option("--power-watts", o.power_watts, "Power draw, for the live profit estimate")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--electricity-price", o.electricity_price, "Price per kWh, for the estimate")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--btc-price", o.btc_price, "BTC price, for the estimate")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--pool-fee", o.pool_fee_percent, "Pool fee in percent, for the estimate")
        ->check(CLI::Range(0.0, 100.0));
    cmd->add_option("--log-file", a->log_file, "Also write the log to this file");
    cmd->add_flag("-q,--quiet", a->quiet, "Only warnings and errors");
    cmd->add_option("--json-summary", o.json_summary_file,
                    "Write the final statistics here (JSON)");
    cmd->add_option("--api-bind", o.api.bind,
                    "HTTP API, /metrics and dashboard on ADDRESS:PORT (see docs/api.md)")
        ->capture_default_str();
    cmd->add_flag("--no-api", a->no_api, "Do not serve the HTTP API");
    cmd->add_option("--api-token", o.api.token,
                    "Require 'Authorization: Bearer TOKEN' (needed off loopback)")
        ->envname("NONCEFORGE_API_TOKEN");
    cmd->add_option("--api-allow-host", o.api.allowed_hosts,
                    "Also answer HTTP requests with this Host header (repeatable; * for any)");
    cmd->add_option("--api-cgminer", o.api.cgminer_bind,
                    "cgminer-compatible API on ADDRESS:PORT, e.g. 127.0.0.1:4028 (default: off)");
    cmd->add_flag("--api-cgminer-remote", o.api.cgminer_remote,
                  "Allow --api-cgminer on a non-loopback address (it has no authentication)");
    cmd->set_config("--config", "", "JSON file with the same keys as the long options");
    cmd->config_formatter(std::make_shared<JsonConfig>());
    cmd->allow_config_extras(CLI::config_extras_mode::error);
    return {cmd, [a] { return Run(*a); }};
}

} // namespace nonceforge::app
