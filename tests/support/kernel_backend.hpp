// The CUDA kernels' synchronous scans (kernels::ScanPlain, kernels::ScanTuned) as HashBackends,
// so each kernel runs the shared conformance suite on every device. Tests only: ranges go to
// the kernel in pieces of at most 2^24 nonces with the stop token checked between them, and a
// piece whose survivors overflow the kernel's result buffer is rescanned in halves.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "kernels/sha256d_launcher.hpp"
#include "miner/backend_self_test.hpp"
#include "support/backend_conformance.hpp"

namespace nonceforge::test {

class KernelBackend final : public miner::HashBackend {
public:
    using ScanFn = std::function<kernels::GpuScanResult(const core::WorkUnit&, uint32_t, uint64_t)>;
    KernelBackend(std::string name, ScanFn scan)
        : m_name(std::move(name))
        , m_scan(std::move(scan)) {}

    std::string Name() const override { return m_name; }
    miner::SelfTestResult SelfTest() override { return miner::SelfTestBackend(*this); }
    miner::ScanResult Scan(const core::WorkUnit& w, std::stop_token stop) override {
        constexpr uint64_t PIECE = 1ull << 24;
        miner::ScanResult r;
        const uint64_t end =
            std::min<uint64_t>(uint64_t(w.nonce_first) + w.nonce_count, 1ull << 32);
        for (uint64_t at = w.nonce_first; at < end; at += PIECE) {
            if (stop.stop_requested()) {
                r.stopped = true;
                break;
            }
            const uint64_t count = std::min(PIECE, end - at);
            if (kernels::GpuError e = ScanPiece(w, uint32_t(at), count, r.survivors)) {
                r.fault = e.code;
                r.fault_detail = e.Message();
                return r;
            }
            r.hashes_done += count;
        }
        return r;
    }

private:
    kernels::GpuError ScanPiece(const core::WorkUnit& w, uint32_t first, uint64_t count,
                                std::vector<uint32_t>& out) {
        kernels::GpuScanResult g = m_scan(w, first, count);
        if (g.error || !g.overflowed || count < 2) {
            out.insert(out.end(), g.nonces.begin(), g.nonces.end());
            return g.error;
        }
        if (kernels::GpuError e = ScanPiece(w, first, count / 2, out)) {
            return e;
        }
        return ScanPiece(w, first + uint32_t(count / 2), count - count / 2, out);
    }

    std::string m_name;
    ScanFn m_scan;
};

// Every CUDA device, or none with `skip` saying why. Only "no driver, no device" is a skip;
// any other CUDA error fails the test.
inline std::vector<kernels::GpuDeviceInfo> CudaDevices(std::string& skip) {
    auto devices = kernels::ListGpuDevices();
    if (devices) {
        return *devices;
    }
    if (!kernels::IsNoDevice(devices.error().code)) {
        ADD_FAILURE() << "listing CUDA devices: " << devices.error().Message();
    }
    skip = "no CUDA device (" + devices.error().Message() + "); GPU test not run";
    return {};
}

// A factory of KernelBackends, one per device, from a kernel scan on device `index`.
inline BackendFactory KernelFactory(
    std::string name,
    std::function<kernels::GpuScanResult(int, const core::WorkUnit&, uint32_t, uint64_t)> scan) {
    auto make = [name, scan](std::string& skip) {
        BackendList list;
        for (const auto& d : CudaDevices(skip)) {
            list.push_back(std::make_unique<KernelBackend>(
                name + "/" + d.name,
                [scan, index = d.index](const core::WorkUnit& w, uint32_t first, uint64_t count) {
                    return scan(index, w, first, count);
                }));
        }
        return list;
    };
    return {name, make, true};
}

} // namespace nonceforge::test
