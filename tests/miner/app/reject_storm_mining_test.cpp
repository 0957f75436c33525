// The whole miner against in-tree pools that refuse valid shares: a reject storm ends the
// session for a fresh one, a second storm fails over to the backup (where shares are accepted)
// or, alone, backs off; an ordinary reject rate does not trigger it; --reject-storm 0 turns it
// off. Every share found still ends in exactly one verdict.
#include <chrono>
#include <functional>
#include <mutex>
#include <regex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "miner/app/mine_output.hpp"
#include "miner/app/runtime.hpp"
#include "nonceforge/core/target.hpp"
#include "nonceforge/stratum/pool_server.hpp"
#include "support/accounting.hpp"

using namespace nonceforge;
using namespace std::chrono_literals;

using nonceforge::test::ExpectAccountingHolds;

namespace {

stratum::PoolServerConfig PoolConfig(uint64_t seed) {
    stratum::PoolServerConfig pc;
    pc.difficulty = 0.0002; // several shares a second on one CPU thread
    pc.job_interval = 0ms;
    pc.block_interval = 0ms;
    pc.seed = seed;
    return pc;
}

stratum::PoolServerConfig RefusingConfig(uint64_t seed) {
    auto pc = PoolConfig(seed);
    pc.refuse_shares = "Difficulty too low";
    return pc;
}

miner::app::MineOptions Options(std::vector<std::string> urls, unsigned reject_storm) {
    miner::app::MineOptions o;
    o.pool.urls = std::move(urls);
    o.pool.user = "tester.rig1";
    o.backend.threads = 1;
    o.duration_seconds = 60; // a bound: every test stops the run itself long before
    o.output.status_interval_seconds = 3600;
    o.pool.reconnect.initial_backoff = 20ms;
    o.pool.reconnect.max_backoff = 100ms;
    o.pool.reject_storm = reject_storm;
    o.pool.protocol_dump = true; // the subscribe lines show whether a session was resumed
    return o;
}

// The miner on its own thread; Run() waits until `done` holds (polled, bounded by 30 s), then
// stops it and returns the result and the log.
struct MiningRun {
    miner::app::MineResult result;
    std::string log;
    bool condition_met = false;
};

MiningRun MineUntil(miner::app::MineOptions o,
                    const std::function<bool(const std::string&)>& done) {
    MiningRun run;
    std::mutex m;
    miner::app::MinerRuntime rt(o, [&](core::LogLevel, const std::string& text) {
        std::lock_guard l(m);
        run.log += text + "\n";
    });
    std::thread t([&] { run.result = rt.Run(); });
    const auto end = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < end) {
        {
            std::lock_guard l(m);
            if (done(run.log)) {
                run.condition_met = true;
                break;
            }
        }
        std::this_thread::sleep_for(10ms); // polling an outside process: no event to wait on
    }
    rt.RequestStop();
    t.join();
    return run;
}

std::size_t Count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
        ++n;
    }
    return n;
}

// The params of every mining.subscribe in a protocol dump ("pool> {json}"), in order.
std::vector<nlohmann::json> SubscribeParams(const std::string& log) {
    std::vector<nlohmann::json> params;
    std::istringstream in(log);
    for (std::string line; std::getline(in, line);) {
        const auto at = line.find("pool> ");
        if (at == std::string::npos) {
            continue;
        }
        auto json = nlohmann::json::parse(line.substr(at + 6), nullptr, false);
        if (json.is_object() && json.value("method", "") == "mining.subscribe") {
            params.push_back(json["params"]);
        }
    }
    return params;
}

const std::regex STORM_LINE(
    R"(reject storm on stratum\+tcp://127\.0\.0\.1:\d+: (\d+) verified shares rejected with no )"
    R"(accepted share between \(Difficulty too low \(code 23\) x\d+\); last rejected share hash )"
    R"(([0-9a-f]{64}); (.*))");

} // namespace

TEST(RejectStormMining, RefusingPoolIsLeftForAFreshSessionThenBackedOffFrom) {
    stratum::PoolServer pool(RefusingConfig(21));
    {
        auto started = pool.Start();
        ASSERT_TRUE(started) << started.error();
    }
    MiningRun run = MineUntil(Options({pool.Url()}, 4), [](const std::string& log) {
        return log.find("backing off") != std::string::npos;
    });
    pool.Stop();
    ASSERT_TRUE(run.condition_met) << run.log;

    std::smatch m;
    ASSERT_TRUE(std::regex_search(run.log, m, STORM_LINE)) << run.log;
    EXPECT_EQ(m[1], "4");
    EXPECT_EQ(m[3], "reconnecting with a fresh session");
    // The hash is the one the miner verified: it meets the share difficulty the pool refused.
    auto hash = core::Hash256::FromDisplayHex(m[2].str());
    ASSERT_TRUE(hash);
    EXPECT_GE(core::HashDifficulty(*hash), 0.0002);
    EXPECT_NE(run.log.find("second storm without an accepted share: backing off"),
              std::string::npos)
        << run.log;

    // A fresh mining.subscribe, not a resume: the first session's id is never offered again.
    // (Without a storm, a reconnect offers the pool's session id as the second parameter.)
    const auto subscribes = SubscribeParams(run.log);
    ASSERT_GE(subscribes.size(), 2u) << run.log;
    for (const auto& params : subscribes) {
        EXPECT_EQ(params.size(), 1u) << "a session id was sent: " << params.dump();
    }
    const auto c = pool.Counters();
    EXPECT_GE(c.subscribed, 2u);
    EXPECT_EQ(c.accepted, 0u);
    EXPECT_GE(c.Rejected(stratum::PoolErrorCode::LowDifficulty), 8u);
    const auto& shares = run.result.stats.total.shares;
    EXPECT_EQ(shares.accepted, 0u);
    EXPECT_GE(shares.rejected, 8u);
    ExpectAccountingHolds(run.result.stats);
}

TEST(RejectStormMining, SecondStormFailsOverToTheBackupWhereSharesAreAccepted) {
    stratum::PoolServer refusing(RefusingConfig(22));
    stratum::PoolServer backup(PoolConfig(23));
    {
        auto started = refusing.Start();
        ASSERT_TRUE(started) << started.error();
    }
    {
        auto started = backup.Start();
        ASSERT_TRUE(started) << started.error();
    }
    MiningRun run = MineUntil(Options({refusing.Url(), backup.Url()}, 3),
                              [&](const std::string&) { return backup.Counters().accepted >= 5; });
    refusing.Stop();
    backup.Stop();
    ASSERT_TRUE(run.condition_met) << run.log;

    EXPECT_EQ(Count(run.log, "reject storm on " + refusing.Url()), 2u) << run.log;
    EXPECT_NE(run.log.find("second storm without an accepted share: failing over"),
              std::string::npos);
    EXPECT_NE(run.log.find("failing over to " + backup.Url()), std::string::npos) << run.log;
    EXPECT_EQ(Count(run.log, "reject storm on " + backup.Url()), 0u) << run.log;
    EXPECT_EQ(refusing.Counters().subscribed, 2u) << "one fresh session, then the backup";
    EXPECT_EQ(refusing.Counters().accepted, 0u);
    const auto& shares = run.result.stats.total.shares;
    EXPECT_GE(shares.accepted, 5u);
    EXPECT_GE(shares.rejected, 6u);
    ExpectAccountingHolds(run.result.stats);
}

TEST(RejectStormMining, StaleVerdictsAfterNewBlocksAndIsolatedRejectsDoNotTriggerIt) {
    auto pc = PoolConfig(24);
    pc.block_interval = 150ms; // a new block every 150 ms: shares in flight come back stale
    pc.refuse_shares = "Difficulty too low";
    pc.refuse_every = 3; // and one valid share in three is refused, between accepts
    stratum::PoolServer pool(pc);
    {
        auto started = pool.Start();
        ASSERT_TRUE(started) << started.error();
    }
    // A threshold of 2: two counted rejects in a row would be a storm.
    MiningRun run = MineUntil(Options({pool.Url()}, 2), [&](const std::string&) {
        const auto c = pool.Counters();
        return c.Rejected(stratum::PoolErrorCode::LowDifficulty) >= 6 && c.accepted >= 12;
    });
    pool.Stop();
    ASSERT_TRUE(run.condition_met) << run.log;
    EXPECT_EQ(run.log.find("reject storm"), std::string::npos) << run.log;
    EXPECT_EQ(pool.Counters().subscribed, 1u) << "never reconnected";
    const auto& shares = run.result.stats.total.shares;
    EXPECT_GE(shares.rejected, 6u);
    EXPECT_GE(shares.accepted, 12u);
    ExpectAccountingHolds(run.result.stats);
}

TEST(RejectStormMining, ZeroTurnsItOff) {
    stratum::PoolServer pool(RefusingConfig(25));
    {
        auto started = pool.Start();
        ASSERT_TRUE(started) << started.error();
    }
    MiningRun run = MineUntil(Options({pool.Url()}, 0), [&](const std::string&) {
        return pool.Counters().Rejected(stratum::PoolErrorCode::LowDifficulty) >= 25;
    });
    pool.Stop();
    ASSERT_TRUE(run.condition_met) << run.log;
    EXPECT_EQ(run.log.find("reject storm"), std::string::npos) << run.log;
    EXPECT_EQ(pool.Counters().subscribed, 1u) << "25 rejects in a row, and the session stayed";
    EXPECT_GE(run.result.stats.total.shares.rejected, 25u);
    ExpectAccountingHolds(run.result.stats);
}
