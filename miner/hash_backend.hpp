// The interface every hashing backend implements (CPU implementations, CUDA devices). The
// dispatcher hands a backend a WorkUnit with a nonce range; the backend returns how many
// nonces it hashed and the candidates it found. Backends never touch sockets.
#pragma once

#include <cstdint>
#include <stop_token>
#include <string>
#include <vector>

#include "nonceforge/core/work.hpp"

namespace nonceforge::miner {

struct Candidate {
    uint32_t nonce = 0;
    core::Hash256 hash; // as the backend computed it; the dispatcher re-verifies
};

struct ScanResult {
    uint64_t hashes_done = 0;          // nonces actually hashed, from nonce_first upwards
    std::vector<Candidate> candidates; // in nonce order
    bool stopped = false;              // the stop token ended the scan early
    // Non-empty: the backend broke (a GPU's CUDA error) and must get no more work; the
    // dispatcher logs it and retires the backend while the others keep mining.
    std::string fault;
};

struct SelfTestResult {
    bool ok = false;
    std::string detail; // what failed, or what was checked
};

class HashBackend {
public:
    virtual ~HashBackend() = default;
    virtual std::string Name() const = 0;
    // Known-answer test; a backend that fails it must not be used.
    virtual SelfTestResult SelfTest() = 0;
    // Hashes work.nonce_first .. work.nonce_first + work.nonce_count - 1 and reports every
    // nonce whose hash meets work.share_target. Checks `stop` at least every millisecond.
    virtual ScanResult Scan(const core::WorkUnit& work, std::stop_token stop) = 0;
};

} // namespace nonceforge::miner
