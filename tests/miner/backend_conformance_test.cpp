// The conformance cases every hashing backend passes, each written once, against the reference
// sha256d: the shared self-test, the genesis nonce, awkward ranges and lengths, the end of the
// nonce space, top-word survivors, easy and regtest targets, more survivors than a result
// buffer holds, the real blocks, stop requests and empty ranges. Instantiated per backend kind
// by cpu_scan_test.cpp, kernels/rounds_test.cpp and, with CUDA, the GPU test files.
#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include <gtest/gtest.h>

#include "nonceforge/core/stratum_fields.hpp"
#include "nonceforge/core/work.hpp"
#include "support/backend_conformance.hpp"
#include "support/scan_reference.hpp"
#include "support/test_data.hpp"

using namespace nonceforge;
using namespace nonceforge::core;
using nonceforge::test::BackendConformance;
using nonceforge::test::FullHits;
using nonceforge::test::RandomWork;
using nonceforge::test::ReferenceHits;
using nonceforge::test::ReferenceSurvivors;
using nonceforge::test::TargetWithTop;

namespace {

constexpr uint64_t NONCE_SPACE = 0x100000000ull;

miner::ScanResult ScanAll(miner::HashBackend& b, const WorkUnit& w) {
    miner::ScanResult r = b.Scan(w, std::stop_token());
    EXPECT_FALSE(r.fault) << b.Name() << ": " << r.fault_detail;
    return r;
}

// A real block's header, its network target, and the nonce window of its Stratum scan_hint;
// `nonce` is the block's own.
WorkUnit RealBlockWindow(const nlohmann::json& v, uint32_t& nonce) {
    auto bytes = test::Unhex(v.at("header").at("hex").get<std::string>());
    BlockHeader h = BlockHeader::Deserialize(std::span<const uint8_t, 80>(bytes.data(), 80));
    nonce = h.nonce;
    WorkUnit w = WorkUnit::FromHeader(h, DecodeCompact(h.bits).target);
    const auto& hint = v.at("stratum").at("scan_hint");
    w.nonce_first = *ParseHexU32BE(hint.at("start_nonce").get<std::string>());
    const uint32_t end = *ParseHexU32BE(hint.at("end_nonce").get<std::string>());
    w.nonce_count = uint64_t(end) - w.nonce_first + 1;
    return w;
}

} // namespace

TEST_P(BackendConformance, PassesTheSharedSelfTest) {
    for (auto& b : backends) {
        const miner::SelfTestResult r = b->SelfTest();
        EXPECT_TRUE(r.ok()) << b->Name() << ": " << r.detail << " (" << r.error.message() << ")";
    }
}

TEST_P(BackendConformance, FindsTheGenesisNonceInItsWindow) {
    auto v = test::LoadVector("block000000_genesis.json");
    auto bytes = test::Unhex(v.at("header").at("hex").get<std::string>());
    BlockHeader h = BlockHeader::Deserialize(std::span<const uint8_t, 80>(bytes.data(), 80));
    WorkUnit w = WorkUnit::FromHeader(h, DecodeCompact(h.bits).target);
    w.nonce_first = h.nonce - 5000;
    w.nonce_count = 10001;
    for (auto& b : backends) {
        auto r = ScanAll(*b, w);
        EXPECT_EQ(r.hashes_done, w.nonce_count);
        EXPECT_EQ(r.survivors, ReferenceSurvivors(w)) << b->Name();
        const auto hits = FullHits(w, r.survivors);
        ASSERT_EQ(hits.size(), 1u) << b->Name();
        EXPECT_EQ(hits[0], h.nonce);
        EXPECT_EQ(w.HashWithNonce(hits[0]).ToDisplayHex(), v.at("block_hash"));
    }
}

TEST_P(BackendConformance, RandomHeadersAndLengthsZeroToForty) {
    for (auto& b : backends) {
        std::mt19937 rng(42);
        for (uint32_t len = 0; len <= 40; ++len) {
            WorkUnit w = RandomWork(rng, TargetWithTop(0x3fffffff)); // about a quarter hit
            w.nonce_first = std::min<uint64_t>(rng(), NONCE_SPACE - len);
            w.nonce_count = len;
            auto r = ScanAll(*b, w);
            EXPECT_EQ(r.hashes_done, len);
            EXPECT_FALSE(r.stopped);
            EXPECT_EQ(r.survivors, ReferenceSurvivors(w)) << b->Name() << " length " << len;
            EXPECT_EQ(FullHits(w, r.survivors), ReferenceHits(w)) << b->Name() << " length " << len;
        }
    }
}

TEST_P(BackendConformance, SurvivorsOfTheTopWordFilterMatchTheReference) {
    for (auto& b : backends) {
        std::mt19937 rng(5);
        for (uint32_t top : {0u, 0x0000ffffu, 0x00ffffffu, 0x7fffff00u, 0xfffffffeu, 0xffffffffu}) {
            WorkUnit w = RandomWork(rng, TargetWithTop(top));
            w.nonce_first = rng();
            w.nonce_count = std::min<uint64_t>(997, NONCE_SPACE - w.nonce_first);
            auto r = ScanAll(*b, w);
            EXPECT_EQ(r.survivors, ReferenceSurvivors(w))
                << b->Name() << " target top word " << std::hex << top;
        }
    }
}

TEST_P(BackendConformance, AwkwardLengthsAtTheStartMiddleAndEndOfTheNonceSpace) {
    for (auto& b : backends) {
        std::mt19937 rng(3);
        for (uint64_t len : {0ull, 1ull, 31ull, 255ull, 257ull, 1000ull, 4099ull}) {
            for (uint64_t first : {uint64_t(0), uint64_t(rng() & 0x7fffffffu), NONCE_SPACE - len}) {
                WorkUnit w = RandomWork(rng, TargetWithTop(0x0fffffff));
                w.nonce_first = uint32_t(first);
                w.nonce_count = len;
                auto r = ScanAll(*b, w);
                EXPECT_EQ(r.hashes_done, len);
                EXPECT_EQ(r.survivors, ReferenceSurvivors(w))
                    << b->Name() << " length " << len << " from " << first;
            }
        }
    }
}

TEST_P(BackendConformance, RangeEndingAtTheLastNonceNeitherWrapsNorSkips) {
    for (auto& b : backends) {
        std::mt19937 rng(9);
        for (uint32_t len : {1u, 17u, 37u, 64u, 100u, 255u, 257u}) {
            WorkUnit w = RandomWork(rng, U256::Max()); // every nonce meets the target
            w.nonce_first = uint32_t(NONCE_SPACE - len);
            w.nonce_count = len;
            auto r = ScanAll(*b, w);
            EXPECT_EQ(r.hashes_done, len);
            const auto hits = FullHits(w, r.survivors);
            ASSERT_EQ(hits.size(), len) << b->Name();
            EXPECT_EQ(hits.front(), w.nonce_first);
            EXPECT_EQ(hits.back(), 0xffffffffu);
        }
    }
}

TEST_P(BackendConformance, EasyTargetReportsEveryHitInOrder) {
    for (auto& b : backends) {
        std::mt19937 rng(11);
        WorkUnit w = RandomWork(rng, TargetWithTop(0xfff00000)); // almost every nonce hits
        w.nonce_first = 12345;
        w.nonce_count = 333;
        auto r = ScanAll(*b, w);
        const auto want = ReferenceHits(w);
        EXPECT_GT(want.size(), 300u);
        const auto got = FullHits(w, r.survivors);
        EXPECT_EQ(got, want) << b->Name();
        EXPECT_TRUE(std::is_sorted(got.begin(), got.end()));
    }
}

TEST_P(BackendConformance, EasyTargetBeyondOneResultBufferIsExact) {
    // Every nonce meets the target: 300,000 survivors, more than a GPU launch's result buffer
    // holds, so a backend with one must size its launches (and rescan any overflow) to report
    // every one, in order.
    for (auto& b : backends) {
        std::mt19937 rng(11);
        WorkUnit w = RandomWork(rng, U256::Max());
        w.nonce_count = 300000;
        w.nonce_first = uint32_t(NONCE_SPACE - w.nonce_count);
        auto r = ScanAll(*b, w);
        EXPECT_EQ(r.hashes_done, w.nonce_count);
        const auto& got = r.survivors;
        ASSERT_EQ(got.size(), w.nonce_count) << b->Name();
        EXPECT_EQ(got.front(), w.nonce_first);
        EXPECT_EQ(got.back(), 0xffffffffu);
        EXPECT_TRUE(std::is_sorted(got.begin(), got.end()));
    }
}

TEST_P(BackendConformance, RegtestTargetIsExact) {
    // nBits 0x207fffff: the top word is 0x7fffff00, so the full compare decides many survivors.
    for (auto& b : backends) {
        std::mt19937 rng(13);
        WorkUnit w = RandomWork(rng, DecodeCompact(0x207fffff).target);
        w.nonce_first = 0;
        w.nonce_count = 20011;
        auto r = ScanAll(*b, w);
        EXPECT_EQ(r.survivors, ReferenceSurvivors(w)) << b->Name();
        EXPECT_EQ(FullHits(w, r.survivors), ReferenceHits(w)) << b->Name();
    }
}

TEST_P(BackendConformance, EveryRealBlockIsFoundInItsWindow) {
    for (auto& b : backends) {
        for (const std::string& file : test::FullVectorFiles()) {
            auto v = test::LoadVector(file);
            uint32_t nonce = 0;
            const WorkUnit w = RealBlockWindow(v, nonce);
            auto r = ScanAll(*b, w);
            EXPECT_EQ(r.hashes_done, w.nonce_count) << file;
            const auto hits = FullHits(w, r.survivors);
            ASSERT_EQ(hits.size(), 1u) << b->Name() << " " << file;
            EXPECT_EQ(hits[0], nonce) << file;
            EXPECT_EQ(w.HashWithNonce(hits[0]).ToDisplayHex(), v.at("block_hash")) << file;
        }
    }
}

TEST_P(BackendConformance, StopRequestEndsTheScanAndTheNextScanIsExact) {
    for (auto& b : backends) {
        std::mt19937 rng(17);
        WorkUnit w = RandomWork(rng, Diff1Target());
        w.nonce_first = 0;
        w.nonce_count = NONCE_SPACE; // far more than the test lets it run
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
        ASSERT_FALSE(r.fault) << r.fault_detail;
        EXPECT_TRUE(r.stopped);
        if (GetParam().counts_work_before_a_stop) {
            EXPECT_GT(r.hashes_done, 0u);
        }
        EXPECT_LT(r.hashes_done, w.nonce_count);
        // A correctness bound, not a speed claim (that is `nonceforge benchmark`'s job): the scan
        // must notice the request (between CPU chunks; through a GPU's abort word) rather than
        // run on to the end of its range.
        EXPECT_LT(std::chrono::duration<double>(returned_at - requested_at).count(), 0.5);

        // Whatever a stop leaves behind (a GPU's abort word) is cleared: the next scan is whole.
        WorkUnit next = RandomWork(rng, TargetWithTop(0x0fffffff));
        next.nonce_first = 1000;
        next.nonce_count = 5000;
        auto r2 = ScanAll(*b, next);
        EXPECT_EQ(r2.hashes_done, next.nonce_count);
        EXPECT_EQ(r2.survivors, ReferenceSurvivors(next)) << b->Name();
        EXPECT_EQ(FullHits(next, r2.survivors), ReferenceHits(next)) << b->Name();
    }
}

TEST_P(BackendConformance, EmptyRangeHashesNothing) {
    for (auto& b : backends) {
        std::mt19937 rng(19);
        WorkUnit w = RandomWork(rng, U256::Max());
        w.nonce_first = 0xffffffff;
        w.nonce_count = 0;
        auto r = ScanAll(*b, w);
        EXPECT_EQ(r.hashes_done, 0u);
        EXPECT_TRUE(r.survivors.empty());
    }
}
