// Stats: hash counters and rate windows per backend and in total, retired backends, and the
// share ledger's counts as every snapshot carries them.
#include <chrono>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "miner/stats.hpp"

using namespace nonceforge;
using namespace std::chrono_literals;

namespace {

core::Share ShareOf(const std::string& backend, double pool_difficulty) {
    auto job = std::make_shared<core::Job>();
    job->job_id = "j1";
    job->share_difficulty = pool_difficulty;
    core::Share share;
    share.job = job;
    share.backend = backend;
    share.difficulty = pool_difficulty * 3;
    return share;
}

} // namespace

TEST(Stats, HashesArePerBackendAndSummedInTheTotal) {
    miner::Stats stats;
    const auto a = stats.AddBackend("cpu0/avx2-8way");
    const auto b = stats.AddBackend("cuda0");
    stats.AddHashes(a, 1000);
    stats.AddHashes(b, 234);
    stats.AddHashes(a, 1);
    const auto s = stats.Snapshot();
    ASSERT_EQ(s.backends.size(), 2u);
    EXPECT_EQ(s.backends[0].name, "cpu0/avx2-8way");
    EXPECT_EQ(s.backends[0].hashes, 1001u);
    EXPECT_EQ(s.backends[1].hashes, 234u);
    EXPECT_EQ(s.total.hashes, 1235u);
    EXPECT_EQ(s.total.name, "total");
    // No rate from fewer than two samples.
    EXPECT_EQ(s.total.rate.h5s, 0.0);
    EXPECT_EQ(s.total.rate.h15m, 0.0);
}

TEST(Stats, RateComesFromTheHashesBetweenTwoSamples) {
    miner::Stats stats;
    const auto a = stats.AddBackend("cpu0");
    const auto b = stats.AddBackend("cpu1");
    stats.Sample();
    stats.AddHashes(a, 3'000'000);
    stats.AddHashes(b, 1'000'000);
    const auto before = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(20ms); // the windows are measured on the steady clock
    stats.Sample();
    const double most = 4'000'000 / 0.020; // at least 20 ms passed between the samples
    const double least =
        4'000'000 /
        std::chrono::duration<double>(std::chrono::steady_clock::now() - before + 1ms).count();
    const auto s = stats.Snapshot();
    EXPECT_LE(s.total.rate.h5s, most);
    EXPECT_GE(s.total.rate.h5s, least);
    // Every window spans the same two samples, and the total is the backends' sum.
    EXPECT_DOUBLE_EQ(s.total.rate.h1m, s.total.rate.h5s);
    EXPECT_DOUBLE_EQ(s.total.rate.h5m, s.total.rate.h5s);
    EXPECT_DOUBLE_EQ(s.total.rate.h15m, s.total.rate.h5s);
    EXPECT_DOUBLE_EQ(s.backends[0].rate.h5s, 3 * s.backends[1].rate.h5s);
    EXPECT_DOUBLE_EQ(s.backends[0].rate.h5s + s.backends[1].rate.h5s, s.total.rate.h5s);
}

TEST(Stats, RetiredBackendKeepsItsCountsAndSaysWhy) {
    miner::Stats stats;
    const auto a = stats.AddBackend("cpu0");
    const auto b = stats.AddBackend("cuda0");
    const auto c = stats.AddBackend("cuda1");
    stats.AddHashes(b, 77);
    stats.BackendRetired(b, "cudaErrorLaunchFailure in the scan");
    stats.BackendRetired(c, "");
    stats.BackendRetired(99, "no such backend"); // ignored
    const auto s = stats.Snapshot();
    ASSERT_EQ(s.backends.size(), 3u);
    EXPECT_FALSE(s.backends[a].retired);
    EXPECT_TRUE(s.backends[b].retired);
    EXPECT_EQ(s.backends[b].retired_reason, "cudaErrorLaunchFailure in the scan");
    EXPECT_EQ(s.backends[b].hashes, 77u);
    EXPECT_TRUE(s.backends[c].retired);
    EXPECT_EQ(s.backends[c].retired_reason, "fault");

    const auto json = miner::Stats::ToJson(s);
    EXPECT_EQ(json["backends"][0]["status"], "alive");
    EXPECT_EQ(json["backends"][1]["status"], "retired");
    EXPECT_EQ(json["backends"][1]["retired_reason"], "cudaErrorLaunchFailure in the scan");
}

TEST(Stats, SnapshotCarriesTheLedgersCountsAndTheEffectiveHashrate) {
    miner::Stats stats;
    stats.AddBackend("cpu0");
    stats.AddBackend("cpu1");
    auto s1 = ShareOf("cpu0", 2.0);
    auto s2 = ShareOf("cpu0", 2.0);
    auto s3 = ShareOf("cpu1", 8.0);
    auto s4 = ShareOf("cpu1", 8.0);
    for (auto* s : {&s1, &s2, &s3, &s4}) {
        stats.Shares().Found(*s);
    }
    ASSERT_TRUE(stats.Shares().Resolve(s1, core::VerdictKind::Accepted, ""));
    ASSERT_TRUE(stats.Shares().Resolve(s2, core::VerdictKind::Rejected, "Duplicate share"));
    ASSERT_TRUE(stats.Shares().Resolve(s3, core::VerdictKind::Accepted, ""));
    // s4 has no verdict yet: pending.
    const auto s = stats.Snapshot();
    EXPECT_EQ(s.backends[0].shares.found, 2u);
    EXPECT_EQ(s.backends[0].shares.accepted, 1u);
    EXPECT_EQ(s.backends[0].shares.rejected, 1u);
    EXPECT_EQ(s.backends[0].shares.rejected_by_reason.at("Duplicate share"), 1u);
    EXPECT_EQ(s.backends[1].shares.accepted, 1u);
    EXPECT_EQ(s.backends[1].shares.Pending(), 1u);
    EXPECT_EQ(s.total.shares.found, 4u);
    EXPECT_EQ(s.total.shares.accepted, 2u);
    EXPECT_EQ(s.total.shares.Pending(), 1u);
    EXPECT_DOUBLE_EQ(s.total.shares.accepted_difficulty_sum, 10.0);
    // Accepted difficulty x 2^32 over the uptime (at least one second).
    const double secs = std::max<double>(1.0, double(s.uptime.count()));
    EXPECT_DOUBLE_EQ(s.effective_hashrate, 10.0 * 4294967296.0 / secs);

    const auto json = miner::Stats::ToJson(s);
    EXPECT_EQ(json["total"]["shares"]["found"], 4u);
    EXPECT_EQ(json["total"]["shares"]["pending"], 1u);
    EXPECT_EQ(json["backends"][1]["shares"]["accepted"], 1u);
}
