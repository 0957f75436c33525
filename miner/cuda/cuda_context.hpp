// One CUDA device as the GPU backend uses it: its streams (one per launch slot, so two
// launches are in flight), device result buffers and the pinned host buffers their results
// are copied into, timing events, and a device-side abort word. Plain C++: the CUDA types
// stay in cuda_context.cpp. Every CUDA call is checked; a failure comes back as a GpuError
// (kernels/gpu_error.hpp): the CUDA error code and the call that failed.
//
// Threading: one thread at a time. The CUDA runtime's current device is per host thread, so
// every call first makes this device current.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kernels/sha256d_launcher.hpp"
#include "nonceforge/core/expected.hpp"
#include "nonceforge/core/scan_precomp.hpp"

namespace nonceforge::miner::cuda {

class CudaContext {
public:
    static constexpr unsigned SLOTS = 2;               // launches in flight
    static constexpr uint32_t HIT_CAPACITY = 1u << 16; // survivors one launch can report

    // Streams, buffers and events for `device`.
    static core::Expected<std::unique_ptr<CudaContext>, kernels::GpuError>
    Create(const kernels::GpuDeviceInfo& device);
    ~CudaContext();
    CudaContext(const CudaContext&) = delete;
    CudaContext& operator=(const CudaContext&) = delete;

    const kernels::GpuDeviceInfo& Device() const { return m_device; }
    unsigned GridBlocks() const { return m_blocks; }

    // Enqueues on slot `slot`'s stream: zero the survivor count, the tuned kernel over
    // [first, first + count), copy count and survivors to the slot's pinned buffer.
    kernels::GpuError Launch(unsigned slot, const core::ScanPrecomp& precomp, uint32_t first,
                             uint64_t count);

    // Starts a new timing epoch; call with every slot idle (at the start of a scan).
    kernels::GpuError BeginTiming();

    enum class Poll { Busy, Done, Failed };
    // Non-blocking: has the slot's last launch (and its copy back) finished?
    Poll Query(unsigned slot, kernels::GpuError* error);

    struct SlotResult {
        std::vector<uint32_t> survivors; // in the order the device wrote them
        uint32_t reported = 0;           // survivors the device counted (> capacity: overflow)
        // Device time this launch added: from its kernel's start, or from the end of the launch
        // collected before it if that was later (a launch queued behind the other stream's
        // kernel waits for it, and the wait is not its own). Needs results collected in launch
        // order, as the backend does.
        double kernel_ms = 0;
        bool Overflowed() const { return reported > HIT_CAPACITY; }
    };
    // After Query returned Done.
    core::Expected<SlotResult, kernels::GpuError> Collect(unsigned slot);

    // Sets the device abort word (running kernels stop at their next nonce) or clears it
    // again once every slot is idle. The write goes through a copy engine on its own stream,
    // so it lands while the scan kernels still occupy every SM.
    kernels::GpuError SetAbort(bool abort);

private:
    struct Impl;
    CudaContext(kernels::GpuDeviceInfo device, std::unique_ptr<Impl> impl, unsigned blocks);

    kernels::GpuDeviceInfo m_device;
    std::unique_ptr<Impl> m_impl;
    unsigned m_blocks = 0;
};

} // namespace nonceforge::miner::cuda
