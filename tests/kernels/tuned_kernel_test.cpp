// The tuned CUDA kernel on every device, against the CPU reference and the plain kernel: the
// CPU conformance cases (awkward lengths, the end of the nonce space, top-word survivors, easy
// targets) and the real blocks. Each test skips itself, saying so, without a CUDA device.
#include <random>

#include <gtest/gtest.h>

#include "kernels/sha256d_launcher.hpp"
#include "miner/cpu/scan_precompute.hpp"
#include "nonceforge/core/stratum_fields.hpp"
#include "nonceforge/core/work.hpp"
#include "support/test_data.hpp"

using namespace nonceforge;
using namespace nonceforge::core;

namespace {

class TunedKernel : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        devices = kernels::ListGpuDevices(&why);
        if (devices.empty()) {
            GTEST_SKIP() << "no CUDA device present (" << why << "); GPU test not run";
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

cpu::ScanPrecomp Precomp(const Header& h, uint32_t target_top) {
    return cpu::MakeScanPrecomp(h.midstate, h.bytes + 64, target_top);
}

std::vector<uint32_t> Reference(const Header& h, uint32_t target_top, uint32_t first,
                                uint64_t count) {
    std::vector<uint32_t> out;
    for (uint64_t n = first; n < first + count; ++n) {
        uint8_t tail[16];
        std::copy(h.bytes + 64, h.bytes + 80, tail);
        WriteLE32(tail + 12, uint32_t(n));
        uint8_t hash[32];
        sha256::Sha256dFromMidstate(h.midstate, tail, hash);
        if (ReadLE32(hash + 28) <= target_top) {
            out.push_back(uint32_t(n));
        }
    }
    return out;
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

} // namespace

TEST_F(TunedKernel, AwkwardLengthsAndTheEndOfTheNonceSpaceMatchTheReference) {
    std::mt19937 rng(3);
    for (const auto& d : devices) {
        const Header h = RandomHeader(rng);
        for (uint64_t len : {0ull, 1ull, 31ull, 255ull, 257ull, 1000ull, 4099ull}) {
            for (uint32_t first : {uint32_t(rng()) & 0x7fffffffu, uint32_t(0x100000000ull - len)}) {
                auto r = kernels::ScanTuned(d.index, Precomp(h, 0x0fffffff), first, len);
                ASSERT_TRUE(r.ok) << d.name << ": " << r.error;
                EXPECT_FALSE(r.overflowed);
                EXPECT_EQ(r.nonces, Reference(h, 0x0fffffff, first, len))
                    << d.name << " length " << len << " from " << first;
            }
        }
    }
}

TEST_F(TunedKernel, SurvivorsOfTheTopWordFilterMatchTheReference) {
    std::mt19937 rng(5);
    for (const auto& d : devices) {
        for (uint32_t top : {0u, 0x0000ffffu, 0x00ffffffu, 0x7fffff00u}) {
            const Header h = RandomHeader(rng);
            const uint32_t first = rng();
            const uint32_t count = std::min<uint32_t>(997, uint32_t(0x100000000ull - first));
            auto r = kernels::ScanTuned(d.index, Precomp(h, top), first, count);
            ASSERT_TRUE(r.ok) << r.error;
            EXPECT_EQ(r.nonces, Reference(h, top, first, count)) << d.name << " top " << top;
        }
    }
}

TEST_F(TunedKernel, AgreesWithThePlainKernelOverManyGridStrides) {
    // 2^24 nonces: far more than one wave of threads, so every thread loops.
    std::mt19937 rng(7);
    for (const auto& d : devices) {
        const Header h = RandomHeader(rng);
        const uint32_t first = uint32_t(rng()) & 0xfe000000u;
        const uint64_t count = 1u << 24;
        auto tuned = kernels::ScanTuned(d.index, Precomp(h, 0x0000ffff), first, count);
        auto plain = kernels::ScanPlain(d.index, PlainParams(h, 0x0000ffff, first, count));
        ASSERT_TRUE(tuned.ok) << tuned.error;
        ASSERT_TRUE(plain.ok) << plain.error;
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
        ASSERT_TRUE(tuned.ok) << tuned.error;
        ASSERT_TRUE(plain.ok) << plain.error;
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
        ASSERT_TRUE(r.ok) << r.error;
        EXPECT_TRUE(r.overflowed) << d.name;
        EXPECT_EQ(r.nonces.size(), 4096u);
        for (uint32_t n : r.nonces) {
            EXPECT_GE(n, 5u);
            EXPECT_LT(n, 10005u);
        }
    }
}

TEST_F(TunedKernel, EveryRealBlockIsFoundInItsScanHintWindow) {
    for (const auto& d : devices) {
        for (const std::string& file : test::FullVectorFiles()) {
            auto v = test::LoadVector(file);
            auto bytes = test::Unhex(v.at("header").at("hex").get<std::string>());
            BlockHeader bh =
                BlockHeader::Deserialize(std::span<const uint8_t, 80>(bytes.data(), 80));
            WorkUnit w = WorkUnit::FromHeader(bh, DecodeCompact(bh.bits).target);
            const auto& hint = v.at("stratum").at("scan_hint");
            const uint32_t first = *ParseHexU32BE(hint.at("start_nonce").get<std::string>());
            const uint32_t end = *ParseHexU32BE(hint.at("end_nonce").get<std::string>());
            const auto p =
                cpu::MakeScanPrecomp(w.midstate.data(), w.Tail().data(), w.share_target.TopWord());
            auto r = kernels::ScanTuned(d.index, p, first, uint64_t(end) - first + 1);
            ASSERT_TRUE(r.ok) << r.error;
            // Top-word survivors on the device, the full compare on the host.
            std::vector<uint32_t> hits;
            for (uint32_t n : r.nonces) {
                if (HashMeetsTarget(w.HashWithNonce(n), w.share_target)) {
                    hits.push_back(n);
                }
            }
            ASSERT_EQ(hits.size(), 1u) << d.name << " " << file;
            EXPECT_EQ(hits[0], bh.nonce) << file;
            EXPECT_EQ(w.HashWithNonce(hits[0]).ToDisplayHex(), v.at("block_hash")) << file;
        }
    }
}
