// Mining statistics: hashrate per backend over 5 s, 1 min and 15 min windows, and the fate of
// every share. The accounting identity found = accepted + rejected + stale + lost + pending
// holds at every moment, per backend; once mining has stopped, pending is zero.
// Thread-safe: workers add hashes and found shares, the network thread adds verdicts.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nonceforge::miner {

struct ShareCounts {
    uint64_t found = 0;
    uint64_t accepted = 0;
    uint64_t rejected = 0;
    uint64_t stale = 0;
    uint64_t lost = 0;
    uint64_t hardware_errors = 0; // backend results the reference hash did not confirm
    uint64_t blocks = 0;          // shares that also met the network target
    std::map<std::string, uint64_t> rejected_by_reason;
    std::map<std::string, uint64_t> stale_by_reason;
    std::map<std::string, uint64_t> lost_by_reason;
    double best_difficulty = 0;
    double accepted_difficulty_sum = 0; // pool difficulty of accepted shares, for effective rate

    uint64_t Pending() const { return found - accepted - rejected - stale - lost; }
};

struct HashrateWindows {
    double h5s = 0, h1m = 0, h15m = 0; // hashes per second
};

struct BackendStats {
    std::string name;
    uint64_t hashes = 0;
    HashrateWindows rate;
    ShareCounts shares;
};

struct StatsSnapshot {
    std::chrono::seconds uptime{0};
    std::vector<BackendStats> backends;
    BackendStats total;
    double effective_hashrate = 0; // from accepted shares' difficulty
};

enum class ShareFate { Accepted, Rejected, Stale, Lost };

class Stats {
public:
    Stats();

    // Registers a backend and returns its index; the hash counter is lock-free.
    std::size_t AddBackend(const std::string& name);
    void AddHashes(std::size_t backend, uint64_t n) {
        m_counters[backend]->fetch_add(n, std::memory_order_relaxed);
    }

    void ShareFound(const std::string& backend, double difficulty, bool block);
    void HardwareError(const std::string& backend);
    void ShareResolved(const std::string& backend, ShareFate fate, const std::string& reason,
                       double pool_difficulty);

    // Records the hash counters now; call about once a second for the rate windows.
    void Sample();

    StatsSnapshot Snapshot() const;
    static nlohmann::json ToJson(const StatsSnapshot& s);

private:
    struct Sample_ {
        std::chrono::steady_clock::time_point t;
        std::vector<uint64_t> hashes;
    };
    ShareCounts& CountsFor(const std::string& backend);
    HashrateWindows RateFor(std::size_t backend_or_total) const;

    const std::chrono::steady_clock::time_point m_start;
    mutable std::mutex m_mutex;
    std::vector<std::string> m_names;
    std::vector<std::unique_ptr<std::atomic<uint64_t>>> m_counters;
    std::map<std::string, ShareCounts> m_shares;
    std::deque<Sample_> m_samples; // last 15 minutes
};

} // namespace nonceforge::miner
