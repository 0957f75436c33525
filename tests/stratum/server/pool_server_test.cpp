// The local pool over loopback: handshake, jobs, and every share verdict, with shares mined on
// the CPU at a tiny difficulty. Each client operation has a timeout, so no test can hang.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "nonceforge/core/target.hpp"
#include "nonceforge/stratum/pool_server.hpp"
#include "pool_test_client.hpp"

using namespace nonceforge;
using namespace nonceforge::stratum;
using namespace std::chrono_literals;
using nlohmann::json;
using test::PoolClient;
using test::Solution;

namespace {

// About 86,000 hashes per share: a fraction of a second on one core.
constexpr double SHARE_DIFFICULTY = 0.00002;

struct Work {
    std::vector<uint8_t> extranonce1;
    std::size_t extranonce2_size = 0;
    double difficulty = 0;
    core::Job job; // the latest mining.notify
};

std::vector<uint8_t> Extranonce2(const Work& w, uint64_t value) {
    std::vector<uint8_t> en2(w.extranonce2_size);
    for (std::size_t i = 0; i < en2.size() && i < 8; ++i) {
        en2[en2.size() - 1 - i] = uint8_t(value >> (8 * i));
    }
    return en2;
}

Solution Mine(const Work& w, const core::Job& job, uint64_t en2, double difficulty,
              bool meets = true, uint32_t version_bits = 0, uint32_t mask = 0) {
    const core::U256 target = *core::DifficultyToTarget(difficulty);
    return test::Solve(job, w.extranonce1, Extranonce2(w, en2), target, meets, version_bits, mask)
        .value();
}

json Submit(PoolClient& c, const std::string& job_id, const Solution& s,
            const std::string& user = "alice") {
    json params = {user, job_id, s.extranonce2, s.ntime, s.nonce};
    if (s.version_bits) {
        params.push_back(*s.version_bits);
    }
    return c.Call("mining.submit", params);
}

void ExpectAccepted(const json& reply) {
    EXPECT_EQ(reply["result"], true) << reply.dump();
    EXPECT_TRUE(reply["error"].is_null()) << reply.dump();
}

void ExpectError(const json& reply, PoolErrorCode code) {
    ASSERT_TRUE(reply["error"].is_array()) << reply.dump();
    EXPECT_EQ(reply["error"][0], int(code)) << reply.dump();
    EXPECT_TRUE(reply["result"].is_null()) << reply.dump();
}

class PoolServerTest : public ::testing::Test {
protected:
    PoolServerConfig Config() {
        PoolServerConfig c;
        c.difficulty = SHARE_DIFFICULTY;
        c.job_interval = 0ms;
        c.block_interval = 0ms;
        c.seed = 7;
        c.log = [this](LogLevel, std::string_view line) {
            std::lock_guard lock(m_log_mutex);
            m_log.emplace_back(line);
        };
        return c;
    }

    void StartPool(PoolServerConfig c) {
        m_pool = std::make_unique<PoolServer>(std::move(c));
        auto port = m_pool->Start();
        ASSERT_TRUE(port) << port.error();
        ASSERT_NE(*port, 0);
        ASSERT_EQ(m_pool->Port(), *port);
    }
    void StartPool() { StartPool(Config()); }

    bool Logged(const std::string& text) {
        std::lock_guard lock(m_log_mutex);
        for (const auto& line : m_log) {
            if (line.find(text) != std::string::npos) {
                return true;
            }
        }
        return false;
    }

    // subscribe + authorize, then mining.set_difficulty before the first mining.notify.
    void Handshake(PoolClient& c, Work& w, const std::string& user = "alice") {
        ASSERT_TRUE(c.Connected());
        json sub = c.Call("mining.subscribe", {"test/1.0"});
        ASSERT_TRUE(sub["result"].is_array()) << sub.dump();
        ASSERT_EQ(sub["result"].size(), 3u);
        EXPECT_EQ(sub["result"][0][0][0], "mining.set_difficulty");
        EXPECT_EQ(sub["result"][0][1][0], "mining.notify");
        w.extranonce1 = *core::HexDecode(sub["result"][1].get<std::string>());
        w.extranonce2_size = sub["result"][2].get<std::size_t>();
        ASSERT_EQ(c.Call("mining.authorize", {user, "x"})["result"], true);
        auto diff = c.NextNotification();
        ASSERT_TRUE(diff);
        ASSERT_EQ((*diff)["method"], "mining.set_difficulty") << diff->dump();
        w.difficulty = (*diff)["params"][0].get<double>();
        ASSERT_NO_FATAL_FAILURE(NextJob(c, w));
        EXPECT_TRUE(w.job.clean_jobs);
    }

    void NextJob(PoolClient& c, Work& w) {
        auto notify = c.NextNotification();
        ASSERT_TRUE(notify);
        ASSERT_EQ((*notify)["method"], "mining.notify") << notify->dump();
        ASSERT_EQ((*notify)["params"].size(), 9u);
        w.job = test::JobFromNotify((*notify)["params"]);
    }

    std::mutex m_log_mutex;
    std::vector<std::string> m_log;
    std::unique_ptr<PoolServer> m_pool; // last: stopped before the log it writes to goes
};

TEST_F(PoolServerTest, HandshakeSendsDifficultyBeforeTheFirstJob) {
    StartPool();
    PoolClient c(m_pool->Port());
    Work w;
    ASSERT_NO_FATAL_FAILURE(Handshake(c, w));
    EXPECT_EQ(w.extranonce1.size(), 4u);
    EXPECT_EQ(w.extranonce2_size, 8u);
    EXPECT_EQ(w.difficulty, SHARE_DIFFICULTY);
    EXPECT_EQ(w.job.version, 0x20000000u);
    EXPECT_EQ(w.job.nbits, 0x1d00ffffu);
    const PoolCounters counters = m_pool->Counters();
    EXPECT_EQ(counters.connections, 1u);
    EXPECT_EQ(counters.subscribed, 1u);
    EXPECT_EQ(counters.authorized, 1u);
    EXPECT_EQ(m_pool->Url(), "stratum+tcp://127.0.0.1:" + std::to_string(m_pool->Port()));
}

TEST_F(PoolServerTest, EveryConnectionGetsItsOwnExtranonce1) {
    StartPool();
    PoolClient a(m_pool->Port()), b(m_pool->Port());
    Work wa, wb;
    ASSERT_NO_FATAL_FAILURE(Handshake(a, wa));
    ASSERT_NO_FATAL_FAILURE(Handshake(b, wb, "bob"));
    EXPECT_NE(wa.extranonce1, wb.extranonce1);
    EXPECT_EQ(wa.job.job_id, wb.job.job_id);
}

TEST_F(PoolServerTest, CoinbaseIsAVersion1TransactionWithBip34HeightAndExtranonceRoom) {
    PoolServerConfig cfg = Config();
    cfg.start_height = 900000;
    cfg.coinbase_value = 312512345;
    StartPool(cfg);
    PoolClient c(m_pool->Port());
    Work w;
    ASSERT_NO_FATAL_FAILURE(Handshake(c, w));
    const std::vector<uint8_t>& b1 = w.job.coinb1;
    const std::vector<uint8_t>& b2 = w.job.coinb2;
    ASSERT_EQ(b1.size(), 4u + 1 + 36 + 1 + 4 + 1);
    EXPECT_EQ(core::ReadLE32(b1.data()), 1u);       // version
    EXPECT_EQ(b1[4], 1);                            // one input
    EXPECT_EQ(core::ReadLE32(b1.data() + 37), ~0u); // null outpoint index
    EXPECT_EQ(b1[42], 3);                           // push of 3 bytes: the height
    EXPECT_EQ(b1[43] | b1[44] << 8 | b1[45] << 16, 900000);
    EXPECT_EQ(b1[46], 4 + 8); // push of extranonce1 || extranonce2
    EXPECT_EQ(std::size_t(b1[41]), 1 + 3 + 1 + 12 + 1 + cfg.coinbase_tag.size()); // scriptSig
    const std::size_t value_at = b2.size() - 4 - 25 - 1 - 8;
    EXPECT_EQ(core::ReadLE64(b2.data() + value_at), cfg.coinbase_value);
    EXPECT_EQ(core::ReadLE32(b2.data() + b2.size() - 4), 0u); // lock time
    EXPECT_LE(w.job.merkle_branch.size(), 4u);                // at most 13 transactions
}

TEST_F(PoolServerTest, MinedShareIsAcceptedAndTheSameShareAgainIsADuplicate) {
    StartPool();
    PoolClient c(m_pool->Port());
    Work w;
    ASSERT_NO_FATAL_FAILURE(Handshake(c, w));
    const Solution s = Mine(w, w.job, 1, w.difficulty);
    ExpectAccepted(Submit(c, w.job.job_id, s));
    ExpectError(Submit(c, w.job.job_id, s), PoolErrorCode::DuplicateShare);

    const PoolCounters counters = m_pool->Counters();
    EXPECT_EQ(counters.accepted, 1u);
    EXPECT_EQ(counters.rejected, 1u);
    EXPECT_EQ(counters.Rejected(PoolErrorCode::DuplicateShare), 1u);
    EXPECT_EQ(counters.blocks_found, 0u);
    EXPECT_DOUBLE_EQ(counters.accepted_work, SHARE_DIFFICULTY);
    const auto shares = m_pool->AcceptedShares();
    ASSERT_EQ(shares.size(), 1u);
    EXPECT_EQ(shares[0].worker, "alice");
    EXPECT_EQ(shares[0].extranonce2, s.extranonce2);
    EXPECT_EQ(core::FormatHexU32BE(shares[0].nonce), s.nonce);
    EXPECT_GE(shares[0].hash_difficulty, SHARE_DIFFICULTY);
    EXPECT_TRUE(Logged("share accepted from worker alice diff 2e-05"));
}

TEST_F(PoolServerTest, ShareForAnUnknownJobIsRejected) {
    StartPool();
    PoolClient c(m_pool->Port());
    Work w;
    ASSERT_NO_FATAL_FAILURE(Handshake(c, w));
    const Solution s = Mine(w, w.job, 1, w.difficulty);
    ExpectError(Submit(c, "deadbeef", s), PoolErrorCode::JobNotFound);
}

TEST_F(PoolServerTest, MalformedShareFieldsAreRejectedWith20) {
    StartPool();
    PoolClient c(m_pool->Port());
    Work w;
    ASSERT_NO_FATAL_FAILURE(Handshake(c, w));
    const Solution good = Mine(w, w.job, 1, w.difficulty);

    Solution short_en2 = good;
    short_en2.extranonce2 = good.extranonce2.substr(2);
    ExpectError(Submit(c, w.job.job_id, short_en2), PoolErrorCode::Other);

    Solution bad_hex = good;
    bad_hex.nonce = "zz000000";
    ExpectError(Submit(c, w.job.job_id, bad_hex), PoolErrorCode::Other);

    Solution too_old = good;
    too_old.ntime = core::FormatHexU32BE(w.job.ntime - 1);
    ExpectError(Submit(c, w.job.job_id, too_old), PoolErrorCode::Other);

    Solution too_new = good;
    too_new.ntime = core::FormatHexU32BE(w.job.ntime + 7001);
    ExpectError(Submit(c, w.job.job_id, too_new), PoolErrorCode::Other);

    ExpectError(c.Call("mining.submit", {"alice", w.job.job_id, 7, good.ntime, good.nonce}),
                PoolErrorCode::Other);
    ExpectError(c.Call("mining.submit", {"alice", w.job.job_id}), PoolErrorCode::Other);
    // Still fine afterwards: none of these was counted as a share.
    ExpectAccepted(Submit(c, w.job.job_id, good));
    EXPECT_EQ(m_pool->Counters().Rejected(PoolErrorCode::Other), 6u);
}

TEST_F(PoolServerTest, VersionRollingGrantsTheIntersectionAndEnforcesTheMask) {
    StartPool();
    PoolClient c(m_pool->Port());
    const json extensions = json::array({"version-rolling", "subscribe-extranonce"});
    const json options = {{"version-rolling.mask", "ffff0000"},
                          {"version-rolling.min-bit-count", 2}};
    json conf = c.Call("mining.configure", json::array({extensions, options}));
    EXPECT_EQ(conf["result"]["version-rolling"], true) << conf.dump();
    EXPECT_EQ(conf["result"]["version-rolling.mask"], "1fff0000");
    EXPECT_EQ(conf["result"]["subscribe-extranonce"], false);
    Work w;
    ASSERT_NO_FATAL_FAILURE(Handshake(c, w));

    const uint32_t mask = 0x1fff0000;
    ExpectAccepted(
        Submit(c, w.job.job_id, Mine(w, w.job, 1, w.difficulty, true, 0x00ab0000, mask)));
    Solution outside = Mine(w, w.job, 2, w.difficulty, true, 0x00ab0000, mask);
    outside.version_bits = "0000e000"; // granted by the pool's default, not to this client
    ExpectError(Submit(c, w.job.job_id, outside), PoolErrorCode::Other);

    // Without mining.configure no bit may be rolled.
    PoolClient plain(m_pool->Port());
    Work pw;
    ASSERT_NO_FATAL_FAILURE(Handshake(plain, pw, "bob"));
    Solution rolled = Mine(pw, pw.job, 1, pw.difficulty);
    rolled.version_bits = "00002000";
    ExpectError(Submit(plain, pw.job.job_id, rolled, "bob"), PoolErrorCode::Other);
    rolled.version_bits = "00000000";
    ExpectAccepted(Submit(plain, pw.job.job_id, rolled, "bob"));
}

TEST_F(PoolServerTest, ShareMissingTheTargetIsLowDifficulty) {
    StartPool();
    PoolClient c(m_pool->Port());
    Work w;
    ASSERT_NO_FATAL_FAILURE(Handshake(c, w));
    const Solution miss = Mine(w, w.job, 1, w.difficulty, false);
    ExpectError(Submit(c, w.job.job_id, miss), PoolErrorCode::LowDifficulty);
    EXPECT_EQ(m_pool->Counters().Rejected(PoolErrorCode::LowDifficulty), 1u);
    EXPECT_TRUE(Logged("share rejected from worker alice"));
}

TEST_F(PoolServerTest, SubmitNeedsAnAuthorizedWorkerAndASubscription) {
    StartPool();
    PoolClient c(m_pool->Port());
    const Solution s{"0000000000000000", "00000000", "00000000", std::nullopt};
    ExpectError(Submit(c, "1", s), PoolErrorCode::Unauthorized);
    ASSERT_EQ(c.Call("mining.authorize", {"alice", "x"})["result"], true);
    ExpectError(Submit(c, "1", s), PoolErrorCode::NotSubscribed);
    c.Call("mining.subscribe", json::array());
    ExpectError(Submit(c, "1", s, "mallory"), PoolErrorCode::Unauthorized);
    ExpectError(Submit(c, "1", s), PoolErrorCode::Other); // now it reaches the share checks
}

TEST_F(PoolServerTest, RefusedUserIsNotAuthorized) {
    PoolServerConfig cfg = Config();
    cfg.rejected_users = {"mallory"};
    StartPool(cfg);
    PoolClient c(m_pool->Port());
    c.Call("mining.subscribe", json::array());
    ExpectError(c.Call("mining.authorize", {"mallory", "x"}), PoolErrorCode::Unauthorized);
    EXPECT_FALSE(c.NextNotification(200ms)); // no work for a refused worker
    EXPECT_EQ(m_pool->Counters().authorized, 0u);
}

TEST_F(PoolServerTest, SetExtranonceAppliesFromTheNextJob) {
    StartPool();
    PoolClient c(m_pool->Port());
    Work w;
    ASSERT_NO_FATAL_FAILURE(Handshake(c, w));
    ASSERT_EQ(c.Call("mining.extranonce.subscribe", json::array())["result"], true);
    ASSERT_TRUE(m_pool->SetExtranonce());
    auto set = c.WaitFor("mining.set_extranonce");
    ASSERT_TRUE(set);
    Work next = w;
    next.extranonce1 = *core::HexDecode((*set)["params"][0].get<std::string>());
    EXPECT_EQ((*set)["params"][1], 8);
    EXPECT_NE(next.extranonce1, w.extranonce1);

    // The job sent before keeps the old extranonce1.
    ExpectAccepted(Submit(c, w.job.job_id, Mine(w, w.job, 1, w.difficulty)));
    ASSERT_TRUE(m_pool->PushJob(false));
    ASSERT_NO_FATAL_FAILURE(NextJob(c, next));
    EXPECT_FALSE(next.job.clean_jobs);
    ExpectAccepted(Submit(c, next.job.job_id, Mine(next, next.job, 1, next.difficulty)));
    EXPECT_EQ(m_pool->AcceptedShares().back().extranonce1, core::HexEncode(next.extranonce1));
}

TEST_F(PoolServerTest, CleanJobMakesEarlierJobsStale) {
    StartPool();
    PoolClient c(m_pool->Port());
    Work w;
    ASSERT_NO_FATAL_FAILURE(Handshake(c, w));
    const core::Job first = w.job;
    ASSERT_TRUE(m_pool->PushJob(false));
    ASSERT_NO_FATAL_FAILURE(NextJob(c, w));
    ExpectAccepted(Submit(c, first.job_id, Mine(w, first, 1, w.difficulty))); // not clean: valid
    const core::Job second = w.job;
    ASSERT_TRUE(m_pool->PushJob(true));
    ASSERT_NO_FATAL_FAILURE(NextJob(c, w));
    EXPECT_TRUE(w.job.clean_jobs);
    EXPECT_NE(w.job.prev_hash, second.prev_hash);
    json stale = Submit(c, second.job_id, Mine(w, second, 2, w.difficulty));
    ExpectError(stale, PoolErrorCode::JobNotFound);
    EXPECT_EQ(stale["error"][1], "Stale job");
    ExpectAccepted(Submit(c, w.job.job_id, Mine(w, w.job, 3, w.difficulty)));
}

TEST_F(PoolServerTest, JobsOlderThanTheKeptOnesAreNotFound) {
    PoolServerConfig cfg = Config();
    cfg.jobs_kept = 2;
    StartPool(cfg);
    PoolClient c(m_pool->Port());
    Work w;
    ASSERT_NO_FATAL_FAILURE(Handshake(c, w));
    const core::Job first = w.job;
    for (int i = 0; i < 2; ++i) {
        ASSERT_TRUE(m_pool->PushJob(false));
        ASSERT_NO_FATAL_FAILURE(NextJob(c, w));
    }
    json evicted = Submit(c, first.job_id, Mine(w, first, 1, w.difficulty));
    ExpectError(evicted, PoolErrorCode::JobNotFound);
    EXPECT_EQ(evicted["error"][1], "Job not found");
}

TEST_F(PoolServerTest, CkpoolStyleRejectsWithResultFalseAndAReason) {
    PoolServerConfig cfg = Config();
    cfg.reject_style = RejectStyle::Ckpool;
    StartPool(cfg);
    PoolClient c(m_pool->Port());
    Work w;
    ASSERT_NO_FATAL_FAILURE(Handshake(c, w));
    json low = Submit(c, w.job.job_id, Mine(w, w.job, 1, w.difficulty, false));
    EXPECT_EQ(low["result"], false) << low.dump();
    EXPECT_TRUE(low["error"].is_null());
    EXPECT_EQ(low["reject-reason"], "Above target");
    const Solution s = Mine(w, w.job, 2, w.difficulty);
    ExpectAccepted(Submit(c, w.job.job_id, s));
    EXPECT_EQ(Submit(c, w.job.job_id, s)["reject-reason"], "Duplicate");
    EXPECT_EQ(Submit(c, "ffff", s)["reject-reason"], "Invalid JobID");
}

TEST_F(PoolServerTest, RefuseSharesAnswersValidSharesWithCode23AndKeepsOtherAnswers) {
    PoolServerConfig cfg = Config();
    cfg.refuse_shares = "Difficulty too low";
    StartPool(cfg);
    PoolClient c(m_pool->Port());
    Work w;
    ASSERT_NO_FATAL_FAILURE(Handshake(c, w));
    const Solution s = Mine(w, w.job, 1, w.difficulty);
    json refused = Submit(c, w.job.job_id, s);
    EXPECT_TRUE(refused["result"].is_null()) << refused.dump();
    EXPECT_EQ(refused["error"], json::array({23, "Difficulty too low", nullptr})) << refused.dump();
    // Not accepted, so the same share again is refused again, not a duplicate; a share for an
    // unknown job keeps its own answer.
    ExpectError(Submit(c, w.job.job_id, s), PoolErrorCode::LowDifficulty);
    ExpectError(Submit(c, "ffff", s), PoolErrorCode::JobNotFound);
    const auto counters = m_pool->Counters();
    EXPECT_EQ(counters.accepted, 0u);
    EXPECT_EQ(counters.Rejected(PoolErrorCode::LowDifficulty), 2u);
    EXPECT_TRUE(Logged("refusing every valid share"));
}

TEST_F(PoolServerTest, RefuseEveryThirdShareAcceptsTheOthers) {
    PoolServerConfig cfg = Config();
    cfg.refuse_shares = "Nope";
    cfg.refuse_every = 3;
    StartPool(cfg);
    PoolClient c(m_pool->Port());
    Work w;
    ASSERT_NO_FATAL_FAILURE(Handshake(c, w));
    for (uint64_t i = 1; i <= 6; ++i) {
        json reply = Submit(c, w.job.job_id, Mine(w, w.job, i, w.difficulty));
        if (i % 3 == 0) {
            EXPECT_EQ(reply["error"], json::array({23, "Nope", nullptr})) << i;
        } else {
            ExpectAccepted(reply);
        }
    }
    EXPECT_EQ(m_pool->Counters().accepted, 4u);
    EXPECT_EQ(m_pool->Counters().rejected, 2u);
}

TEST_F(PoolServerTest, SuggestDifficultyIsHonouredWithinTheBounds) {
    PoolServerConfig cfg = Config();
    cfg.min_difficulty = 0.00001;
    cfg.max_difficulty = 1000;
    StartPool(cfg);
    PoolClient c(m_pool->Port());
    EXPECT_EQ(c.Call("mining.suggest_difficulty", {0.0000001})["result"], true);
    Work w;
    ASSERT_NO_FATAL_FAILURE(Handshake(c, w));
    EXPECT_EQ(w.difficulty, 0.00001); // clamped up to the minimum
    EXPECT_EQ(c.Call("mining.suggest_difficulty", {"0.00003"})["result"], true);
    auto diff = c.WaitFor("mining.set_difficulty");
    ASSERT_TRUE(diff);
    EXPECT_EQ((*diff)["params"][0], 0.00003);
    ExpectError(c.Call("mining.suggest_difficulty", {-1}), PoolErrorCode::Other);
    EXPECT_FALSE(c.NextNotification(100ms)); // the job is not resent
}

TEST_F(PoolServerTest, SharesAreCheckedAtTheDifficultyTheirJobWasSentWith) {
    StartPool();
    PoolClient c(m_pool->Port());
    Work w;
    ASSERT_NO_FATAL_FAILURE(Handshake(c, w));
    const core::Job first = w.job;
    ASSERT_TRUE(m_pool->SetDifficulty(1.0));
    ASSERT_TRUE(m_pool->PushJob(false));
    auto diff = c.NextNotification();
    ASSERT_TRUE(diff);
    EXPECT_EQ((*diff)["method"], "mining.set_difficulty");
    EXPECT_EQ((*diff)["params"][0], 1.0);
    ASSERT_NO_FATAL_FAILURE(NextJob(c, w));
    const core::Job second = w.job;
    // Raised: the earlier job keeps its easier difficulty, the new one has the new.
    ExpectAccepted(Submit(c, first.job_id, Mine(w, first, 1, SHARE_DIFFICULTY)));
    const Solution easy = Mine(w, second, 2, SHARE_DIFFICULTY);
    ExpectError(Submit(c, second.job_id, easy), PoolErrorCode::LowDifficulty);
    // Lowered: it applies to the jobs already sent as well.
    ASSERT_TRUE(m_pool->SetDifficulty(SHARE_DIFFICULTY));
    ASSERT_TRUE(c.WaitFor("mining.set_difficulty"));
    ExpectAccepted(Submit(c, second.job_id, easy));
}

TEST_F(PoolServerTest, ShareMeetingTheNetworkTargetCountsAsABlock) {
    PoolServerConfig cfg = Config();
    cfg.nbits = 0x207fffff; // regtest: easier than the share target
    StartPool(cfg);
    PoolClient c(m_pool->Port());
    Work w;
    ASSERT_NO_FATAL_FAILURE(Handshake(c, w));
    ExpectAccepted(Submit(c, w.job.job_id, Mine(w, w.job, 1, w.difficulty)));
    EXPECT_EQ(m_pool->Counters().blocks_found, 1u);
    EXPECT_TRUE(m_pool->AcceptedShares().at(0).block);
    EXPECT_TRUE(Logged("block found by worker alice"));
}

TEST_F(PoolServerTest, BadRequestsGetErrorsAndTheConnectionStaysUsable) {
    StartPool();
    PoolClient c(m_pool->Port());
    c.SendRaw("this is not json\n");
    auto parse = c.Read();
    ASSERT_TRUE(parse);
    EXPECT_EQ((*parse)["error"][0], 20);
    c.SendRaw(std::string(20000, '[') + "\n"); // deep nesting must not hurt the parser ...
    ASSERT_TRUE(c.Read());
    c.SendRaw(std::string(30000, '[') + std::string(30000, ']') + "\n"); // ... nor freeing it
    ASSERT_TRUE(c.Read());
    ExpectError(c.Call("mining.frobnicate", json::array()), PoolErrorCode::Other);
    c.Send(json{{"id", 77}, {"params", json::array()}});
    auto no_method = c.Read();
    ASSERT_TRUE(no_method);
    EXPECT_EQ((*no_method)["id"], 77);
    ExpectError(c.Call("mining.authorize", {42}), PoolErrorCode::Other);
    Work w;
    ASSERT_NO_FATAL_FAILURE(Handshake(c, w));
    EXPECT_GE(m_pool->Counters().protocol_errors, 4u);
}

TEST_F(PoolServerTest, OversizedLineClosesTheConnection) {
    StartPool();
    PoolClient c(m_pool->Port());
    c.SendRaw(std::string(70 * 1024, 'x'));
    EXPECT_TRUE(c.WaitClosed());
    EXPECT_TRUE(Logged("line longer than 65536 bytes"));
    PoolClient next(m_pool->Port()); // the pool itself carries on
    Work w;
    ASSERT_NO_FATAL_FAILURE(Handshake(next, w));
}

TEST_F(PoolServerTest, IdleConnectionIsClosed) {
    PoolServerConfig cfg = Config();
    cfg.idle_timeout = 300ms;
    StartPool(cfg);
    PoolClient c(m_pool->Port());
    ASSERT_TRUE(c.Connected());
    EXPECT_TRUE(c.WaitClosed(3s));
    EXPECT_TRUE(Logged("no line for 300 ms"));
}

TEST_F(PoolServerTest, ConnectionsOverTheLimitAreClosed) {
    PoolServerConfig cfg = Config();
    cfg.max_connections = 1;
    StartPool(cfg);
    PoolClient first(m_pool->Port());
    Work w;
    ASSERT_NO_FATAL_FAILURE(Handshake(first, w));
    PoolClient second(m_pool->Port());
    EXPECT_TRUE(second.WaitClosed());
    EXPECT_EQ(m_pool->Counters().refused_connections, 1u);
}

TEST_F(PoolServerTest, TimersSendNewJobsAndNewBlocks) {
    PoolServerConfig cfg = Config();
    cfg.job_interval = 100ms;
    cfg.block_interval = 350ms;
    StartPool(cfg);
    PoolClient c(m_pool->Port());
    Work w;
    ASSERT_NO_FATAL_FAILURE(Handshake(c, w));
    bool saw_job = false, saw_block = false;
    for (int i = 0; i < 20 && !(saw_job && saw_block); ++i) {
        ASSERT_NO_FATAL_FAILURE(NextJob(c, w));
        (w.job.clean_jobs ? saw_block : saw_job) = true;
    }
    EXPECT_TRUE(saw_job);
    EXPECT_TRUE(saw_block);
}

TEST_F(PoolServerTest, StopClosesClientsAndABusyPortFailsToStart) {
    StartPool();
    PoolServerConfig cfg = Config();
    cfg.port = m_pool->Port();
    PoolServer second(cfg);
    auto started = second.Start();
    ASSERT_FALSE(started);
    EXPECT_NE(started.error().find("cannot listen"), std::string::npos);

    PoolClient c(m_pool->Port());
    Work w;
    ASSERT_NO_FATAL_FAILURE(Handshake(c, w));
    m_pool->Stop();
    EXPECT_TRUE(c.WaitClosed());
    EXPECT_FALSE(m_pool->Running());
    EXPECT_FALSE(m_pool->PushJob(true));
    m_pool->Stop(); // idempotent
}

TEST_F(PoolServerTest, InvalidConfigIsRefused) {
    PoolServerConfig cfg = Config();
    cfg.extranonce2_size = 0;
    PoolServer pool(cfg);
    auto started = pool.Start();
    ASSERT_FALSE(started);
    EXPECT_EQ(started.error(), "extranonce2 size must be 1..16 bytes");
}

TEST_F(PoolServerTest, TlsWithASelfSignedCertificate) {
    if (std::system("command -v openssl >/dev/null 2>&1") != 0) {
        GTEST_SKIP() << "the openssl binary is missing: cannot make a test certificate";
    }
    std::mt19937_64 rng(std::random_device{}());
    const auto dir =
        std::filesystem::temp_directory_path() / ("nf_pool_tls_" + std::to_string(rng()));
    std::filesystem::create_directories(dir);
    const std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
    const std::string command =
        "openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -addext "
        "subjectAltName=DNS:localhost -days 1 -keyout '" +
        key + "' -out '" + cert + "' >/dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;

    PoolServerConfig cfg = Config();
    cfg.tls = PoolTlsFiles{cert, key};
    StartPool(cfg);
    EXPECT_EQ(m_pool->Url().rfind("stratum+ssl://", 0), 0u);
    boost::asio::ssl::context tls(boost::asio::ssl::context::tls_client);
    tls.load_verify_file(cert);
    tls.set_verify_mode(boost::asio::ssl::verify_peer);
    {
        PoolClient c(m_pool->Port(), &tls);
        ASSERT_TRUE(c.Connected()) << c.Error().message();
        Work w;
        ASSERT_NO_FATAL_FAILURE(Handshake(c, w));
        ExpectAccepted(Submit(c, w.job.job_id, Mine(w, w.job, 1, w.difficulty)));
    }
    PoolClient plain(m_pool->Port()); // plain text to a TLS port: the handshake fails
    plain.SendRaw("{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[]}\n");
    EXPECT_TRUE(plain.WaitClosed());
    std::filesystem::remove_all(dir);
}

} // namespace
