// The tuned GPU kernel's round and schedule code (kernels/sha256d_rounds.hpp), compiled as
// plain C++ and run on the CPU against the reference sha256d, with the edge cases of the CPU
// conformance suite: random headers, awkward lengths, the end of the nonce space, top-word
// filter survivors, easy targets whose top word is not zero, and the real blocks.
#include <random>

#include <gtest/gtest.h>

#include "kernels/sha256d_rounds.hpp"
#include "miner/cpu/scan_precompute.hpp"
#include "nonceforge/core/stratum_fields.hpp"
#include "nonceforge/core/work.hpp"
#include "support/scan_reference.hpp"
#include "support/test_data.hpp"

using namespace nonceforge;
using namespace nonceforge::core;
namespace rounds = nonceforge::kernels::rounds;

using nonceforge::test::RandomWork;
using nonceforge::test::ReferenceHits;
using nonceforge::test::TargetWithTop;

namespace {

cpu::ScanPrecomp PrecompFor(const WorkUnit& w) {
    return cpu::MakeScanPrecomp(w.midstate.data(), w.Tail().data(), w.share_target.TopWord());
}

// What one GPU thread does for each of its nonces: H7 through the tuned rounds, the top-word
// pre-filter on the device, then (on the host) the full compare with the reference hash.
std::vector<uint32_t> TopWordSurvivors(const cpu::ScanPrecomp& p, uint32_t first, uint64_t count) {
    std::vector<uint32_t> out;
    for (uint64_t i = 0; i < count; ++i) {
        const uint32_t nonce = first + uint32_t(i);
        if (rounds::PassesTopWord(rounds::ScanH7(p, nonce), p.target_top)) {
            out.push_back(nonce);
        }
    }
    return out;
}

std::vector<uint32_t> Hits(const WorkUnit& w) {
    std::vector<uint32_t> hits;
    for (uint32_t n : TopWordSurvivors(PrecompFor(w), w.nonce_first, w.nonce_count)) {
        if (HashMeetsTarget(w.HashWithNonce(n), w.share_target)) {
            hits.push_back(n);
        }
    }
    return hits;
}

} // namespace

TEST(TunedRounds, RoundConstantsAreTheStandardOnes) {
    for (int t = 0; t < 64; ++t) {
        EXPECT_EQ(rounds::RoundConstant(t), sha256::K[size_t(t)]) << t;
    }
    EXPECT_EQ(rounds::InitialHash(0), sha256::IV0);
    EXPECT_EQ(rounds::InitialHash(7), sha256::IV7);
}

TEST(TunedRounds, RotationsByteSwapAndLogicMatchTheReference) {
    std::mt19937 rng(1);
    for (int i = 0; i < 1000; ++i) {
        const uint32_t x = rng(), y = rng(), z = rng();
        EXPECT_EQ(rounds::Sigma0(x), sha256::Sigma0(x));
        EXPECT_EQ(rounds::Sigma1(x), sha256::Sigma1(x));
        EXPECT_EQ(rounds::SmallSigma0(x), sha256::sigma0(x));
        EXPECT_EQ(rounds::SmallSigma1(x), sha256::sigma1(x));
        EXPECT_EQ(rounds::Ch(x, y, z), sha256::Ch(x, y, z));
        EXPECT_EQ(rounds::Maj(x, y, z), sha256::Maj(x, y, z));
        EXPECT_EQ(rounds::ByteSwap(x), ByteSwap32(x));
    }
}

TEST(TunedRounds, FirstHashEqualsTheReferenceFirstSha256) {
    std::mt19937 rng(2);
    for (int i = 0; i < 200; ++i) {
        WorkUnit w = RandomWork(rng, U256::Max());
        const uint32_t nonce = i == 0 ? 0u : i == 1 ? 0xffffffffu : uint32_t(rng());
        auto header = w.header;
        WriteLE32(header.data() + 76, nonce);
        uint8_t want[32];
        sha256::Sha256(header.data(), header.size(), want);
        uint32_t got[8];
        rounds::FirstHash(PrecompFor(w), rounds::ByteSwap(nonce), 1, got);
        for (int k = 0; k < 8; ++k) {
            EXPECT_EQ(got[k], ReadBE32(want + 4 * k)) << "word " << k << " nonce " << nonce;
        }
    }
}

TEST(TunedRounds, H7IsTheTopWordOfTheReferenceSha256d) {
    std::mt19937 rng(3);
    for (int i = 0; i < 500; ++i) {
        WorkUnit w = RandomWork(rng, U256::Max());
        const uint32_t nonce = i == 0 ? 0u : i == 1 ? 0xffffffffu : uint32_t(rng());
        const Hash256 want = w.HashWithNonce(nonce);
        EXPECT_EQ(rounds::ScanH7(PrecompFor(w), nonce), ReadBE32(want.bytes.data() + 28))
            << "nonce " << nonce;
    }
}

TEST(TunedRounds, RandomHeadersAndLengthsZeroToForty) {
    std::mt19937 rng(42);
    for (uint32_t len = 0; len <= 40; ++len) {
        WorkUnit w = RandomWork(rng, TargetWithTop(0x3fffffff)); // about a quarter hit
        w.nonce_first = std::min<uint64_t>(rng(), 0x100000000ull - len);
        w.nonce_count = len;
        EXPECT_EQ(Hits(w), ReferenceHits(w)) << "length " << len;
    }
}

TEST(TunedRounds, SurvivorsOfTheTopWordFilterMatchTheReference) {
    std::mt19937 rng(5);
    for (uint32_t top : {0u, 0x0000ffffu, 0x00ffffffu, 0x7fffff00u, 0xfffffffeu, 0xffffffffu}) {
        WorkUnit w = RandomWork(rng, TargetWithTop(top));
        const auto p = PrecompFor(w);
        const uint32_t first = rng(), count = 997;
        std::vector<uint32_t> want;
        for (uint32_t i = 0; i < count; ++i) {
            const Hash256 h = w.HashWithNonce(first + i);
            if (ReadLE32(h.bytes.data() + 28) <= top) {
                want.push_back(first + i);
            }
        }
        EXPECT_EQ(TopWordSurvivors(p, first, count), want) << "target top word " << std::hex << top;
    }
}

TEST(TunedRounds, RangeEndingAtTheLastNonceNeitherWrapsNorSkips) {
    std::mt19937 rng(9);
    for (uint32_t len : {1u, 17u, 255u, 257u}) {
        WorkUnit w = RandomWork(rng, U256::Max()); // every nonce meets the target
        w.nonce_first = uint32_t(0x100000000ull - len);
        w.nonce_count = len;
        const auto got = Hits(w);
        ASSERT_EQ(got.size(), len);
        EXPECT_EQ(got.front(), w.nonce_first);
        EXPECT_EQ(got.back(), 0xffffffffu);
    }
}

TEST(TunedRounds, EasyTargetWithNonzeroTopWordIsExact) {
    std::mt19937 rng(11);
    WorkUnit w = RandomWork(rng, TargetWithTop(0xfff00000)); // almost every nonce hits
    w.nonce_first = 12345;
    w.nonce_count = 333;
    const auto want = ReferenceHits(w);
    EXPECT_GT(want.size(), 300u);
    EXPECT_EQ(Hits(w), want);
}

TEST(TunedRounds, RegtestTargetIsExact) {
    // nBits 0x207fffff: top word 0x7fffff00, so the host's full compare decides many survivors.
    std::mt19937 rng(13);
    WorkUnit w = RandomWork(rng, DecodeCompact(0x207fffff).target);
    w.nonce_first = 0;
    w.nonce_count = 211;
    EXPECT_EQ(Hits(w), ReferenceHits(w));
}

TEST(TunedRounds, FindsTheGenesisNonce) {
    auto v = test::LoadVector("block000000_genesis.json");
    auto bytes = test::Unhex(v.at("header").at("hex").get<std::string>());
    BlockHeader h = BlockHeader::Deserialize(std::span<const uint8_t, 80>(bytes.data(), 80));
    WorkUnit w = WorkUnit::FromHeader(h, DecodeCompact(h.bits).target);
    w.nonce_first = h.nonce - 1000;
    w.nonce_count = 2001;
    const auto got = Hits(w);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], h.nonce);
    EXPECT_EQ(w.HashWithNonce(got[0]).ToDisplayHex(), v.at("block_hash"));
}

TEST(TunedRounds, EveryRealBlockIsFoundInItsScanHintWindow) {
    for (const std::string& file : test::FullVectorFiles()) {
        auto v = test::LoadVector(file);
        auto bytes = test::Unhex(v.at("header").at("hex").get<std::string>());
        BlockHeader h = BlockHeader::Deserialize(std::span<const uint8_t, 80>(bytes.data(), 80));
        WorkUnit w = WorkUnit::FromHeader(h, DecodeCompact(h.bits).target);
        const auto& hint = v.at("stratum").at("scan_hint");
        w.nonce_first = *ParseHexU32BE(hint.at("start_nonce").get<std::string>());
        const uint32_t end = *ParseHexU32BE(hint.at("end_nonce").get<std::string>());
        w.nonce_count = uint64_t(end) - w.nonce_first + 1;
        const auto got = Hits(w);
        ASSERT_EQ(got.size(), 1u) << file;
        EXPECT_EQ(got[0], h.nonce) << file;
        EXPECT_EQ(w.HashWithNonce(got[0]).ToDisplayHex(), v.at("block_hash")) << file;
    }
}
