// The CUDA GPU backend: one HashBackend per device. Scan cuts its nonce range into launches
// of the tuned kernel sized toward LAUNCH_TARGET of device time each (measured with events
// and adapted), keeps two launches in flight on two streams, and reports the kernel's
// top-word survivors (the dispatcher gives each the full compare on the reference sha256d).
// A stop request sets the device's abort word, so the running kernels end at their next nonce
// and their results are dropped. A CUDA error disables the device for good: Scan then reports
// it as `fault` (the CUDA error code) and the dispatcher retires the backend while the others
// keep mining.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "miner/cuda/cuda_context.hpp"
#include "miner/hash_backend.hpp"

namespace nonceforge::miner::cuda {

class CudaBackend final : public miner::HashBackend {
public:
    static constexpr std::chrono::milliseconds LAUNCH_TARGET{150}; // within 100..300 ms
    // What the dispatcher should hand a GPU: several launches per range, so the two streams
    // stay busy and the per-range host turnaround is small next to the range.
    static constexpr std::chrono::milliseconds RANGE_TIME{1000};

    // Creates the device context; does not run the self-test.
    static core::Expected<std::unique_ptr<CudaBackend>, kernels::GpuError>
    Create(const kernels::GpuDeviceInfo& device);

    std::string Name() const override { return m_name; }
    miner::SelfTestResult SelfTest() override; // miner::SelfTestBackend
    miner::ScanResult Scan(const core::WorkUnit& work, std::stop_token stop) override;

    const kernels::GpuDeviceInfo& Device() const { return m_ctx->Device(); }
    // Hashes per second: measured kernel throughput once known, a guess from the SM count
    // before that (the dispatcher's first range size).
    double Rate() const { return m_rate; }
    uint64_t LaunchNonces() const { return m_launch_nonces; }
    unsigned GridBlocks() const { return m_ctx->GridBlocks(); }

private:
    struct ScanRun;
    explicit CudaBackend(std::unique_ptr<CudaContext> ctx);
    uint64_t LaunchSizeFor(uint32_t target_top) const;
    void LearnRate(uint64_t nonces, double kernel_ms);

    std::unique_ptr<CudaContext> m_ctx;
    std::string m_name;
    double m_rate = 0;
    bool m_rate_measured = false;
    uint64_t m_launch_nonces = 0;
    kernels::GpuError m_fault; // the CUDA error that disabled this device
};

// Device discovery for `mine` and `benchmark`: a backend per selected device, each created
// and self-tested. Problems (no driver, no device, an unknown id, a failed self-test) are
// reported in `problems` and leave the other devices in use.
struct CudaBackendSet {
    std::vector<std::unique_ptr<CudaBackend>> backends;
    std::vector<std::string> notes;    // one line per device in use
    std::vector<std::string> problems; // one line per device (or reason) not in use
};
// `ids` empty: every device the CUDA runtime sees.
CudaBackendSet CreateCudaBackends(const std::vector<int>& ids);

} // namespace nonceforge::miner::cuda
