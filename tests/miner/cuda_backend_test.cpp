// The CUDA backend on every device through HashBackend::Scan, the way the dispatcher drives
// it: the CPU conformance cases, the real blocks, easy targets that would overflow one launch,
// stop requests. Each test skips itself, saying so, without a CUDA device.
#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "miner/cuda/cuda_backend.hpp"
#include "nonceforge/core/stratum_fields.hpp"
#include "nonceforge/core/work.hpp"
#include "support/scan_reference.hpp"
#include "support/test_data.hpp"

using namespace nonceforge;
using namespace nonceforge::core;

using nonceforge::test::Nonces;
using nonceforge::test::RandomWork;
using nonceforge::test::ReferenceHits;
using nonceforge::test::TargetWithTop;

namespace {

class CudaBackendOnDevice : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        const auto devices = kernels::ListGpuDevices(&why);
        if (devices.empty()) {
            GTEST_SKIP() << "no CUDA device present (" << why << "); GPU test not run";
        }
        for (const auto& d : devices) {
            auto b = gpu::CudaBackend::Create(d);
            ASSERT_TRUE(b) << d.name << ": " << b.error();
            backends.push_back(std::move(*b));
        }
    }
    std::vector<std::unique_ptr<gpu::CudaBackend>> backends;
};

} // namespace

TEST_F(CudaBackendOnDevice, PassesItsSelfTest) {
    for (auto& b : backends) {
        auto r = b->SelfTest();
        EXPECT_TRUE(r.ok) << b->Name() << ": " << r.detail;
    }
}

TEST_F(CudaBackendOnDevice, RandomHeadersAndLengthsZeroToForty) {
    std::mt19937 rng(42);
    for (auto& b : backends) {
        for (uint32_t len = 0; len <= 40; ++len) {
            WorkUnit w = RandomWork(rng, TargetWithTop(0x3fffffff));
            w.nonce_first = std::min<uint64_t>(rng(), 0x100000000ull - len);
            w.nonce_count = len;
            auto r = b->Scan(w, std::stop_token());
            ASSERT_TRUE(r.fault.empty()) << r.fault;
            EXPECT_EQ(r.hashes_done, len);
            EXPECT_EQ(Nonces(r), ReferenceHits(w)) << b->Name() << " length " << len;
            for (const auto& c : r.candidates) {
                EXPECT_EQ(c.hash, w.HashWithNonce(c.nonce));
            }
        }
    }
}

TEST_F(CudaBackendOnDevice, EasyTargetBeyondOneLaunchesBufferIsExact) {
    // Every nonce meets the target: 300,000 hits, more than one launch's result buffer, so the
    // backend must size its launches (and rescan any overflow) to report every one in order.
    std::mt19937 rng(11);
    for (auto& b : backends) {
        WorkUnit w = RandomWork(rng, U256::Max());
        w.nonce_count = 300000;
        w.nonce_first = uint32_t(0x100000000ull - w.nonce_count);
        auto r = b->Scan(w, std::stop_token());
        ASSERT_TRUE(r.fault.empty()) << r.fault;
        EXPECT_EQ(r.hashes_done, w.nonce_count);
        const auto got = Nonces(r);
        ASSERT_EQ(got.size(), w.nonce_count) << b->Name();
        EXPECT_EQ(got.front(), w.nonce_first);
        EXPECT_EQ(got.back(), 0xffffffffu);
        EXPECT_TRUE(std::is_sorted(got.begin(), got.end()));
    }
}

TEST_F(CudaBackendOnDevice, RegtestTargetIsExact) {
    std::mt19937 rng(13);
    for (auto& b : backends) {
        WorkUnit w = RandomWork(rng, DecodeCompact(0x207fffff).target);
        w.nonce_first = 0;
        w.nonce_count = 20011;
        auto r = b->Scan(w, std::stop_token());
        ASSERT_TRUE(r.fault.empty()) << r.fault;
        EXPECT_EQ(Nonces(r), ReferenceHits(w)) << b->Name();
    }
}

TEST_F(CudaBackendOnDevice, EveryRealBlockIsFoundInItsWindow) {
    for (auto& b : backends) {
        for (const std::string& file : test::FullVectorFiles()) {
            auto v = test::LoadVector(file);
            auto bytes = test::Unhex(v.at("header").at("hex").get<std::string>());
            BlockHeader h =
                BlockHeader::Deserialize(std::span<const uint8_t, 80>(bytes.data(), 80));
            WorkUnit w = WorkUnit::FromHeader(h, DecodeCompact(h.bits).target);
            const auto& hint = v.at("stratum").at("scan_hint");
            w.nonce_first = *ParseHexU32BE(hint.at("start_nonce").get<std::string>());
            const uint32_t end = *ParseHexU32BE(hint.at("end_nonce").get<std::string>());
            w.nonce_count = uint64_t(end) - w.nonce_first + 1;
            auto r = b->Scan(w, std::stop_token());
            ASSERT_TRUE(r.fault.empty()) << r.fault;
            EXPECT_EQ(r.hashes_done, w.nonce_count) << file;
            ASSERT_EQ(r.candidates.size(), 1u) << b->Name() << " " << file;
            EXPECT_EQ(r.candidates[0].nonce, h.nonce) << file;
            EXPECT_EQ(r.candidates[0].hash.ToDisplayHex(), v.at("block_hash")) << file;
        }
    }
}

TEST_F(CudaBackendOnDevice, LargeRangeAdaptsTheLaunchSizeAndFindsWhatThePlainKernelFinds) {
    std::mt19937 rng(15);
    for (auto& b : backends) {
        WorkUnit w = RandomWork(rng, TargetWithTop(0x0000ffff));
        w.nonce_first = 0x40000000;
        w.nonce_count = 1ull << 28; // several launches at any GPU's speed
        auto r = b->Scan(w, std::stop_token());
        ASSERT_TRUE(r.fault.empty()) << r.fault;
        EXPECT_EQ(r.hashes_done, w.nonce_count);
        kernels::GpuScanParams p{};
        std::copy(w.midstate.begin(), w.midstate.end(), p.midstate);
        std::copy(w.Tail().begin(), w.Tail().end(), p.tail);
        p.target_top = 0x0000ffff;
        p.nonce_first = w.nonce_first;
        p.nonce_count = w.nonce_count;
        auto plain = kernels::ScanPlain(b->Device().index, p);
        ASSERT_TRUE(plain.ok) << plain.error;
        std::vector<uint32_t> want;
        for (uint32_t n : plain.nonces) {
            if (HashMeetsTarget(w.HashWithNonce(n), w.share_target)) {
                want.push_back(n);
            }
        }
        EXPECT_EQ(Nonces(r), want) << b->Name();
        EXPECT_GT(b->Rate(), 0);
        std::printf("[ measured ] %s: %.3f GH/s kernel throughput, %llu nonces per launch\n",
                    b->Name().c_str(), b->Rate() / 1e9,
                    static_cast<unsigned long long>(b->LaunchNonces()));
    }
}

TEST_F(CudaBackendOnDevice, StopRequestEndsTheScanAndTheNextScanIsExact) {
    std::mt19937 rng(17);
    for (auto& b : backends) {
        WorkUnit w = RandomWork(rng, Diff1Target());
        w.nonce_first = 0;
        w.nonce_count = 0x100000000ull;
        std::stop_source stop;
        miner::ScanResult r;
        std::chrono::steady_clock::time_point returned_at;
        std::thread scanner([&] {
            r = b->Scan(w, stop.get_token());
            returned_at = std::chrono::steady_clock::now();
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        const auto requested_at = std::chrono::steady_clock::now();
        stop.request_stop();
        scanner.join();
        ASSERT_TRUE(r.fault.empty()) << r.fault;
        EXPECT_TRUE(r.stopped);
        EXPECT_LT(r.hashes_done, w.nonce_count);
        // The abort word ends the running launches at their next nonce: a correctness bound
        // (the scan must not run its launches out), not a speed claim.
        EXPECT_LT(std::chrono::duration<double>(returned_at - requested_at).count(), 0.5);

        // The abort word is cleared again: the next scan is complete and exact.
        WorkUnit next = RandomWork(rng, TargetWithTop(0x0fffffff));
        next.nonce_first = 1000;
        next.nonce_count = 5000;
        auto r2 = b->Scan(next, std::stop_token());
        ASSERT_TRUE(r2.fault.empty()) << r2.fault;
        EXPECT_EQ(r2.hashes_done, next.nonce_count);
        EXPECT_EQ(Nonces(r2), ReferenceHits(next));
    }
}

TEST_F(CudaBackendOnDevice, UnknownDeviceIdIsReportedAndOthersStayInUse) {
    auto set = gpu::CreateCudaBackends({0, 999});
    EXPECT_EQ(set.backends.size(), 1u);
    ASSERT_FALSE(set.problems.empty());
    EXPECT_NE(set.problems[0].find("GPU 999"), std::string::npos) << set.problems[0];
}
