// The CUDA backend on every device through HashBackend::Scan, the way the dispatcher drives
// it: the shared backend conformance suite, and what only this backend has: launch sizes
// adapted over a large range (against the plain kernel) and unknown device ids. Each test
// skips itself, saying so, without a CUDA device.
#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "miner/cuda/cuda_backend.hpp"
#include "nonceforge/core/stratum_fields.hpp"
#include "nonceforge/core/work.hpp"
#include "support/backend_conformance.hpp"
#include "support/kernel_backend.hpp"
#include "support/scan_reference.hpp"

using namespace nonceforge;
using namespace nonceforge::core;

using nonceforge::test::BackendConformance;
using nonceforge::test::FullHits;
using nonceforge::test::RandomWork;
using nonceforge::test::TargetWithTop;

namespace {

class CudaBackendOnDevice : public ::testing::Test {
protected:
    void SetUp() override {
        std::string skip;
        for (const auto& d : test::CudaDevices(skip)) {
            auto b = miner::cuda::CudaBackend::Create(d);
            ASSERT_TRUE(b) << d.name << ": " << b.error().Message();
            backends.push_back(std::move(*b));
        }
        if (backends.empty()) {
            GTEST_SKIP() << skip;
        }
    }
    std::vector<std::unique_ptr<miner::cuda::CudaBackend>> backends;
};

test::BackendList EveryDevice(std::string& skip) {
    test::BackendList list;
    for (const auto& d : test::CudaDevices(skip)) {
        auto b = miner::cuda::CudaBackend::Create(d);
        if (!b) {
            ADD_FAILURE() << d.name << ": " << b.error().Message();
            continue;
        }
        list.push_back(std::move(*b));
    }
    return list;
}

} // namespace

// A stopped scan drops its interrupted launches, so it may count no hashes at all.
INSTANTIATE_TEST_SUITE_P(Cuda, BackendConformance,
                         ::testing::Values(test::BackendFactory{"cuda_backend", EveryDevice,
                                                                false}),
                         test::FactoryName);

TEST_F(CudaBackendOnDevice, LargeRangeAdaptsTheLaunchSizeAndFindsWhatThePlainKernelFinds) {
    std::mt19937 rng(15);
    for (auto& b : backends) {
        WorkUnit w = RandomWork(rng, TargetWithTop(0x0000ffff));
        w.nonce_first = 0x40000000;
        w.nonce_count = 1ull << 28; // several launches at any GPU's speed
        auto r = b->Scan(w, std::stop_token());
        ASSERT_FALSE(r.fault) << r.fault_detail;
        EXPECT_EQ(r.hashes_done, w.nonce_count);
        kernels::GpuScanParams p{};
        std::copy(w.midstate.begin(), w.midstate.end(), p.midstate);
        std::copy(w.Tail().begin(), w.Tail().end(), p.tail);
        p.target_top = 0x0000ffff;
        p.nonce_first = w.nonce_first;
        p.nonce_count = w.nonce_count;
        auto plain = kernels::ScanPlain(b->Device().index, p);
        ASSERT_FALSE(plain.error) << plain.error.Message();
        EXPECT_EQ(FullHits(w, r.survivors), FullHits(w, plain.nonces)) << b->Name();
        EXPECT_GT(b->Rate(), 0);
        std::printf("[ measured ] %s: %.3f GH/s kernel throughput, %llu nonces per launch\n",
                    b->Name().c_str(), b->Rate() / 1e9,
                    static_cast<unsigned long long>(b->LaunchNonces()));
    }
}

TEST_F(CudaBackendOnDevice, UnknownDeviceIdIsReportedAndOthersStayInUse) {
    auto set = miner::cuda::CreateCudaBackends({0, 999});
    EXPECT_EQ(set.backends.size(), 1u);
    ASSERT_FALSE(set.problems.empty());
    EXPECT_NE(set.problems[0].find("GPU 999"), std::string::npos) << set.problems[0];
}
