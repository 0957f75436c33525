// The seam between the miner and where its work comes from. A JobSource hands the miner jobs,
// takes the shares found on them and reports each share's one verdict. The Stratum client is
// one source (app/stratum_job_source.*); a Bitcoin Core node (getblocktemplate, solo mining)
// fits the same shape: it has no share difficulty negotiation (its jobs carry the network
// target as the share target) and its verdicts come from submitblock.
//
// miner/ knows only this interface; app/ creates a source and wires it to the dispatcher.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nonceforge/core/log_level.hpp"
#include "nonceforge/core/share_verdict.hpp"
#include "nonceforge/core/work.hpp"

namespace nonceforge::miner {

// The definite outcome of one submitted share, as the source decided it.
struct ShareVerdict {
    core::Share share;
    core::VerdictKind kind = core::VerdictKind::Lost;
    std::string reason; // empty when accepted
    // From sending the share to the upstream's answer; absent when no answer came (lost).
    std::optional<std::chrono::steady_clock::duration> latency;
    std::size_t upstream = 0; // index of the upstream (pool, node) that was active
};

// One upstream of a source: a pool of the Stratum failover list, or a node.
struct UpstreamStatus {
    std::string url;  // never credentials
    std::string user; // a payout address or account, not a secret; never the password
    bool active = false;
    bool connected = false;
    std::string state; // "ready", "authorizing", ...; "idle" for an upstream not in use
    double difficulty = 0;
    uint32_t version_mask = 0;
    bool extranonce_subscribed = false;
    std::size_t outstanding_shares = 0;
    uint64_t connects = 0;
    uint64_t failovers = 0;
    double connected_seconds = 0;
    std::string last_error;
};

// What a node (solo mining) adds to the status: the chain, the network's difficulty and the
// blocks this run submitted and their verdicts.
struct SoloStatus {
    std::string chain;             // "main", "regtest", ...
    double network_difficulty = 0; // of the current template
    uint32_t height = 0;           // of the block being mined
    uint64_t blocks_submitted = 0; // sent with submitblock
    uint64_t blocks_accepted = 0;  // null or "duplicate"
    uint64_t blocks_rejected = 0;  // any other verdict string, or an RPC error
    uint64_t blocks_stale = 0;     // found but not sent: the tip had moved, or a sibling won
    uint64_t templates = 0;        // getblocktemplate results turned into jobs
    std::string last_block_hash;   // display order; empty before the first
};

struct SourceStatus {
    std::vector<UpstreamStatus> upstreams; // in order of preference
    std::size_t active = 0;                // index into upstreams
    bool connected = false;
    std::size_t outstanding_shares = 0; // submitted, no verdict yet
    double difficulty = 0;              // of the active upstream
    std::string url;                    // of the active upstream
    std::optional<SoloStatus> solo;     // set by a node source only
};

class JobSource {
public:
    struct Handlers {
        // A new job. job->clean_jobs is the source's decision that work on earlier jobs is
        // stale (a new block, a new connection); the dispatcher restarts on it and nothing else.
        std::function<void(std::shared_ptr<const core::Job>)> on_job;
        // The source has no work to give until its next on_job (a node whose chain runs too far
        // ahead of this clock): stop hashing. Optional.
        std::function<void()> on_hold;
        // The share difficulty of the jobs from now on changed (sources that negotiate one).
        std::function<void(double difficulty)> on_difficulty;
        // The connection to the active upstream came up or went down.
        std::function<void(const SourceStatus&)> on_connection;
        // Every share given to Submit gets exactly one verdict.
        std::function<void(ShareVerdict)> on_verdict;
        std::function<void(core::LogLevel, const std::string&)> on_log;
        // The source ended by itself: empty after Stop(), else why (retries used up, a bug).
        std::function<void(const std::string& failure)> on_end;
    };

    virtual ~JobSource() = default;

    // Starts on the source's own executor; the handlers run there.
    virtual void Start(Handlers handlers) = 0;
    // Thread-safe.
    virtual void Submit(core::Share share) = 0;
    // Thread-safe. Ends the source soon; shares still outstanding become lost; on_end follows.
    virtual void Stop() = 0;
    // Thread-safe snapshot.
    virtual SourceStatus Status() const = 0;
};

} // namespace nonceforge::miner
