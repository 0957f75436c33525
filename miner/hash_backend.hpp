// The interface every hashing backend implements (CPU implementations, CUDA devices). The
// dispatcher hands a backend a WorkUnit with a nonce range; the backend returns how many
// nonces it hashed and the top-word survivors among them: the nonces whose hash's most
// significant 32 bits are at most the share target's (the cheap pre-filter of the hot loop).
// The dispatcher gives each survivor the one full 256-bit compare, on the reference sha256d.
// Backends never touch sockets.
#pragma once

#include <cstdint>
#include <stop_token>
#include <string>
#include <system_error>
#include <vector>

#include "nonceforge/core/work.hpp"

namespace nonceforge::miner {

// Why a backend stopped being usable. Codes from a device's own category (CUDA's, through
// kernels/gpu_error.hpp) say more and are used as they are; these are the backend-neutral ones.
enum class HashError {
    device_fault = 1,   // the device broke: no more work for this backend
    self_test_mismatch, // the self-test's answers differ from the reference sha256d
};
const std::error_category& HashErrorCategory();
inline std::error_code make_error_code(HashError e) {
    return {int(e), HashErrorCategory()};
}

struct ScanResult {
    uint64_t hashes_done = 0;        // nonces actually hashed, from nonce_first upwards
    std::vector<uint32_t> survivors; // top-word survivors, in increasing nonce order
    bool stopped = false;            // the stop token ended the scan early
    // Set when the backend broke (a GPU's CUDA error) and must get no more work: the
    // dispatcher logs `fault_detail` (which call failed, for people) and retires the backend
    // while the others keep mining.
    std::error_code fault;
    std::string fault_detail;
};

struct SelfTestResult {
    std::error_code error; // empty: passed
    std::string detail;    // what failed, or what was checked
    bool ok() const { return !error; }
};

class HashBackend {
public:
    virtual ~HashBackend() = default;
    virtual std::string Name() const = 0;
    // Known-answer test (miner/backend_self_test.hpp); a backend that fails it must not be used.
    virtual SelfTestResult SelfTest() = 0;
    // Hashes work.nonce_first .. work.nonce_first + work.nonce_count - 1 and reports every
    // nonce whose hash's top 32 bits (bytes 28..31 as a little-endian number) are at most
    // work.share_target.TopWord(). Checks `stop` at least every millisecond.
    virtual ScanResult Scan(const core::WorkUnit& work, std::stop_token stop) = 0;
};

} // namespace nonceforge::miner

template <>
struct std::is_error_code_enum<nonceforge::miner::HashError> : std::true_type {};
