// `nonceforge mine`: join a pool (or the embedded local pool) and mine. Flags follow cpuminer
// and cgminer where those exist. Everything the user gave (command line, then --config file) is
// checked before anything starts; a bad value is one line on stderr and exit status 2.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "miner/api/api_server.hpp"
#include "miner/app/cli_checks.hpp"
#include "miner/app/command.hpp"
#include "miner/app/config_file.hpp"
#include "miner/app/logging.hpp"
#include "miner/app/mine_output.hpp"
#include "miner/app/runtime.hpp"
#include "miner/app/signals.hpp"
#include "miner/solo/rpc_client.hpp"

namespace nonceforge::miner::app {

namespace {

struct MineArgs {
    CLI::App* cmd = nullptr;
    MineOptions options;
    std::string config_file;
    std::string url;
    std::vector<std::string> backup_urls;
    std::optional<double> suggest;
    bool no_version_rolling = false;
    CLI::Option* cuda = nullptr;         // --cuda [IDS]
    CLI::Option* user = nullptr;         // -u
    CLI::Option* pass = nullptr;         // -p
    std::string solo_url;                // --solo
    std::vector<CLI::Option*> solo_only; // --coinbase-addr, --rpc-*, ...: need a node
    std::vector<CLI::Option*> pool_only; // --backup-url, --tls-*, ...: need a pool
    bool no_cuda = false;
    bool no_api = false;
    std::string log_file;
    bool quiet = false;
    bool debug = false;
    std::string log_level;
    bool no_color = false;
    bool print_config = false;
    std::string algo;
    std::string proxy;
    std::optional<int> retries;
    std::optional<double> retry_pause;
    std::optional<double> timeout;
};

// One line on stderr, exit status 2: the contract for every bad input.
int Usage(const std::string& message) {
    std::fprintf(stderr, "nonceforge: %s\n", message.c_str());
    return EXIT_USAGE;
}

spdlog::level::level_enum LogLevel(const MineArgs& a) {
    if (!a.log_level.empty()) {
        return spdlog::level::from_str(a.log_level);
    }
    return a.debug ? spdlog::level::debug : spdlog::level::info;
}

// The settings `mine` will run with, after the command line and the config file (--print-config;
// also how the tests prove that each config key has its flag's effect). No password is shown.
nlohmann::json EffectiveSettings(const MineArgs& a) {
    const MineOptions& o = a.options;
    auto opt = [](const std::optional<double>& v) {
        return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
    };
    nlohmann::json j;
    j["pools"] = o.pool.urls;
    if (o.solo.Enabled()) {
        auto url = miner::solo::ParseNodeUrl(o.solo.url);
        j["solo"] = {
            {"node", url ? url->ToString() : o.solo.url},
            {"coinbase_addr", o.solo.coinbase_addr},
            {"rpc_cookie", o.solo.rpc_cookie},
            {"rpc_user", o.solo.rpc_user ? nlohmann::json(*o.solo.rpc_user) : nlohmann::json()},
            {"rpc_pass_set", o.solo.rpc_pass.has_value() || (url && url->password)},
            {"coinbase_sig", o.solo.coinbase_sig},
            {"share_difficulty", opt(o.solo.share_difficulty)},
            {"template_refresh_seconds", o.solo.template_refresh_seconds},
            {"blocks_dir", o.solo.blocks_dir}};
    } else {
        j["solo"] = nullptr;
    }
    j["user"] = o.pool.user;
    j["password_set"] = o.pool.password != "x";
    j["threads"] = o.backend.threads;
    j["cpu_impl"] = o.backend.cpu_impl;
    j["no_cpu"] = o.backend.no_cpu;
    j["use_cuda"] = o.backend.use_cuda;
    j["cuda_devices"] = o.backend.cuda_devices;
    j["pin_threads"] = o.backend.pin_threads;
    j["suggest_difficulty"] = opt(o.pool.suggest_difficulty);
    j["version_rolling"] = o.pool.version_rolling;
    j["extranonce_subscribe"] = o.pool.extranonce_subscribe;
    j["allow_redirect"] = o.pool.allow_redirect;
    j["tls"] = {{"ca_file", o.pool.tls.ca_file},
                {"fingerprint", o.pool.tls.fingerprint_sha256},
                {"insecure", o.pool.tls.insecure}};
    j["duration_seconds"] = o.duration_seconds;
    j["status_interval_seconds"] = o.output.status_interval_seconds;
    j["local_difficulty"] = o.pool.local.difficulty;
    j["power_watts"] = opt(o.output.profit.power_watts);
    j["electricity_price"] = opt(o.output.profit.electricity_price);
    j["btc_price"] = opt(o.output.profit.btc_price);
    j["pool_fee_percent"] = o.output.profit.pool_fee_percent;
    j["json_summary_file"] = o.output.json_summary_file;
    j["quiet_events"] = o.output.quiet_events;
    j["protocol_dump"] = o.pool.protocol_dump;
    j["proxy"] = o.pool.proxy ? nlohmann::json(o.pool.proxy->ToString()) : nlohmann::json(nullptr);
    j["retries"] = o.pool.reconnect.max_retries;
    j["retry_pause_seconds"] = o.pool.reconnect.retry_pause
                                   ? nlohmann::json(o.pool.reconnect.retry_pause->count() / 1000.0)
                                   : nlohmann::json(nullptr);
    j["reject_storm"] = o.pool.reject_storm;
    j["idle_timeout_seconds"] = o.pool.timeouts.idle.count() / 1000.0;
    j["log"] = {{"file", a.log_file},
                {"level", spdlog::level::to_string_view(LogLevel(a)).data()},
                {"color", !a.no_color && !NoColorRequested()}};
    j["api"] = {{"enabled", o.api.enabled},           {"bind", o.api.bind},
                {"token_set", !o.api.token.empty()},  {"allowed_hosts", o.api.allowed_hosts},
                {"cgminer_bind", o.api.cgminer_bind}, {"cgminer_remote", o.api.cgminer_remote}};
    return j;
}

// Solo mining: -o http://... or --solo, the payout address, the options of a node only.
std::string CheckSolo(MineArgs& a) {
    MineOptions& o = a.options;
    const bool url_is_node = !a.url.empty() && miner::solo::IsNodeUrl(a.url);
    if (url_is_node && !a.solo_url.empty()) {
        return "-o/--url " + a.url + " and --solo " + a.solo_url +
               " both name a node: give one of them";
    }
    if (!a.solo_url.empty() && !a.url.empty()) {
        return "--solo mines on a node, -o/--url on a pool: give one of them";
    }
    const std::string node = url_is_node ? a.url : a.solo_url;
    const std::string flag = url_is_node ? "-o/--url" : "--solo";
    if (node.empty()) {
        for (CLI::Option* opt : a.solo_only) {
            if (opt->count() > 0) {
                return opt->get_name() + " is for solo mining on a node (-o http://HOST:PORT "
                                         "or --solo URL)";
            }
        }
        return {};
    }
    auto url = miner::solo::ParseNodeUrl(node);
    if (!url) {
        return flag + ": " + url.error();
    }
    for (CLI::Option* opt : a.pool_only) {
        if (opt->count() > 0) {
            return opt->get_name() + " is for pools; " + flag +
                   " mines solo on one node (see docs/mining.md)";
        }
    }
    if (o.solo.coinbase_addr.empty()) {
        return flag + " " + url->ToString() +
               " mines solo on a node, which needs --coinbase-addr ADDRESS: the address the "
               "block reward is paid to";
    }
    // The chain is known only once the node answers; an address of no chain at all (a typo)
    // is refused now.
    using miner::solo::Chain;
    const Chain guess = miner::solo::ChainOfDefaultPort(url->port).value_or(Chain::Main);
    bool decodes = false;
    for (Chain c : {Chain::Main, Chain::Test, Chain::Testnet4, Chain::Signet, Chain::Regtest}) {
        decodes = decodes || miner::solo::DecodeAddress(o.solo.coinbase_addr, c).has_value();
    }
    if (!decodes) {
        return "--coinbase-addr: " +
               miner::solo::DecodeAddress(o.solo.coinbase_addr, guess).error();
    }
    if (o.solo.coinbase_sig.size() > 64) {
        return "--coinbase-sig: at most 64 bytes (the coinbase's scriptSig holds 100 with the "
               "height and the extranonce), got " +
               std::to_string(o.solo.coinbase_sig.size());
    }
    for (unsigned char c : o.solo.coinbase_sig) {
        if (c < 0x20 || c == 0x7f) {
            return "--coinbase-sig: control characters are not allowed";
        }
    }
    if (!url->user) {
        // cpuminer's habit: -u/-p are the node's RPC user and password in solo mode.
        if (!o.solo.rpc_user && a.user->count() > 0) {
            o.solo.rpc_user = o.pool.user;
        }
        if (!o.solo.rpc_pass && a.pass->count() > 0) {
            o.solo.rpc_pass = o.pool.password;
        }
    }
    if (o.solo.rpc_user.has_value() != o.solo.rpc_pass.has_value() && !url->user) {
        return o.solo.rpc_user ? "--rpc-user needs --rpc-pass" : "--rpc-pass needs --rpc-user";
    }
    if ((o.solo.rpc_user || url->user) && !o.solo.rpc_cookie.empty()) {
        return "--rpc-cookie and a user and password exclude each other";
    }
    // A cookie that does not exist yet is waited for (the node writes it when it starts).
    if (std::error_code ec;
        !o.solo.rpc_cookie.empty() && std::filesystem::exists(o.solo.rpc_cookie, ec)) {
        if (auto cookie = miner::solo::ReadCookie(o.solo.rpc_cookie); !cookie) {
            return "--rpc-cookie: " + cookie.error();
        }
    }
    if (!o.solo.blocks_dir.empty()) {
        std::error_code ec;
        if (!std::filesystem::is_directory(o.solo.blocks_dir, ec)) {
            return "--blocks-dir " + o.solo.blocks_dir + ": not a directory";
        }
    }
    o.solo.url = node;
    a.url.clear(); // not a pool
    return {};
}

// Everything that can be checked before starting: cross-option rules, files, addresses.
std::string CheckBeforeStart(MineArgs& a) {
    MineOptions& o = a.options;
    if (std::string error = CheckSolo(a); !error.empty()) {
        return error;
    }
    bool any_tls = false;
    if (!a.url.empty()) {
        auto url = stratum::ParsePoolUrl(a.url);
        if (!url) {
            return "-o/--url: " + url.error();
        }
        if (a.user->count() == 0 && !url->user) {
            return "-o/--url needs -u/--user: the pool account or payout address the shares are "
                   "credited to (usually ADDRESS.worker)";
        }
        any_tls = url->tls;
    } else if (!a.backup_urls.empty()) {
        return "--backup-url needs a primary pool (-o URL)";
    }
    for (const auto& u : a.backup_urls) {
        auto url = stratum::ParsePoolUrl(u);
        if (!url) {
            return "--backup-url: " + url.error();
        }
        any_tls = any_tls || url->tls;
    }
    if (auto tls = stratum::ValidateTlsOptions(o.pool.tls, any_tls); !tls) {
        return tls.error() +
               (a.url.empty() ? " (without -o, the embedded local pool is plain TCP)" : "");
    }
    if (!a.proxy.empty()) {
        auto proxy = stratum::ParseProxyUrl(a.proxy);
        if (!proxy) {
            return "-x/--proxy: " + proxy.error();
        }
        o.pool.proxy = *proxy;
    }
    if (a.retries) {
        o.pool.reconnect.max_retries = *a.retries;
    }
    if (a.retry_pause) {
        o.pool.reconnect.retry_pause = std::chrono::milliseconds(int64_t(*a.retry_pause * 1000));
    }
    if (a.timeout) {
        o.pool.timeouts.idle = std::chrono::milliseconds(int64_t(*a.timeout * 1000));
    }
    if (a.cuda != nullptr && a.cuda->count() > 0 && !NF_HAVE_CUDA) {
        return "--cuda: GPU support is not built in (this binary was built without the CUDA "
               "toolkit)";
    }
    if (a.cuda != nullptr && a.cuda->count() > 0 && a.no_cuda) {
        return "--cuda and --no-cuda exclude each other";
    }
    if (o.backend.no_cpu && (a.no_cuda || !NF_HAVE_CUDA)) {
        return "--no-cpu leaves no hashing backend (" +
               std::string(NF_HAVE_CUDA ? "--no-cuda was given" : "built without CUDA") + ")";
    }
    if (o.api.enabled) {
        if (auto bad = miner::api::CheckApiOptions(o.api)) {
            return *bad;
        }
    }
    if (!a.log_file.empty()) {
        if (std::string why = CheckLogFile(a.log_file); !why.empty()) {
            return "--log-file " + why;
        }
    }
    if (!o.output.json_summary_file.empty()) {
        if (std::string why = CheckLogFile(o.output.json_summary_file); !why.empty()) {
            return "--json-summary " + why;
        }
    }
    return {};
}

int Run(MineArgs& a) {
    if (!a.config_file.empty()) {
        if (std::string error = ApplyConfigFile(*a.cmd, a.config_file); !error.empty()) {
            return Usage(error);
        }
    }
    MineOptions& o = a.options;
    o.backend.use_cuda = NF_HAVE_CUDA && !a.no_cuda;
    o.pool.suggest_difficulty = a.suggest;
    o.pool.version_rolling = !a.no_version_rolling;
    o.api.enabled = !a.no_api;
    o.output.quiet_events = a.quiet;
    if (std::string error = CheckBeforeStart(a); !error.empty()) {
        return Usage(error);
    }
    if (!a.url.empty()) {
        o.pool.urls.push_back(a.url);
    }
    for (const auto& u : a.backup_urls) {
        o.pool.urls.push_back(u);
    }
    if (a.print_config) {
        std::cout << EffectiveSettings(a).dump(2) << "\n";
        return EXIT_OK;
    }
    try {
        SetUpLogging({a.log_file, LogLevel(a), !a.no_color && !NoColorRequested()});
    } catch (const std::exception& e) {
        return Usage("--log-file " + a.log_file + ": " + e.what());
    }

    auto runtime =
        std::make_shared<MinerRuntime>(o, [](core::LogLevel level, const std::string& text) {
            const auto spd = SpdlogLevel(level);
            for (const std::string& line : WrapLine(text)) {
                spdlog::log(spd, "{}", line);
            }
        });
    // From here a stop signal ends mining with a summary; a second one ends the process. One
    // that follows the first within SAME_STOP_REQUEST is the same request delivered twice:
    // GNU timeout sends its signal to the child and then to the child's process group.
    auto first_stop = std::make_shared<std::atomic<int64_t>>(0); // steady ns; 0: none yet
    OnStopSignal([runtime, first_stop](int sig) {
        constexpr auto SAME_STOP_REQUEST = std::chrono::milliseconds(250);
        const char* name = sig == SIGINT ? "SIGINT" : "SIGTERM";
        const int64_t now = std::chrono::steady_clock::now().time_since_epoch().count();
        int64_t first = 0;
        if (!first_stop->compare_exchange_strong(first, now)) {
            if (std::chrono::steady_clock::duration(now - first) < SAME_STOP_REQUEST) {
                spdlog::debug("{} again at once: the same stop request", name);
                return;
            }
            std::fprintf(stderr, "nonceforge: second %s: exiting without waiting\n", name);
            std::_Exit(128 + sig);
        }
        spdlog::info("received {}: stopping (send it again to exit at once)", name);
        runtime->RequestStop(name);
    });
    OnHangupSignal([] {
        if (ReopenLogFile()) {
            spdlog::info("received SIGHUP: log file reopened");
        } else {
            spdlog::info("received SIGHUP: no --log-file to reopen; mining on");
        }
    });

    const MineResult r = runtime->Run();
    OnStopSignal([](int sig) { std::_Exit(128 + sig); }); // already stopping: nothing to wait for
    if (r.exit_code == EXIT_USAGE) {
        spdlog::default_logger()->flush();
        std::fprintf(stderr, "nonceforge: %s\n", r.error.c_str());
        WriteToLogFileOnly("nonceforge: " + r.error + "\n");
        return r.exit_code;
    }
    std::string text = FormatSummary(r.stats);
    if (r.solo) {
        char best[32];
        std::snprintf(best, sizeof best, "%.4g", r.stats.total.shares.best_difficulty);
        text += "  solo: " + FormatSoloFigures(r.stats, *r.solo) + "; best share " + best + "\n";
    }
    text += "  stopped: " + r.stop_reason + "\n";
    if (!r.live_profit.empty()) {
        text += "  profitability" + r.live_profit + "\n";
    }
    std::string summary;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        const std::size_t indent = line.find_first_not_of(' ');
        for (const std::string& part : WrapLine(line.substr(indent), 180)) {
            summary += line.substr(0, indent) + part + "\n";
        }
    }
    spdlog::default_logger()->flush();
    std::cout << summary << std::flush;
    WriteToLogFileOnly(summary);
    if (r.exit_code != 0) {
        std::fprintf(stderr, "nonceforge: %s\n", r.error.c_str());
    }
    return r.exit_code;
}

// cpuminer options that have no meaning here: refused with the reason, not a bare "unknown".
void AddUnsupported(CLI::App* cmd, const std::string& names, const std::string& why,
                    bool takes_value) {
    std::string shown = names;
    std::replace(shown.begin(), shown.end(), ',', '/');
    auto fail = [shown, why](auto&&...) -> void {
        throw CLI::ValidationError(shown, "not supported by nonceforge: " + why);
    };
    if (takes_value) {
        cmd->add_option_function<std::string>(names, fail, "(cpuminer) not supported: " + why)
            ->group("");
    } else {
        cmd->add_flag_function(
               names, [fail](std::int64_t) { fail(); }, "")
            ->group("");
    }
}

} // namespace

Command AddMineCommand(CLI::App& root) {
    auto a = std::make_shared<MineArgs>();
    CLI::App* cmd = root.add_subcommand(
        "mine", "Mine on a Stratum V1 pool, or solo on a Bitcoin Core node (without -o: on the "
                "embedded local demo pool)");
    a->cmd = cmd;
    auto& o = a->options;
    cmd->add_option("-c,--config", a->config_file,
                    "JSON file whose keys are the long options below (the command line wins)");
    cmd->add_flag("--print-config", a->print_config,
                  "Check everything, print the settings mining would use (JSON) and exit");
    cmd->add_option("-o,--url", a->url,
                    "Pool URL: stratum+tcp://host:port, or stratum+ssl:// (also +tls, +tcps); "
                    "http://host:port mines solo on that Bitcoin Core node (see --solo)");
    a->user = cmd->add_option("-u,--user", o.pool.user,
                              "Pool user, usually ADDRESS.worker (required with -o); solo: the "
                              "node's RPC user");
    a->pass = cmd->add_option("-p,--pass", o.pool.password, "Pool password; solo: RPC password")
                  ->capture_default_str();
    a->pool_only.push_back(
        cmd->add_option("--backup-url", a->backup_urls, "Backup pool, in order (repeatable)"));
    cmd->add_option("--solo", a->solo_url,
                    "Mine solo on a Bitcoin Core node: http://[user:pass@]host:port (its RPC "
                    "port; needs --coinbase-addr)");
    a->solo_only.push_back(cmd->add_option(
        "--coinbase-addr", o.solo.coinbase_addr,
        "Solo: the address the block reward is paid to (must be of the node's network)"));
    a->solo_only.push_back(cmd->add_option(
        "--rpc-cookie", o.solo.rpc_cookie,
        "Solo: the node's cookie file (default: the network's .cookie under ~/.bitcoin)"));
    a->solo_only.push_back(
        cmd->add_option("--rpc-user", o.solo.rpc_user, "Solo: the node's RPC user (rpcuser)"));
    a->solo_only.push_back(cmd->add_option("--rpc-pass", o.solo.rpc_pass,
                                           "Solo: the node's RPC password (never logged)"));
    a->solo_only.push_back(cmd->add_option("--coinbase-sig", o.solo.coinbase_sig,
                                           "Solo: text in the coinbase's scriptSig (at most "
                                           "64 bytes)")
                               ->capture_default_str());
    a->solo_only.push_back(
        cmd->add_option("--solo-share-difficulty", o.solo.share_difficulty,
                        "Solo: also count shares of this (lower) difficulty, for the local "
                        "statistics only; never sent")
            ->check(Number("", 0, false, 1e15)));
    a->solo_only.push_back(
        cmd->add_option("--template-refresh", o.solo.template_refresh_seconds,
                        "Solo: seconds between fresh templates on the same tip (new "
                        "transactions); a new block is always picked up at once")
            ->check(Number("seconds", 1, true, 3600))
            ->capture_default_str());
    a->solo_only.push_back(cmd->add_option(
        "--blocks-dir", o.solo.blocks_dir,
        "Solo: write every found block's hex here (<hash>.hex) before submitting it"));
    cmd->add_option("-a,--algo", a->algo, "Algorithm: only sha256d (accepted for cpuminer habits)")
        ->check(Algorithm());
    cmd->add_option("-t,--threads", o.backend.threads, "CPU mining threads (default: one per CPU)")
        ->check(Count(1, 4096));
    cmd->add_option("--cpu-impl", o.backend.cpu_impl,
                    "Force a CPU scan implementation (see benchmark)");
    cmd->add_flag("--no-cpu", o.backend.no_cpu, "Do not mine on the CPU");
    a->cuda = cmd->add_option("--cuda", o.backend.cuda_devices,
                              "Mine on these CUDA GPUs (default: every GPU, when built with CUDA)")
                  ->expected(0, -1)
                  ->delimiter(',')
                  ->check(Count(0, 63));
    cmd->add_flag("--no-cuda", a->no_cuda, "Do not mine on GPUs");
    cmd->add_flag("--cpu-affinity", o.backend.pin_threads, "Pin CPU thread i to CPU i");
    a->pool_only.push_back(cmd->add_option("--suggest-difficulty", a->suggest,
                                           "Ask the pool for this share difficulty")
                               ->check(Number("", 0, false, 1e15)));
    cmd->add_flag("--no-version-rolling", a->no_version_rolling,
                  "Do not negotiate BIP 310 version rolling");
    a->pool_only.push_back(cmd->add_flag("--extranonce-subscribe", o.pool.extranonce_subscribe,
                                         "Send mining.extranonce.subscribe (NiceHash-style "
                                         "pools)"));
    a->pool_only.push_back(cmd->add_flag("--allow-redirect", o.pool.allow_redirect,
                                         "Follow client.reconnect to another host"));
    a->pool_only.push_back(cmd->add_option(
        "-x,--proxy", a->proxy,
        "Reach the pools through a proxy: socks5://[user:pass@]host:port (the proxy "
        "resolves names) or http://[user:pass@]host:port (CONNECT)"));
    cmd->add_option("-r,--retries", a->retries,
                    "Give up (exit 1) after N+1 failed connection attempts in a row (default: "
                    "retry for ever)")
        ->check(Count(0, 1000000));
    cmd->add_option("-R,--retry-pause", a->retry_pause,
                    "Seconds between connection attempts (default: backoff from 1 s to 60 s)")
        ->check(Number("seconds", 0, false, 3600));
    cmd->add_option("--reject-storm", o.pool.reject_storm,
                    "After N verified shares in a row are rejected (not stale), reconnect with a "
                    "fresh session; a second time, fail over or back off (0: off)")
        ->check(Count(0, 1000000))
        ->capture_default_str();
    cmd->add_option("-T,--timeout", a->timeout,
                    "Reconnect when the pool sends nothing for this many seconds (default 180)")
        ->check(Number("seconds", 1, true, 86400));
    cmd->add_flag("-P,--protocol-dump", o.pool.protocol_dump,
                  "Log every line to (pool>) and from (pool<) the pool; passwords hidden");
    a->pool_only.push_back(cmd->add_option("--tls-ca", o.pool.tls.ca_file,
                                           "Verify the pool's certificate with this CA file"));
    a->pool_only.push_back(cmd->add_option("--tls-fingerprint", o.pool.tls.fingerprint_sha256,
                                           "Accept only this SHA-256 certificate fingerprint"));
    a->pool_only.push_back(cmd->add_flag("--tls-insecure", o.pool.tls.insecure,
                                         "Do not verify the pool's certificate (unsafe)"));
    cmd->add_option("--duration", o.duration_seconds, "Stop after this many seconds")
        ->check(Number("seconds", 0, false, 1e9));
    cmd->add_option("--status-interval", o.output.status_interval_seconds,
                    "Seconds between status lines")
        ->check(Number("seconds", 1, true, 86400))
        ->capture_default_str();
    cmd->add_option("--local-difficulty", o.pool.local.difficulty,
                    "Share difficulty of the embedded local pool")
        ->check(Number("", 0, false, 1e12))
        ->capture_default_str();
    cmd->add_option("--power-watts", o.output.profit.power_watts,
                    "Power draw, for the live profit estimate")
        ->check(Number("watts", 0, true, 1e9));
    cmd->add_option("--electricity-price", o.output.profit.electricity_price,
                    "Price per kWh, for the estimate")
        ->check(Number("", 0, true, 1e6));
    cmd->add_option("--btc-price", o.output.profit.btc_price, "BTC price, for the estimate")
        ->check(Number("", 0, true, 1e12));
    cmd->add_option("--pool-fee", o.output.profit.pool_fee_percent,
                    "Pool fee in percent, for the estimate")
        ->check(Number("percent", 0, true, 100));
    cmd->add_option("--log-file", a->log_file,
                    "Also write the log (and the summary) to this file; SIGHUP reopens it");
    cmd->add_flag("-q,--quiet", a->quiet,
                  "No line per share or job: status lines, warnings and errors only");
    cmd->add_flag("-D,--debug", a->debug, "Debug log: shares found, the local pool, details");
    cmd->add_option("--log-level", a->log_level, "Log level: debug, info, warn or error")
        ->check(CLI::IsMember({"debug", "info", "warn", "error"}));
    cmd->add_flag("--no-color", a->no_color, "No colours in the log (also: NO_COLOR=1)");
    cmd->add_option("--json-summary", o.output.json_summary_file,
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
    AddUnsupported(cmd, "-s,--scantime",
                   "nonceforge hands out work in ranges of a few milliseconds and rolls ntime "
                   "itself",
                   true);
    AddUnsupported(cmd, "-B,--background",
                   "run it under systemd, nohup or tmux (it handles SIGHUP and SIGTERM)", false);
    AddUnsupported(cmd, "--cpu-priority", "use nice(1) or systemd's Nice=", true);
    return {cmd, [a] { return Run(*a); }};
}

} // namespace nonceforge::miner::app
