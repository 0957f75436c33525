// What `nonceforge mine` runs with, in groups: where the work comes from (pools), what hashes
// (backends), what it says (output), and the monitoring APIs. The command line and the config
// file fill it (mine_command.cpp); MinerRuntime runs it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "miner/api/api_options.hpp"
#include "nonceforge/stratum/client.hpp"

namespace nonceforge::miner::app {

// The embedded local pool, used when no pool is given: share difficulty and job pacing.
struct LocalPoolOptions {
    double difficulty = 0.002;
    double job_interval_seconds = 15;
    double block_interval_seconds = 60;
};

struct PoolOptions {
    std::vector<std::string> urls; // primary first; empty: the embedded local pool
    std::string user = "nonceforge";
    std::string password = "x";
    std::optional<double> suggest_difficulty;
    bool version_rolling = true;
    bool extranonce_subscribe = false;
    bool allow_redirect = false;
    stratum::TlsOptions tls;
    stratum::ReconnectConfig reconnect;
    // --reject-storm: verified shares rejected in a row that end the session (0: never); see
    // stratum::ClientConfig::reject_storm.
    unsigned reject_storm = 10;
    stratum::TransportTimeouts timeouts;
    // A submit (or handshake request) unanswered this long: the share is lost.
    std::chrono::milliseconds response_timeout{30'000};
    std::optional<stratum::ProxyConfig> proxy; // -x: SOCKS5 or HTTP CONNECT proxy for every pool
    bool protocol_dump = false;                // -P: every line to and from the pool, logged
    LocalPoolOptions local;
};

// Solo mining on a Bitcoin Core node (getblocktemplate): on when `url` is set.
struct SoloOptions {
    std::string url;           // http://[user:pass@]host:port; empty: pools
    std::string coinbase_addr; // the payout address (checked against the node's chain)
    std::string rpc_cookie;    // empty: the chain's default cookie under ~/.bitcoin
    std::optional<std::string> rpc_user;
    std::optional<std::string> rpc_pass;
    std::string coinbase_sig = "/nonceforge/";
    std::optional<double> share_difficulty; // local statistics shares, never sent
    double template_refresh_seconds = 30;
    std::string blocks_dir; // empty: found blocks are not written

    bool Enabled() const { return !url.empty(); }
};

struct BackendOptions {
    unsigned threads = 0; // 0: one per logical CPU
    std::string cpu_impl; // empty: the best that passes its self-test
    bool no_cpu = false;
    // CUDA GPUs, when built with CUDA: every device unless `cuda_devices` names some. Off by
    // default here (tests, embedders); `nonceforge mine` turns it on unless --no-cuda.
    bool use_cuda = false;
    std::vector<int> cuda_devices;
    bool pin_threads = false;
    std::chrono::milliseconds range_time{5}; // of a CPU thread's nonce ranges
};

// Live profitability (all three of watts, price and BTC price needed): expected BTC/day and
// profit/day from the measured hashrate and the current job's network difficulty and coinbase.
struct ProfitOptions {
    std::optional<double> power_watts;
    std::optional<double> electricity_price; // per kWh
    std::optional<double> btc_price;
    double pool_fee_percent = 0;

    bool Complete() const { return power_watts && electricity_price && btc_price; }
};

struct OutputOptions {
    double status_interval_seconds = 10;
    std::string json_summary_file; // --json-summary; empty: none
    // -q: job and accepted-share lines at debug level (status lines, warnings and errors stay).
    bool quiet_events = false;
    ProfitOptions profit;
};

struct MineOptions {
    PoolOptions pool;
    SoloOptions solo;
    BackendOptions backend;
    OutputOptions output;
    miner::api::ApiOptions api;  // HTTP JSON/Prometheus/dashboard and cgminer (off unless enabled)
    double duration_seconds = 0; // 0: until SIGINT/SIGTERM
};

} // namespace nonceforge::miner::app
