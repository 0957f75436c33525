// The plain CUDA kernel against the CPU reference. Each test skips itself, saying so, when no
// CUDA device is present (the build machines have the toolkit but no GPU).
#include <random>

#include <gtest/gtest.h>

#include "kernels/sha256d_launcher.hpp"
#include "nonceforge/core/header.hpp"
#include "nonceforge/core/hex.hpp"
#include "nonceforge/core/sha256.hpp"

using namespace nonceforge;

namespace {

class PlainKernel : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        if (kernels::ListGpuDevices(&why).empty()) {
            GTEST_SKIP() << "no CUDA device present (" << why << "); GPU test not run";
        }
    }
};

kernels::GpuScanParams ParamsFor(const uint8_t header[80], uint32_t target_top, uint32_t first,
                                 uint64_t count) {
    kernels::GpuScanParams p{};
    core::sha256::HeaderMidstate(header, p.midstate);
    std::copy(header + 64, header + 80, p.tail);
    p.target_top = target_top;
    p.nonce_first = first;
    p.nonce_count = count;
    return p;
}

std::vector<uint32_t> Reference(const uint8_t header[80], uint32_t target_top, uint32_t first,
                                uint64_t count) {
    std::vector<uint32_t> out;
    uint32_t mid[8];
    core::sha256::HeaderMidstate(header, mid);
    for (uint64_t n = first; n < first + count; ++n) {
        uint8_t tail[16];
        std::copy(header + 64, header + 80, tail);
        core::WriteLE32(tail + 12, uint32_t(n));
        uint8_t h[32];
        core::sha256::Sha256dFromMidstate(mid, tail, h);
        if (core::ReadLE32(h + 28) <= target_top) {
            out.push_back(uint32_t(n));
        }
    }
    return out;
}

} // namespace

TEST_F(PlainKernel, FindsTheGenesisNonce) {
    auto header = *core::HexDecode(
        "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b2"
        "7ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c");
    const uint32_t nonce = 2083236893;
    auto r = kernels::ScanPlain(0, ParamsFor(header.data(), 0, nonce - 5000, 10001));
    ASSERT_TRUE(r.ok) << r.error;
    ASSERT_EQ(r.nonces.size(), 1u);
    EXPECT_EQ(r.nonces[0], nonce);
}

TEST_F(PlainKernel, AwkwardRangesMatchTheReference) {
    std::mt19937 rng(3);
    uint8_t header[80];
    for (auto& b : header) {
        b = uint8_t(rng());
    }
    for (uint64_t len : {0ull, 1ull, 255ull, 257ull, 1000ull}) {
        for (uint32_t first : {0u, uint32_t(0x100000000ull - len)}) {
            auto r = kernels::ScanPlain(0, ParamsFor(header, 0x0fffffff, first, len));
            ASSERT_TRUE(r.ok) << r.error;
            EXPECT_FALSE(r.overflowed);
            EXPECT_EQ(r.nonces, Reference(header, 0x0fffffff, first, len)) << len;
        }
    }
}
