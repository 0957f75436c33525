// The tuned CUDA kernel on every device: the shared backend conformance suite, and what only
// this kernel has: agreement with the plain kernel over many grid strides and the last
// million nonces, and its result buffer's overflow report. Each test skips itself, saying so,
// without a CUDA device.
#include <random>

#include <gtest/gtest.h>

#include "kernels/sha256d_launcher.hpp"
#include "nonceforge/core/scan_precomp.hpp"
#include "nonceforge/core/stratum_fields.hpp"
#include "nonceforge/core/work.hpp"
#include "support/backend_conformance.hpp"
#include "support/kernel_backend.hpp"

using namespace nonceforge;
using namespace nonceforge::core;
using nonceforge::test::BackendConformance;

namespace {

class TunedKernel : public ::testing::Test {
protected:
    void SetUp() override {
        std::string skip;
        devices = test::CudaDevices(skip);
        if (devices.empty()) {
            GTEST_SKIP() << skip;
        }
    }
    std::vector<kernels::GpuDeviceInfo> devices;
};

struct Header {
    uint8_t bytes[80];
    uint32_t midstate[8];
};

Header RandomHeader(std::mt19937& rng) {
    Header h;
    for (auto& b : h.bytes) {
        b = uint8_t(rng());
    }
    sha256::HeaderMidstate(h.bytes, h.midstate);
    return h;
}

core::ScanPrecomp Precomp(const Header& h, uint32_t target_top) {
    return core::MakeScanPrecomp(h.midstate, h.bytes + 64, target_top);
}

kernels::GpuScanParams PlainParams(const Header& h, uint32_t target_top, uint32_t first,
                                   uint64_t count) {
    kernels::GpuScanParams p{};
    std::copy(h.midstate, h.midstate + 8, p.midstate);
    std::copy(h.bytes + 64, h.bytes + 80, p.tail);
    p.target_top = target_top;
    p.nonce_first = first;
    p.nonce_count = count;
    return p;
}

kernels::GpuScanResult TunedScan(int device, const WorkUnit& w, uint32_t first, uint64_t count) {
    const auto p =
        core::MakeScanPrecomp(w.midstate.data(), w.Tail().data(), w.share_target.TopWord());
    return kernels::ScanTuned(device, p, first, count);
}

} // namespace

INSTANTIATE_TEST_SUITE_P(Tuned, BackendConformance,
                         ::testing::Values(test::KernelFactory("tuned_kernel", TunedScan)),
                         test::FactoryName);

TEST_F(TunedKernel, AgreesWithThePlainKernelOverManyGridStrides) {
    // 2^24 nonces: far more than one wave of threads, so every thread loops.
    std::mt19937 rng(7);
    for (const auto& d : devices) {
        const Header h = RandomHeader(rng);
        const uint32_t first = uint32_t(rng()) & 0xfe000000u;
        const uint64_t count = 1u << 24;
        auto tuned = kernels::ScanTuned(d.index, Precomp(h, 0x0000ffff), first, count);
        auto plain = kernels::ScanPlain(d.index, PlainParams(h, 0x0000ffff, first, count));
        ASSERT_FALSE(tuned.error) << tuned.error.Message();
        ASSERT_FALSE(plain.error) << plain.error.Message();
        EXPECT_FALSE(tuned.overflowed);
        EXPECT_GT(tuned.nonces.size(), 100u);
        EXPECT_EQ(tuned.nonces, plain.nonces) << d.name;
    }
}

TEST_F(TunedKernel, LastMillionNoncesNeitherWrapNorSkip) {
    std::mt19937 rng(9);
    for (const auto& d : devices) {
        const Header h = RandomHeader(rng);
        const uint64_t count = (1u << 20) + 77;
        const uint32_t first = uint32_t(0x100000000ull - count);
        auto tuned = kernels::ScanTuned(d.index, Precomp(h, 0x000fffff), first, count);
        auto plain = kernels::ScanPlain(d.index, PlainParams(h, 0x000fffff, first, count));
        ASSERT_FALSE(tuned.error) << tuned.error.Message();
        ASSERT_FALSE(plain.error) << plain.error.Message();
        EXPECT_EQ(tuned.nonces, plain.nonces) << d.name;
        for (uint32_t n : tuned.nonces) {
            EXPECT_GE(n, first);
        }
    }
}

TEST_F(TunedKernel, EasyTargetOverflowIsReported) {
    std::mt19937 rng(11);
    for (const auto& d : devices) {
        const Header h = RandomHeader(rng);
        // Every nonce passes a top word of 0xffffffff: 10,000 survivors, more than the
        // synchronous scan's buffer of 4,096.
        auto r = kernels::ScanTuned(d.index, Precomp(h, 0xffffffff), 5, 10000);
        ASSERT_FALSE(r.error) << r.error.Message();
        EXPECT_TRUE(r.overflowed) << d.name;
        EXPECT_EQ(r.nonces.size(), 4096u);
        for (uint32_t n : r.nonces) {
            EXPECT_GE(n, 5u);
            EXPECT_LT(n, 10005u);
        }
    }
}
