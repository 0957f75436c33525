// `nonceforge pool`: the validating Stratum V1 pool of the test suite, run on its own, for
// trying a miner (this one or another) against it.
#include <atomic>
#include <cstdio>
#include <memory>
#include <thread>

#include <spdlog/spdlog.h>

#include "miner/app/cli_checks.hpp"
#include "miner/app/command.hpp"
#include "miner/app/signals.hpp"
#include "nonceforge/stratum/pool_server.hpp"

namespace nonceforge::miner::app {

namespace {

struct PoolArgs {
    stratum::PoolServerConfig config;
    double job_interval = 30;
    double block_interval = 600;
    std::string cert, key;
    double duration = 0;
};

int Run(PoolArgs& a) {
    // 0 means never: one job for the whole run (and no clean jobs).
    a.config.job_interval = std::chrono::milliseconds(int64_t(a.job_interval * 1000));
    a.config.block_interval = std::chrono::milliseconds(int64_t(a.block_interval * 1000));
    if (!a.cert.empty() || !a.key.empty()) {
        if (a.cert.empty() || a.key.empty()) {
            std::fprintf(stderr, "nonceforge: --tls-cert and --tls-key go together\n");
            return EXIT_USAGE;
        }
        a.config.tls = stratum::PoolTlsFiles{a.cert, a.key};
    }
    // The server says where it listens; this command only adds what it is.
    a.config.log = [](core::LogLevel level, std::string_view text) {
        if (level == core::LogLevel::Warn) {
            spdlog::warn("{}", text);
        } else if (level == core::LogLevel::Info) {
            spdlog::info("{}", text);
        }
    };
    stratum::PoolServer server(a.config);
    auto port = server.Start();
    if (!port) {
        std::fprintf(stderr, "nonceforge: %s\n", port.error().c_str());
        return EXIT_USAGE;
    }
    spdlog::info("a validating test pool at difficulty {}: it pays no rewards",
                 a.config.difficulty);
    auto stop = std::make_shared<std::atomic<bool>>(false);
    OnStopSignal([stop](int sig) {
        if (stop->exchange(true)) {
            std::_Exit(128 + sig);
        }
    });
    const auto start = std::chrono::steady_clock::now();
    while (!*stop && (a.duration <= 0 || std::chrono::steady_clock::now() - start <
                                             std::chrono::duration<double>(a.duration))) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    server.Stop();
    const auto c = server.Counters();
    std::printf("pool summary: %llu connections, %llu accepted, %llu rejected, %llu blocks\n",
                (unsigned long long)c.connections, (unsigned long long)c.accepted,
                (unsigned long long)c.rejected, (unsigned long long)c.blocks_found);
    return 0;
}

} // namespace

Command AddPoolCommand(CLI::App& root) {
    auto a = std::make_shared<PoolArgs>();
    CLI::App* cmd = root.add_subcommand("pool", "Run the validating local Stratum V1 test pool");
    cmd->add_option("--bind", a->config.bind_address, "Address to listen on")
        ->capture_default_str();
    cmd->add_option("--port", a->config.port, "Port (0: any free port)")
        ->check(Count(0, 65535))
        ->capture_default_str();
    cmd->add_option("--difficulty", a->config.difficulty, "Share difficulty (may be below 1)")
        ->check(Number("", 0, false, 1e15))
        ->capture_default_str();
    cmd->add_option("--job-interval", a->job_interval, "Seconds between new jobs (0: never)")
        ->check(Number("seconds", 0, true, 86400))
        ->capture_default_str();
    cmd->add_option("--block-interval", a->block_interval,
                    "Seconds between clean jobs, as if a block was found (0: never)")
        ->check(Number("seconds", 0, true, 86400))
        ->capture_default_str();
    cmd->add_option("--tls-cert", a->cert, "PEM certificate: serve stratum+ssl")
        ->check(CLI::ExistingFile);
    cmd->add_option("--tls-key", a->key, "PEM private key of --tls-cert")->check(CLI::ExistingFile);
    cmd->add_option("--refuse-shares", a->config.refuse_shares,
                    "Refuse every valid share with error 23 and this reason (a pool gone wrong, "
                    "for testing miners)")
        ->expected(0, 1)
        ->default_str("Difficulty too low");
    cmd->add_option("--duration", a->duration, "Stop after this many seconds")
        ->check(Number("seconds", 0, false, 1e9));
    return {cmd, [a] { return Run(*a); }};
}

} // namespace nonceforge::miner::app
