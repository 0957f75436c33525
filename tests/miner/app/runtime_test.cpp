// End to end over loopback: the whole miner (dispatcher, CPU backend, Stratum client) against
// the in-tree validating pool, under the conditions pools create: clean-job floods, dropped
// connections, extranonce changes, difficulty swings, version rolling. After each run the
// accounting identity found = accepted + rejected + stale + lost holds, nothing is pending,
// and the pool's count of accepted shares equals the miner's.
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "miner/app/first_job.hpp"
#include "miner/app/mine_output.hpp"
#include "miner/app/runtime.hpp"
#include "nonceforge/core/coinbase.hpp"
#include "nonceforge/core/hex.hpp"
#include "nonceforge/stratum/pool_server.hpp"
#include "support/accounting.hpp"

using namespace nonceforge;
using namespace std::chrono_literals;

using nonceforge::test::ExpectAccountingHolds;

namespace {

constexpr double DIFFICULTY = 0.0002; // about 860k hashes per share

stratum::PoolServerConfig PoolConfig() {
    stratum::PoolServerConfig pc;
    pc.difficulty = DIFFICULTY;
    pc.job_interval = 0ms;
    pc.block_interval = 0ms;
    pc.seed = 7;
    return pc;
}

miner::app::MineOptions Options(const std::string& url, double seconds) {
    miner::app::MineOptions o;
    o.pool.urls = {url};
    o.pool.user = "tester.rig1";
    o.backend.threads = 1;
    o.duration_seconds = seconds;
    o.output.status_interval_seconds = 3600;
    o.pool.reconnect.initial_backoff = 50ms;
    o.pool.reconnect.max_backoff = 500ms;
    return o;
}

struct MiningRun {
    miner::app::MineResult result;
    std::vector<std::string> log;
};

// Runs the miner on its own thread while `during` acts on the pool (and may stop the miner)
// from this one.
MiningRun Mine(miner::app::MineOptions o,
               const std::function<void(miner::app::MinerRuntime&)>& during = {}) {
    MiningRun run;
    std::mutex m;
    miner::app::MinerRuntime rt(o, [&](core::LogLevel, const std::string& text) {
        std::lock_guard l(m);
        run.log.push_back(text);
    });
    std::thread t([&] { run.result = rt.Run(); });
    if (during) {
        during(rt);
    }
    t.join();
    return run;
}

std::string Joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) {
        out += l + "\n";
    }
    return out;
}

} // namespace

TEST(MinerEndToEnd, SharesAreAcceptedAndNoneRejected) {
    stratum::PoolServer pool(PoolConfig());
    ASSERT_TRUE(pool.Start());
    MiningRun run = Mine(Options(pool.Url(), 3));
    pool.Stop();
    const auto& c = run.result.stats.total.shares;
    EXPECT_EQ(run.result.exit_code, 0) << run.result.error;
    EXPECT_GT(c.accepted, 0u) << Joined(run.log);
    EXPECT_EQ(c.rejected, 0u) << Joined(run.log);
    ExpectAccountingHolds(run.result.stats);
    EXPECT_EQ(pool.Counters().accepted, c.accepted);
    EXPECT_GT(run.result.stats.total.hashes, 0u);
}

TEST(MinerEndToEnd, FloodOfCleanJobs) {
    stratum::PoolServer pool(PoolConfig());
    ASSERT_TRUE(pool.Start());
    // The duration is only a bound: the jobs are pushed once the miner is authorized (a slow
    // start-up, as under a sanitizer, must not eat into them), then the run is stopped.
    MiningRun run = Mine(Options(pool.Url(), 60), [&](miner::app::MinerRuntime& rt) {
        const auto bound = std::chrono::steady_clock::now() + 30s;
        while (pool.Counters().authorized == 0 && std::chrono::steady_clock::now() < bound) {
            std::this_thread::sleep_for(10ms); // polling the pool: no event to wait on
        }
        for (int i = 0; i < 7; ++i) {
            std::this_thread::sleep_for(500ms);
            pool.PushJob(true);
        }
        std::this_thread::sleep_for(500ms);
        rt.RequestStop();
    });
    pool.Stop();
    const auto& c = run.result.stats.total.shares;
    EXPECT_GT(c.accepted, 0u) << Joined(run.log);
    EXPECT_EQ(c.rejected, 0u) << Joined(run.log);
    ExpectAccountingHolds(run.result.stats);
    EXPECT_EQ(pool.Counters().accepted, c.accepted);
    EXPECT_GE(run.result.job_switch_latency_us.size(), 7u);
}

TEST(MinerEndToEnd, PoolDropsTheConnectionAndComesBack) {
    auto pc = PoolConfig();
    auto first = std::make_unique<stratum::PoolServer>(pc);
    ASSERT_TRUE(first->Start());
    pc.port = first->Port();
    std::unique_ptr<stratum::PoolServer> second;
    MiningRun run = Mine(Options(first->Url(), 5), [&](auto&) {
        std::this_thread::sleep_for(1500ms);
        first->Stop();
        std::this_thread::sleep_for(300ms);
        pc.seed = 8; // a restarted pool: other session ids and jobs
        second = std::make_unique<stratum::PoolServer>(pc);
        ASSERT_TRUE(second->Start());
    });
    second->Stop();
    const auto& c = run.result.stats.total.shares;
    EXPECT_GT(second->Counters().accepted, 0u) << Joined(run.log);
    EXPECT_EQ(first->Counters().accepted + second->Counters().accepted, c.accepted);
    EXPECT_EQ(c.rejected, 0u) << Joined(run.log);
    ExpectAccountingHolds(run.result.stats);
}

TEST(MinerEndToEnd, ExtranonceChangesMidSession) {
    stratum::PoolServer pool(PoolConfig());
    ASSERT_TRUE(pool.Start());
    auto o = Options(pool.Url(), 4);
    o.pool.extranonce_subscribe = true;
    uint64_t accepted_before = 0;
    MiningRun run = Mine(o, [&](auto&) {
        std::this_thread::sleep_for(1500ms);
        accepted_before = pool.Counters().accepted;
        pool.SetExtranonce();
        std::this_thread::sleep_for(100ms);
        pool.PushJob(false);
    });
    pool.Stop();
    const auto& c = run.result.stats.total.shares;
    EXPECT_EQ(c.rejected, 0u) << Joined(run.log);
    EXPECT_GT(pool.Counters().accepted, accepted_before) << Joined(run.log);
    EXPECT_EQ(pool.Counters().accepted, c.accepted);
    ExpectAccountingHolds(run.result.stats);
}

TEST(MinerEndToEnd, LargeDifficultySwings) {
    stratum::PoolServer pool(PoolConfig());
    ASSERT_TRUE(pool.Start());
    // The swings start once the miner is authorized (a slow start-up must not eat them), and
    // each comes with a job, from which the new difficulty applies; the run then stops.
    MiningRun run = Mine(Options(pool.Url(), 60), [&](miner::app::MinerRuntime& rt) {
        const auto bound = std::chrono::steady_clock::now() + 30s;
        while (pool.Counters().authorized == 0 && std::chrono::steady_clock::now() < bound) {
            std::this_thread::sleep_for(10ms); // polling the pool: no event to wait on
        }
        for (double d : {0.02, 0.00005, 0.5, 0.0001}) {
            std::this_thread::sleep_for(700ms);
            pool.SetDifficulty(d);
            pool.PushJob(false);
        }
        std::this_thread::sleep_for(700ms);
        rt.RequestStop("test done");
    });
    pool.Stop();
    const auto& c = run.result.stats.total.shares;
    EXPECT_GT(c.accepted, 0u) << Joined(run.log);
    // A share checked against the wrong difficulty would come back "low difficulty" (23).
    EXPECT_EQ(c.rejected, 0u) << Joined(run.log);
    EXPECT_EQ(pool.Counters().accepted, c.accepted);
    ExpectAccountingHolds(run.result.stats);
}

TEST(MinerEndToEnd, VersionRollingIsNegotiatedAndSharesCarryTheVersionBits) {
    stratum::PoolServer pool(PoolConfig());
    ASSERT_TRUE(pool.Start());
    MiningRun run = Mine(Options(pool.Url(), 3));
    pool.Stop();
    EXPECT_GT(run.result.stats.total.shares.accepted, 0u);
    EXPECT_EQ(run.result.stats.total.shares.rejected, 0u) << Joined(run.log);
    for (const auto& s : pool.AcceptedShares()) {
        EXPECT_EQ(s.version & ~0x1fffe000u, 0x20000000u);
    }
}

TEST(MinerEndToEnd, UnreachablePoolEndsCleanlyWithAReason) {
    // A port nothing listens on: the miner keeps retrying until its duration ends.
    stratum::PoolServer pool(PoolConfig());
    ASSERT_TRUE(pool.Start());
    const std::string url = pool.Url();
    pool.Stop();
    MiningRun run = Mine(Options(url, 1.5));
    EXPECT_EQ(run.result.stats.total.shares.found, 0u);
    EXPECT_NE(Joined(run.log).find("cannot connect"), std::string::npos) << Joined(run.log);
}

TEST(MinerEndToEnd, BadPoolUrlIsAOneLineError) {
    auto o = Options("http://example.invalid:80", 1);
    MiningRun run = Mine(o);
    EXPECT_EQ(run.result.exit_code, 2);
    EXPECT_NE(run.result.error.find("scheme"), std::string::npos) << run.result.error;
}

TEST(LiveProfit, ShownOnlyWithAllItsInputs) {
    core::Job job;
    job.nbits = 0x17034219;
    job.extranonce2_size = 4;
    // A coinbase paying 3.125 BTC + fees: version, one input with a height push, one output.
    job.coinb1 =
        *core::HexDecode(std::string("0100000001") + std::string(64, '0') + "ffffffff0c03a0bb0d");
    job.extranonce1 = {1, 2, 3, 4};
    job.coinb2 = *core::HexDecode("ffffffff01c0e2a01200000000015100000000");
    miner::StatsSnapshot s;
    s.total.rate.h1m = 100e12; // 100 TH/s
    miner::app::ProfitOptions o;
    EXPECT_EQ(miner::app::FormatLiveProfit(o, s, &job), "");
    o.power_watts = 3000;
    o.electricity_price = 0.05;
    EXPECT_EQ(miner::app::FormatLiveProfit(o, s, &job), "");
    o.btc_price = 100000;
    const std::string text = miner::app::FormatLiveProfit(o, s, &job);
    EXPECT_NE(text.find("BTC/day"), std::string::npos) << text;
    EXPECT_NE(text.find("power 3.6000/day"), std::string::npos) << text; // 72 kWh x 0.05
    EXPECT_EQ(miner::app::FormatLiveProfit(o, s, nullptr), "");
}

// `profit --from-pool` reads the live job: network difficulty, BIP 34 height, coinbase value.
TEST(FromPool, FirstJobCarriesHeightAndCoinbaseValue) {
    auto pc = PoolConfig();
    pc.start_height = 912345;
    pc.coinbase_value = 312500000 + 1234567;
    pc.nbits = 0x17034219;
    stratum::PoolServer pool(pc);
    ASSERT_TRUE(pool.Start());
    auto job = miner::app::FetchFirstJob(pool.Url(), "tester", "x", {}, 10);
    ASSERT_TRUE(job) << job.error();
    const std::vector<uint8_t> en2((*job)->extranonce2_size, 0);
    const auto cb = core::DecodeCoinbase((*job)->Coinbase(en2));
    ASSERT_TRUE(cb.height);
    EXPECT_EQ(*cb.height, 912345u);
    ASSERT_TRUE(cb.value);
    EXPECT_EQ(*cb.value, 312500000u + 1234567u);
    EXPECT_EQ((*job)->nbits, 0x17034219u);
    pool.Stop();
    auto none = miner::app::FetchFirstJob(pool.Url(), "tester", "x", {}, 1);
    EXPECT_FALSE(none);
}
