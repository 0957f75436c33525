// What the monitoring APIs show, gathered in one snapshot on the runtime's network thread, and
// the pure functions that render it: the JSON of /api/v1/*, the Prometheus text of /metrics and
// the cgminer-compatible replies. No I/O here; the servers call these per request.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "miner/api/history.hpp"
#include "miner/job_source.hpp"
#include "miner/profit/profit.hpp"
#include "miner/stats.hpp"

namespace nonceforge::miner::api {

struct PoolView {
    std::size_t index = 0;
    std::string url;  // stratum+tcp://host:port: never credentials
    std::string user; // the pool user (a payout address, not a secret); never the password
    bool active = false;
    bool connected = false;
    std::string state; // the session state of the active pool; "idle" for the others
    double difficulty = 0;
    uint32_t version_mask = 0;
    bool extranonce_subscribed = false;
    std::size_t outstanding_shares = 0;
    uint64_t connects = 0;
    uint64_t failovers = 0; // of the client, counted on the active pool
    double connected_seconds = 0;
    std::string last_error;
    ShareLedger::Latency latency;
};

struct ProfitView {
    std::optional<profit::LiveEstimate> estimate;
    std::string unavailable; // why there is no estimate, when there is none
    // profit::NotMainnetReason for the job's difficulty and height: the figures are a test
    // network's, not money.
    std::optional<std::string> network_warning;
};

struct ApiView {
    std::string version;
    int64_t time_unix = 0;
    StatsSnapshot stats;
    std::vector<PoolView> pools;
    std::optional<double> network_difficulty; // of the current job
    std::optional<SoloStatus> solo;           // when mining solo on a node
    std::string job_id;
    ProfitView profit;
    std::vector<ShareRecord> shares; // newest first, as many as the request asked for
    std::size_t share_capacity = 0;
    uint64_t shares_recorded = 0;
    std::vector<HistoryPoint> history; // oldest first
    int64_t history_interval_seconds = 0;
    std::size_t history_capacity = 0;
};

// "cpu" for "cpu0/avx2-8way", "cuda" for "cuda0/...": the backend name up to its first digit
// or '/'.
std::string DeviceKind(std::string_view backend_name);

nlohmann::json SummaryJson(const ApiView& v);
// The "solo" object of /api/v1/summary (null unless mining solo on a node).
nlohmann::json SoloJson(const ApiView& v);
nlohmann::json DevicesJson(const ApiView& v);
nlohmann::json PoolsJson(const ApiView& v);
nlohmann::json SharesJson(const ApiView& v);
nlohmann::json HistoryJson(const ApiView& v);

// Prometheus text exposition format 0.0.4, every family with # HELP and # TYPE.
std::string PrometheusText(const ApiView& v);

// One cgminer API request (JSON {"command": "summary+devs", "parameter": ""} or the plain-text
// "summary|"), answered as cgminer 4.x answers it: the JSON or plain-text reply without the
// terminating NUL the server appends.
std::string CgminerReply(const ApiView& v, std::string_view request);

} // namespace nonceforge::miner::api
