// Conformance suite for every CPU scan implementation, run against the reference sha256d:
// each path this CPU supports must find exactly what the reference finds, on random headers,
// awkward range lengths, the end of the nonce space, easy targets and the real blocks.
#include <chrono>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "miner/cpu/cpu_backend.hpp"
#include "miner/cpu/scan_precompute.hpp"
#include "nonceforge/core/stratum_fields.hpp"
#include "nonceforge/core/work.hpp"
#include "support/scan_reference.hpp"
#include "support/test_data.hpp"

using namespace nonceforge;
using namespace nonceforge::core;
using nonceforge::cpu::CpuImpl;

using nonceforge::test::Nonces;
using nonceforge::test::RandomWork;
using nonceforge::test::ReferenceHits;
using nonceforge::test::TargetWithTop;

namespace {

const cpu::CpuFeatures& Features() {
    static const cpu::CpuFeatures f = cpu::DetectCpuFeatures();
    return f;
}

class CpuImplConformance : public ::testing::TestWithParam<const CpuImpl*> {
protected:
    void SetUp() override {
        impl = GetParam();
        if (!impl->supported(Features())) {
            GTEST_SKIP() << impl->name << " not run: this CPU lacks " << impl->requires_
                         << " (has: " << Features().Summary() << ")";
        }
    }
    miner::ScanResult Scan(const WorkUnit& w) {
        cpu::CpuBackend backend(*impl);
        return backend.Scan(w, std::stop_token());
    }
    const CpuImpl* impl = nullptr;
};

} // namespace

TEST_P(CpuImplConformance, PassesItsSelfTest) {
    auto r = cpu::SelfTestCpuImpl(*impl);
    EXPECT_TRUE(r.ok) << r.detail;
}

TEST_P(CpuImplConformance, RandomHeadersAndLengthsZeroToForty) {
    std::mt19937 rng(42);
    for (uint32_t len = 0; len <= 40; ++len) {
        WorkUnit w = RandomWork(rng, TargetWithTop(0x3fffffff)); // about a quarter hit
        w.nonce_first = rng();
        w.nonce_first = std::min<uint64_t>(w.nonce_first, 0x100000000ull - len);
        w.nonce_count = len;
        auto r = Scan(w);
        EXPECT_EQ(r.hashes_done, len);
        EXPECT_FALSE(r.stopped);
        EXPECT_EQ(Nonces(r), ReferenceHits(w)) << "length " << len;
        for (const auto& c : r.candidates) {
            EXPECT_EQ(c.hash, w.HashWithNonce(c.nonce));
        }
    }
}

TEST_P(CpuImplConformance, SurvivorsOfTheTopWordFilterMatchTheReference) {
    std::mt19937 rng(5);
    for (uint32_t top : {0u, 0x0000ffffu, 0x00ffffffu, 0x7fffff00u, 0xfffffffeu}) {
        uint8_t header[80];
        for (auto& b : header) {
            b = uint8_t(rng());
        }
        uint32_t mid[8];
        sha256::HeaderMidstate(header, mid);
        const auto p = cpu::MakeScanPrecomp(mid, header + 64, top);
        const uint32_t first = rng(), count = 997;
        std::vector<uint32_t> got(count + impl->lanes);
        got.resize(impl->scan(p, first, count, got.data()));
        std::vector<uint32_t> want;
        for (uint32_t i = 0; i < count; ++i) {
            uint8_t t[16];
            std::copy(header + 64, header + 80, t);
            WriteLE32(t + 12, first + i);
            uint8_t h[32];
            sha256::Sha256dFromMidstate(mid, t, h);
            if (ReadLE32(h + 28) <= top) {
                want.push_back(first + i);
            }
        }
        EXPECT_EQ(got, want) << "target top word " << std::hex << top;
    }
}

TEST_P(CpuImplConformance, RangeEndingAtTheLastNonceNeitherWrapsNorSkips) {
    std::mt19937 rng(9);
    for (uint32_t len : {1u, 17u, 37u, 64u, 100u}) {
        WorkUnit w = RandomWork(rng, U256::Max()); // every nonce meets the target
        w.nonce_first = uint32_t(0x100000000ull - len);
        w.nonce_count = len;
        auto r = Scan(w);
        EXPECT_EQ(r.hashes_done, len);
        auto n = Nonces(r);
        ASSERT_EQ(n.size(), len);
        EXPECT_EQ(n.front(), w.nonce_first);
        EXPECT_EQ(n.back(), 0xffffffffu);
    }
}

TEST_P(CpuImplConformance, EasyTargetReportsEveryHitInOrder) {
    std::mt19937 rng(11);
    WorkUnit w = RandomWork(rng, TargetWithTop(0xfff00000)); // almost every nonce hits
    w.nonce_first = 12345;
    w.nonce_count = 333;
    auto r = Scan(w);
    auto want = ReferenceHits(w);
    EXPECT_GT(want.size(), 300u);
    const auto got = Nonces(r);
    EXPECT_EQ(got, want);
    EXPECT_TRUE(std::is_sorted(got.begin(), got.end()));
}

TEST_P(CpuImplConformance, RegtestTargetIsExact) {
    // nBits 0x207fffff: the top word is 0x7fffff00, so the full compare decides many lanes.
    std::mt19937 rng(13);
    WorkUnit w = RandomWork(rng, DecodeCompact(0x207fffff).target);
    w.nonce_first = 0;
    w.nonce_count = 211;
    auto r = Scan(w);
    EXPECT_EQ(Nonces(r), ReferenceHits(w));
}

TEST_P(CpuImplConformance, HitInTheLastLane) {
    auto v = test::LoadVector("block000000_genesis.json");
    auto bytes = test::Unhex(v.at("header").at("hex").get<std::string>());
    BlockHeader h = BlockHeader::Deserialize(std::span<const uint8_t, 80>(bytes.data(), 80));
    WorkUnit w = WorkUnit::FromHeader(h, DecodeCompact(h.bits).target);
    for (uint32_t batches : {1u, 3u}) {
        w.nonce_count = impl->lanes * batches;
        w.nonce_first = h.nonce - uint32_t(w.nonce_count - 1); // the winner is the last lane
        auto r = Scan(w);
        ASSERT_EQ(r.candidates.size(), 1u);
        EXPECT_EQ(r.candidates[0].nonce, h.nonce);
        EXPECT_EQ(r.candidates[0].hash.ToDisplayHex(), v.at("block_hash"));
    }
}

TEST_P(CpuImplConformance, EveryRealBlockIsFoundInItsWindow) {
    for (const std::string& file : test::FullVectorFiles()) {
        auto v = test::LoadVector(file);
        auto bytes = test::Unhex(v.at("header").at("hex").get<std::string>());
        BlockHeader h = BlockHeader::Deserialize(std::span<const uint8_t, 80>(bytes.data(), 80));
        WorkUnit w = WorkUnit::FromHeader(h, DecodeCompact(h.bits).target);
        const auto& hint = v.at("stratum").at("scan_hint");
        w.nonce_first = *ParseHexU32BE(hint.at("start_nonce").get<std::string>());
        const uint32_t end = *ParseHexU32BE(hint.at("end_nonce").get<std::string>());
        w.nonce_count = uint64_t(end) - w.nonce_first + 1;
        auto r = Scan(w);
        EXPECT_EQ(r.hashes_done, w.nonce_count) << file;
        ASSERT_EQ(r.candidates.size(), 1u) << file;
        EXPECT_EQ(r.candidates[0].nonce, h.nonce) << file;
        EXPECT_EQ(r.candidates[0].hash.ToDisplayHex(), v.at("block_hash")) << file;
    }
}

TEST_P(CpuImplConformance, StopRequestEndsTheScan) {
    std::mt19937 rng(17);
    WorkUnit w = RandomWork(rng, Diff1Target());
    w.nonce_first = 0;
    w.nonce_count = 0x100000000ull; // far more than the test lets it run
    std::stop_source stop;
    miner::ScanResult r;
    std::chrono::steady_clock::time_point returned_at;
    std::thread scanner([&] {
        cpu::CpuBackend backend(*impl);
        r = backend.Scan(w, stop.get_token());
        returned_at = std::chrono::steady_clock::now();
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    const auto requested_at = std::chrono::steady_clock::now();
    stop.request_stop();
    scanner.join();
    EXPECT_TRUE(r.stopped);
    EXPECT_GT(r.hashes_done, 0u);
    EXPECT_LT(r.hashes_done, w.nonce_count);
    // A correctness bound, not a speed claim (that is `nonceforge benchmark`'s job): the scan
    // must notice the request between chunks rather than run on to the end of its range.
    EXPECT_LT(std::chrono::duration<double>(returned_at - requested_at).count(), 0.5);
}

TEST_P(CpuImplConformance, EmptyRangeHashesNothing) {
    std::mt19937 rng(19);
    WorkUnit w = RandomWork(rng, U256::Max());
    w.nonce_first = 0xffffffff;
    w.nonce_count = 0;
    auto r = Scan(w);
    EXPECT_EQ(r.hashes_done, 0u);
    EXPECT_TRUE(r.candidates.empty());
}

INSTANTIATE_TEST_SUITE_P(AllPaths, CpuImplConformance, ::testing::ValuesIn([] {
                             std::vector<const CpuImpl*> v;
                             for (const auto& i : cpu::AllCpuImpls()) {
                                 v.push_back(&i);
                             }
                             return v;
                         }()),
                         [](const auto& p) { return test::ParamName(std::string(p.param->name)); });

TEST(CpuSelection, GenericIsAlwaysUsable) {
    auto sel = cpu::SelectCpuImpl(Features());
    ASSERT_NE(sel.chosen, nullptr);
    EXPECT_NE(std::find(sel.usable.begin(), sel.usable.end(), "generic"), sel.usable.end());
    EXPECT_TRUE(sel.failed.empty());
}

TEST(CpuSelection, TheFastestPathWinsTheStartUpRaceWithinItsMargin) {
    auto sel = cpu::SelectCpuImpl(Features());
    ASSERT_NE(sel.chosen, nullptr);
    if (sel.usable.size() < 2) {
        EXPECT_TRUE(sel.measured_rate.empty()) << "nothing to choose between, nothing measured";
        return;
    }
    ASSERT_EQ(sel.measured_rate.size(), sel.usable.size());
    double chosen_rate = 0, fastest = 0;
    for (std::size_t i = 0; i < sel.usable.size(); ++i) {
        EXPECT_GT(sel.measured_rate[i], 0.0) << sel.usable[i];
        fastest = std::max(fastest, sel.measured_rate[i]);
        if (sel.usable[i] == sel.chosen->name) {
            chosen_rate = sel.measured_rate[i];
        }
    }
    EXPECT_LE(fastest, chosen_rate * 1.03 + 1e-9) << "chosen " << sel.chosen->name;

    auto unraced = cpu::SelectCpuImpl(Features(), {}, false);
    EXPECT_TRUE(unraced.measured_rate.empty());
    ASSERT_NE(unraced.chosen, nullptr);
    EXPECT_EQ(unraced.chosen->name, unraced.usable.front()) << "without a race, list order";
}

TEST(CpuSelection, ForcedImplementationIsChosenOrExplained) {
    auto sel = cpu::SelectCpuImpl(Features(), "generic");
    ASSERT_NE(sel.chosen, nullptr);
    EXPECT_EQ(sel.chosen->name, "generic");
    EXPECT_EQ(sel.usable.size(), 1u);

    auto none = cpu::SelectCpuImpl(Features(), "no-such-impl");
    EXPECT_EQ(none.chosen, nullptr);
    EXPECT_EQ(cpu::FindCpuImpl("no-such-impl"), nullptr);
}

TEST(CpuSelection, UnsupportedPathsAreReportedWithTheMissingFeature) {
    cpu::CpuFeatures none; // a CPU with no extensions at all
    auto sel = cpu::SelectCpuImpl(none);
    ASSERT_NE(sel.chosen, nullptr);
    EXPECT_EQ(sel.chosen->name, "generic");
    EXPECT_EQ(sel.unsupported.size() + 1, cpu::AllCpuImpls().size());
    for (const auto& u : sel.unsupported) {
        EXPECT_NE(u.find("needs"), std::string::npos) << u;
    }
}
