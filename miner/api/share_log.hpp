// The latest shares with their pool verdicts, for /api/v1/shares, and the submit-to-verdict
// latency per pool. Bounded: a ring of the newest `capacity` verdicts, and a table of submitted
// shares awaiting a verdict that never holds more than MAX_IN_FLIGHT entries.
// Thread-safe: workers report submissions, the network thread reports verdicts.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "nonceforge/core/work.hpp"

namespace nonceforge::miner::api {

struct ShareRecord {
    int64_t time_unix_ms = 0;   // when the verdict arrived (system clock)
    std::string backend;        // "cpu0/avx2-8way"
    double difficulty = 0;      // the share's own difficulty (diff1 / hash)
    double pool_difficulty = 0; // the job's share difficulty
    std::string verdict;        // accepted | rejected | stale | lost
    std::string reason;         // empty when accepted
    std::string job_id;
    std::string nonce;                // 8 hex chars, as submitted
    std::size_t pool_index = 0;       // the pool active when the verdict came
    std::optional<double> latency_ms; // submit to verdict, when the submit was seen
    bool block_candidate = false;
};

class ShareLog {
public:
    static constexpr std::size_t MAX_IN_FLIGHT = 4096;

    explicit ShareLog(std::size_t capacity = 256);

    // A share handed to the Stratum client (starts its latency clock).
    void Submitted(const core::Share& share);
    // Its verdict. `verdict` is stratum::ToString(VerdictKind).
    void Resolved(const core::Share& share, std::string verdict, std::string reason,
                  std::size_t pool_index);

    std::vector<ShareRecord> Latest(std::size_t limit) const; // newest first
    uint64_t TotalRecorded() const;
    std::size_t Capacity() const { return m_capacity; }
    // Mean and latest submit-to-verdict latency of the recorded shares of one pool.
    struct Latency {
        std::optional<double> mean_ms;
        std::optional<double> last_ms;
    };
    Latency LatencyFor(std::size_t pool_index) const;

private:
    static std::string KeyOf(const core::Share& share);

    const std::size_t m_capacity;
    mutable std::mutex m_mutex;
    std::deque<ShareRecord> m_ring; // oldest first
    uint64_t m_total = 0;
    std::map<std::string, std::chrono::steady_clock::time_point> m_in_flight;
};

} // namespace nonceforge::miner::api
