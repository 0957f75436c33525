// The GPU scan behind a plain C++ interface: no CUDA types, so miner/ and the tests compile
// without nvcc. Every CUDA error comes back as a value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nonceforge::kernels {

struct GpuScanParams {
    uint32_t midstate[8]; // SHA-256 state after header bytes 0..63
    uint8_t tail[16];     // header bytes 64..79 (nonce field ignored)
    uint32_t target_top;  // report nonces whose hash's top 32 bits are <= this
    uint32_t nonce_first;
    uint64_t nonce_count; // nonce_first + nonce_count <= 2^32
};

struct GpuScanResult {
    bool ok = false;
    std::string error;            // the failing CUDA call and its message
    std::vector<uint32_t> nonces; // top-word survivors, sorted
    bool overflowed = false;      // more survivors than the result buffer holds
};

struct GpuDeviceInfo {
    int index = 0;
    std::string name;
    int compute_major = 0, compute_minor = 0;
    int multiprocessors = 0;
};

// Devices the CUDA runtime sees; an empty list (with `error` set) when there is no driver or
// no device.
std::vector<GpuDeviceInfo> ListGpuDevices(std::string* error);

// The readable kernel: one nonce per thread in a grid-stride loop, built on the core's
// host/device SHA-256. The reference the tuned kernel is tested against.
GpuScanResult ScanPlain(int device, const GpuScanParams& params);

} // namespace nonceforge::kernels
