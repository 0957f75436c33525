#include "miner/cuda/cuda_context.hpp"

#include <algorithm>

#include <cuda_runtime.h>

namespace nonceforge::miner::cuda {

namespace {

using kernels::CudaFailure;
using kernels::GpuError;

// Result buffer layout, device and pinned host alike: [count, survivors...].
constexpr std::size_t RESULT_WORDS = 1 + CudaContext::HIT_CAPACITY;

} // namespace

struct CudaContext::Impl {
    int device = 0;
    struct Slot {
        cudaStream_t stream = nullptr;
        cudaEvent_t kernel_start = nullptr;
        cudaEvent_t kernel_end = nullptr;
        cudaEvent_t copied = nullptr; // count and survivors are in `host`
        uint32_t* device_results = nullptr;
        uint32_t* host = nullptr; // pinned
    };
    Slot slots[SLOTS];
    cudaStream_t control = nullptr; // abort-word writes, independent of the scan streams
    cudaEvent_t epoch = nullptr;    // kernel times are read relative to it (float ms)
    float last_end_ms = 0;          // end of the launch collected last, since `epoch`
    uint32_t* device_abort = nullptr;
    uint32_t* host_abort = nullptr; // pinned: source of the abort-word copies

    // Frees what exists; errors here are not actionable (the device is being dropped).
    ~Impl() {
        cudaSetDevice(device);
        for (Slot& s : slots) {
            if (s.stream) {
                cudaStreamSynchronize(s.stream);
                cudaStreamDestroy(s.stream);
            }
            cudaEventDestroy(s.kernel_start);
            cudaEventDestroy(s.kernel_end);
            cudaEventDestroy(s.copied);
            cudaFree(s.device_results);
            cudaFreeHost(s.host);
        }
        if (control) {
            cudaStreamSynchronize(control);
            cudaStreamDestroy(control);
        }
        cudaEventDestroy(epoch);
        cudaFree(device_abort);
        cudaFreeHost(host_abort);
    }

    GpuError Bind() const { return CudaFailure("cudaSetDevice", cudaSetDevice(device)); }
};

CudaContext::CudaContext(kernels::GpuDeviceInfo device, std::unique_ptr<Impl> impl, unsigned blocks)
    : m_device(std::move(device))
    , m_impl(std::move(impl))
    , m_blocks(blocks) {}

CudaContext::~CudaContext() = default;

core::Expected<std::unique_ptr<CudaContext>, GpuError>
CudaContext::Create(const kernels::GpuDeviceInfo& device) {
    auto impl = std::make_unique<Impl>();
    impl->device = device.index;
    auto fail = [](const GpuError& e) { return core::MakeUnexpected(e); };
    if (GpuError e = impl->Bind()) {
        return fail(e);
    }
    // Each call runs only if every earlier one succeeded; the first failure is kept.
    GpuError error;
    auto ok = [&](const char* what, cudaError_t result) {
        error = CudaFailure(what, result);
        return !error;
    };
    for (Impl::Slot& s : impl->slots) {
        const std::size_t bytes = RESULT_WORDS * sizeof(uint32_t);
        if (!ok("cudaStreamCreateWithFlags",
                cudaStreamCreateWithFlags(&s.stream, cudaStreamNonBlocking)) ||
            !ok("cudaEventCreate", cudaEventCreate(&s.kernel_start)) ||
            !ok("cudaEventCreate", cudaEventCreate(&s.kernel_end)) ||
            !ok("cudaEventCreateWithFlags",
                cudaEventCreateWithFlags(&s.copied, cudaEventDisableTiming)) ||
            !ok("cudaMalloc", cudaMalloc(&s.device_results, bytes)) ||
            !ok("cudaMallocHost", cudaMallocHost(&s.host, bytes))) {
            return fail(error);
        }
        s.host[0] = 0;
    }
    if (!ok("cudaStreamCreateWithFlags",
            cudaStreamCreateWithFlags(&impl->control, cudaStreamNonBlocking)) ||
        !ok("cudaEventCreate", cudaEventCreate(&impl->epoch)) ||
        !ok("cudaMalloc", cudaMalloc(&impl->device_abort, sizeof(uint32_t))) ||
        !ok("cudaMallocHost", cudaMallocHost(&impl->host_abort, sizeof(uint32_t))) ||
        !ok("cudaMemset", cudaMemset(impl->device_abort, 0, sizeof(uint32_t))) ||
        !ok("cudaDeviceSynchronize", cudaDeviceSynchronize())) {
        return fail(error);
    }
    const auto blocks = kernels::TunedGridBlocks(device.index);
    if (!blocks) {
        return fail(blocks.error());
    }
    return std::unique_ptr<CudaContext>(new CudaContext(device, std::move(impl), *blocks));
}

GpuError CudaContext::Launch(unsigned slot, const core::ScanPrecomp& precomp, uint32_t first,
                             uint64_t count) {
    if (GpuError e = m_impl->Bind()) {
        return e;
    }
    Impl::Slot& s = m_impl->slots[slot];
    if (GpuError e = CudaFailure(
            "cudaMemsetAsync", cudaMemsetAsync(s.device_results, 0, sizeof(uint32_t), s.stream))) {
        return e;
    }
    if (GpuError e = CudaFailure("cudaEventRecord", cudaEventRecord(s.kernel_start, s.stream))) {
        return e;
    }
    if (GpuError e = kernels::EnqueueTunedScan(precomp, first, count, m_blocks, s.device_results,
                                               HIT_CAPACITY, m_impl->device_abort, s.stream)) {
        return e;
    }
    if (GpuError e = CudaFailure("cudaEventRecord", cudaEventRecord(s.kernel_end, s.stream))) {
        return e;
    }
    // The whole buffer: a fixed copy keeps the pipeline free of host round trips, and at
    // 256 KiB it takes microseconds next to a launch of 100-300 ms.
    if (GpuError e =
            CudaFailure("cudaMemcpyAsync",
                        cudaMemcpyAsync(s.host, s.device_results, RESULT_WORDS * sizeof(uint32_t),
                                        cudaMemcpyDeviceToHost, s.stream))) {
        return e;
    }
    return CudaFailure("cudaEventRecord", cudaEventRecord(s.copied, s.stream));
}

GpuError CudaContext::BeginTiming() {
    if (GpuError e = m_impl->Bind()) {
        return e;
    }
    // Recorded on the idle control stream, it completes at once: "now" on the device clock.
    // A fresh epoch per scan keeps the float milliseconds precise.
    const cudaError_t err = cudaEventRecord(m_impl->epoch, m_impl->control);
    m_impl->last_end_ms = 0;
    return CudaFailure("cudaEventRecord(epoch)", err);
}

CudaContext::Poll CudaContext::Query(unsigned slot, GpuError* error) {
    const cudaError_t err = cudaEventQuery(m_impl->slots[slot].copied);
    if (err == cudaSuccess) {
        return Poll::Done;
    }
    if (err == cudaErrorNotReady) {
        return Poll::Busy;
    }
    if (error) {
        *error = CudaFailure("cudaEventQuery", err);
    }
    return Poll::Failed;
}

core::Expected<CudaContext::SlotResult, GpuError> CudaContext::Collect(unsigned slot) {
    Impl::Slot& s = m_impl->slots[slot];
    cudaError_t err = cudaEventSynchronize(s.copied);
    if (err != cudaSuccess) {
        return core::MakeUnexpected(CudaFailure("cudaEventSynchronize", err));
    }
    SlotResult r;
    float start = 0, end = 0;
    if ((err = cudaEventElapsedTime(&start, m_impl->epoch, s.kernel_start)) != cudaSuccess ||
        (err = cudaEventElapsedTime(&end, m_impl->epoch, s.kernel_end)) != cudaSuccess) {
        return core::MakeUnexpected(CudaFailure("cudaEventElapsedTime", err));
    }
    r.kernel_ms = double(end) - double(std::max(start, m_impl->last_end_ms));
    m_impl->last_end_ms = std::max(end, m_impl->last_end_ms);
    r.reported = s.host[0];
    const uint32_t n = std::min(r.reported, HIT_CAPACITY);
    r.survivors.assign(s.host + 1, s.host + 1 + n);
    return r;
}

GpuError CudaContext::SetAbort(bool abort) {
    if (GpuError e = m_impl->Bind()) {
        return e;
    }
    *m_impl->host_abort = abort ? 1 : 0;
    cudaError_t err = cudaMemcpyAsync(m_impl->device_abort, m_impl->host_abort, sizeof(uint32_t),
                                      cudaMemcpyHostToDevice, m_impl->control);
    if (err != cudaSuccess) {
        return CudaFailure("cudaMemcpyAsync(abort)", err);
    }
    // Waiting here also keeps host_abort unchanged until the copy has read it.
    if ((err = cudaStreamSynchronize(m_impl->control)) != cudaSuccess) {
        return CudaFailure("cudaStreamSynchronize(abort)", err);
    }
    return {};
}

} // namespace nonceforge::miner::cuda
