// What every scan (CPU path, CUDA kernel, backend) is checked against: random headers, the
// reference lists of top-word survivors and of full hits computed nonce by nonce with core's
// sha256d, and targets by top word.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "miner/backend_self_test.hpp"
#include "nonceforge/core/target.hpp"
#include "nonceforge/core/work.hpp"

namespace nonceforge::test {

using miner::ReferenceSurvivors;

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

// What the dispatcher makes of a backend's survivors: those whose reference sha256d meets the
// full share target, in the order reported.
inline std::vector<uint32_t> FullHits(const core::WorkUnit& w,
                                      const std::vector<uint32_t>& survivors) {
    std::vector<uint32_t> hits;
    for (uint32_t n : survivors) {
        if (core::HashMeetsTarget(w.HashWithNonce(n), w.share_target)) {
            hits.push_back(n);
        }
    }
    return hits;
}

// The easiest target whose top 32-bit word is `top` (top 0: difficulty about 1).
inline core::U256 TargetWithTop(uint32_t top) {
    core::U256 t = core::U256::Max();
    t.SetLimb(7, top);
    return t;
}

} // namespace nonceforge::test
