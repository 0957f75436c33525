// `nonceforge mine` without the command line: pools, backends, dispatcher, Stratum client,
// status line, signals and the final summary, wired together. Tests drive it directly.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "miner/api/api_options.hpp"
#include "miner/stats.hpp"
#include "nonceforge/stratum/client.hpp"

namespace nonceforge::miner {

struct MineOptions {
    std::vector<std::string> urls; // primary first; empty: the embedded local pool
    std::string user = "nonceforge";
    std::string password = "x";
    unsigned threads = 0; // 0: one per logical CPU
    std::string cpu_impl; // empty: the best that passes its self-test
    bool no_cpu = false;
    // CUDA GPUs, when built with CUDA: every device unless `cuda_devices` names some. Off by
    // default here (tests, embedders); `nonceforge mine` turns it on unless --no-cuda.
    bool use_cuda = false;
    std::vector<int> cuda_devices;
    bool pin_threads = false;
    std::optional<double> suggest_difficulty;
    bool version_rolling = true;
    bool extranonce_subscribe = false;
    bool allow_redirect = false;
    stratum::TlsOptions tls;
    double duration_seconds = 0; // 0: until SIGINT/SIGTERM
    double status_interval_seconds = 10;
    std::string json_summary_file;
    // The embedded local pool (no pool given): share difficulty and job pacing.
    double local_difficulty = 0.002;
    double local_job_interval_seconds = 15;
    double local_block_interval_seconds = 60;
    std::chrono::milliseconds range_time{5};
    // Live profitability (all three needed): expected BTC/day and profit/day from the measured
    // hashrate and the current job's network difficulty and coinbase value.
    std::optional<double> power_watts;
    std::optional<double> electricity_price; // per kWh
    std::optional<double> btc_price;
    double pool_fee_percent = 0;
    api::ApiOptions api; // HTTP JSON/Prometheus/dashboard and cgminer APIs (off unless enabled)
    stratum::ReconnectConfig reconnect;
    // --reject-storm: verified shares rejected in a row that end the session (0: never); see
    // stratum::ClientConfig::reject_storm.
    unsigned reject_storm = 10;
    stratum::TransportTimeouts timeouts;
    // A submit (or handshake request) unanswered this long: the share is lost.
    std::chrono::milliseconds response_timeout{30'000};
    std::optional<stratum::ProxyConfig> proxy; // -x: SOCKS5 or HTTP CONNECT proxy for every pool
    bool protocol_dump = false;                // -P: every line to and from the pool, logged
    // -q: job and accepted-share lines at debug level (status lines, warnings and errors stay).
    bool quiet_events = false;
};

struct MineResult {
    int exit_code = 0;
    std::string stop_reason; // "duration reached", "SIGINT", "requested", or the failure
    std::string error;       // one line, when exit_code != 0
    StatsSnapshot stats;
    std::vector<double> job_switch_latency_us;
    std::string live_profit; // FormatLiveProfit at the end, empty without its inputs
};

class MinerRuntime {
public:
    // Log levels of LogFn.
    static constexpr int DEBUG = -1, INFO = 0, WARN = 1, ERROR = 2;
    using LogFn = std::function<void(int level, const std::string&)>;

    MinerRuntime(MineOptions options, LogFn log);
    ~MinerRuntime();

    // Blocks until the duration ends or RequestStop(); then stops hashing, waits up to 2 s for
    // submit replies and returns the final statistics (and writes the JSON summary, if asked).
    // Signals are the caller's: `nonceforge mine` turns SIGINT/SIGTERM into RequestStop.
    MineResult Run();
    // Thread-safe, also before Run(): the stop happens as soon as Run() can.
    void RequestStop(std::string reason = "requested");
    StatsSnapshot Snapshot() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

std::string FormatStatusLine(const StatsSnapshot& s, const stratum::PoolStatus& pool);
// " | est. 0.00001234 BTC/day, revenue 1.23/day, profit -0.45/day" or empty when the inputs
// are incomplete or there is no job yet.
std::string FormatLiveProfit(const MineOptions& o, const StatsSnapshot& s, const core::Job* job);
std::string FormatSummary(const StatsSnapshot& s);

} // namespace nonceforge::miner
