// The one start-up self-test of every hashing backend (each CPU implementation, each CUDA
// device), run through HashBackend::Scan exactly as the dispatcher drives it, and the
// reference answer it (and the conformance suite in tests/) compares with.
#pragma once

#include <cstdint>
#include <vector>

#include "miner/hash_backend.hpp"
#include "nonceforge/core/work.hpp"

namespace nonceforge::miner {

// Every nonce of the work unit's range whose reference sha256d passes the top-word filter
// (core::HashPassesTopWord): what a backend's Scan must report as survivors, in order.
std::vector<uint32_t> ReferenceSurvivors(const core::WorkUnit& work);

// Known answer: the genesis header (its midstate computed from a copy at an odd address),
// with the network target, over a 2,001-nonce window around its nonce (not a multiple of any
// lane count or block size): the survivors are exactly the reference's, and the one full hit
// is the genesis nonce with its block hash.
// Survivor check: pseudo-random headers, loose top-word targets, range lengths that are not
// multiples of a lane count, at a random start and ending at 2^32 - 1, and a regtest-like
// target whose top word is not zero: the survivors are exactly the reference's and every
// nonce is counted.
// A device fault comes back with the device's error code; wrong answers as
// HashError::self_test_mismatch.
SelfTestResult SelfTestBackend(HashBackend& backend);

} // namespace nonceforge::miner
