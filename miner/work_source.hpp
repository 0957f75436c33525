// Cuts the current job into nonce ranges. One header per (extranonce2, rolled version bits);
// its 2^32 nonces are handed out in consecutive ranges, so no two backends ever hash the same
// nonce and none is skipped. When a header is used up, the next one comes from the next
// version-bits value within the granted BIP 310 mask (no merkle work), and once those are used
// up, from the next extranonce2.
// Thread-safe (one mutex; a range is a few milliseconds of work, so contention is negligible).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

#include "nonceforge/core/work.hpp"

namespace nonceforge::miner {

class WorkSource {
public:
    // A new job. `generation` increases when `restart` is true (a clean job or new prevhash):
    // ranges of older generations are then stale and their scans are stopped.
    void SetJob(std::shared_ptr<const core::Job> job, bool restart);
    // Forgets the job (disconnected): NextRange returns nothing until the next SetJob.
    void Clear();

    struct Range {
        core::WorkUnit work;
        uint64_t generation = 0;
    };
    // Up to `max_nonces` consecutive nonces of the current header; nullopt without a job.
    std::optional<Range> NextRange(uint64_t max_nonces);

    uint64_t Generation() const;
    std::shared_ptr<const core::Job> CurrentJob() const;

    // The next value of the rolled bits inside `mask` after `bits` (0 after the last).
    static uint32_t NextVersionBits(uint32_t bits, uint32_t mask) {
        return ((bits | ~mask) + 1) & mask;
    }

private:
    void BuildHeader(); // from m_job, m_extranonce2_counter, m_version_bits

    mutable std::mutex m_mutex;
    std::shared_ptr<const core::Job> m_job;
    uint64_t m_generation = 0;
    uint64_t m_extranonce2_counter = 0;
    uint32_t m_version_bits = 0;
    core::WorkUnit m_header;   // nonce range fields unused
    uint64_t m_next_nonce = 0; // 2^32 when the header is used up
};

// The extranonce2 bytes for a counter value: little-endian, truncated to `size` bytes.
std::vector<uint8_t> Extranonce2Bytes(uint64_t counter, std::size_t size);

} // namespace nonceforge::miner
