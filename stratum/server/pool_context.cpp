#include "pool_context.hpp"

#include <utility>

namespace nonceforge::stratum::server {

void PoolStats::AddAccepted(AcceptedShare share) {
    std::lock_guard lock(m_mutex);
    ++m_counters.accepted;
    m_counters.accepted_work += share.share_difficulty;
    if (share.block) {
        ++m_counters.blocks_found;
    }
    m_shares.push_back(std::move(share));
    while (m_shares.size() > SHARES_KEPT) {
        m_shares.pop_front();
    }
}

void PoolStats::AddRejected(PoolErrorCode code) {
    std::lock_guard lock(m_mutex);
    ++m_counters.rejected;
    ++m_counters.rejected_by_code[int(code)];
}

PoolCounters PoolStats::Counters() const {
    std::lock_guard lock(m_mutex);
    return m_counters;
}

std::vector<AcceptedShare> PoolStats::Shares() const {
    std::lock_guard lock(m_mutex);
    return {m_shares.begin(), m_shares.end()};
}

PoolContext::PoolContext(const PoolServerConfig& cfg, uint64_t seed)
    : config(cfg)
    , maker(cfg, seed)
    , jobs(cfg.jobs_kept)
    , difficulty(cfg.difficulty)
    , next_extranonce1(seed) {}

std::vector<uint8_t> PoolContext::NewExtranonce1() {
    const uint64_t value = next_extranonce1++;
    std::vector<uint8_t> out(config.extranonce1_size);
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[out.size() - 1 - i] = uint8_t(value >> (8 * i));
    }
    return out;
}

void PoolContext::Log(LogLevel level, std::string_view text) const {
    if (config.log) {
        config.log(level, text);
    }
}

} // namespace nonceforge::stratum::server
