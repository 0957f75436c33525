// The share ledger: every share found gets an id and exactly one final state; the share list
// keeps the newest verdicts with their latency; the counts obey the accounting identity.
#include <gtest/gtest.h>

#include "miner/share_ledger.hpp"

using namespace nonceforge;
using namespace std::chrono_literals;
using core::VerdictKind;

namespace {

core::Share ShareOf(const std::shared_ptr<const core::Job>& job, uint32_t nonce,
                    const std::string& backend = "cpu0/x") {
    core::Share s;
    s.job = job;
    s.nonce = nonce;
    s.backend = backend;
    s.difficulty = 1 + nonce;
    return s;
}

std::shared_ptr<core::Job> JobOf(const std::string& id) {
    auto job = std::make_shared<core::Job>();
    job->job_id = id;
    job->share_difficulty = 0.25;
    return job;
}

} // namespace

TEST(ShareLedger, KeepsTheNewestVerdictsWithTheirLatency) {
    miner::ShareLedger ledger(3);
    auto job = JobOf("j1");
    for (uint32_t i = 0; i < 5; ++i) {
        core::Share s = ShareOf(job, i);
        ledger.Found(s);
        EXPECT_EQ(s.id, i + 1);
        ASSERT_TRUE(ledger.Resolve(s, i == 4 ? VerdictKind::Rejected : VerdictKind::Accepted,
                                   i == 4 ? "Duplicate share" : "", 2ms, 0));
    }
    EXPECT_EQ(ledger.TotalRecorded(), 5u);
    const auto latest = ledger.Latest(10);
    ASSERT_EQ(latest.size(), 3u);
    EXPECT_EQ(latest[0].nonce, "00000004");
    EXPECT_EQ(latest[0].id, 5u);
    EXPECT_EQ(latest[0].verdict, VerdictKind::Rejected);
    EXPECT_EQ(latest[0].reason, "Duplicate share");
    EXPECT_EQ(latest[2].nonce, "00000002");
    EXPECT_DOUBLE_EQ(latest[1].pool_difficulty, 0.25);
    ASSERT_TRUE(latest[0].latency_ms);
    EXPECT_DOUBLE_EQ(*latest[0].latency_ms, 2.0);
    EXPECT_EQ(ledger.Latest(1).size(), 1u);
    EXPECT_TRUE(ledger.LatencyFor(0).mean_ms);
    EXPECT_FALSE(ledger.LatencyFor(1).mean_ms);
    // A verdict without an answer from the upstream (lost) has no latency.
    core::Share unanswered = ShareOf(job, 99);
    ledger.Found(unanswered);
    ASSERT_TRUE(ledger.Resolve(unanswered, VerdictKind::Lost, "client stopped"));
    EXPECT_FALSE(ledger.Latest(1)[0].latency_ms);
}

TEST(ShareLedger, EveryShareEndsInExactlyOneState) {
    miner::ShareLedger ledger;
    ledger.AddBackend("gpu0");
    auto job = JobOf("j1");
    core::Share a = ShareOf(job, 1, "cpu0");
    core::Share b = ShareOf(job, 2, "cpu0");
    core::Share c = ShareOf(job, 3, "cpu1");
    ledger.Found(a);
    ledger.Found(b);
    ledger.Found(c);
    EXPECT_TRUE(ledger.Resolve(a, VerdictKind::Accepted, ""));
    EXPECT_FALSE(ledger.Resolve(a, VerdictKind::Lost, "twice")); // a second verdict: ignored
    EXPECT_TRUE(ledger.Resolve(b, VerdictKind::Stale, "job replaced before submit"));
    core::Share never_found = ShareOf(job, 4, "cpu0");
    EXPECT_FALSE(ledger.Resolve(never_found, VerdictKind::Accepted, ""));
    const auto counts = ledger.Counts();
    ASSERT_EQ(counts.size(), 3u);
    const miner::ShareCounts& cpu0 = counts.at("cpu0");
    EXPECT_EQ(cpu0.found, 2u);
    EXPECT_EQ(cpu0.accepted, 1u);
    EXPECT_EQ(cpu0.stale, 1u);
    EXPECT_EQ(cpu0.lost, 0u);
    EXPECT_EQ(cpu0.stale_by_reason.at("job replaced before submit"), 1u);
    EXPECT_DOUBLE_EQ(cpu0.accepted_difficulty_sum, 0.25);
    EXPECT_EQ(cpu0.Pending(), 0u);
    EXPECT_EQ(counts.at("cpu1").Pending(), 1u);
    EXPECT_EQ(counts.at("gpu0").found, 0u);
    EXPECT_EQ(ledger.TotalRecorded(), 2u);
}
