#include "miner/cuda/cuda_context.hpp"

#include <algorithm>

#include <cuda_runtime.h>

namespace nonceforge::gpu {

namespace {

std::string CudaError(const char* what, cudaError_t err) {
    return std::string(what) + ": " + cudaGetErrorString(err);
}

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

    std::string Bind() const {
        const cudaError_t err = cudaSetDevice(device);
        return err == cudaSuccess ? std::string() : CudaError("cudaSetDevice", err);
    }
};

CudaContext::CudaContext(kernels::GpuDeviceInfo device, std::unique_ptr<Impl> impl, unsigned blocks)
    : m_device(std::move(device))
    , m_impl(std::move(impl))
    , m_blocks(blocks) {}

CudaContext::~CudaContext() = default;

core::Expected<std::unique_ptr<CudaContext>, std::string>
CudaContext::Create(const kernels::GpuDeviceInfo& device) {
    auto impl = std::make_unique<Impl>();
    impl->device = device.index;
    auto fail = [](const std::string& what) { return core::MakeUnexpected(what); };
    if (std::string e = impl->Bind(); !e.empty()) {
        return fail(e);
    }
    // Each call runs only if every earlier one succeeded; the first failure is kept.
    std::string error;
    auto ok = [&](const char* what, cudaError_t result) {
        if (result != cudaSuccess) {
            error = CudaError(what, result);
        }
        return result == cudaSuccess;
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
    const unsigned blocks = kernels::TunedGridBlocks(device.index, &error);
    if (blocks == 0) {
        return fail(error);
    }
    return std::unique_ptr<CudaContext>(new CudaContext(device, std::move(impl), blocks));
}

std::string CudaContext::Launch(unsigned slot, const cpu::ScanPrecomp& precomp, uint32_t first,
                                uint64_t count) {
    if (std::string e = m_impl->Bind(); !e.empty()) {
        return e;
    }
    Impl::Slot& s = m_impl->slots[slot];
    cudaError_t err = cudaMemsetAsync(s.device_results, 0, sizeof(uint32_t), s.stream);
    if (err != cudaSuccess) {
        return CudaError("cudaMemsetAsync", err);
    }
    if ((err = cudaEventRecord(s.kernel_start, s.stream)) != cudaSuccess) {
        return CudaError("cudaEventRecord", err);
    }
    std::string e = kernels::EnqueueTunedScan(precomp, first, count, m_blocks, s.device_results,
                                              HIT_CAPACITY, m_impl->device_abort, s.stream);
    if (!e.empty()) {
        return e;
    }
    if ((err = cudaEventRecord(s.kernel_end, s.stream)) != cudaSuccess) {
        return CudaError("cudaEventRecord", err);
    }
    // The whole buffer: a fixed copy keeps the pipeline free of host round trips, and at
    // 256 KiB it takes microseconds next to a launch of 100-300 ms.
    if ((err = cudaMemcpyAsync(s.host, s.device_results, RESULT_WORDS * sizeof(uint32_t),
                               cudaMemcpyDeviceToHost, s.stream)) != cudaSuccess) {
        return CudaError("cudaMemcpyAsync", err);
    }
    if ((err = cudaEventRecord(s.copied, s.stream)) != cudaSuccess) {
        return CudaError("cudaEventRecord", err);
    }
    return {};
}

std::string CudaContext::BeginTiming() {
    if (std::string e = m_impl->Bind(); !e.empty()) {
        return e;
    }
    // Recorded on the idle control stream, it completes at once: "now" on the device clock.
    // A fresh epoch per scan keeps the float milliseconds precise.
    const cudaError_t err = cudaEventRecord(m_impl->epoch, m_impl->control);
    m_impl->last_end_ms = 0;
    return err == cudaSuccess ? std::string() : CudaError("cudaEventRecord(epoch)", err);
}

CudaContext::Poll CudaContext::Query(unsigned slot, std::string* error) {
    const cudaError_t err = cudaEventQuery(m_impl->slots[slot].copied);
    if (err == cudaSuccess) {
        return Poll::Done;
    }
    if (err == cudaErrorNotReady) {
        return Poll::Busy;
    }
    if (error) {
        *error = CudaError("cudaEventQuery", err);
    }
    return Poll::Failed;
}

core::Expected<CudaContext::SlotResult, std::string> CudaContext::Collect(unsigned slot) {
    Impl::Slot& s = m_impl->slots[slot];
    cudaError_t err = cudaEventSynchronize(s.copied);
    if (err != cudaSuccess) {
        return core::MakeUnexpected(CudaError("cudaEventSynchronize", err));
    }
    SlotResult r;
    float start = 0, end = 0;
    if ((err = cudaEventElapsedTime(&start, m_impl->epoch, s.kernel_start)) != cudaSuccess ||
        (err = cudaEventElapsedTime(&end, m_impl->epoch, s.kernel_end)) != cudaSuccess) {
        return core::MakeUnexpected(CudaError("cudaEventElapsedTime", err));
    }
    r.kernel_ms = double(end) - double(std::max(start, m_impl->last_end_ms));
    m_impl->last_end_ms = std::max(end, m_impl->last_end_ms);
    r.reported = s.host[0];
    const uint32_t n = std::min(r.reported, HIT_CAPACITY);
    r.survivors.assign(s.host + 1, s.host + 1 + n);
    return r;
}

std::string CudaContext::SetAbort(bool abort) {
    if (std::string e = m_impl->Bind(); !e.empty()) {
        return e;
    }
    *m_impl->host_abort = abort ? 1 : 0;
    cudaError_t err = cudaMemcpyAsync(m_impl->device_abort, m_impl->host_abort, sizeof(uint32_t),
                                      cudaMemcpyHostToDevice, m_impl->control);
    if (err != cudaSuccess) {
        return CudaError("cudaMemcpyAsync(abort)", err);
    }
    // Waiting here also keeps host_abort unchanged until the copy has read it.
    if ((err = cudaStreamSynchronize(m_impl->control)) != cudaSuccess) {
        return CudaError("cudaStreamSynchronize(abort)", err);
    }
    return {};
}

} // namespace nonceforge::gpu
