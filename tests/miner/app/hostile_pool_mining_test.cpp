// The whole miner (dispatcher, CPU backend, Stratum client) against hostile pools while shares
// flow: a clean job every 100 ms, a pool that never answers a submit, a storm of a hundred
// dropped connections. Every submit is checked by the pool (the in-tree validating pool or the
// scripted one), none may be invalid, and found = accepted + rejected + stale + lost holds.
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "miner/app/mine_output.hpp"
#include "miner/app/runtime.hpp"
#include "nonceforge/stratum/pool_server.hpp"
#include "support/accounting.hpp"
#include "support/hostile_pool.hpp"

using namespace nonceforge;
using namespace std::chrono_literals;
using test::HostilePool;

using nonceforge::test::ExpectAccountingHolds;

namespace {

miner::app::MineOptions Options(const std::string& url, double seconds) {
    miner::app::MineOptions o;
    o.pool.urls = {url};
    o.pool.user = "tester.rig1";
    o.backend.threads = 1;
    o.duration_seconds = seconds;
    o.output.status_interval_seconds = 3600;
    o.pool.reconnect.initial_backoff = 20ms;
    o.pool.reconnect.max_backoff = 100ms;
    return o;
}

struct MiningRun {
    miner::app::MineResult result;
    std::string log;
};

// Runs the miner on its own thread while `during` acts from this one (it may RequestStop).
MiningRun Mine(miner::app::MineOptions o,
               const std::function<void(miner::app::MinerRuntime&)>& during = {}) {
    MiningRun run;
    std::mutex m;
    miner::app::MinerRuntime rt(o, [&](core::LogLevel, const std::string& text) {
        std::lock_guard l(m);
        run.log += text + "\n";
    });
    std::thread t([&] { run.result = rt.Run(); });
    if (during) {
        during(rt);
    }
    t.join();
    return run;
}

} // namespace

TEST(HostilePoolMining, CleanJobEvery100MillisecondsSubmitsNoInvalidShare) {
    stratum::PoolServerConfig pc;
    pc.difficulty = 0.0002;
    pc.job_interval = 0ms;
    pc.block_interval = 100ms; // a clean job every 100 ms
    pc.seed = 11;
    stratum::PoolServer pool(pc);
    ASSERT_TRUE(pool.Start());
    MiningRun run = Mine(Options(pool.Url(), 3));
    pool.Stop();
    const auto& c = run.result.stats.total.shares;
    const auto counters = pool.Counters();
    EXPECT_GE(counters.jobs, 20u);
    EXPECT_GT(c.accepted, 0u) << run.log;
    EXPECT_EQ(c.rejected, 0u) << run.log;
    // A share for a job replaced in flight comes back 21 (stale); nothing else is refused.
    EXPECT_EQ(counters.rejected, counters.Rejected(stratum::PoolErrorCode::JobNotFound));
    EXPECT_EQ(counters.accepted, c.accepted);
    EXPECT_EQ(counters.protocol_errors, 0u);
    ExpectAccountingHolds(run.result.stats);
}

TEST(HostilePoolMining, SubmitRepliesThatNeverComeAreCountedLost) {
    HostilePool pool([](HostilePool::Conn& c) {
        c.ServeSubmits([](const std::string&) { return std::string(); });
    });
    auto o = Options(pool.Url(), 2.5);
    o.pool.response_timeout = 300ms;
    MiningRun run = Mine(o);
    const auto& c = run.result.stats.total.shares;
    EXPECT_GT(c.found, 0u) << run.log;
    EXPECT_EQ(c.accepted, 0u);
    EXPECT_EQ(c.lost, c.found) << run.log;
    EXPECT_NE(run.log.find("no reply to mining.submit within 300 ms"), std::string::npos)
        << run.log;
    ExpectAccountingHolds(run.result.stats);
    EXPECT_GT(pool.ValidSubmits(), 0u);
    EXPECT_EQ(pool.InvalidSubmits(), 0u);
    EXPECT_EQ(pool.Connections(), 1);
}

TEST(HostilePoolMining, DisconnectStormOfAHundredDropsWhileMining) {
    HostilePool pool([](HostilePool::Conn& c) {
        if (c.index < 100) {
            if (c.index % 10 == 0) {
                c.ServeSubmits(&HostilePool::Accept, 1); // one share accepted, then the drop
            }
            return; // the handshake and one job, then the drop
        }
        c.ServeSubmits(&HostilePool::Accept);
    });
    auto o = Options(pool.Url(), 0);
    o.pool.reconnect.initial_backoff = 1ms;
    o.pool.reconnect.max_backoff = 5ms;
    MiningRun run = Mine(o, [&](miner::app::MinerRuntime& rt) {
        const auto give_up = std::chrono::steady_clock::now() + 30s;
        while (pool.Connections() < 101 && std::chrono::steady_clock::now() < give_up) {
            std::this_thread::sleep_for(20ms);
        }
        const uint64_t before = pool.ValidSubmits();
        while (pool.ValidSubmits() < before + 3 && std::chrono::steady_clock::now() < give_up) {
            std::this_thread::sleep_for(20ms);
        }
        rt.RequestStop();
    });
    const auto& c = run.result.stats.total.shares;
    EXPECT_EQ(pool.Connections(), 101) << run.log.substr(0, 4000);
    EXPECT_GT(c.accepted, 0u);
    EXPECT_EQ(c.rejected, 0u);
    EXPECT_EQ(pool.InvalidSubmits(), 0u);
    ExpectAccountingHolds(run.result.stats);
    EXPECT_NE(run.log.find("reconnecting to"), std::string::npos);
}
