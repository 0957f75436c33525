#include "miner/stats.hpp"

#include <algorithm>

namespace nonceforge::miner {

namespace {

using Clock = std::chrono::steady_clock;

nlohmann::json CountsJson(const ShareCounts& c) {
    return {{"found", c.found},
            {"accepted", c.accepted},
            {"rejected", c.rejected},
            {"stale", c.stale},
            {"lost", c.lost},
            {"pending", c.Pending()},
            {"hardware_errors", c.hardware_errors},
            {"blocks", c.blocks},
            {"rejected_by_reason", c.rejected_by_reason},
            {"stale_by_reason", c.stale_by_reason},
            {"lost_by_reason", c.lost_by_reason},
            {"best_share_difficulty", c.best_difficulty}};
}

} // namespace

Stats::Stats(std::size_t share_history)
    : m_start(Clock::now())
    , m_ledger(share_history) {}

std::size_t Stats::AddBackend(const std::string& name) {
    std::lock_guard lock(m_mutex);
    m_names.push_back(name);
    m_counters.push_back(std::make_unique<std::atomic<uint64_t>>(0));
    m_retired.emplace_back();
    m_ledger.AddBackend(name);
    return m_names.size() - 1;
}

void Stats::BackendRetired(std::size_t backend, const std::string& reason) {
    std::lock_guard lock(m_mutex);
    if (backend < m_retired.size()) {
        m_retired[backend] = reason.empty() ? "fault" : reason;
    }
}

void Stats::Sample() {
    std::lock_guard lock(m_mutex);
    Sample_ s{Clock::now(), {}};
    for (const auto& c : m_counters) {
        s.hashes.push_back(c->load(std::memory_order_relaxed));
    }
    m_samples.push_back(std::move(s));
    while (m_samples.size() > 2 && m_samples.back().t - m_samples[1].t > std::chrono::minutes(15)) {
        m_samples.pop_front();
    }
}

// Rate over each window from the two samples that span it (or as much of it as exists).
HashrateWindows Stats::RateFor(std::size_t index) const {
    HashrateWindows r;
    if (m_samples.size() < 2) {
        return r;
    }
    const Sample_& last = m_samples.back();
    auto total = [&](const Sample_& s) -> uint64_t {
        if (index < s.hashes.size()) {
            return s.hashes[index];
        }
        uint64_t sum = 0;
        for (uint64_t h : s.hashes) {
            sum += h;
        }
        return sum;
    };
    auto rate = [&](std::chrono::seconds window) {
        const Sample_* from = &m_samples.front();
        for (const auto& s : m_samples) {
            if (last.t - s.t <= window) {
                from = &s;
                break;
            }
        }
        if (from == &last) {
            from = &m_samples[m_samples.size() - 2];
        }
        const double dt = std::chrono::duration<double>(last.t - from->t).count();
        const uint64_t a = from->hashes.size() == last.hashes.size() ? total(*from) : 0;
        return dt > 0 ? double(total(last) - a) / dt : 0.0;
    };
    r.h5s = rate(std::chrono::seconds(5));
    r.h1m = rate(std::chrono::seconds(60));
    r.h5m = rate(std::chrono::seconds(300));
    r.h15m = rate(std::chrono::seconds(900));
    return r;
}

StatsSnapshot Stats::Snapshot() const {
    const std::map<std::string, ShareCounts> counts = m_ledger.Counts();
    std::lock_guard lock(m_mutex);
    StatsSnapshot s;
    s.uptime = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - m_start);
    s.total.name = "total";
    for (std::size_t i = 0; i < m_names.size(); ++i) {
        BackendStats b;
        b.name = m_names[i];
        b.hashes = m_counters[i]->load(std::memory_order_relaxed);
        b.rate = RateFor(i);
        auto it = counts.find(b.name);
        if (it != counts.end()) {
            b.shares = it->second;
        }
        b.retired = !m_retired[i].empty();
        b.retired_reason = m_retired[i];
        s.total.hashes += b.hashes;
        s.backends.push_back(std::move(b));
    }
    for (const auto& [name, c] : counts) {
        s.total.shares.Add(c);
    }
    s.total.rate = RateFor(std::size_t(-1));
    const double secs = std::max<double>(1.0, double(s.uptime.count()));
    s.effective_hashrate = s.total.shares.accepted_difficulty_sum * 4294967296.0 / secs;
    return s;
}

nlohmann::json Stats::ToJson(const StatsSnapshot& s) {
    auto backend = [](const BackendStats& b) {
        return nlohmann::json{{"name", b.name},
                              {"hashes", b.hashes},
                              {"hashrate_5s", b.rate.h5s},
                              {"hashrate_1m", b.rate.h1m},
                              {"hashrate_5m", b.rate.h5m},
                              {"hashrate_15m", b.rate.h15m},
                              {"shares", CountsJson(b.shares)}};
    };
    nlohmann::json j;
    j["uptime_seconds"] = s.uptime.count();
    j["total"] = backend(s.total);
    j["effective_hashrate"] = s.effective_hashrate;
    j["backends"] = nlohmann::json::array();
    for (const auto& b : s.backends) {
        nlohmann::json e = backend(b);
        e["status"] = b.retired ? "retired" : "alive";
        e["retired_reason"] = b.retired_reason;
        j["backends"].push_back(std::move(e));
    }
    return j;
}

} // namespace nonceforge::miner
