#include "miner/stats.hpp"

#include <algorithm>

namespace nonceforge::miner {

namespace {

using Clock = std::chrono::steady_clock;

void AddCounts(ShareCounts& into, const ShareCounts& c) {
    into.found += c.found;
    into.accepted += c.accepted;
    into.rejected += c.rejected;
    into.stale += c.stale;
    into.lost += c.lost;
    into.hardware_errors += c.hardware_errors;
    into.blocks += c.blocks;
    for (const auto& [k, v] : c.rejected_by_reason) {
        into.rejected_by_reason[k] += v;
    }
    for (const auto& [k, v] : c.stale_by_reason) {
        into.stale_by_reason[k] += v;
    }
    for (const auto& [k, v] : c.lost_by_reason) {
        into.lost_by_reason[k] += v;
    }
    into.best_difficulty = std::max(into.best_difficulty, c.best_difficulty);
    into.accepted_difficulty_sum += c.accepted_difficulty_sum;
}

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

Stats::Stats()
    : m_start(Clock::now()) {}

std::size_t Stats::AddBackend(const std::string& name) {
    std::lock_guard lock(m_mutex);
    m_names.push_back(name);
    m_counters.push_back(std::make_unique<std::atomic<uint64_t>>(0));
    m_shares[name];
    return m_names.size() - 1;
}

ShareCounts& Stats::CountsFor(const std::string& backend) {
    return m_shares[backend];
}

void Stats::ShareFound(const std::string& backend, double difficulty, bool block) {
    std::lock_guard lock(m_mutex);
    ShareCounts& c = CountsFor(backend);
    ++c.found;
    c.blocks += block ? 1 : 0;
    c.best_difficulty = std::max(c.best_difficulty, difficulty);
}

void Stats::HardwareError(const std::string& backend) {
    std::lock_guard lock(m_mutex);
    ++CountsFor(backend).hardware_errors;
}

void Stats::ShareResolved(const std::string& backend, ShareFate fate, const std::string& reason,
                          double pool_difficulty) {
    std::lock_guard lock(m_mutex);
    ShareCounts& c = CountsFor(backend);
    switch (fate) {
    case ShareFate::Accepted:
        ++c.accepted;
        c.accepted_difficulty_sum += pool_difficulty;
        break;
    case ShareFate::Rejected:
        ++c.rejected;
        ++c.rejected_by_reason[reason.empty() ? "unspecified" : reason];
        break;
    case ShareFate::Stale:
        ++c.stale;
        ++c.stale_by_reason[reason.empty() ? "unspecified" : reason];
        break;
    case ShareFate::Lost:
        ++c.lost;
        ++c.lost_by_reason[reason.empty() ? "unspecified" : reason];
        break;
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
    r.h15m = rate(std::chrono::seconds(900));
    return r;
}

StatsSnapshot Stats::Snapshot() const {
    std::lock_guard lock(m_mutex);
    StatsSnapshot s;
    s.uptime = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - m_start);
    s.total.name = "total";
    for (std::size_t i = 0; i < m_names.size(); ++i) {
        BackendStats b;
        b.name = m_names[i];
        b.hashes = m_counters[i]->load(std::memory_order_relaxed);
        b.rate = RateFor(i);
        auto it = m_shares.find(b.name);
        if (it != m_shares.end()) {
            b.shares = it->second;
        }
        s.total.hashes += b.hashes;
        s.backends.push_back(std::move(b));
    }
    for (const auto& [name, counts] : m_shares) {
        AddCounts(s.total.shares, counts);
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
                              {"hashrate_15m", b.rate.h15m},
                              {"shares", CountsJson(b.shares)}};
    };
    nlohmann::json j;
    j["uptime_seconds"] = s.uptime.count();
    j["total"] = backend(s.total);
    j["effective_hashrate"] = s.effective_hashrate;
    j["backends"] = nlohmann::json::array();
    for (const auto& b : s.backends) {
        j["backends"].push_back(backend(b));
    }
    return j;
}

} // namespace nonceforge::miner
