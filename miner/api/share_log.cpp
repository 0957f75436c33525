#include "miner/api/share_log.hpp"

#include <algorithm>

#include "nonceforge/core/hex.hpp"

namespace nonceforge::miner::api {

ShareLog::ShareLog(std::size_t capacity)
    : m_capacity(std::max<std::size_t>(1, capacity)) {}

std::string ShareLog::KeyOf(const core::Share& s) {
    // One header = one share: the job, extranonce2, ntime, nonce and version identify it.
    return (s.job ? s.job->job_id : std::string()) + ':' + core::HexEncode(s.extranonce2) + ':' +
           core::FormatHexU32BE(s.ntime) + ':' + core::FormatHexU32BE(s.nonce) + ':' +
           core::FormatHexU32BE(s.version);
}

void ShareLog::Submitted(const core::Share& share) {
    const auto now = std::chrono::steady_clock::now();
    std::string key = KeyOf(share);
    std::lock_guard lock(m_mutex);
    if (m_in_flight.size() >= MAX_IN_FLIGHT) {
        m_in_flight.erase(m_in_flight.begin()); // that share's latency goes unmeasured
    }
    m_in_flight[std::move(key)] = now;
}

void ShareLog::Resolved(const core::Share& share, std::string verdict, std::string reason,
                        std::size_t pool_index) {
    const auto now = std::chrono::steady_clock::now();
    ShareRecord r;
    r.time_unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    r.backend = share.backend;
    r.difficulty = share.difficulty;
    r.pool_difficulty = share.job ? share.job->share_difficulty : 0;
    r.verdict = std::move(verdict);
    r.reason = std::move(reason);
    r.job_id = share.job ? share.job->job_id : std::string();
    r.nonce = core::FormatHexU32BE(share.nonce);
    r.pool_index = pool_index;
    r.block_candidate = share.block_candidate;
    const std::string key = KeyOf(share);
    std::lock_guard lock(m_mutex);
    if (auto it = m_in_flight.find(key); it != m_in_flight.end()) {
        r.latency_ms = std::chrono::duration<double, std::milli>(now - it->second).count();
        m_in_flight.erase(it);
    }
    if (m_ring.size() >= m_capacity) {
        m_ring.pop_front();
    }
    m_ring.push_back(std::move(r));
    ++m_total;
}

std::vector<ShareRecord> ShareLog::Latest(std::size_t limit) const {
    std::lock_guard lock(m_mutex);
    const std::size_t n = std::min(limit, m_ring.size());
    return {m_ring.rbegin(), m_ring.rbegin() + std::ptrdiff_t(n)};
}

uint64_t ShareLog::TotalRecorded() const {
    std::lock_guard lock(m_mutex);
    return m_total;
}

ShareLog::Latency ShareLog::LatencyFor(std::size_t pool_index) const {
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

} // namespace nonceforge::miner::api
