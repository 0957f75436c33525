// The CPU backend: every scan implementation compiled in runs the shared conformance suite
// (backend_conformance_test.cpp) through CpuBackend, skipping itself on a CPU without its
// instruction set; plus what only a CPU path has (lanes) and the start-up selection.
#include <algorithm>

#include <gtest/gtest.h>

#include "miner/cpu/cpu_backend.hpp"
#include "nonceforge/core/work.hpp"
#include "support/backend_conformance.hpp"
#include "support/scan_reference.hpp"
#include "support/test_data.hpp"

using namespace nonceforge;
using namespace nonceforge::core;
using nonceforge::miner::cpu::CpuImpl;
using nonceforge::test::BackendConformance;

namespace {

const miner::cpu::CpuFeatures& Features() {
    static const miner::cpu::CpuFeatures f = miner::cpu::DetectCpuFeatures();
    return f;
}

std::string SkipReason(const CpuImpl& impl) {
    return std::string(impl.name) + " not run: this CPU lacks " + std::string(impl.requires_) +
           " (has: " + Features().Summary() + ")";
}

std::vector<test::BackendFactory> CpuFactories() {
    std::vector<test::BackendFactory> factories;
    for (const CpuImpl& impl : miner::cpu::AllCpuImpls()) {
        factories.push_back({test::ParamName(std::string(impl.name)), [&impl](std::string& skip) {
                                 test::BackendList list;
                                 if (!impl.supported(Features())) {
                                     skip = SkipReason(impl);
                                 } else {
                                     list.push_back(std::make_unique<miner::cpu::CpuBackend>(impl));
                                 }
                                 return list;
                             }});
    }
    return factories;
}

class CpuImplLanes : public ::testing::TestWithParam<const CpuImpl*> {
protected:
    void SetUp() override {
        if (!GetParam()->supported(Features())) {
            GTEST_SKIP() << SkipReason(*GetParam());
        }
    }
};

} // namespace

INSTANTIATE_TEST_SUITE_P(Cpu, BackendConformance, ::testing::ValuesIn(CpuFactories()),
                         test::FactoryName);

TEST_P(CpuImplLanes, HitInTheLastLane) {
    const CpuImpl* impl = GetParam();
    auto v = test::LoadVector("block000000_genesis.json");
    auto bytes = test::Unhex(v.at("header").at("hex").get<std::string>());
    BlockHeader h = BlockHeader::Deserialize(std::span<const uint8_t, 80>(bytes.data(), 80));
    WorkUnit w = WorkUnit::FromHeader(h, DecodeCompact(h.bits).target);
    miner::cpu::CpuBackend backend(*impl);
    for (uint32_t batches : {1u, 3u}) {
        w.nonce_count = impl->lanes * batches;
        w.nonce_first = h.nonce - uint32_t(w.nonce_count - 1); // the winner is the last lane
        auto r = backend.Scan(w, std::stop_token());
        ASSERT_EQ(r.survivors.size(), 1u);
        EXPECT_EQ(r.survivors[0], h.nonce);
        EXPECT_EQ(w.HashWithNonce(r.survivors[0]).ToDisplayHex(), v.at("block_hash"));
    }
}

INSTANTIATE_TEST_SUITE_P(AllPaths, CpuImplLanes, ::testing::ValuesIn([] {
                             std::vector<const CpuImpl*> v;
                             for (const auto& i : miner::cpu::AllCpuImpls()) {
                                 v.push_back(&i);
                             }
                             return v;
                         }()),
                         [](const auto& p) { return test::ParamName(std::string(p.param->name)); });

TEST(CpuSelection, GenericIsAlwaysUsable) {
    auto sel = miner::cpu::SelectCpuImpl(Features());
    ASSERT_NE(sel.chosen, nullptr);
    EXPECT_NE(std::find(sel.usable.begin(), sel.usable.end(), "generic"), sel.usable.end());
    EXPECT_TRUE(sel.failed.empty());
}

TEST(CpuSelection, TheFastestPathWinsTheStartUpRaceWithinItsMargin) {
    auto sel = miner::cpu::SelectCpuImpl(Features());
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

    auto unraced = miner::cpu::SelectCpuImpl(Features(), {}, false);
    EXPECT_TRUE(unraced.measured_rate.empty());
    ASSERT_NE(unraced.chosen, nullptr);
    EXPECT_EQ(unraced.chosen->name, unraced.usable.front()) << "without a race, list order";
}

// The race decides on sustained rates: one burst round of a path (as avx512-16way-x2 once showed
// at start-up, 21.7 MH/s sustained against 34.9) must not win it the race.
TEST(CpuSelection, TheRacePicksTheMedianRateNotABurst) {
    const std::vector<std::vector<double>> rounds = {
        {21.7, 60.0, 21.5, 21.9, 21.6}, // listed first, one burst round
        {34.9, 34.6, 12.0, 35.1, 34.8}, // one round slowed by other load
    };
    const auto outcome = miner::cpu::PickBySustainedRate(rounds, 1.03);
    EXPECT_EQ(outcome.chosen, 1u);
    ASSERT_EQ(outcome.rates.size(), 2u);
    EXPECT_DOUBLE_EQ(outcome.rates[0], 21.7);
    EXPECT_DOUBLE_EQ(outcome.rates[1], 34.8);
}

TEST(CpuSelection, AnEarlierPathKeepsItsPlaceWithinTheMargin) {
    const std::vector<std::vector<double>> rounds = {
        {100, 101, 99},  // median 100
        {102, 102, 103}, // median 102: within 3 %
        {98, 150, 97},   // median 98
    };
    EXPECT_EQ(miner::cpu::PickBySustainedRate(rounds, 1.03).chosen, 0u);
    EXPECT_EQ(miner::cpu::PickBySustainedRate(rounds, 1.01).chosen, 1u);
}

TEST(CpuSelection, MedianOfEvenAndEmptyRounds) {
    EXPECT_DOUBLE_EQ(miner::cpu::MedianRate({4, 1, 3, 2}), 2.5);
    EXPECT_DOUBLE_EQ(miner::cpu::MedianRate({}), 0.0);
    EXPECT_TRUE(miner::cpu::PickBySustainedRate({}, 1.03).rates.empty());
}

TEST(CpuSelection, ForcedImplementationIsChosenOrExplained) {
    auto sel = miner::cpu::SelectCpuImpl(Features(), "generic");
    ASSERT_NE(sel.chosen, nullptr);
    EXPECT_EQ(sel.chosen->name, "generic");
    EXPECT_EQ(sel.usable.size(), 1u);

    auto none = miner::cpu::SelectCpuImpl(Features(), "no-such-impl");
    EXPECT_EQ(none.chosen, nullptr);
    EXPECT_EQ(miner::cpu::FindCpuImpl("no-such-impl"), nullptr);
}

TEST(CpuSelection, UnsupportedPathsAreReportedWithTheMissingFeature) {
    miner::cpu::CpuFeatures none; // a CPU with no extensions at all
    auto sel = miner::cpu::SelectCpuImpl(none);
    ASSERT_NE(sel.chosen, nullptr);
    EXPECT_EQ(sel.chosen->name, "generic");
    EXPECT_EQ(sel.unsupported.size() + 1, miner::cpu::AllCpuImpls().size());
    for (const auto& u : sel.unsupported) {
        EXPECT_NE(u.find("needs"), std::string::npos) << u;
    }
}
