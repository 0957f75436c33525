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

std::string CudaError(const char* what, cudaError_t err) {
    return std::string(what) + ": " + cudaGetErrorString(err);
}

} // namespace

std::vector<GpuDeviceInfo> ListGpuDevices(std::string* error) {
    std::vector<GpuDeviceInfo> devices;
    int n = 0;
    cudaError_t err = cudaGetDeviceCount(&n);
    if (err != cudaSuccess) {
        if (error) {
            *error = CudaError("cudaGetDeviceCount", err);
        }
        return devices;
    }
    for (int i = 0; i < n; ++i) {
        cudaDeviceProp prop{};
        if (cudaGetDeviceProperties(&prop, i) != cudaSuccess) {
            continue;
        }
        devices.push_back({i, prop.name, prop.major, prop.minor, prop.multiProcessorCount});
    }
    if (devices.empty() && error) {
        *error = "no CUDA device";
    }
    return devices;
}

GpuScanResult ScanPlain(int device, const GpuScanParams& params) {
    GpuScanResult result;
    DeviceParams p{};
    std::copy(params.midstate, params.midstate + 8, p.midstate);
    std::copy(params.tail, params.tail + 16, p.tail);
    p.target_top = params.target_top;
    p.nonce_first = params.nonce_first;

    uint32_t* d_hits = nullptr;
    uint32_t* d_count = nullptr;
    auto fail = [&](const char* what, cudaError_t err) {
        result.error = CudaError(what, err);
        cudaFree(d_hits);
        cudaFree(d_count);
        return result;
    };
    cudaError_t err = cudaSetDevice(device);
    if (err != cudaSuccess) {
        return fail("cudaSetDevice", err);
    }
    if ((err = cudaMalloc(&d_hits, MAX_HITS * sizeof(uint32_t))) != cudaSuccess) {
        return fail("cudaMalloc", err);
    }
    if ((err = cudaMalloc(&d_count, sizeof(uint32_t))) != cudaSuccess) {
        return fail("cudaMalloc", err);
    }
    if ((err = cudaMemset(d_count, 0, sizeof(uint32_t))) != cudaSuccess) {
        return fail("cudaMemset", err);
    }
    if (params.nonce_count > 0) {
        const unsigned threads = 256;
        const unsigned long long blocks_needed = (params.nonce_count + threads - 1) / threads;
        const unsigned blocks = unsigned(std::min<unsigned long long>(blocks_needed, 65535));
        PlainScanKernel<<<blocks, threads>>>(p, params.nonce_count, d_hits, d_count);
        if ((err = cudaGetLastError()) != cudaSuccess) {
            return fail("kernel launch", err);
        }
    }
    if ((err = cudaDeviceSynchronize()) != cudaSuccess) {
        return fail("cudaDeviceSynchronize", err);
    }
    uint32_t count = 0;
    if ((err = cudaMemcpy(&count, d_count, sizeof count, cudaMemcpyDeviceToHost)) != cudaSuccess) {
        return fail("cudaMemcpy", err);
    }
    result.overflowed = count > MAX_HITS;
    result.nonces.resize(std::min(count, MAX_HITS));
    if (!result.nonces.empty() &&
        (err = cudaMemcpy(result.nonces.data(), d_hits, result.nonces.size() * sizeof(uint32_t),
                          cudaMemcpyDeviceToHost)) != cudaSuccess) {
        return fail("cudaMemcpy", err);
    }
    cudaFree(d_hits);
    cudaFree(d_count);
    std::sort(result.nonces.begin(), result.nonces.end());
    result.ok = true;
    return result;
}

} // namespace nonceforge::kernels
