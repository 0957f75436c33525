// The bound model of miner/cpu/throughput_probe.hpp on made-up throughputs, and the probe on
// this machine (plausible ranges only: its figures depend on the CPU and its load).
#include <algorithm>
#include <string_view>

#include <gtest/gtest.h>

#include "miner/cpu/throughput_probe.hpp"

namespace {

using namespace nonceforge::miner::cpu;

ThroughputProbe FakeProbe() {
    ThroughputProbe p;
    p.clock_hz = 3e9;
    p.add512 = 4;
    p.tern512 = 4;
    p.ror512 = 2;
    p.shift512 = 2;
    p.rorshift512 = 2;
    p.rnds2 = 0.5;
    p.msg1 = 1;
    p.msg2 = 1;
    p.rnds2_msg2 = 1;
    p.add128 = 4;
    return p;
}

TEST(ThroughputBound, IsTheLargestOfTheClassLimits) {
    const auto mix = ScanOpMix("avx512-16way");
    ASSERT_TRUE(mix.has_value());
    EXPECT_GT(mix->add, 0);
    EXPECT_GT(mix->rot, mix->shift) << "three rotates per Sigma, two per sigma";
    const auto bound = ScanBound("avx512-16way", FakeProbe());
    ASSERT_TRUE(bound.has_value());
    const double alu = mix->add + mix->logic + mix->rot + mix->shift + mix->other;
    const double expected = std::max(alu / 4, (mix->rot + mix->shift) / 2);
    EXPECT_DOUBLE_EQ(bound->cycles_per_nonce, expected);
    EXPECT_DOUBLE_EQ(bound->hashes_per_second, 3e9 / expected);

    // Halve the rotate rate: rotates alone now set it.
    ThroughputProbe slow_rotates = FakeProbe();
    slow_rotates.ror512 = 0.5;
    const auto b2 = ScanBound("avx512-16way", slow_rotates);
    ASSERT_TRUE(b2.has_value());
    EXPECT_DOUBLE_EQ(b2->cycles_per_nonce, std::max(expected, mix->rot / 0.5));
    EXPECT_EQ(b2->limit, "rotates");
}

TEST(ThroughputBound, InterleavedStreamsHaveTheSameMixPerNonce) {
    const auto one = ScanOpMix("avx512-16way");
    const auto two = ScanOpMix("avx512-16way-x2");
    const auto vl = ScanOpMix("avx512vl-8way");
    ASSERT_TRUE(one && two && vl);
    EXPECT_DOUBLE_EQ(one->Total(), two->Total());
    EXPECT_DOUBLE_EQ(vl->Total(), 2 * one->Total()) << "eight lanes a vector instead of sixteen";
}

TEST(ThroughputBound, ShaNiIsBoundByItsRounds) {
    const auto bound = ScanBound("sha-ni-8way", FakeProbe());
    ASSERT_TRUE(bound.has_value());
    EXPECT_DOUBLE_EQ(bound->cycles_per_nonce, 62 / 0.5);
    EXPECT_EQ(bound->limit, "sha256rnds2");

    // sha256msg2 sharing the SHA unit: the mix runs slower than either alone and sets it.
    ThroughputProbe shared = FakeProbe();
    shared.rnds2 = 1;
    shared.msg2 = 0.5;
    shared.rnds2_msg2 = 0.8;
    const auto mix = ScanOpMix("sha-ni-2way");
    ASSERT_TRUE(mix.has_value());
    const auto b2 = ScanBound("sha-ni-2way", shared);
    ASSERT_TRUE(b2.has_value());
    EXPECT_DOUBLE_EQ(b2->cycles_per_nonce, (mix->rnds2 + mix->msg2) / 0.8);
    EXPECT_EQ(b2->limit, "sha256rnds2+msg2");
}

TEST(ThroughputBound, ShaNiWithVectorSchedulesCountsTheRoundsAmongTheVectorOperations) {
    const auto mix = ScanOpMix("sha-ni-vl-8way");
    ASSERT_TRUE(mix.has_value());
    EXPECT_DOUBLE_EQ(mix->rnds2, 62);
    EXPECT_EQ(mix->msg1 + mix->msg2, 0) << "the schedules are not made with sha256msg1/msg2";
    ThroughputProbe p = FakeProbe();
    p.add256 = 4;
    p.tern256 = 4;
    p.ror256 = 2;
    p.shift256 = 2;
    p.rorshift256 = 2;
    p.rnds2 = 1;
    auto bound = ScanBound("sha-ni-vl-8way", p);
    ASSERT_TRUE(bound.has_value());
    EXPECT_DOUBLE_EQ(bound->cycles_per_nonce, 62) << "a sha256rnds2 a cycle sets it";
    EXPECT_EQ(bound->limit, "sha256rnds2");
    // Vector pipes a quarter as fast: all the ALU operations, sha256rnds2 with them, set it.
    p.add256 = p.tern256 = 1;
    p.ror256 = p.shift256 = p.rorshift256 = 0.5;
    bound = ScanBound("sha-ni-vl-8way", p);
    ASSERT_TRUE(bound.has_value());
    EXPECT_DOUBLE_EQ(bound->cycles_per_nonce, mix->Total());
    EXPECT_EQ(bound->limit, "all ALU");
}

TEST(ThroughputBound, ThePathsOwnMixSetsItWhenItRunsSlowerThanTheClassesSay) {
    const auto mix = ScanOpMix("avx512-16way");
    ASSERT_TRUE(mix.has_value());
    ThroughputProbe p = FakeProbe();
    const double by_classes = ScanBound("avx512-16way", p)->cycles_per_nonce;
    p.mix512 = 100; // faster than the classes allow: no effect
    EXPECT_DOUBLE_EQ(ScanBound("avx512-16way", p)->cycles_per_nonce, by_classes);
    p.mix512 = 1.5; // slower than the four a cycle of the fastest class
    const auto bound = ScanBound("avx512-16way", p);
    ASSERT_TRUE(bound.has_value());
    EXPECT_DOUBLE_EQ(bound->cycles_per_nonce, mix->Total() / 1.5);
    EXPECT_EQ(bound->limit, "the scan's mix");

    ThroughputProbe q = FakeProbe();
    q.rnds2 = 1;
    q.add256 = q.tern256 = 4;
    q.ror256 = q.shift256 = q.rorshift256 = 2;
    q.mix_shani_vl = 2;
    const auto vl = ScanOpMix("sha-ni-vl-8way");
    const auto b2 = ScanBound("sha-ni-vl-8way", q);
    ASSERT_TRUE(vl && b2);
    EXPECT_DOUBLE_EQ(b2->cycles_per_nonce, vl->Total() / 2);
    EXPECT_EQ(b2->limit, "the scan's mix");
}

// The probe's mixes must stay in the proportions of the paths they bound.
TEST(ThroughputBound, TheProbesMixesHaveThePathsProportions) {
#if defined(__x86_64__)
    for (const char* impl : {"avx512-16way", "avx512vl-8way", "sha-ni-vl-8way", "sha-ni-2way"}) {
        SCOPED_TRACE(impl);
        const std::optional<OpMix> unit = ProbeMixUnit(impl);
        const auto path = ScanOpMix(impl);
        ASSERT_TRUE(unit && path);
        auto share = [](const OpMix& m, double part) { return part / m.Total(); };
        EXPECT_NEAR(share(*unit, unit->rnds2), share(*path, path->rnds2), 0.02);
        EXPECT_NEAR(share(*unit, unit->msg1), share(*path, path->msg1), 0.02);
        EXPECT_NEAR(share(*unit, unit->msg2), share(*path, path->msg2), 0.02);
        if (std::string_view(impl).substr(0, 6) == "sha-ni" && path->msg2 > 0) {
            continue; // the SHA-NI paths' other operations are one class in the model
        }
        EXPECT_NEAR(share(*unit, unit->add), share(*path, path->add), 0.02);
        EXPECT_NEAR(share(*unit, unit->logic), share(*path, path->logic), 0.02);
        EXPECT_NEAR(share(*unit, unit->rot), share(*path, path->rot), 0.02);
        EXPECT_NEAR(share(*unit, unit->shift), share(*path, path->shift), 0.02);
        EXPECT_NEAR(share(*unit, unit->other), share(*path, path->other), 0.02);
    }
    EXPECT_FALSE(ProbeMixUnit("generic").has_value());
#else
    GTEST_SKIP() << "the probe's mixes are x86-64 assembly";
#endif
}

TEST(ThroughputBound, NoBoundWithoutTheMeasurementOrTheModel) {
    ThroughputProbe no_sha = FakeProbe();
    no_sha.rnds2 = 0;
    EXPECT_FALSE(ScanBound("sha-ni-2way", no_sha).has_value());
    EXPECT_FALSE(ScanBound("generic", FakeProbe()).has_value());
    EXPECT_FALSE(ScanBound("avx512-16way", ThroughputProbe{}).has_value());
}

TEST(ThroughputProbeRun, GivesPlausibleFiguresOnThisMachine) {
    const CpuFeatures f = DetectCpuFeatures();
    const ThroughputProbe p = MeasureThroughput(f, 0.001);
#if defined(__x86_64__)
    EXPECT_GT(p.clock_hz, 2e8);
    EXPECT_LT(p.clock_hz, 1e10);
    if (f.avx2) {
        EXPECT_GT(p.add256, 0.1);
        EXPECT_LT(p.add256, 16) << "more than 16 vector adds a cycle: the clock is wrong";
    } else {
        EXPECT_EQ(p.add256, 0);
    }
    // A mix cannot run much faster than its fastest class, nor more than 16 vector operations
    // a cycle; it is measured exactly where the CPU has every class in it.
    if (f.avx512) {
        EXPECT_GT(p.mix512, 0.1);
        EXPECT_LT(p.mix512, 1.25 * std::max({p.add512, p.tern512, p.ror512, p.shift512}));
        EXPECT_GT(p.mix256, 0.1);
        EXPECT_LT(p.mix256, 16);
    } else {
        EXPECT_EQ(p.mix512, 0);
    }
    if (f.sha_ni && f.avx512) {
        EXPECT_GT(p.mix_shani_vl, 0.1);
        EXPECT_LT(p.mix_shani_vl, 16);
    } else {
        EXPECT_EQ(p.mix_shani_vl, 0);
    }
    if (f.sha_ni && f.avx2) {
        EXPECT_GT(p.mix_shani, 0.1);
        EXPECT_LT(p.mix_shani, 16);
    } else {
        EXPECT_EQ(p.mix_shani, 0);
    }
    EXPECT_LT(p.seconds, 5.0);
#else
    EXPECT_EQ(p.clock_hz, 0);
#endif
}

} // namespace
