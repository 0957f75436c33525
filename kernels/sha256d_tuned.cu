// The tuned sha256d scan kernel: the unrolled round code of sha256d_rounds.hpp, the
// nonce-independent work in the kernel parameter (cpu::ScanPrecomp, by value: it lives in the
// launch's constant bank, so two devices or two streams never share mutable state), a
// grid-stride loop of many nonces per thread, and top-word survivors appended through an
// atomic counter into a fixed buffer.
//
// ptxas (nvcc 13.0, -O3 -Xptxas -v): 0 bytes stack frame, 0 bytes spill stores and loads on
// every default architecture; 40 registers on sm_80, sm_86, sm_89 and sm_90, 48 on sm_75. At
// 40 registers and 256-thread blocks an sm_90 SM holds 6 blocks (1,536 threads).
#include <algorithm>
#include <string>

#include <cuda_runtime.h>

#include "kernels/sha256d_launcher.hpp"
#include "kernels/sha256d_rounds.hpp"

namespace nonceforge::kernels {

namespace {

__global__ void __launch_bounds__(TUNED_THREADS_PER_BLOCK)
    TunedScanKernel(const cpu::ScanPrecomp p, uint32_t first, uint64_t count,
                    uint32_t* __restrict__ results, uint32_t capacity,
                    const uint32_t* __restrict__ abort, uint32_t one) {
    const uint64_t stride = uint64_t(gridDim.x) * blockDim.x;
    // A 64-bit index: `count` may be 2^32, and first + i must never wrap past 2^32 - 1.
    for (uint64_t i = uint64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < count; i += stride) {
        if (abort != nullptr && *static_cast<const volatile uint32_t*>(abort) != 0) {
            return;
        }
        const uint32_t nonce = first + uint32_t(i);
        if (rounds::PassesTopWord(rounds::ScanH7(p, nonce, one), p.target_top)) {
            const uint32_t slot = atomicAdd(results, 1u);
            if (slot < capacity) {
                results[1 + slot] = nonce;
            }
        }
    }
}

std::string CudaError(const char* what, cudaError_t err) {
    return std::string(what) + ": " + cudaGetErrorString(err);
}

} // namespace

unsigned TunedGridBlocks(int device, std::string* error) {
    auto fail = [&](const char* what, cudaError_t err) {
        if (error) {
            *error = CudaError(what, err);
        }
        return 0u;
    };
    cudaError_t err = cudaSetDevice(device);
    if (err != cudaSuccess) {
        return fail("cudaSetDevice", err);
    }
    int sms = 0;
    if ((err = cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device)) !=
        cudaSuccess) {
        return fail("cudaDeviceGetAttribute(MultiProcessorCount)", err);
    }
    int per_sm = 0;
    if ((err = cudaOccupancyMaxActiveBlocksPerMultiprocessor(
             &per_sm, TunedScanKernel, int(TUNED_THREADS_PER_BLOCK), 0)) != cudaSuccess) {
        return fail("cudaOccupancyMaxActiveBlocksPerMultiprocessor", err);
    }
    return unsigned(std::max(1, sms) * std::max(1, per_sm));
}

std::string EnqueueTunedScan(const cpu::ScanPrecomp& precomp, uint32_t first, uint64_t count,
                             unsigned blocks, uint32_t* d_results, uint32_t capacity,
                             const uint32_t* d_abort, void* stream) {
    if (count == 0) {
        return {};
    }
    const uint64_t needed = (count + TUNED_THREADS_PER_BLOCK - 1) / TUNED_THREADS_PER_BLOCK;
    const unsigned grid = unsigned(std::clamp<uint64_t>(needed, 1, std::max(blocks, 1u)));
    TunedScanKernel<<<grid, TUNED_THREADS_PER_BLOCK, 0, static_cast<cudaStream_t>(stream)>>>(
        precomp, first, count, d_results, capacity, d_abort, 1u);
    const cudaError_t err = cudaGetLastError();
    return err == cudaSuccess ? std::string() : CudaError("tuned kernel launch", err);
}

GpuScanResult ScanTuned(int device, const cpu::ScanPrecomp& precomp, uint32_t first,
                        uint64_t count) {
    constexpr uint32_t CAPACITY = 4096;
    GpuScanResult result;
    uint32_t* d_results = nullptr;
    auto fail = [&](const std::string& error) {
        result.error = error;
        cudaFree(d_results);
        return result;
    };
    std::string error;
    const unsigned blocks = TunedGridBlocks(device, &error);
    if (blocks == 0) {
        return fail(error);
    }
    cudaError_t err = cudaMalloc(&d_results, (1 + CAPACITY) * sizeof(uint32_t));
    if (err != cudaSuccess) {
        return fail(CudaError("cudaMalloc", err));
    }
    if ((err = cudaMemset(d_results, 0, sizeof(uint32_t))) != cudaSuccess) {
        return fail(CudaError("cudaMemset", err));
    }
    error = EnqueueTunedScan(precomp, first, count, blocks, d_results, CAPACITY, nullptr, nullptr);
    if (!error.empty()) {
        return fail(error);
    }
    if ((err = cudaDeviceSynchronize()) != cudaSuccess) {
        return fail(CudaError("cudaDeviceSynchronize", err));
    }
    uint32_t n = 0;
    if ((err = cudaMemcpy(&n, d_results, sizeof n, cudaMemcpyDeviceToHost)) != cudaSuccess) {
        return fail(CudaError("cudaMemcpy", err));
    }
    result.overflowed = n > CAPACITY;
    result.nonces.resize(std::min(n, CAPACITY));
    if (!result.nonces.empty() && (err = cudaMemcpy(result.nonces.data(), d_results + 1,
                                                    result.nonces.size() * sizeof(uint32_t),
                                                    cudaMemcpyDeviceToHost)) != cudaSuccess) {
        return fail(CudaError("cudaMemcpy", err));
    }
    if ((err = cudaFree(d_results)) != cudaSuccess) {
        d_results = nullptr;
        return fail(CudaError("cudaFree", err));
    }
    std::sort(result.nonces.begin(), result.nonces.end());
    result.ok = true;
    return result;
}

} // namespace nonceforge::kernels
