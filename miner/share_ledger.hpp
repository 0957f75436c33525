// The one ledger of shares. Every share the reference hash confirmed enters it (Found: it gets
// its id) and leaves with exactly one final state (Resolve: accepted, rejected, stale or lost),
// whoever decided it: the job source's verdict, or the dispatcher for a share found after its
// job was replaced. Every view reads it: the statistics (per backend counts), the status line,
// the summary, /api/v1/shares, Prometheus and the cgminer reply.
//
// The identity found = accepted + rejected + stale + lost + pending holds at every moment, per
// backend. Bounded: the newest `history` verdicts are kept for the share list; the shares
// awaiting a verdict are bounded by the job source (its pending and held shares).
// Thread-safe: workers report found shares, the network thread verdicts.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "nonceforge/core/share_verdict.hpp"
#include "nonceforge/core/work.hpp"

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
    void Add(const ShareCounts& other);
};

// One share with its final state, as /api/v1/shares lists it.
struct ShareRecord {
    uint64_t id = 0;            // core::Share::id
    int64_t time_unix_ms = 0;   // when the verdict came (system clock)
    std::string backend;        // "cpu0/avx2-8way"
    double difficulty = 0;      // the share's own difficulty (diff1 / hash)
    double pool_difficulty = 0; // the job's share difficulty
    core::VerdictKind verdict = core::VerdictKind::Lost;
    std::string reason; // empty when accepted
    std::string job_id;
    std::string nonce;                // 8 hex chars, as submitted
    std::string hash;                 // display order (block explorer), 64 hex chars
    std::size_t pool_index = 0;       // the upstream active when the verdict came
    std::optional<double> latency_ms; // submit to the upstream's answer, when one came
    bool block_candidate = false;
};

class ShareLedger {
public:
    explicit ShareLedger(std::size_t history = 256);

    // A backend with no share yet still shows (with zeros).
    void AddBackend(const std::string& backend);
    // A share the reference hash confirmed: counted as found, given the next id (share.id).
    void Found(core::Share& share);
    void HardwareError(const std::string& backend);
    // The share's one final state. False, and nothing counted, when the share is not awaiting
    // one (an unknown id, or a second verdict).
    bool Resolve(const core::Share& share, core::VerdictKind kind, std::string reason,
                 std::optional<std::chrono::steady_clock::duration> latency = std::nullopt,
                 std::size_t pool_index = 0);

    std::map<std::string, ShareCounts> Counts() const;        // per backend
    std::vector<ShareRecord> Latest(std::size_t limit) const; // newest first
    uint64_t TotalRecorded() const;
    std::size_t Capacity() const { return m_capacity; }
    // Mean and latest submit-to-answer latency of the listed shares of one upstream.
    struct Latency {
        std::optional<double> mean_ms;
        std::optional<double> last_ms;
    };
    Latency LatencyFor(std::size_t pool_index) const;

private:
    const std::size_t m_capacity;
    mutable std::mutex m_mutex;
    uint64_t m_next_id = 1;
    std::unordered_set<uint64_t> m_awaiting; // found, no final state yet
    std::map<std::string, ShareCounts> m_counts;
    std::deque<ShareRecord> m_ring; // oldest first
    uint64_t m_total = 0;
};

} // namespace nonceforge::miner
