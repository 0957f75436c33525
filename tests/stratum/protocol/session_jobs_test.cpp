// Session scripts: jobs, and the state changes that apply to later jobs only.
#include <gtest/gtest.h>

#include "nonceforge/core/target.hpp"
#include "session_harness.hpp"

using namespace nonceforge;
using namespace nonceforge::stratum;
using test::Actions;
using test::Harness;
using test::Jobs;
using test::NotifyLine;

namespace {

std::shared_ptr<const core::Job> OnlyJob(const Actions& a) {
    auto jobs = Jobs(a);
    EXPECT_EQ(jobs.size(), 1u);
    return jobs.empty() ? nullptr : jobs[0];
}

} // namespace

TEST(SessionJobs, NotifyBecomesAJobWithTheSessionState) {
    Harness h;
    h.Handshake();
    auto job = OnlyJob(h.Line(NotifyLine("bf")));
    ASSERT_TRUE(job);
    EXPECT_EQ(job->job_id, "bf");
    EXPECT_EQ(job->prev_hash.ToWireHex(),
              "f8b6164d19e2f65a2aae448f787fe66d61e57a48c0c6771b1e920b4400000000");
    EXPECT_EQ(job->coinb1.size(), 58u);
    EXPECT_EQ(job->coinb2.size(), 51u);
    EXPECT_EQ(job->version, 0x20000000u);
    EXPECT_EQ(job->nbits, 0x1c2ac4afu);
    EXPECT_EQ(job->ntime, 0x504e86b9u);
    EXPECT_EQ(job->extranonce1, (std::vector<uint8_t>{8, 0, 0, 2}));
    EXPECT_EQ(job->extranonce2_size, 4u);
    EXPECT_EQ(job->share_difficulty, 1.0);
    EXPECT_EQ(job->share_target, core::Diff1Target());
    EXPECT_EQ(job->version_mask, 0x1fffe000u);
    EXPECT_TRUE(job->clean_jobs) << "the first job of a connection replaces all earlier work";
}

TEST(SessionJobs, SequenceIncreasesAcrossJobsAndConnections) {
    Harness h;
    h.Handshake();
    auto a = OnlyJob(h.Line(NotifyLine("1")));
    auto b = OnlyJob(h.Line(NotifyLine("2")));
    EXPECT_LT(a->sequence, b->sequence);
    h.Disconnect();
    h.Handshake();
    auto c = OnlyJob(h.Line(NotifyLine("1")));
    EXPECT_LT(b->sequence, c->sequence);
    EXPECT_TRUE(c->clean_jobs);
}

TEST(SessionJobs, SetDifficultyAppliesToLaterJobsOnly) {
    Harness h;
    h.Handshake();
    auto before = OnlyJob(h.Line(NotifyLine("1")));
    Actions a = h.Line(R"({"id":null,"method":"mining.set_difficulty","params":["1e3"]})");
    EXPECT_TRUE(Jobs(a).empty()) << "no job is re-issued";
    EXPECT_TRUE(test::HasLog(a, LogLevel::Info, "share difficulty 1000 from the next job"));
    EXPECT_EQ(before->share_difficulty, 1.0);
    EXPECT_EQ(before->share_target, core::Diff1Target());
    auto after = OnlyJob(h.Line(NotifyLine("2")));
    EXPECT_EQ(after->share_difficulty, 1000.0);
    EXPECT_EQ(after->share_target, *core::DifficultyToTarget(1000));
    EXPECT_EQ(h.Session().CurrentDifficulty().Value(), 1000.0);
}

TEST(SessionJobs, DifficultyBeforeTheFirstJobApplies) {
    // ckpool and public-pool send set_difficulty right after the subscribe reply.
    Harness h;
    h.Connect();
    h.Line(test::Reply(1, R"({"version-rolling":true,"version-rolling.mask":"1fffe000"})"));
    h.Line(test::Reply(2, test::SUBSCRIBE_RESULT));
    EXPECT_EQ(h.Line(R"({"id":null,"method":"mining.set_difficulty","params":[0.00001]})").size(),
              1u);
    EXPECT_TRUE(Jobs(h.Line(NotifyLine("early"))).empty()) << "held until authorized";
    auto job = OnlyJob(h.Line(test::Reply(3, "true")));
    ASSERT_TRUE(job);
    EXPECT_EQ(job->job_id, "early");
    EXPECT_EQ(job->share_difficulty, 0.00001);
    EXPECT_TRUE(job->clean_jobs);
}

TEST(SessionJobs, OnlyTheLatestHeldJobIsDeliveredAndStaysClean) {
    SessionConfig c = Harness::Config();
    c.version_rolling.reset();
    Harness h(c);
    h.Connect();
    h.Line(test::Reply(1, test::SUBSCRIBE_RESULT));
    h.Line(NotifyLine("1", test::PREV_A, true));
    h.Line(NotifyLine("2", test::PREV_A, false));
    auto job = OnlyJob(h.Line(test::Reply(2, "true")));
    EXPECT_EQ(job->job_id, "2");
    EXPECT_TRUE(job->clean_jobs);
}

TEST(SessionJobs, SetExtranonceAppliesToTheNextJob) {
    Harness h;
    h.Handshake();
    auto before = OnlyJob(h.Line(NotifyLine("1")));
    auto same_block = OnlyJob(h.Line(NotifyLine("2")));
    EXPECT_FALSE(same_block->clean_jobs);
    Actions a = h.Line(R"({"id":null,"method":"mining.set_extranonce","params":["0a0b0c0d0e",8]})");
    EXPECT_TRUE(Jobs(a).empty());
    EXPECT_EQ(before->extranonce1, (std::vector<uint8_t>{8, 0, 0, 2}));
    auto after = OnlyJob(h.Line(NotifyLine("3")));
    EXPECT_EQ(after->extranonce1, (std::vector<uint8_t>{10, 11, 12, 13, 14}));
    EXPECT_EQ(after->extranonce2_size, 8u);
    EXPECT_TRUE(after->clean_jobs) << "work on the old extranonce1 is useless";
    auto next = OnlyJob(h.Line(NotifyLine("4")));
    EXPECT_FALSE(next->clean_jobs);
}

TEST(SessionJobs, SetExtranonceWithoutSizeKeepsTheSize) {
    Harness h;
    h.Handshake();
    h.Line(R"({"id":null,"method":"mining.set_extranonce","params":["ff"]})");
    auto job = OnlyJob(h.Line(NotifyLine("1")));
    EXPECT_EQ(job->extranonce1, (std::vector<uint8_t>{0xff}));
    EXPECT_EQ(job->extranonce2_size, 4u);
}

TEST(SessionJobs, NewPrevHashForcesCleanEvenWhenThePoolSaysNot) {
    Harness h;
    h.Handshake();
    EXPECT_TRUE(OnlyJob(h.Line(NotifyLine("1", test::PREV_A, false)))->clean_jobs);
    EXPECT_FALSE(OnlyJob(h.Line(NotifyLine("2", test::PREV_A, false)))->clean_jobs);
    Actions a = h.Line(NotifyLine("3", test::PREV_B, false));
    EXPECT_TRUE(OnlyJob(a)->clean_jobs);
    EXPECT_TRUE(test::HasLog(a, LogLevel::Debug, "new prevhash with clean_jobs false"));
    EXPECT_TRUE(OnlyJob(h.Line(NotifyLine("4", test::PREV_B, true)))->clean_jobs);
}

TEST(SessionJobs, SetVersionMaskAppliesToLaterJobsWithinTheRequestedBits) {
    Harness h;
    h.Handshake();
    auto before = OnlyJob(h.Line(NotifyLine("1")));
    h.Line(R"({"id":null,"method":"mining.set_version_mask","params":["00ffe000"]})");
    EXPECT_EQ(before->version_mask, 0x1fffe000u);
    EXPECT_EQ(OnlyJob(h.Line(NotifyLine("2")))->version_mask, 0x00ffe000u);
    h.Line(R"({"id":null,"method":"mining.set_version_mask","params":["ffffffff"]})");
    EXPECT_EQ(OnlyJob(h.Line(NotifyLine("3")))->version_mask, 0x1fffe000u);
}

TEST(SessionJobs, SetVersionMaskIsIgnoredWhenRollingIsOff) {
    SessionConfig c = Harness::Config();
    c.version_rolling.reset();
    Harness h(c);
    h.Handshake();
    Actions a = h.Line(R"({"id":null,"method":"mining.set_version_mask","params":["1fffe000"]})");
    EXPECT_TRUE(test::HasLog(a, LogLevel::Debug, "version rolling is off"));
    EXPECT_EQ(OnlyJob(h.Line(NotifyLine("1")))->version_mask, 0u);
}

TEST(SessionJobs, NotifyBeforeSubscribeReplyIsIgnored) {
    Harness h;
    h.Connect();
    Actions a = h.Line(NotifyLine("too-early"));
    EXPECT_TRUE(Jobs(a).empty());
    EXPECT_TRUE(test::HasLog(a, LogLevel::Warn, "before the subscribe reply"));
}

TEST(SessionJobs, MalformedNotifyIsLoggedAndTheOldJobStands) {
    Harness h;
    h.Handshake();
    h.Line(NotifyLine("good"));
    Actions a = h.Line(NotifyLine("bad", std::string(63, 'a')));
    EXPECT_TRUE(Jobs(a).empty());
    EXPECT_TRUE(test::HasLog(a, LogLevel::Warn, "mining.notify params[1] (prevhash)"));
    EXPECT_TRUE(test::SentLines(a).empty());
    EXPECT_EQ(h.Session().State(), SessionState::Ready);
}

TEST(SessionJobs, BadDifficultyKeepsTheCurrentOne) {
    Harness h;
    h.Handshake();
    h.Line(R"({"id":null,"method":"mining.set_difficulty","params":[8]})");
    Actions a = h.Line(R"({"id":null,"method":"mining.set_difficulty","params":[0]})");
    EXPECT_TRUE(test::HasLog(a, LogLevel::Warn, "difficulty must be positive"));
    EXPECT_EQ(OnlyJob(h.Line(NotifyLine("1")))->share_difficulty, 8.0);
}

TEST(SessionJobs, DifficultyResetsOnANewConnection) {
    Harness h;
    h.Handshake();
    h.Line(R"({"id":null,"method":"mining.set_difficulty","params":[8]})");
    h.Disconnect();
    h.Handshake();
    EXPECT_EQ(OnlyJob(h.Line(NotifyLine("1")))->share_difficulty, 1.0);
}
