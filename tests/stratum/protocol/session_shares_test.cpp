// Session scripts: every share gets exactly one verdict.
#include <gtest/gtest.h>

#include "session_harness.hpp"

using namespace nonceforge;
using namespace nonceforge::stratum;
using namespace std::chrono_literals;
using test::Actions;
using test::Harness;
using test::Jobs;
using test::NotifyLine;
using test::OnlySent;
using test::Reply;
using test::Verdicts;

namespace {

// A ready session with one job.
struct Mining {
    explicit Mining(SessionConfig c = Harness::Config())
        : h(std::move(c)) {
        h.Handshake();
        job = Jobs(h.Line(NotifyLine("job1")))[0];
    }
    // Submits a share and returns its request id.
    uint64_t Submit(uint32_t nonce = 7) {
        auto req = OnlySent(h.Submit(Harness::ShareFor(job, nonce)));
        return req.is_null() ? 0 : req["id"].get<uint64_t>();
    }
    action::ShareVerdict OnlyVerdict(const Actions& a) {
        auto v = Verdicts(a);
        EXPECT_EQ(v.size(), 1u);
        return v.empty() ? action::ShareVerdict{} : v[0];
    }
    Harness h;
    std::shared_ptr<const core::Job> job;
};

} // namespace

TEST(SessionShares, SubmitLineAndAcceptedVerdict) {
    Mining m;
    core::Share share = Harness::ShareFor(m.job, 0xb2957c02);
    share.version = 0x20000000 | 0x00002000; // one rolled bit
    auto req = OnlySent(m.h.Submit(share));
    EXPECT_EQ(req["method"], "mining.submit");
    EXPECT_EQ(req["params"], nlohmann::json::parse(R"(["bc1qexample.rig1","job1","01010101",
        "504e86b9","b2957c02","00002000"])"));
    EXPECT_EQ(m.h.Session().OutstandingShares(), 1u);
    auto v = m.OnlyVerdict(m.h.Line(Reply(req["id"], "true")));
    EXPECT_EQ(v.kind, VerdictKind::Accepted);
    EXPECT_EQ(v.reason, "");
    EXPECT_EQ(v.share.nonce, 0xb2957c02u);
    EXPECT_EQ(m.h.Session().OutstandingShares(), 0u);
}

namespace {

// A job whose version has bit 28 set, inside the granted mask 1fffe000 (regtest's testdummy
// deployment signals there from height 144).
std::string SignallingNotify(std::string_view id) {
    std::string line = NotifyLine(id);
    line.replace(line.find("\"20000000\""), 10, "\"30000000\"");
    return line;
}

} // namespace

// BIP 310: version_bits = version & mask. public-pool reads them as job ^ bits; the two only
// differ when the job has bits inside the mask. A low-difficulty reject of such a job's share
// switches the session to the XOR reading (with a warning); the next submit uses it.
TEST(SessionShares, JobBitsInsideTheMaskSwitchToXorAfterALowDifficultyReject) {
    Mining m;
    auto job = Jobs(m.h.Line(SignallingNotify("sig")))[0];
    ASSERT_EQ(job->version, 0x30000000u);
    core::Share share = Harness::ShareFor(job, 1);
    share.version = 0x30000000 | 0x2000; // the job's bit kept, one bit rolled
    auto first = OnlySent(m.h.Submit(share));
    EXPECT_EQ(first["params"][5], "10002000"); // BIP 310 first
    Actions a = m.h.Line(
        test::ErrorReply(first["id"].get<uint64_t>(), R"([23, "Difficulty too low", ""])"));
    EXPECT_EQ(m.OnlyVerdict(a).kind, VerdictKind::Rejected);
    bool warned = false;
    for (const auto& action : a) {
        if (const auto* log = std::get_if<action::Log>(&action)) {
            warned = warned ||
                     (log->level == LogLevel::Warn && log->text.find("XOR") != std::string::npos &&
                      log->text.find("30000000") != std::string::npos &&
                      log->text.ends_with("from now on"));
        }
    }
    EXPECT_TRUE(warned);
    share.nonce = 2;
    auto second = OnlySent(m.h.Submit(share));
    EXPECT_EQ(second["params"][5], "00002000"); // version ^ job version
    EXPECT_EQ(m.OnlyVerdict(m.h.Line(Reply(second["id"], "true"))).kind, VerdictKind::Accepted);
    // Settled: a later low-difficulty reject does not switch back.
    share.nonce = 3;
    auto third = OnlySent(m.h.Submit(share));
    m.h.Line(test::ErrorReply(third["id"].get<uint64_t>(), R"([23, "Difficulty too low", ""])"));
    share.nonce = 4;
    EXPECT_EQ(OnlySent(m.h.Submit(share))["params"][5], "00002000");
}

TEST(SessionShares, AnAcceptedShareOfASignallingJobKeepsBip310) {
    Mining m;
    auto job = Jobs(m.h.Line(SignallingNotify("sig")))[0];
    core::Share share = Harness::ShareFor(job, 1);
    share.version = 0x30004000;
    auto first = OnlySent(m.h.Submit(share));
    EXPECT_EQ(first["params"][5], "10004000");
    m.h.Line(Reply(first["id"], "true"));
    share.nonce = 2;
    auto second = OnlySent(m.h.Submit(share));
    m.h.Line(test::ErrorReply(second["id"].get<uint64_t>(), R"([23, "Difficulty too low", ""])"));
    share.nonce = 3;
    EXPECT_EQ(OnlySent(m.h.Submit(share))["params"][5], "10004000");
}

TEST(SessionShares, LowDifficultyRejectsOfOrdinaryJobsChangeNothing) {
    Mining m; // job1: version 20000000, nothing inside the mask
    core::Share share = Harness::ShareFor(m.job, 1);
    share.version = 0x20002000;
    auto first = OnlySent(m.h.Submit(share));
    m.h.Line(test::ErrorReply(first["id"].get<uint64_t>(), R"([23, "Difficulty too low", ""])"));
    share.nonce = 2;
    EXPECT_EQ(OnlySent(m.h.Submit(share))["params"][5], "00002000");
}

TEST(SessionShares, WithoutVersionRollingFiveParams) {
    SessionConfig c = Harness::Config();
    c.version_rolling.reset();
    Mining m(c);
    auto req = OnlySent(m.h.Submit(Harness::ShareFor(m.job)));
    EXPECT_EQ(req["params"].size(), 5u);
}

TEST(SessionShares, CkpoolStyleReject) {
    Mining m;
    const uint64_t id = m.Submit();
    auto v = m.OnlyVerdict(
        m.h.Line(R"({"result": false, "reject-reason": "Above target", "error": null, "id": )" +
                 std::to_string(id) + "}"));
    EXPECT_EQ(v.kind, VerdictKind::Rejected);
    EXPECT_EQ(v.reason, "Above target");
}

TEST(SessionShares, PublicPoolStyleReject) {
    Mining m;
    const uint64_t id = m.Submit();
    auto v = m.OnlyVerdict(m.h.Line(test::ErrorReply(id, R"([23, "Difficulty too low", ""])")));
    EXPECT_EQ(v.kind, VerdictKind::Rejected);
    EXPECT_EQ(v.reason, "Difficulty too low (code 23)");
}

TEST(SessionShares, StaleRejectsMapToStale) {
    Mining m;
    for (std::string error :
         {R"("Stale")", R"([21,"Job not found",null])", R"({"code":21,"message":"whatever"})"}) {
        const uint64_t id = m.Submit();
        auto v = m.OnlyVerdict(m.h.Line(test::ErrorReply(id, error)));
        EXPECT_EQ(v.kind, VerdictKind::Stale) << error;
    }
    const uint64_t id = m.Submit();
    auto v = m.OnlyVerdict(
        m.h.Line(R"({"id":)" + std::to_string(id) + R"(,"result":false,"reject-reason":"Stale"})"));
    EXPECT_EQ(v.kind, VerdictKind::Stale);
}

TEST(SessionShares, RepliesMatchByIdInAnyOrder) {
    Mining m;
    const uint64_t a = m.Submit(1);
    const uint64_t b = m.Submit(2);
    auto vb = m.OnlyVerdict(m.h.Line(Reply(b, "true")));
    EXPECT_EQ(vb.share.nonce, 2u);
    auto va = m.OnlyVerdict(m.h.Line(test::ErrorReply(a, R"([22,"Duplicate share",null])")));
    EXPECT_EQ(va.share.nonce, 1u);
    EXPECT_EQ(va.kind, VerdictKind::Rejected);
    // A second reply to the same id is a reply to an id no longer pending.
    Actions again = m.h.Line(Reply(b, "true"));
    EXPECT_TRUE(Verdicts(again).empty());
    EXPECT_TRUE(test::HasLog(again, LogLevel::Warn, "not awaiting one"));
}

TEST(SessionShares, DisconnectLosesEveryOutstandingShare) {
    Mining m;
    m.Submit(1);
    m.Submit(2);
    Actions a = m.h.Disconnect("connection reset by peer");
    auto v = Verdicts(a);
    ASSERT_EQ(v.size(), 2u);
    for (const auto& verdict : v) {
        EXPECT_EQ(verdict.kind, VerdictKind::Lost);
        EXPECT_EQ(verdict.reason, "connection closed before reply (connection reset by peer)");
    }
    EXPECT_EQ(v[0].share.nonce, 1u);
    EXPECT_EQ(v[1].share.nonce, 2u);
    EXPECT_EQ(m.h.Session().OutstandingShares(), 0u);
    EXPECT_EQ(m.h.Session().State(), SessionState::Disconnected);
    EXPECT_TRUE(m.h.Disconnect().empty()) << "a second disconnect changes nothing";
}

TEST(SessionShares, UnansweredShareIsLostAfterTheTimeout) {
    Mining m;
    m.Submit();
    EXPECT_TRUE(Verdicts(m.h.Advance(29s)).empty());
    auto v = m.OnlyVerdict(m.h.Advance(1s));
    EXPECT_EQ(v.kind, VerdictKind::Lost);
    EXPECT_EQ(v.reason, "no reply to mining.submit within 30000 ms");
    EXPECT_FALSE(m.h.Session().NextDeadline());
}

TEST(SessionShares, ShareWhileDisconnectedIsLostWithoutSending) {
    Mining m;
    m.h.Disconnect();
    Actions a = m.h.Submit(Harness::ShareFor(m.job));
    EXPECT_TRUE(test::SentLines(a).empty());
    auto v = m.OnlyVerdict(a);
    EXPECT_EQ(v.kind, VerdictKind::Lost);
    EXPECT_EQ(v.reason, "not connected to the pool");
}

TEST(SessionShares, ShareOfAnEarlierConnectionIsStale) {
    Mining m;
    auto old_job = m.job;
    m.h.Disconnect();
    // The pool did not resume the session: another session id and extranonce1.
    m.h.Handshake(R"({"version-rolling":true,"version-rolling.mask":"1fffe000"})",
                  R"([[["mining.notify","0123456789"]],"08000003",4])");
    Actions a = m.h.Submit(Harness::ShareFor(old_job));
    EXPECT_TRUE(test::SentLines(a).empty());
    auto v = m.OnlyVerdict(a);
    EXPECT_EQ(v.kind, VerdictKind::Stale);
    EXPECT_EQ(v.reason, "job from an earlier connection");
}

// After a failover the backup pool's session may hand out a job of the same id, extranonce1
// and sequence number as the pool left behind; a share of the old pool's job is still never
// sent there (the backup would rebuild another header and refuse it as low difficulty).
TEST(SessionShares, ShareOfAnotherPoolsJobIsStaleThoughIdAndExtranonceMatch) {
    Mining left;
    Mining backup;
    ASSERT_EQ(left.job->job_id, backup.job->job_id);
    ASSERT_EQ(left.job->extranonce1, backup.job->extranonce1);
    ASSERT_EQ(left.job->sequence, backup.job->sequence);
    Actions a = backup.h.Submit(Harness::ShareFor(left.job));
    EXPECT_TRUE(test::SentLines(a).empty());
    auto v = backup.OnlyVerdict(a);
    EXPECT_EQ(v.kind, VerdictKind::Stale);
    EXPECT_EQ(v.reason, "job from another pool");
}

// A share found while disconnected is still good when the pool resumed the session (same
// session id and extranonce1) and no new block has come since.
TEST(SessionShares, ShareOfAResumedSessionIsSubmitted) {
    Mining m;
    auto old_job = m.job;
    m.h.Disconnect();
    m.h.Handshake();
    Actions a = m.h.Submit(Harness::ShareFor(old_job));
    ASSERT_EQ(test::SentLines(a).size(), 1u);
    EXPECT_TRUE(Verdicts(a).empty());
    EXPECT_NE(test::SentLines(a)[0].find("job1"), std::string::npos);
}

TEST(SessionShares, ShareOfAResumedSessionAfterANewBlockIsStale) {
    Mining m;
    auto old_job = m.job;
    m.h.Disconnect();
    m.h.Handshake();
    m.h.Line(NotifyLine("job2", test::PREV_B, true));
    auto v = m.OnlyVerdict(m.h.Submit(Harness::ShareFor(old_job)));
    EXPECT_EQ(v.kind, VerdictKind::Stale);
    EXPECT_EQ(v.reason, "job replaced by a new block");
}

TEST(SessionShares, ShareOfAJobBeforeSetExtranonceIsStale) {
    Mining m;
    m.h.Line(R"({"id":null,"method":"mining.set_extranonce","params":["aabbccdd",4]})");
    auto v = m.OnlyVerdict(m.h.Submit(Harness::ShareFor(m.job)));
    EXPECT_EQ(v.kind, VerdictKind::Stale);
    EXPECT_EQ(v.reason, "extranonce changed since the job");
    auto next = Jobs(m.h.Line(NotifyLine("job2")))[0];
    EXPECT_EQ(test::SentLines(m.h.Submit(Harness::ShareFor(next))).size(), 1u);
}

TEST(SessionShares, WrongExtranonce2SizeIsRejectedLocally) {
    Mining m;
    core::Share s = Harness::ShareFor(m.job);
    s.extranonce2.push_back(0);
    Actions a = m.h.Submit(s);
    EXPECT_TRUE(test::SentLines(a).empty());
    auto v = m.OnlyVerdict(a);
    EXPECT_EQ(v.kind, VerdictKind::Rejected);
    EXPECT_EQ(v.reason, "extranonce2 has 5 bytes, the job needs 4");
    core::Share no_job;
    EXPECT_EQ(m.OnlyVerdict(m.h.Submit(no_job)).kind, VerdictKind::Rejected);
}

TEST(SessionShares, FullPendingTableLosesTheShare) {
    SessionConfig c = Harness::Config();
    c.max_pending_requests = 4;
    Mining m(c);
    for (uint32_t i = 0; i < 4; ++i) {
        m.Submit(i);
    }
    Actions a = m.h.Submit(Harness::ShareFor(m.job, 99));
    EXPECT_TRUE(test::SentLines(a).empty());
    auto v = m.OnlyVerdict(a);
    EXPECT_EQ(v.kind, VerdictKind::Lost);
    EXPECT_EQ(v.reason, "too many requests awaiting a reply (4)");
    EXPECT_EQ(m.h.Session().OutstandingShares(), 4u);
}

TEST(SessionShares, UnreadableReplyLosesTheShare) {
    Mining m;
    const uint64_t id = m.Submit();
    Actions a = m.h.Line(Reply(id, R"("ok")"));
    auto v = m.OnlyVerdict(a);
    EXPECT_EQ(v.kind, VerdictKind::Lost);
    EXPECT_NE(v.reason.find("mining.submit result"), std::string::npos);
    EXPECT_TRUE(test::HasLog(a, LogLevel::Warn, "unreadable mining.submit reply"));
}

TEST(SessionShares, NextDeadlineFollowsTheOldestRequest) {
    Mining m;
    EXPECT_FALSE(m.h.Session().NextDeadline());
    m.Submit();
    const auto first = m.h.Now();
    m.h.Advance(10s);
    m.Submit();
    EXPECT_EQ(m.h.Session().NextDeadline(), first + 30s);
    m.h.Advance(20s);
    EXPECT_EQ(m.h.Session().NextDeadline(), first + 40s);
}
