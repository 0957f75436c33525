// The Stratum client against pools that misbehave, over loopback: garbage, oversized and
// trickled lines, silence, refusal, hostile numbers and sizes, floods, replies to requests never
// made, and submit replies that never come. For each: no crash, bounded memory, a clear log
// line, a reconnect where that makes sense, and exactly one verdict per share. (A TLS handshake
// failure, a wrong-host certificate and client.reconnect to another host are in
// transport_test.cpp.) Every wait is bounded; timeouts are shortened through the config.
#include <chrono>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "nonceforge/core/target.hpp"
#include "support/client_harness.hpp"
#include "support/hostile_pool.hpp"
#include "support/process_stats.hpp"

using namespace nonceforge;
using namespace nonceforge::stratum;
using namespace std::chrono_literals;
using test::ClientHarness;
using test::HostilePool;

namespace {

constexpr double EASY = 1e-7; // a share every ~450 hashes: the test finds real ones itself

ClientConfig Config(const std::string& url) {
    ClientConfig c;
    PoolConfig p;
    p.url = *ParsePoolUrl(url);
    p.session.user = "tester.rig";
    p.session.response_timeout = 2s;
    c.pools = {p};
    c.reconnect.initial_backoff = 20ms;
    c.reconnect.max_backoff = 100ms;
    c.timeouts.connect = 1s;
    return c;
}

HostilePool::Options Easy() {
    HostilePool::Options o;
    o.difficulty = EASY;
    return o;
}

// A share that meets the job's target, found the slow way.
core::Share FindShare(const std::shared_ptr<const core::Job>& job, uint32_t start_nonce = 0) {
    core::Share s;
    s.job = job;
    s.extranonce2.assign(job->extranonce2_size, 0x5a);
    s.ntime = job->ntime;
    s.version = job->version;
    for (uint32_t nonce = start_nonce;; ++nonce) {
        const core::Hash256 h = job->Header(s.extranonce2, s.ntime, nonce, s.version).Hash();
        if (core::HashMeetsTarget(h, job->share_target)) {
            s.nonce = nonce;
            s.hash = h;
            return s;
        }
    }
}

// Holds the connection open until the client leaves (reads time out after 2 s each).
void HoldOpen(HostilePool::Conn& c) {
    c.ServeSubmits([](const std::string&) { return std::string(); });
}

bool Connected(ClientHarness& h) {
    const PoolStatus s = h.Client().Status();
    return s.connected && s.state == SessionState::Ready;
}

// The least time `connections` attempts can take when the waits between them are the policy's
// backoff from `initial` doubling up to `cap`, each shortened by at most 25 % of jitter. An
// attempt loop that ignored the decision would take a few milliseconds.
std::chrono::milliseconds LeastTimeFor(int connections, std::chrono::milliseconds initial,
                                       std::chrono::milliseconds cap) {
    std::chrono::milliseconds total{0};
    for (int i = 1; i < connections; ++i, initial = std::min(initial * 2, cap)) {
        total += initial * 3 / 4;
    }
    return total;
}

} // namespace

TEST(HostilePool, GarbageLinesAreIgnoredAndJobsKeepFlowing) {
    HostilePool pool([](HostilePool::Conn& c) {
        for (const char* garbage :
             {"hello", "\x01\x02\xff\xfe", "{", "[]", "{\"id\":", "null", "42",
              "{\"method\":17,\"params\":[]}", "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]"}) {
            c.Send(garbage);
        }
        c.SendJob(false);
        HoldOpen(c);
    });
    ClientHarness h(Config(pool.Url()));
    ASSERT_TRUE(h.WaitForJob("j2")) << h.Log();
    EXPECT_NE(h.Log().find("ignored malformed line"), std::string::npos) << h.Log();
    EXPECT_EQ(pool.Connections(), 1) << h.Log();
    EXPECT_TRUE(Connected(h));
}

TEST(HostilePool, AStreamOfGarbageIsLeftAndTheReconnectBacksOff) {
    HostilePool pool([](HostilePool::Conn& c) {
        for (int i = 0; i < 20; ++i) {
            c.Send("not json " + std::to_string(i));
        }
        HoldOpen(c);
    });
    const auto start = std::chrono::steady_clock::now();
    ClientHarness h(Config(pool.Url()));
    ASSERT_TRUE(h.WaitForLog("16 malformed lines in a row")) << h.Log();
    // The session's own reconnects back off like any failure (20 ms doubling to 100 ms; the
    // growth is ReconnectPolicy's, unit-tested): not hundreds of connections a second.
    ASSERT_TRUE(h.WaitFor([&] { return pool.Connections() >= 5; })) << h.Log();
    EXPECT_GE(std::chrono::steady_clock::now() - start, LeastTimeFor(5, 20ms, 100ms)) << h.Log();
    EXPECT_NE(h.Log().find("(reconnect: 16 malformed lines in a row"), std::string::npos)
        << h.Log();
}

TEST(HostilePool, TenMegabyteLineWithoutNewlineEndsTheConnectionWithinTheLineLimit) {
    const std::size_t rss_before = test::ResidentBytes();
    HostilePool pool([](HostilePool::Conn& c) {
        if (c.index == 0) {
            const std::string chunk(64 * 1024, 'x');
            for (int i = 0; i < 160 && c.Write(chunk); ++i) { // 10 MiB, no newline
            }
            return;
        }
        HoldOpen(c);
    });
    ClientHarness h(Config(pool.Url()));
    EXPECT_TRUE(h.WaitForLog("line longer than 65536 bytes from the pool", 10s)) << h.Log();
    EXPECT_TRUE(h.WaitFor([&] { return pool.Connections() >= 2 && Connected(h); })) << h.Log();
    EXPECT_LT(test::MiB(test::ResidentBytes() - std::min(rss_before, test::ResidentBytes())), 32.0);
}

TEST(HostilePool, BytesTrickledOnePerSecondDoNotKeepTheConnectionAlive) {
    HostilePool pool([](HostilePool::Conn& c) {
        if (c.index > 0) {
            HoldOpen(c);
            return;
        }
        const std::string line = c.pool.MakeJob(false) + "\n";
        for (std::size_t i = 0; i < line.size() && c.Write(line.substr(i, 1)); ++i) {
            std::this_thread::sleep_for(1s);
        }
    });
    auto cfg = Config(pool.Url());
    cfg.timeouts.idle = 2500ms;
    ClientHarness h(cfg);
    ASSERT_TRUE(h.WaitForJob("j1")) << h.Log();
    std::this_thread::sleep_for(1500ms);
    EXPECT_TRUE(Connected(h)) << "alive while the bytes trickle in\n" << h.Log();
    EXPECT_EQ(h.Jobs().size(), 1u);
    // A byte is not a line: the idle watchdog still fires.
    EXPECT_TRUE(h.WaitForLog("no line from the pool for 2.5 s", 4s)) << h.Log();
    EXPECT_TRUE(h.WaitFor([&] { return pool.Connections() >= 2; })) << h.Log();
}

TEST(HostilePool, SilenceAfterTheHandshakeLosesTheOutstandingShareAndReconnects) {
    HostilePool pool(Easy(), [](HostilePool::Conn& c) {
        if (c.index == 0) {
            c.ServeSubmits([](const std::string&) { return std::string(); }, 1);
            std::this_thread::sleep_for(1500ms); // silent, reading nothing
            return;
        }
        HoldOpen(c);
    });
    auto cfg = Config(pool.Url());
    cfg.timeouts.idle = 1s;
    ClientHarness h(cfg);
    ASSERT_TRUE(h.WaitForJob("j1")) << h.Log();
    h.Client().Submit(FindShare(h.LastJob()));
    ASSERT_TRUE(h.WaitForVerdicts(1)) << h.Log();
    EXPECT_TRUE(h.WaitForLog("no line from the pool for 1.0 s")) << h.Log();
    const auto v = h.Verdicts();
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].kind, VerdictKind::Lost);
    EXPECT_FALSE(v[0].reason.empty());
    EXPECT_TRUE(h.WaitFor([&] { return pool.Connections() >= 2; })) << h.Log();
    EXPECT_EQ(pool.InvalidSubmits(), 0u);
}

TEST(HostilePool, SubmitReplyThatNeverComesMakesTheShareLostAfterTheResponseTimeout) {
    HostilePool pool(Easy(), [](HostilePool::Conn& c) {
        c.ServeSubmits([](const std::string&) { return std::string(); });
    });
    auto cfg = Config(pool.Url());
    cfg.pools[0].session.response_timeout = 300ms;
    ClientHarness h(cfg);
    ASSERT_TRUE(h.WaitForJob("j1")) << h.Log();
    const auto job = h.LastJob();
    const core::Share first = FindShare(job);
    h.Client().Submit(first);
    h.Client().Submit(FindShare(job, first.nonce + 1));
    ASSERT_TRUE(h.WaitForVerdicts(2)) << h.Log();
    for (const auto& v : h.Verdicts()) {
        EXPECT_EQ(v.kind, VerdictKind::Lost);
        EXPECT_EQ(v.reason, "no reply to mining.submit within 300 ms");
    }
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(h.Verdicts().size(), 2u); // exactly one verdict each
    EXPECT_EQ(pool.Connections(), 1);   // an unanswered submit is no reason to reconnect
    EXPECT_EQ(pool.ValidSubmits(), 2u);
    EXPECT_EQ(pool.InvalidSubmits(), 0u);
}

TEST(HostilePool, ConnectionRefusedIsRetriedWithBackoffAndLeaksNoDescriptors) {
    uint16_t port = 0;
    {
        HostilePool closed([](HostilePool::Conn&) {});
        port = closed.Port();
    }
    const std::size_t fds_before = test::OpenDescriptors();
    {
        auto cfg = Config("stratum+tcp://127.0.0.1:" + std::to_string(port));
        cfg.reconnect.initial_backoff = 5ms;
        cfg.reconnect.max_backoff = 20ms;
        ClientHarness h(cfg);
        EXPECT_TRUE(h.WaitForLog("cannot connect to stratum+tcp://127.0.0.1:")) << h.Log();
        EXPECT_TRUE(h.WaitForLogCount("reconnecting to", 20)) << h.Log(); // 20 retries
        EXPECT_NE(h.Client().Status().last_error.find("cannot connect"), std::string::npos);
        EXPECT_FALSE(h.Client().Status().connected);
    }
    EXPECT_LE(test::OpenDescriptors(), fds_before + 1);
}

TEST(HostilePool, DisconnectStormOfAHundredDropsThenResumes) {
    HostilePool pool(Easy(), [](HostilePool::Conn& c) {
        if (c.index < 100) {
            return; // handshake, one job, and the connection drops
        }
        c.ServeSubmits(&HostilePool::Accept);
    });
    auto cfg = Config(pool.Url());
    cfg.reconnect.initial_backoff = 1ms;
    cfg.reconnect.max_backoff = 5ms;
    const std::size_t fds_before = test::OpenDescriptors();
    {
        ClientHarness h(cfg);
        ASSERT_TRUE(h.WaitForJob("j1")) << h.Log();
        // Shares found during the storm: each ends in exactly one verdict, whatever happens.
        const auto storm_job = h.LastJob();
        uint32_t nonce = 0;
        for (int i = 0; i < 10; ++i) {
            const core::Share s = FindShare(storm_job, nonce);
            nonce = s.nonce + 1;
            h.Client().Submit(s);
        }
        ASSERT_TRUE(h.WaitForJob("j101", 20s)) << h.Log();
        EXPECT_TRUE(h.WaitFor([&] { return Connected(h); }));
        EXPECT_EQ(pool.Connections(), 101);
        h.Client().Submit(FindShare(h.LastJob()));
        ASSERT_TRUE(h.WaitForVerdicts(11)) << h.Log();
        const auto v = h.Verdicts();
        EXPECT_EQ(v.size(), 11u);
        EXPECT_EQ(v.back().kind, VerdictKind::Accepted) << v.back().reason;
        EXPECT_NE(h.Log().find("reconnecting to"), std::string::npos);
    }
    EXPECT_LE(test::OpenDescriptors(), fds_before + 1);
    EXPECT_EQ(pool.InvalidSubmits(), 0u);
}

TEST(HostilePool, HostileDifficultiesAreRefusedAndTheLastGoodOneStays) {
    HostilePool pool([](HostilePool::Conn& c) {
        for (const char* d : {"0", "-1", "1e300", "\"NaN\"", "\"nan\"", "\"inf\"", "\"1e400\"",
                              "\"-0\"", "\"\"", "\"0x10\"", "null", "[2]"}) {
            c.Send(std::string(R"({"id":null,"method":"mining.set_difficulty","params":[)") + d +
                   "]}");
        }
        c.SendJob(false);
        HoldOpen(c);
    });
    ClientHarness h(Config(pool.Url()));
    ASSERT_TRUE(h.WaitForJob("j2")) << h.Log();
    EXPECT_DOUBLE_EQ(h.LastJob()->share_difficulty, 0.0002);
    EXPECT_EQ(h.LastJob()->share_target, *core::DifficultyToTarget(0.0002));
    const std::string log = h.Log();
    EXPECT_NE(log.find("ignored malformed line"), std::string::npos) << log;
    EXPECT_NE(log.find("NaN"), std::string::npos) << log;
    EXPECT_EQ(pool.Connections(), 1);
    EXPECT_TRUE(Connected(h));
}

TEST(HostilePool, MerkleBranchOfTenThousandEntriesIsNeverBuilt) {
    HostilePool pool([](HostilePool::Conn& c) {
        if (c.index == 0) {
            nlohmann::json branch = nlohmann::json::array();
            for (int i = 0; i < 10'000; ++i) {
                branch.push_back(std::string(64, 'a'));
            }
            nlohmann::json notify = nlohmann::json::parse(c.pool.MakeJob(true));
            notify["params"][4] = branch;
            notify["params"][0] = "huge";
            c.Send(notify.dump()); // about 680 KB
        }
        HoldOpen(c);
    });
    ClientHarness h(Config(pool.Url()));
    EXPECT_TRUE(h.WaitForLog("line longer than 65536 bytes")) << h.Log();
    EXPECT_TRUE(h.WaitFor([&] { return pool.Connections() >= 2; })) << h.Log();
    EXPECT_TRUE(h.WaitForJob("j3")) << h.Log(); // the next connection's job
    for (const auto& j : h.Jobs()) {
        EXPECT_NE(j->job_id, "huge");
        EXPECT_LE(j->merkle_branch.size(), 32u);
    }
}

TEST(HostilePool, MerkleBranchTooLongForTheParserIsIgnoredWithoutReconnecting) {
    HostilePool pool([](HostilePool::Conn& c) {
        nlohmann::json notify = nlohmann::json::parse(c.pool.MakeJob(true));
        notify["params"][4] = nlohmann::json::array();
        for (int i = 0; i < 1'000; ++i) {
            notify["params"][4].push_back(std::string(64, 'b'));
        }
        c.Send(notify.dump()); // 67 KB: within a raised line limit, over the branch bound
        c.SendJob(false);
        HoldOpen(c);
    });
    auto cfg = Config(pool.Url());
    cfg.max_line_bytes = 1 << 20;
    ClientHarness h(cfg);
    ASSERT_TRUE(h.WaitForJob("j3")) << h.Log();
    EXPECT_NE(h.Log().find("1000 entries, at most 32"), std::string::npos) << h.Log();
    EXPECT_EQ(h.Jobs().size(), 2u); // j1 and j3; never j2
    EXPECT_EQ(pool.Connections(), 1);
}

class HostileExtranonce2Size : public ::testing::TestWithParam<const char*> {};

TEST_P(HostileExtranonce2Size, SubscribeIsRefusedAndRetriedWithBackoff) {
    HostilePool::Options o;
    o.extranonce2_size = GetParam();
    HostilePool pool(o, HoldOpen);
    auto cfg = Config(pool.Url());
    cfg.reconnect.initial_backoff = 50ms;
    cfg.reconnect.max_backoff = 200ms;
    const auto start = std::chrono::steady_clock::now();
    ClientHarness h(cfg);
    EXPECT_TRUE(h.WaitForLog("unreadable mining.subscribe reply")) << h.Log();
    EXPECT_NE(h.Log().find("extranonce2"), std::string::npos) << h.Log();
    ASSERT_TRUE(h.WaitFor([&] { return pool.Connections() >= 5; })) << h.Log();
    EXPECT_GE(std::chrono::steady_clock::now() - start, LeastTimeFor(5, 50ms, 200ms))
        << "a refused subscribe must not be retried in a hot loop\n"
        << h.Log();
    EXPECT_TRUE(h.Jobs().empty());
}

INSTANTIATE_TEST_SUITE_P(ZeroAndHundred, HostileExtranonce2Size, ::testing::Values("0", "100"));

TEST(HostilePool, SetExtranonceWithHostileSizesIsIgnored) {
    HostilePool pool([](HostilePool::Conn& c) {
        c.Send(R"({"id":null,"method":"mining.set_extranonce","params":["aabbccdd",0]})");
        c.Send(R"({"id":null,"method":"mining.set_extranonce","params":["aabbccdd",100]})");
        c.SendJob(false);
        HoldOpen(c);
    });
    ClientHarness h(Config(pool.Url()));
    ASSERT_TRUE(h.WaitForJob("j2")) << h.Log();
    EXPECT_EQ(h.LastJob()->extranonce2_size, 4u);
    EXPECT_EQ(h.LastJob()->extranonce1, (std::vector<uint8_t>{1, 2, 3, 4}));
    EXPECT_EQ(pool.Connections(), 1);
}

TEST(HostilePool, FloodOfUnknownMethodsAndServerRequestsIsAnsweredInFull) {
    constexpr int REQUESTS = 2'000;
    std::atomic<int> replies{0};
    HostilePool pool([&](HostilePool::Conn& c) {
        std::string batch;
        for (int i = 0; i < REQUESTS; ++i) {
            const std::string id = std::to_string(100'000 + i);
            switch (i % 4) {
            case 0:
                batch +=
                    R"({"id":)" + id + R"(,"method":"mining.bogus_)" + id + R"(","params":[]})";
                break;
            case 1:
                batch += R"({"id":)" + id + R"(,"method":"client.get_version","params":[]})";
                break;
            case 2:
                batch += R"({"id":")" + id + R"(","method":"mining.ping","params":[]})";
                break;
            default:
                batch += R"({"id":)" + id + R"(,"method":"client.evil","params":[1,2,3]})";
            }
            batch += "\n";
            batch += R"({"id":null,"method":"mining.whatever","params":["x"]})"
                     "\n";
        }
        // Written from a second thread while this one reads the replies: a pool that does not
        // read is a different test (below).
        std::thread writer([&] { c.Write(batch); });
        for (std::string line; replies < REQUESTS && !(line = c.ReadLine()).empty();) {
            auto j = nlohmann::json::parse(line, nullptr, false);
            if (j.is_object() && j.contains("id")) {
                ++replies;
            }
        }
        writer.join();
        c.SendJob(false);
        HoldOpen(c);
    });
    ClientHarness h(Config(pool.Url()));
    ASSERT_TRUE(h.WaitForJob("j2", 10s)) << h.Log();
    EXPECT_EQ(replies, REQUESTS); // one reply per request with an id, none for notifications
    EXPECT_EQ(pool.Connections(), 1);
    EXPECT_TRUE(Connected(h));
}

TEST(HostilePool, PoolThatFloodsRequestsButNeverReadsIsLeftWithBoundedMemory) {
    const std::size_t rss_before = test::ResidentBytes();
    HostilePool pool([](HostilePool::Conn& c) {
        if (c.index > 0) {
            HoldOpen(c);
            return;
        }
        // The flood gives up once the client has stopped reading for 2 s, so that the test
        // pool (one connection at a time) can serve the reconnect.
        const timeval send_timeout{2, 0};
        ::setsockopt(c.socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &send_timeout,
                     sizeof send_timeout);
        std::string batch;
        for (int i = 0; i < 1000; ++i) {
            batch += R"({"id":7,"method":"mining.bogus","params":[]})"
                     "\n";
        }
        for (int i = 0; i < 1000 && c.Write(batch); ++i) { // a million requests, never reading
        }
    });
    ClientHarness h(Config(pool.Url()));
    // The client leaves with a log line: its send queue reached its bound, or (on a slow
    // machine, when the replies back up before the queue fills) a reply could not be written
    // within the write deadline. The bound itself is pinned exactly by the next test.
    EXPECT_TRUE(h.WaitForAnyLog({"the pool does not read what we send (1024 lines queued)",
                                 "writing to the pool timed out"},
                                30s))
        << h.Log().substr(0, 2000);
    EXPECT_TRUE(h.WaitFor([&] { return pool.Connections() >= 2 && Connected(h); }, 20s))
        << h.Log().substr(0, 4000);
    EXPECT_LT(test::MiB(test::ResidentBytes() - std::min(rss_before, test::ResidentBytes())), 32.0);
}

// The send queue's bound, exactly (ClientConfig::max_queued_lines, 8 here): a pool that reads
// nothing after the handshake. The network thread is held while 20 shares arrive, so they are
// handled back to back before the writer runs: 8 submits fill the queue, the 9th ends the
// connection, and every share, queued or refused, is lost with that reason: none is dropped.
TEST(HostilePool, SendQueueBoundEndsTheConnectionWithExactlyMaxQueuedLinesAndEveryShareLost) {
    std::promise<void> client_done;
    std::shared_future<void> client_left = client_done.get_future().share();
    std::atomic<int> submits_received{-1};
    HostilePool pool(Easy(), [&](HostilePool::Conn& c) {
        if (c.index > 0) {
            HoldOpen(c);
            return;
        }
        client_left.wait_for(10s); // reading nothing until the client has gone
        int submits = 0;
        for (std::string line; !(line = c.ReadLine()).empty();) {
            submits += line.find("mining.submit") != std::string::npos;
        }
        submits_received = submits;
    });
    auto cfg = Config(pool.Url());
    cfg.max_queued_lines = 8;
    ClientHarness h(cfg);
    ASSERT_TRUE(h.WaitForJob("j1")) << h.Log();
    ASSERT_TRUE(h.WaitFor([&] { return Connected(h); })) << h.Log();
    const auto job = h.LastJob();
    std::promise<void> go;
    h.Post([ready = go.get_future().share()] { ready.wait(); });
    uint32_t nonce = 0;
    for (int i = 0; i < 20; ++i) {
        const core::Share s = FindShare(job, nonce);
        nonce = s.nonce + 1;
        h.Client().Submit(s);
    }
    go.set_value();
    ASSERT_TRUE(h.WaitForVerdicts(20)) << h.Log();
    client_done.set_value();
    const std::string why = "the pool does not read what we send (8 lines queued)";
    for (const auto& v : h.Verdicts()) {
        EXPECT_EQ(v.kind, VerdictKind::Lost);
        EXPECT_EQ(v.reason, "connection closed before reply (" + why + ")");
    }
    EXPECT_TRUE(h.WaitForLog("disconnected (" + why + "); reconnecting to " + pool.Url()))
        << h.Log();
    EXPECT_TRUE(h.WaitFor([&] { return submits_received >= 0; })) << h.Log();
    EXPECT_EQ(submits_received, 0) << "the queue never reached the socket";
    EXPECT_TRUE(h.WaitFor([&] { return pool.Connections() >= 2 && Connected(h); })) << h.Log();
    EXPECT_EQ(h.Verdicts().size(), 20u) << "one verdict each";
}

TEST(HostilePool, RepliesToIdsNeverSentAndDuplicateRepliesGiveOneVerdictPerShare) {
    HostilePool pool(Easy(), [](HostilePool::Conn& c) {
        for (const char* id : {"999", "-1", "\"abc\"", "9223372036854775807", "0", "1e3"}) {
            c.Send(std::string(R"({"id":)") + id + R"(,"result":true,"error":null})");
        }
        c.Send(R"({"id":12345,"result":null,"error":[23,"Difficulty too low",null]})");
        c.SendJob(false);
        // Each submit is answered three times: accepted, then rejected, then accepted again.
        c.ServeSubmits([](const std::string& id) {
            return HostilePool::Accept(id) + R"({"id":)" + id +
                   R"(,"result":null,"error":[22,"Duplicate share",null]})" + "\n" +
                   HostilePool::Accept(id);
        });
    });
    ClientHarness h(Config(pool.Url()));
    ASSERT_TRUE(h.WaitForJob("j2")) << h.Log();
    EXPECT_NE(h.Log().find("reply to id 999, which is not awaiting one, ignored"),
              std::string::npos)
        << h.Log();
    const auto job = h.LastJob();
    uint32_t nonce = 0;
    for (int i = 0; i < 5; ++i) {
        const core::Share s = FindShare(job, nonce);
        nonce = s.nonce + 1;
        h.Client().Submit(s);
    }
    ASSERT_TRUE(h.WaitForVerdicts(5)) << h.Log();
    std::this_thread::sleep_for(300ms);
    const auto v = h.Verdicts();
    ASSERT_EQ(v.size(), 5u);
    for (const auto& verdict : v) {
        EXPECT_EQ(verdict.kind, VerdictKind::Accepted) << verdict.reason;
    }
    EXPECT_EQ(pool.ValidSubmits(), 5u);
    EXPECT_EQ(pool.InvalidSubmits(), 0u);
    EXPECT_EQ(pool.Connections(), 1);
}

TEST(HostilePool, ClientReconnectOnEveryConnectionIsFollowedWithBackoff) {
    HostilePool pool([](HostilePool::Conn& c) {
        c.Send(R"({"id":null,"method":"client.reconnect","params":[]})");
        HoldOpen(c);
    });
    auto cfg = Config(pool.Url());
    cfg.reconnect.initial_backoff = 50ms;
    cfg.reconnect.max_backoff = 200ms;
    const auto start = std::chrono::steady_clock::now();
    ClientHarness h(cfg);
    ASSERT_TRUE(h.WaitFor([&] { return pool.Connections() >= 5; })) << h.Log();
    EXPECT_NE(h.Log().find("pool sent client.reconnect"), std::string::npos) << h.Log();
    EXPECT_GE(std::chrono::steady_clock::now() - start, LeastTimeFor(5, 50ms, 200ms))
        << "a pool that always says reconnect is not hammered\n"
        << h.Log();
}
