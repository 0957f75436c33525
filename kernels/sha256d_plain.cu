// The plain sha256d scan kernel: the core's host/device reference SHA-256, one nonce per
// thread, a grid-stride loop, hits through an atomic counter into a fixed buffer.
#include <algorithm>
#include <string>

#include <cuda_runtime.h>

#include "kernels/sha256d_launcher.hpp"
#include "nonceforge/core/bytes.hpp"
#include "nonceforge/core/sha256.hpp"
// Host side only, but included so every core header is compiled by nvcc as well.
#include "nonceforge/core/target.hpp"
#include "nonceforge/core/work.hpp"

namespace nonceforge::kernels {

namespace {

constexpr uint32_t MAX_HITS = 4096;

struct DeviceParams {
    uint32_t midstate[8];
    uint8_t tail[16];
    uint32_t target_top;
    uint32_t nonce_first;
};

__global__ void PlainScanKernel(DeviceParams p, uint64_t count, uint32_t* hits,
                                uint32_t* hit_count) {
    const uint64_t stride = uint64_t(gridDim.x) * blockDim.x;
    for (uint64_t i = uint64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < count; i += stride) {
        const uint32_t nonce = p.nonce_first + uint32_t(i);
        uint8_t tail[16];
        for (int b = 0; b < 12; ++b) {
            tail[b] = p.tail[b];
        }
        core::WriteLE32(tail + 12, nonce);
        uint8_t hash[32];
        core::sha256::Sha256dFromMidstate(p.midstate, tail, hash);
        if (core::ReadLE32(hash + 28) <= p.target_top) {
            const uint32_t slot = atomicAdd(hit_count, 1u);
            if (slot < MAX_HITS) {
                hits[slot] = nonce;
            }
        }
    }
}

// Device buffers of one plain scan, freed on every path.
struct PlainBuffers {
    uint32_t* hits = nullptr;
    uint32_t* count = nullptr;
    ~PlainBuffers() {
        cudaFree(hits);
        cudaFree(count);
    }
};

GpuError RunPlainKernel(int device, const GpuScanParams& params, PlainBuffers& b) {
    DeviceParams p{};
    std::copy(params.midstate, params.midstate + 8, p.midstate);
    std::copy(params.tail, params.tail + 16, p.tail);
    p.target_top = params.target_top;
    p.nonce_first = params.nonce_first;
    if (GpuError e = CudaFailure("cudaSetDevice", cudaSetDevice(device))) {
        return e;
    }
    if (GpuError e = CudaFailure("cudaMalloc", cudaMalloc(&b.hits, MAX_HITS * sizeof(uint32_t)))) {
        return e;
    }
    if (GpuError e = CudaFailure("cudaMalloc", cudaMalloc(&b.count, sizeof(uint32_t)))) {
        return e;
    }
    if (GpuError e = CudaFailure("cudaMemset", cudaMemset(b.count, 0, sizeof(uint32_t)))) {
        return e;
    }
    if (params.nonce_count > 0) {
        const unsigned threads = 256;
        const unsigned long long blocks_needed = (params.nonce_count + threads - 1) / threads;
        const unsigned blocks = unsigned(std::min<unsigned long long>(blocks_needed, 65535));
        PlainScanKernel<<<blocks, threads>>>(p, params.nonce_count, b.hits, b.count);
        if (GpuError e = CudaFailure("kernel launch", cudaGetLastError())) {
            return e;
        }
    }
    return CudaFailure("cudaDeviceSynchronize", cudaDeviceSynchronize());
}

} // namespace

core::Expected<std::vector<GpuDeviceInfo>, GpuError> ListGpuDevices() {
    std::vector<GpuDeviceInfo> devices;
    int n = 0;
    if (GpuError e = CudaFailure("cudaGetDeviceCount", cudaGetDeviceCount(&n))) {
        return core::MakeUnexpected(e);
    }
    for (int i = 0; i < n; ++i) {
        cudaDeviceProp prop{};
        if (cudaGetDeviceProperties(&prop, i) != cudaSuccess) {
            continue;
        }
        devices.push_back({i, prop.name, prop.major, prop.minor, prop.multiProcessorCount});
    }
    if (devices.empty()) {
        return core::MakeUnexpected(CudaFailure("cudaGetDeviceCount", cudaErrorNoDevice));
    }
    return devices;
}

GpuScanResult ScanPlain(int device, const GpuScanParams& params) {
    GpuScanResult result;
    PlainBuffers b;
    if ((result.error = RunPlainKernel(device, params, b))) {
        return result;
    }
    uint32_t count = 0;
    result.error = CudaFailure("cudaMemcpy",
                               cudaMemcpy(&count, b.count, sizeof count, cudaMemcpyDeviceToHost));
    if (result.error) {
        return result;
    }
    result.overflowed = count > MAX_HITS;
    result.nonces.resize(std::min(count, MAX_HITS));
    if (!result.nonces.empty()) {
        result.error = CudaFailure("cudaMemcpy", cudaMemcpy(result.nonces.data(), b.hits,
                                                            result.nonces.size() * sizeof(uint32_t),
                                                            cudaMemcpyDeviceToHost));
    }
    std::sort(result.nonces.begin(), result.nonces.end());
    return result;
}

} // namespace nonceforge::kernels
