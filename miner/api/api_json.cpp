// The JSON of /api/v1/*. Keys are snake_case and stable: docs/api.md lists every one; add keys,
// never rename or remove them.
#include <cctype>

#include "miner/api/api_view.hpp"
#include "miner/solo/solo_figures.hpp"

namespace nonceforge::miner::api {

namespace {

using nlohmann::json;

json Optional(const std::optional<double>& v) {
    return v ? json(*v) : json(nullptr);
}

json RatesJson(const HashrateWindows& r) {
    return {{"hashrate_5s", r.h5s},
            {"hashrate_1m", r.h1m},
            {"hashrate_5m", r.h5m},
            {"hashrate_15m", r.h15m}};
}

json PoolJson(const PoolView& p) {
    return {{"index", p.index},
            {"url", p.url},
            {"user", p.user},
            {"active", p.active},
            {"connected", p.connected},
            {"state", p.state},
            {"difficulty", p.difficulty},
            {"version_mask", p.version_mask},
            {"version_rolling", p.version_mask != 0},
            {"extranonce_subscribed", p.extranonce_subscribed},
            {"outstanding_shares", p.outstanding_shares},
            {"connects", p.connects},
            {"failovers", p.failovers},
            {"connected_seconds", p.connected_seconds},
            {"last_error", p.last_error},
            {"latency_ms_mean", Optional(p.latency.mean_ms)},
            {"latency_ms_last", Optional(p.latency.last_ms)}};
}

json ProfitJson(const ProfitView& p) {
    if (!p.estimate) {
        return {{"available", false}, {"reason", p.unavailable}};
    }
    const profit::LiveEstimate& e = *p.estimate;
    return {{"available", true},
            {"reason", ""},
            {"network_difficulty", e.network_difficulty},
            {"btc_per_day", e.btc_per_day},
            {"sats_per_day", e.sats_per_day},
            {"revenue_per_day", e.revenue_per_day},
            {"power_cost_per_day", e.power_cost_per_day},
            {"profit_per_day", e.profit_per_day},
            {"network_warning", p.network_warning ? json(*p.network_warning) : json(nullptr)}};
}

const PoolView* ActivePool(const ApiView& v) {
    for (const PoolView& p : v.pools) {
        if (p.active) {
            return &p;
        }
    }
    return nullptr;
}

} // namespace

std::string DeviceKind(std::string_view name) {
    std::size_t n = 0;
    while (n < name.size() && name[n] != '/' &&
           !std::isdigit(static_cast<unsigned char>(name[n]))) {
        ++n;
    }
    return n ? std::string(name.substr(0, n)) : std::string("unknown");
}

// Solo mining: the node's chain, the blocks of this run, the odds at the 1-minute hashrate.
json SoloJson(const ApiView& v) {
    if (!v.solo) {
        return nullptr;
    }
    const SoloStatus& s = *v.solo;
    const HashrateWindows& r = v.stats.total.rate;
    const solo::SoloOdds odds =
        solo::ComputeSoloOdds(s.network_difficulty, r.h1m > 0 ? r.h1m : r.h5s);
    return {{"chain", s.chain},
            {"height", s.height},
            {"network_difficulty", s.network_difficulty},
            {"expected_hashes_per_block", odds.expected_hashes_per_block},
            {"blocks_per_day", odds.blocks_per_day},
            {"chance_per_day", odds.chance_per_day},
            {"expected_seconds_to_block", odds.expected_seconds_to_block
                                              ? json(*odds.expected_seconds_to_block)
                                              : json(nullptr)},
            {"best_share_difficulty", v.stats.total.shares.best_difficulty},
            {"blocks_found", v.stats.total.shares.blocks},
            {"blocks_submitted", s.blocks_submitted},
            {"blocks_accepted", s.blocks_accepted},
            {"blocks_rejected", s.blocks_rejected},
            {"blocks_stale", s.blocks_stale},
            {"templates", s.templates},
            {"last_block_hash", s.last_block_hash}};
}

json SummaryJson(const ApiView& v) {
    const json stats = Stats::ToJson(v.stats);
    const ShareCounts& c = v.stats.total.shares;
    json j = {{"version", v.version},
              {"time_unix", v.time_unix},
              {"uptime_seconds", v.stats.uptime.count()},
              {"hashes", v.stats.total.hashes},
              {"effective_hashrate", v.stats.effective_hashrate},
              {"shares", stats["total"]["shares"]},
              {"hardware_errors", c.hardware_errors},
              {"best_share_difficulty", c.best_difficulty},
              {"devices", v.stats.backends.size()},
              {"network_difficulty", Optional(v.network_difficulty)},
              {"job_id", v.job_id},
              {"profit", ProfitJson(v.profit)}};
    j.update(RatesJson(v.stats.total.rate));
    const PoolView* p = ActivePool(v);
    j["pool"] = p ? PoolJson(*p) : json(nullptr);
    j["solo"] = SoloJson(v);
    return j;
}

json DevicesJson(const ApiView& v) {
    const json stats = Stats::ToJson(v.stats);
    json devices = json::array();
    for (std::size_t i = 0; i < v.stats.backends.size(); ++i) {
        const BackendStats& b = v.stats.backends[i];
        json d = {{"index", i},
                  {"name", b.name},
                  {"kind", DeviceKind(b.name)},
                  {"hashes", b.hashes},
                  {"shares", stats["backends"][i]["shares"]},
                  {"hardware_errors", b.shares.hardware_errors},
                  {"best_share_difficulty", b.shares.best_difficulty},
                  {"status", b.retired ? "retired" : "alive"},
                  {"retired_reason", b.retired_reason}};
        d.update(RatesJson(b.rate));
        devices.push_back(std::move(d));
    }
    json total = {{"hashes", v.stats.total.hashes}};
    total.update(RatesJson(v.stats.total.rate));
    return {{"uptime_seconds", v.stats.uptime.count()},
            {"devices", std::move(devices)},
            {"total", std::move(total)}};
}

json PoolsJson(const ApiView& v) {
    json pools = json::array();
    std::optional<std::size_t> active;
    for (const PoolView& p : v.pools) {
        pools.push_back(PoolJson(p));
        if (p.active) {
            active = p.index;
        }
    }
    return {{"active_index", active ? json(*active) : json(nullptr)}, {"pools", std::move(pools)}};
}

json SharesJson(const ApiView& v) {
    json shares = json::array();
    for (const ShareRecord& r : v.shares) {
        shares.push_back({{"id", r.id},
                          {"hash", r.hash},
                          {"time_unix_ms", r.time_unix_ms},
                          {"backend", r.backend},
                          {"difficulty", r.difficulty},
                          {"pool_difficulty", r.pool_difficulty},
                          {"verdict", std::string(core::ToString(r.verdict))},
                          {"reason", r.reason},
                          {"job_id", r.job_id},
                          {"nonce", r.nonce},
                          {"pool_index", r.pool_index},
                          {"latency_ms", Optional(r.latency_ms)},
                          {"block_candidate", r.block_candidate}});
    }
    return {{"count", shares.size()},
            {"capacity", v.share_capacity},
            {"total_recorded", v.shares_recorded},
            {"shares", std::move(shares)}};
}

json HistoryJson(const ApiView& v) {
    json points = json::array();
    for (const HistoryPoint& p : v.history) {
        points.push_back({{"time_unix", p.time_unix},
                          {"hashrate_5s", p.hashrate_5s},
                          {"hashrate_1m", p.hashrate_1m},
                          {"accepted", p.accepted},
                          {"rejected", p.rejected},
                          {"stale", p.stale}});
    }
    return {{"interval_seconds", v.history_interval_seconds},
            {"capacity", v.history_capacity},
            {"count", points.size()},
            {"points", std::move(points)}};
}

} // namespace nonceforge::miner::api
