// The tuned sha256d scan kernel: the unrolled round code of sha256d_rounds.hpp, the
// nonce-independent work in the kernel parameter (core::ScanPrecomp, by value: it lives in the
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
    TunedScanKernel(const core::ScanPrecomp p, uint32_t first, uint64_t count,
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

// The result buffer of one synchronous tuned scan: [count, survivors...], freed on every path.
struct TunedBuffer {
    static constexpr uint32_t CAPACITY = 4096;
    uint32_t* results = nullptr;
    ~TunedBuffer() { cudaFree(results); }
};

GpuError RunTuned(int device, const core::ScanPrecomp& precomp, uint32_t first, uint64_t count,
                  TunedBuffer& b) {
    auto blocks = TunedGridBlocks(device);
    if (!blocks) {
        return blocks.error();
    }
    const std::size_t bytes = (1 + TunedBuffer::CAPACITY) * sizeof(uint32_t);
    if (GpuError e = CudaFailure("cudaMalloc", cudaMalloc(&b.results, bytes))) {
        return e;
    }
    if (GpuError e = CudaFailure("cudaMemset", cudaMemset(b.results, 0, sizeof(uint32_t)))) {
        return e;
    }
    if (GpuError e = EnqueueTunedScan(precomp, first, count, *blocks, b.results,
                                      TunedBuffer::CAPACITY, nullptr, nullptr)) {
        return e;
    }
    return CudaFailure("cudaDeviceSynchronize", cudaDeviceSynchronize());
}

} // namespace

core::Expected<unsigned, GpuError> TunedGridBlocks(int device) {
    if (GpuError e = CudaFailure("cudaSetDevice", cudaSetDevice(device))) {
        return core::MakeUnexpected(e);
    }
    int sms = 0;
    if (GpuError e =
            CudaFailure("cudaDeviceGetAttribute(MultiProcessorCount)",
                        cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device))) {
        return core::MakeUnexpected(e);
    }
    int per_sm = 0;
    if (GpuError e = CudaFailure("cudaOccupancyMaxActiveBlocksPerMultiprocessor",
                                 cudaOccupancyMaxActiveBlocksPerMultiprocessor(
                                     &per_sm, TunedScanKernel, int(TUNED_THREADS_PER_BLOCK), 0))) {
        return core::MakeUnexpected(e);
    }
    return unsigned(std::max(1, sms) * std::max(1, per_sm));
}

GpuError EnqueueTunedScan(const core::ScanPrecomp& precomp, uint32_t first, uint64_t count,
                          unsigned blocks, uint32_t* d_results, uint32_t capacity,
                          const uint32_t* d_abort, void* stream) {
    if (count == 0) {
        return {};
    }
    const uint64_t needed = (count + TUNED_THREADS_PER_BLOCK - 1) / TUNED_THREADS_PER_BLOCK;
    const unsigned grid = unsigned(std::clamp<uint64_t>(needed, 1, std::max(blocks, 1u)));
    TunedScanKernel<<<grid, TUNED_THREADS_PER_BLOCK, 0, static_cast<cudaStream_t>(stream)>>>(
        precomp, first, count, d_results, capacity, d_abort, 1u);
    return CudaFailure("tuned kernel launch", cudaGetLastError());
}

GpuScanResult ScanTuned(int device, const core::ScanPrecomp& precomp, uint32_t first,
                        uint64_t count) {
    GpuScanResult result;
    TunedBuffer b;
    if ((result.error = RunTuned(device, precomp, first, count, b))) {
        return result;
    }
    uint32_t n = 0;
    result.error =
        CudaFailure("cudaMemcpy", cudaMemcpy(&n, b.results, sizeof n, cudaMemcpyDeviceToHost));
    if (result.error) {
        return result;
    }
    result.overflowed = n > TunedBuffer::CAPACITY;
    result.nonces.resize(std::min(n, TunedBuffer::CAPACITY));
    if (!result.nonces.empty()) {
        result.error = CudaFailure("cudaMemcpy", cudaMemcpy(result.nonces.data(), b.results + 1,
                                                            result.nonces.size() * sizeof(uint32_t),
                                                            cudaMemcpyDeviceToHost));
    }
    std::sort(result.nonces.begin(), result.nonces.end());
    return result;
}

} // namespace nonceforge::kernels
