// What every scan (CPU path, CUDA kernel, backend) is checked against: random headers, the
// reference list of hits computed nonce by nonce with core's sha256d, and targets by top word.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "miner/hash_backend.hpp"
#include "nonceforge/core/work.hpp"

namespace nonceforge::test {

// A header with random fields (the nonce range and target as given by the caller).
inline core::WorkUnit RandomWork(std::mt19937& rng, const core::U256& target) {
    core::BlockHeader h;
    h.version = rng();
    for (auto& b : h.prev_hash.bytes) {
        b = uint8_t(rng());
    }
    for (auto& b : h.merkle_root.bytes) {
        b = uint8_t(rng());
    }
    h.time = rng();
    h.bits = rng();
    return core::WorkUnit::FromHeader(h, target);
}

// The reference answer: every nonce in the range whose sha256d meets the share target.
inline std::vector<uint32_t> ReferenceHits(const core::WorkUnit& w) {
    std::vector<uint32_t> hits;
    for (uint64_t n = w.nonce_first; n < uint64_t(w.nonce_first) + w.nonce_count; ++n) {
        if (core::HashMeetsTarget(w.HashWithNonce(uint32_t(n)), w.share_target)) {
            hits.push_back(uint32_t(n));
        }
    }
    return hits;
}

// The candidates' nonces, in the order reported.
inline std::vector<uint32_t> Nonces(const miner::ScanResult& r) {
    std::vector<uint32_t> n;
    for (const auto& c : r.candidates) {
        n.push_back(c.nonce);
    }
    return n;
}

// The easiest target whose top 32-bit word is `top` (top 0: difficulty about 1).
inline core::U256 TargetWithTop(uint32_t top) {
    core::U256 t = core::U256::Max();
    t.SetLimb(7, top);
    return t;
}

} // namespace nonceforge::test
