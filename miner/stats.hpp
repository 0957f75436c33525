// Mining statistics: hashrate per backend over 5 s, 1, 5 and 15 min windows, which backends were
// retired after a fault, and the share ledger (share_ledger.hpp), whose counts every snapshot
// carries. Thread-safe: workers add hashes and found shares, the network thread verdicts.
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

#include "miner/share_ledger.hpp"

namespace nonceforge::miner {

struct HashrateWindows {
    double h5s = 0, h1m = 0, h5m = 0, h15m = 0; // hashes per second
};

struct BackendStats {
    std::string name;
    uint64_t hashes = 0;
    HashrateWindows rate;
    ShareCounts shares;
    bool retired = false;       // disabled after a fault; it hashes no more
    std::string retired_reason; // the fault
};

struct StatsSnapshot {
    std::chrono::seconds uptime{0};
    std::vector<BackendStats> backends;
    BackendStats total;
    double effective_hashrate = 0; // from accepted shares' difficulty
};

class Stats {
public:
    explicit Stats(std::size_t share_history = 256);

    // Registers a backend and returns its index; the hash counter is lock-free.
    std::size_t AddBackend(const std::string& name);
    void AddHashes(std::size_t backend, uint64_t n) {
        m_counters[backend]->fetch_add(n, std::memory_order_relaxed);
    }

    // The backend stopped for good after a fault (the others mine on).
    void BackendRetired(std::size_t backend, const std::string& reason);

    ShareLedger& Shares() { return m_ledger; }
    const ShareLedger& Shares() const { return m_ledger; }

    // Records the hash counters now; call about once a second for the rate windows.
    void Sample();

    StatsSnapshot Snapshot() const;
    static nlohmann::json ToJson(const StatsSnapshot& s);

private:
    struct Sample_ {
        std::chrono::steady_clock::time_point t;
        std::vector<uint64_t> hashes;
    };
    HashrateWindows RateFor(std::size_t backend_or_total) const;

    const std::chrono::steady_clock::time_point m_start;
    mutable std::mutex m_mutex;
    std::vector<std::string> m_names;
    std::vector<std::unique_ptr<std::atomic<uint64_t>>> m_counters;
    std::vector<std::string> m_retired; // per backend: the fault, empty while it mines
    ShareLedger m_ledger;
    std::deque<Sample_> m_samples; // last 15 minutes
};

} // namespace nonceforge::miner
