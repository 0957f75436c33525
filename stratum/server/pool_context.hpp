// State the connections of one pool share. Everything but PoolStats lives on the server
// thread; PoolStats is locked because the getters of PoolServer read it from other threads.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "nonceforge/stratum/pool_server.hpp"
#include "pool_jobs.hpp"

namespace nonceforge::stratum::server {

class PoolStats {
public:
    static constexpr std::size_t SHARES_KEPT = 10000;

    template <class F>
    void Update(F&& change) {
        std::lock_guard lock(m_mutex);
        change(m_counters);
    }
    void AddAccepted(AcceptedShare share);
    void AddRejected(PoolErrorCode code);

    PoolCounters Counters() const;
    std::vector<AcceptedShare> Shares() const;

private:
    mutable std::mutex m_mutex;
    PoolCounters m_counters;
    std::deque<AcceptedShare> m_shares;
};

struct PoolContext {
    explicit PoolContext(const PoolServerConfig& cfg, uint64_t seed);

    // A fresh extranonce1 (a counter, big-endian): unique among the last 2^(8*size) handed out.
    std::vector<uint8_t> NewExtranonce1();
    void Log(LogLevel level, std::string_view text) const;

    const PoolServerConfig& config;
    JobMaker maker;
    JobBook jobs;
    PoolStats stats;
    double difficulty; // for new connections; PoolServer::SetDifficulty changes it
    uint64_t next_extranonce1;
};

} // namespace nonceforge::stratum::server
