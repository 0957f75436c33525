// /metrics in the Prometheus text exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/): one # HELP and one # TYPE line
// per family, then its samples; label values escape \, " and newline. Counters end in _total.
#include <cmath>
#include <cstdio>

#include "miner/api/api_view.hpp"
#include "miner/solo/solo_figures.hpp"

namespace nonceforge::miner::api {

namespace {

std::string Escape(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string Value(double v) {
    if (std::isnan(v)) {
        return "NaN";
    }
    if (std::isinf(v)) {
        return v > 0 ? "+Inf" : "-Inf";
    }
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

class Writer {
public:
    void Family(const char* name, const char* type, const char* help) {
        m_out +=
            std::string("# HELP ") + name + ' ' + help + "\n# TYPE " + name + ' ' + type + '\n';
    }
    // labels: {"name", "value"} pairs
    void Sample(const char* name, double v,
                std::initializer_list<std::pair<const char*, std::string_view>> labels = {}) {
        m_out += name;
        if (labels.size()) {
            m_out += '{';
            bool first = true;
            for (const auto& [k, val] : labels) {
                m_out += (first ? "" : ",") + std::string(k) + "=\"" + Escape(val) + '"';
                first = false;
            }
            m_out += '}';
        }
        m_out += ' ' + Value(v) + '\n';
    }
    std::string Take() { return std::move(m_out); }

private:
    std::string m_out;
};

} // namespace

std::string PrometheusText(const ApiView& v) {
    Writer w;
    const ShareCounts& c = v.stats.total.shares;
    w.Family("nonceforge_build_info", "gauge", "Always 1; the version is a label.");
    w.Sample("nonceforge_build_info", 1, {{"version", v.version}});
    w.Family("nonceforge_uptime_seconds", "gauge", "Seconds since mining started.");
    w.Sample("nonceforge_uptime_seconds", double(v.stats.uptime.count()));

    w.Family("nonceforge_hashrate_hashes_per_second", "gauge",
             "Hashrate per device over the last minute (the last 5 s until a minute has passed).");
    for (const BackendStats& b : v.stats.backends) {
        w.Sample("nonceforge_hashrate_hashes_per_second", b.rate.h1m > 0 ? b.rate.h1m : b.rate.h5s,
                 {{"device", b.name}});
    }
    w.Family("nonceforge_hashes_total", "counter", "Hashes computed per device.");
    for (const BackendStats& b : v.stats.backends) {
        w.Sample("nonceforge_hashes_total", double(b.hashes), {{"device", b.name}});
    }
    w.Family("nonceforge_device_up", "gauge",
             "1 while the device mines, 0 once it was retired after a fault.");
    for (const BackendStats& b : v.stats.backends) {
        w.Sample("nonceforge_device_up", b.retired ? 0 : 1, {{"device", b.name}});
    }
    w.Family("nonceforge_effective_hashrate_hashes_per_second", "gauge",
             "Hashrate implied by the difficulty of the accepted shares.");
    w.Sample("nonceforge_effective_hashrate_hashes_per_second", v.stats.effective_hashrate);

    w.Family("nonceforge_shares_found_total", "counter",
             "Shares found and verified on the CPU, per device.");
    for (const BackendStats& b : v.stats.backends) {
        w.Sample("nonceforge_shares_found_total", double(b.shares.found), {{"device", b.name}});
    }
    w.Family("nonceforge_shares_total", "counter",
             "Shares by the pool's verdict; reason is empty for accepted shares.");
    w.Sample("nonceforge_shares_total", double(c.accepted),
             {{"state", "accepted"}, {"reason", ""}});
    auto by_reason = [&](const char* state, uint64_t count,
                         const std::map<std::string, uint64_t>& reasons) {
        uint64_t listed = 0;
        for (const auto& [reason, n] : reasons) {
            w.Sample("nonceforge_shares_total", double(n), {{"state", state}, {"reason", reason}});
            listed += n;
        }
        if (listed < count || reasons.empty()) {
            w.Sample("nonceforge_shares_total", double(count - listed),
                     {{"state", state}, {"reason", ""}});
        }
    };
    by_reason("rejected", c.rejected, c.rejected_by_reason);
    by_reason("stale", c.stale, c.stale_by_reason);
    by_reason("lost", c.lost, c.lost_by_reason);
    w.Family("nonceforge_shares_pending", "gauge", "Shares submitted and awaiting a verdict.");
    w.Sample("nonceforge_shares_pending", double(c.Pending()));
    w.Family("nonceforge_hardware_errors_total", "counter",
             "Backend results the reference SHA-256d did not confirm.");
    w.Sample("nonceforge_hardware_errors_total", double(c.hardware_errors));
    w.Family("nonceforge_blocks_found_total", "counter",
             "Shares that also met the network target.");
    w.Sample("nonceforge_blocks_found_total", double(c.blocks));
    w.Family("nonceforge_best_share_difficulty", "gauge", "Highest share difficulty found.");
    w.Sample("nonceforge_best_share_difficulty", c.best_difficulty);

    const PoolView* active = nullptr;
    for (const PoolView& p : v.pools) {
        if (p.active) {
            active = &p;
        }
    }
    w.Family("nonceforge_pool_info", "gauge",
             "1 for each configured pool; active=\"1\" on the one in use.");
    for (const PoolView& p : v.pools) {
        const std::string index = std::to_string(p.index);
        w.Sample("nonceforge_pool_info", 1,
                 {{"index", index},
                  {"url", p.url},
                  {"active", p.active ? "1" : "0"},
                  {"state", p.state}});
    }
    w.Family("nonceforge_pool_connected", "gauge", "1 when connected to the active pool.");
    w.Sample("nonceforge_pool_connected", active && active->connected ? 1 : 0);
    w.Family("nonceforge_pool_difficulty", "gauge", "Share difficulty set by the active pool.");
    w.Sample("nonceforge_pool_difficulty", active ? active->difficulty : 0);
    w.Family("nonceforge_pool_connects_total", "counter", "Successful pool connections.");
    w.Sample("nonceforge_pool_connects_total", active ? double(active->connects) : 0);
    w.Family("nonceforge_pool_failovers_total", "counter", "Switches to another pool.");
    w.Sample("nonceforge_pool_failovers_total", active ? double(active->failovers) : 0);
    w.Family("nonceforge_pool_share_latency_seconds", "gauge",
             "Mean submit-to-verdict time of the recent shares, per pool.");
    for (const PoolView& p : v.pools) {
        if (p.latency.mean_ms) {
            w.Sample("nonceforge_pool_share_latency_seconds", *p.latency.mean_ms / 1000,
                     {{"index", std::to_string(p.index)}, {"url", p.url}});
        }
    }
    if (v.network_difficulty) {
        w.Family("nonceforge_network_difficulty", "gauge",
                 "Network difficulty of the current job.");
        w.Sample("nonceforge_network_difficulty", *v.network_difficulty);
    }
    if (v.solo) {
        const SoloStatus& s = *v.solo;
        const HashrateWindows& r = v.stats.total.rate;
        const solo::SoloOdds odds =
            solo::ComputeSoloOdds(s.network_difficulty, r.h1m > 0 ? r.h1m : r.h5s);
        w.Family("nonceforge_solo_blocks_total", "counter",
                 "Blocks found by this run on the node, by verdict (stale: not sent).");
        w.Sample("nonceforge_solo_blocks_total", double(s.blocks_accepted),
                 {{"verdict", "accepted"}});
        w.Sample("nonceforge_solo_blocks_total", double(s.blocks_rejected),
                 {{"verdict", "rejected"}});
        w.Sample("nonceforge_solo_blocks_total", double(s.blocks_stale), {{"verdict", "stale"}});
        w.Family("nonceforge_solo_height", "gauge", "Height of the block being mined.");
        w.Sample("nonceforge_solo_height", double(s.height));
        w.Family("nonceforge_solo_block_chance_per_day", "gauge",
                 "Probability of at least one block in 24 h at the 1-minute hashrate.");
        w.Sample("nonceforge_solo_block_chance_per_day", odds.chance_per_day);
        if (odds.expected_seconds_to_block) {
            w.Family("nonceforge_solo_expected_seconds_to_block", "gauge",
                     "Expected time to a block at the 1-minute hashrate.");
            w.Sample("nonceforge_solo_expected_seconds_to_block", *odds.expected_seconds_to_block);
        }
    }
    if (v.profit.estimate) {
        const profit::LiveEstimate& e = *v.profit.estimate;
        w.Family("nonceforge_profit_btc_per_day", "gauge",
                 "Expected BTC per day at the measured hashrate.");
        w.Sample("nonceforge_profit_btc_per_day", e.btc_per_day);
        w.Family("nonceforge_profit_revenue_per_day", "gauge",
                 "Expected revenue per day, in the currency of --btc-price.");
        w.Sample("nonceforge_profit_revenue_per_day", e.revenue_per_day);
        w.Family("nonceforge_profit_power_cost_per_day", "gauge",
                 "Power cost per day, in the currency of --electricity-price.");
        w.Sample("nonceforge_profit_power_cost_per_day", e.power_cost_per_day);
        w.Family("nonceforge_profit_per_day", "gauge", "Revenue minus power cost, per day.");
        w.Sample("nonceforge_profit_per_day", e.profit_per_day);
    }
    return w.Take();
}

} // namespace nonceforge::miner::api
