// The GPU scan behind a plain C++ interface: no CUDA types, so miner/ and the tests compile
// without nvcc. Every CUDA error comes back as a value (GpuError, kernels/gpu_error.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/gpu_error.hpp"
#include "nonceforge/core/expected.hpp"
#include "nonceforge/core/scan_precomp.hpp"

namespace nonceforge::kernels {

struct GpuScanParams {
    uint32_t midstate[8]; // SHA-256 state after header bytes 0..63
    uint8_t tail[16];     // header bytes 64..79 (nonce field ignored)
    uint32_t target_top;  // report nonces whose hash's top 32 bits are <= this
    uint32_t nonce_first;
    uint64_t nonce_count; // nonce_first + nonce_count <= 2^32
};

struct GpuScanResult {
    GpuError error;               // empty on success
    std::vector<uint32_t> nonces; // top-word survivors, sorted
    bool overflowed = false;      // more survivors than the result buffer holds
};

struct GpuDeviceInfo {
    int index = 0;
    std::string name;
    int compute_major = 0, compute_minor = 0;
    int multiprocessors = 0;
};

// Devices the CUDA runtime sees. No driver, or no device: an error for which IsNoDevice holds.
core::Expected<std::vector<GpuDeviceInfo>, GpuError> ListGpuDevices();

// The readable kernel: one nonce per thread in a grid-stride loop, built on the core's
// host/device SHA-256. The reference the tuned kernel is tested against.
GpuScanResult ScanPlain(int device, const GpuScanParams& params);

// The tuned kernel (kernels/sha256d_tuned.cu, math in kernels/sha256d_rounds.hpp).
constexpr unsigned TUNED_THREADS_PER_BLOCK = 256;

// Blocks for one full wave of the tuned kernel on `device` (resident blocks per SM times the
// SM count); each thread then loops over many nonces.
core::Expected<unsigned, GpuError> TunedGridBlocks(int device);

// Enqueues one tuned scan of [first, first + count) (first + count <= 2^32) on `stream`, a
// cudaStream_t passed opaquely (nullptr: the legacy default stream). `d_results` is device
// memory laid out as [survivor count, survivor nonces...] with room for `capacity` nonces;
// the caller zeroes the count first. The count keeps rising past `capacity` (overflow: the
// caller rescans in smaller pieces). When `d_abort` (device memory, may be null) becomes
// non-zero, every thread stops at its next nonce. `blocks` is capped to what `count` needs.
// Returns an empty GpuError, or the failing call.
GpuError EnqueueTunedScan(const core::ScanPrecomp& precomp, uint32_t first, uint64_t count,
                          unsigned blocks, uint32_t* d_results, uint32_t capacity,
                          const uint32_t* d_abort, void* stream);

// One synchronous tuned scan on `device` (tests, tools): the top-word survivors, sorted.
GpuScanResult ScanTuned(int device, const core::ScanPrecomp& precomp, uint32_t first,
                        uint64_t count);

} // namespace nonceforge::kernels
