#include "miner/share_ledger.hpp"

#include <algorithm>

#include "nonceforge/core/hex.hpp"

namespace nonceforge::miner {

namespace {

void Count(ShareCounts& c, core::VerdictKind kind, const std::string& reason, double pool_diff) {
    const std::string why = reason.empty() ? "unspecified" : reason;
    switch (kind) {
    case core::VerdictKind::Accepted:
        ++c.accepted;
        c.accepted_difficulty_sum += pool_diff;
        break;
    case core::VerdictKind::Rejected:
        ++c.rejected;
        ++c.rejected_by_reason[why];
        break;
    case core::VerdictKind::Stale:
        ++c.stale;
        ++c.stale_by_reason[why];
        break;
    case core::VerdictKind::Lost:
        ++c.lost;
        ++c.lost_by_reason[why];
        break;
    }
}

ShareRecord RecordOf(const core::Share& share, core::VerdictKind kind, std::string reason) {
    ShareRecord r;
    r.id = share.id;
    r.time_unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    r.backend = share.backend;
    r.difficulty = share.difficulty;
    r.pool_difficulty = share.job ? share.job->share_difficulty : 0;
    r.verdict = kind;
    r.reason = std::move(reason);
    r.job_id = share.job ? share.job->job_id : std::string();
    r.nonce = core::FormatHexU32BE(share.nonce);
    r.hash = share.hash.ToDisplayHex();
    r.block_candidate = share.block_candidate;
    return r;
}

} // namespace

void ShareCounts::Add(const ShareCounts& c) {
    found += c.found;
    accepted += c.accepted;
    rejected += c.rejected;
    stale += c.stale;
    lost += c.lost;
    hardware_errors += c.hardware_errors;
    blocks += c.blocks;
    for (const auto& [k, v] : c.rejected_by_reason) {
        rejected_by_reason[k] += v;
    }
    for (const auto& [k, v] : c.stale_by_reason) {
        stale_by_reason[k] += v;
    }
    for (const auto& [k, v] : c.lost_by_reason) {
        lost_by_reason[k] += v;
    }
    best_difficulty = std::max(best_difficulty, c.best_difficulty);
    accepted_difficulty_sum += c.accepted_difficulty_sum;
}

ShareLedger::ShareLedger(std::size_t history)
    : m_capacity(std::max<std::size_t>(1, history)) {}

void ShareLedger::AddBackend(const std::string& backend) {
    std::lock_guard lock(m_mutex);
    m_counts[backend];
}

void ShareLedger::Found(core::Share& share) {
    std::lock_guard lock(m_mutex);
    share.id = m_next_id++;
    m_awaiting.insert(share.id);
    ShareCounts& c = m_counts[share.backend];
    ++c.found;
    c.blocks += share.block_candidate ? 1 : 0;
    c.best_difficulty = std::max(c.best_difficulty, share.difficulty);
}

void ShareLedger::HardwareError(const std::string& backend) {
    std::lock_guard lock(m_mutex);
    ++m_counts[backend].hardware_errors;
}

bool ShareLedger::Resolve(const core::Share& share, core::VerdictKind kind, std::string reason,
                          std::optional<std::chrono::steady_clock::duration> latency,
                          std::size_t pool_index) {
    ShareRecord r = RecordOf(share, kind, std::move(reason));
    r.pool_index = pool_index;
    if (latency) {
        r.latency_ms = std::chrono::duration<double, std::milli>(*latency).count();
    }
    std::lock_guard lock(m_mutex);
    if (m_awaiting.erase(share.id) == 0) {
        return false;
    }
    Count(m_counts[share.backend], kind, r.reason, r.pool_difficulty);
    if (m_ring.size() >= m_capacity) {
        m_ring.pop_front();
    }
    m_ring.push_back(std::move(r));
    ++m_total;
    return true;
}

std::map<std::string, ShareCounts> ShareLedger::Counts() const {
    std::lock_guard lock(m_mutex);
    return m_counts;
}

std::vector<ShareRecord> ShareLedger::Latest(std::size_t limit) const {
    std::lock_guard lock(m_mutex);
    const std::size_t n = std::min(limit, m_ring.size());
    return {m_ring.rbegin(), m_ring.rbegin() + std::ptrdiff_t(n)};
}

uint64_t ShareLedger::TotalRecorded() const {
    std::lock_guard lock(m_mutex);
    return m_total;
}

ShareLedger::Latency ShareLedger::LatencyFor(std::size_t pool_index) const {
    std::lock_guard lock(m_mutex);
    Latency l;
    double sum = 0;
    std::size_t n = 0;
    for (const ShareRecord& r : m_ring) {
        if (r.pool_index == pool_index && r.latency_ms) {
            sum += *r.latency_ms;
            ++n;
            l.last_ms = r.latency_ms;
        }
    }
    if (n) {
        l.mean_ms = sum / double(n);
    }
    return l;
}

} // namespace nonceforge::miner
