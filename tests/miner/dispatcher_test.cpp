// The dispatcher with real CPU backends and a fake share sink: every found share is verified
// and handed on once; a clean job stops stale scans; a backend that lies is caught.
#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "miner/cpu/cpu_backend.hpp"
#include "miner/dispatcher.hpp"

using namespace nonceforge;
using namespace nonceforge::core;
using namespace std::chrono_literals;

namespace {

std::shared_ptr<const Job> EasyJob(const std::string& id, uint8_t seed, bool clean) {
    auto job = std::make_shared<Job>();
    job->job_id = id;
    job->prev_hash.bytes[0] = seed;
    job->coinb1 = {0x01, seed};
    job->coinb2 = {0x02};
    job->extranonce1 = {1, 2, 3, 4};
    job->extranonce2_size = 4;
    job->version = 0x20000000;
    job->nbits = 0x1d00ffff;
    job->ntime = 0x65000000;
    job->clean_jobs = clean;
    job->share_difficulty = 1.0 / 65536; // about 65536 hashes per share
    job->share_target = *DifficultyToTarget(job->share_difficulty);
    return job;
}

// A backend that reports a survivor the reference hash does not confirm: a "hardware error".
class LyingBackend : public miner::HashBackend {
public:
    std::string Name() const override { return "liar"; }
    miner::SelfTestResult SelfTest() override { return {}; }
    miner::ScanResult Scan(const WorkUnit& work, std::stop_token stop) override {
        miner::ScanResult r;
        r.hashes_done = work.nonce_count;
        if (!reported.exchange(true)) {
            // Claims a nonce passed the top-word filter whose reference hash misses it.
            uint32_t nonce = work.nonce_first;
            while (HashPassesTopWord(work.HashWithNonce(nonce), work.share_target)) {
                ++nonce;
            }
            r.survivors.push_back(nonce);
        }
        r.stopped = stop.stop_requested();
        std::this_thread::sleep_for(1ms);
        return r;
    }
    std::atomic<bool> reported{false};
};

// The shares a dispatcher hands on, collected from its worker threads.
class SharesSeen {
public:
    miner::Dispatcher::ShareSink Sink() {
        return [this](Share s) {
            std::lock_guard l(m_mutex);
            m_shares.push_back(std::move(s));
        };
    }
    std::size_t Count() const {
        std::lock_guard l(m_mutex);
        return m_shares.size();
    }
    std::vector<Share> All() const {
        std::lock_guard l(m_mutex);
        return m_shares;
    }

private:
    mutable std::mutex m_mutex;
    std::vector<Share> m_shares;
};

template <class Pred>
bool WaitFor(Pred pred, std::chrono::milliseconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!pred()) {
        if (std::chrono::steady_clock::now() > end) {
            return false;
        }
        std::this_thread::sleep_for(2ms);
    }
    return true;
}

} // namespace

TEST(Dispatcher, SharesAreVerifiedAndHandedOn) {
    miner::Stats stats;
    SharesSeen seen;
    miner::Dispatcher d({}, stats, seen.Sink(), [](core::LogLevel, const std::string&) {});
    d.AddBackend(std::make_unique<miner::cpu::CpuBackend>(*miner::cpu::FindCpuImpl("generic"), 0),
                 1e6);
    d.Start();
    d.SetJob(EasyJob("j1", 1, true));
    ASSERT_TRUE(WaitFor([&] { return seen.Count() >= 3; }, 20s));
    d.Stop();
    const std::vector<Share> shares = seen.All();
    for (const Share& s : shares) {
        ASSERT_TRUE(s.job);
        BlockHeader h = s.job->Header(s.extranonce2, s.ntime, s.nonce, s.version);
        EXPECT_EQ(h.Hash(), s.hash);
        EXPECT_TRUE(HashMeetsTarget(s.hash, s.job->share_target));
        EXPECT_EQ(s.backend, "cpu0/generic");
    }
    auto snap = stats.Snapshot();
    EXPECT_EQ(snap.total.shares.found, shares.size());
    EXPECT_EQ(snap.total.shares.hardware_errors, 0u);
    EXPECT_GT(snap.total.hashes, 0u);
}

TEST(Dispatcher, CleanJobReachesEveryWorkerAndMeasuresTheSwitch) {
    miner::Stats stats;
    miner::Dispatcher d(
        {}, stats, [](Share) {}, [](core::LogLevel, const std::string&) {});
    for (int i = 0; i < 2; ++i) {
        d.AddBackend(
            std::make_unique<miner::cpu::CpuBackend>(*miner::cpu::FindCpuImpl("generic"), i), 1e6);
    }
    d.Start();
    d.SetJob(EasyJob("a", 1, true));
    for (int i = 0; i < 5; ++i) {
        std::this_thread::sleep_for(20ms);
        d.SetJob(EasyJob("b" + std::to_string(i), uint8_t(10 + i), true));
    }
    // A worker descheduled across several restarts records one switch for all of them; after
    // the last restart each of the two workers records exactly one more.
    std::this_thread::sleep_for(50ms);
    const std::size_t before = d.SwitchLatenciesMicros().size();
    d.SetJob(EasyJob("last", 99, true));
    ASSERT_TRUE(WaitFor([&] { return d.SwitchLatenciesMicros().size() >= before + 2; }, 10s));
    d.Stop();
    for (double us : d.SwitchLatenciesMicros()) {
        EXPECT_GE(us, 0.0);
        EXPECT_LT(us, 2e6); // a correctness bound; the figure itself comes from bench/
    }
}

TEST(Dispatcher, BackendResultsThatDoNotVerifyAreHardwareErrors) {
    miner::Stats stats;
    std::atomic<int> submitted{0};
    std::atomic<int> errors_logged{0};
    miner::Dispatcher d(
        {}, stats, [&](Share) { ++submitted; },
        [&](core::LogLevel level, const std::string& t) {
            if (level == LogLevel::Error && t.find("liar") != std::string::npos) {
                ++errors_logged;
            }
        });
    d.AddBackend(std::make_unique<LyingBackend>(), 1e6);
    d.Start();
    d.SetJob(EasyJob("x", 3, true));
    ASSERT_TRUE(WaitFor([&] { return stats.Snapshot().total.shares.hardware_errors == 1; }, 5s));
    d.Stop();
    EXPECT_EQ(submitted.load(), 0);
    EXPECT_EQ(errors_logged.load(), 1);
    EXPECT_EQ(stats.Snapshot().total.shares.found, 0u);
}

namespace {

// A backend whose device breaks on its first range (a GPU's CUDA error).
class BrokenBackend : public miner::HashBackend {
public:
    std::string Name() const override { return "broken"; }
    miner::SelfTestResult SelfTest() override { return {}; }
    miner::ScanResult Scan(const WorkUnit&, std::stop_token) override {
        ++scans;
        miner::ScanResult r;
        r.fault = miner::HashError::device_fault;
        r.fault_detail = "cudaEventQuery: an illegal memory access was encountered";
        return r;
    }
    std::atomic<int> scans{0};
};

// Records the size of every range it is given.
class RecordingBackend : public miner::HashBackend {
public:
    std::string Name() const override { return "recorder"; }
    miner::SelfTestResult SelfTest() override { return {}; }
    miner::ScanResult Scan(const WorkUnit& work, std::stop_token) override {
        uint64_t none = 0;
        first_range.compare_exchange_strong(none, work.nonce_count);
        miner::ScanResult r;
        r.stopped = true; // keeps the dispatcher from re-measuring the rate
        std::this_thread::sleep_for(1ms);
        return r;
    }
    std::atomic<uint64_t> first_range{0};
};

} // namespace

TEST(Dispatcher, BackendThatFaultsIsRetiredAndTheOthersKeepMining) {
    miner::Stats stats;
    std::atomic<int> shares{0};
    std::mutex m;
    std::vector<std::string> errors;
    miner::Dispatcher d(
        {}, stats, [&](Share) { ++shares; },
        [&](core::LogLevel level, const std::string& text) {
            if (level == LogLevel::Error) {
                std::lock_guard l(m);
                errors.push_back(text);
            }
        });
    auto broken = std::make_unique<BrokenBackend>();
    BrokenBackend* broken_ptr = broken.get();
    d.AddBackend(std::move(broken), 1e6);
    d.AddBackend(std::make_unique<miner::cpu::CpuBackend>(*miner::cpu::FindCpuImpl("generic"), 0),
                 1e6);
    d.Start();
    d.SetJob(EasyJob("j1", 1, true));
    EXPECT_TRUE(WaitFor([&] { return shares.load() >= 2; }, 20s));
    d.Stop();
    EXPECT_EQ(broken_ptr->scans.load(), 1);
    std::lock_guard l(m);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("broken disabled: cudaEventQuery"), std::string::npos) << errors[0];
}

TEST(Dispatcher, PerBackendRangeTimeSizesItsRanges) {
    miner::Stats stats;
    miner::DispatcherConfig config;
    config.range_time = 5ms;
    miner::Dispatcher d(
        config, stats, [](Share) {}, [](core::LogLevel, const std::string&) {});
    auto fast = std::make_unique<RecordingBackend>();
    auto slow = std::make_unique<RecordingBackend>();
    RecordingBackend* gpu = fast.get();
    RecordingBackend* cpu_like = slow.get();
    d.AddBackend(std::move(fast), 1e9, 1000ms); // a GPU: a second of work per range
    d.AddBackend(std::move(slow), 1e9);         // the default: 5 ms
    d.Start();
    // Difficulty 1: survivors are rare enough that the rate alone sizes the ranges.
    auto job = std::make_shared<Job>(*EasyJob("j1", 2, true));
    job->share_difficulty = 1;
    job->share_target = *DifficultyToTarget(1);
    d.SetJob(job);
    EXPECT_TRUE(WaitFor([&] { return gpu->first_range > 0 && cpu_like->first_range > 0; }, 5s));
    d.Stop();
    EXPECT_EQ(gpu->first_range.load(), 1'000'000'000u);
    EXPECT_EQ(cpu_like->first_range.load(), 5'000'000u);
}

namespace {

// A job as easy as regtest's: half of all hashes meet its target, every share is a block.
std::shared_ptr<const Job> RegtestLikeJob(const std::string& id, uint8_t seed, bool stop_at_block) {
    auto job = std::make_shared<Job>();
    job->job_id = id;
    job->prev_hash.bytes[0] = seed;
    job->coinb1 = {0x01, seed};
    job->coinb2 = {0x02};
    job->extranonce2_size = 8;
    job->version = 0x20000000;
    job->nbits = 0x207fffff;
    job->ntime = 0x65000000;
    job->clean_jobs = true;
    job->share_target = DecodeCompact(job->nbits).target;
    job->share_difficulty = TargetToDifficulty(job->share_target);
    job->stop_at_block = stop_at_block;
    return job;
}

class MaxRangeBackend : public miner::HashBackend {
public:
    std::string Name() const override { return "max-range"; }
    miner::SelfTestResult SelfTest() override { return {}; }
    miner::ScanResult Scan(const WorkUnit& work, std::stop_token) override {
        uint64_t seen = largest.load();
        while (work.nonce_count > seen && !largest.compare_exchange_weak(seen, work.nonce_count)) {
        }
        ++ranges;
        miner::ScanResult r;
        r.stopped = true; // keeps the rate as given
        std::this_thread::sleep_for(1ms);
        return r;
    }
    std::atomic<uint64_t> largest{0};
    std::atomic<int> ranges{0};
};

} // namespace

TEST(Dispatcher, AnEasyTargetCutsRangesToABoundedNumberOfSurvivors) {
    miner::Stats stats;
    miner::Dispatcher d(
        {}, stats, [](Share) {}, [](core::LogLevel, const std::string&) {});
    auto backend = std::make_unique<MaxRangeBackend>();
    MaxRangeBackend* b = backend.get();
    d.AddBackend(std::move(backend), 1e9, 1000ms); // by its rate: 10^9 nonces a range
    d.Start();
    d.SetJob(RegtestLikeJob("easy", 1, false));
    ASSERT_TRUE(WaitFor([&] { return b->ranges >= 3; }, 5s));
    d.Stop();
    // Half of all nonces survive the top word: 2,048 nonces are 1,024 survivors on average.
    EXPECT_GT(b->largest.load(), 0u);
    EXPECT_LE(b->largest.load(), 2048u);
}

TEST(Dispatcher, ABlockOnAStopAtBlockJobHoldsEveryBackendUntilTheNextJob) {
    miner::Stats stats;
    SharesSeen seen;
    std::mutex m;
    std::vector<std::string> logs;
    miner::Dispatcher d({}, stats, seen.Sink(), [&](core::LogLevel, const std::string& text) {
        std::lock_guard l(m);
        logs.push_back(text);
    });
    for (int i = 0; i < 2; ++i) {
        d.AddBackend(
            std::make_unique<miner::cpu::CpuBackend>(*miner::cpu::FindCpuImpl("generic"), i), 1e6);
    }
    d.Start();
    d.SetJob(RegtestLikeJob("tip1", 1, true));
    auto count = [&] { return seen.Count(); };
    ASSERT_TRUE(WaitFor([&] { return count() >= 1; }, 10s));
    // Held: no more hashing, and at most one block per worker (one that finished its range
    // just before the hold) reached the source.
    std::this_thread::sleep_for(100ms);
    const auto hashes = stats.Snapshot().total.hashes;
    const std::size_t held = count();
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(stats.Snapshot().total.hashes, hashes);
    EXPECT_EQ(count(), held);
    EXPECT_LE(held, 2u);
    for (const Share& s : seen.All()) {
        EXPECT_TRUE(s.block_candidate);
        EXPECT_EQ(s.job->job_id, "tip1");
    }
    {
        std::lock_guard l(m);
        EXPECT_NE(std::find_if(logs.begin(), logs.end(),
                               [](const std::string& t) {
                                   return t.find("every backend waits for the next job") !=
                                          std::string::npos;
                               }),
                  logs.end());
    }
    // The next job restarts every worker, and the first block on it holds them again.
    d.SetJob(RegtestLikeJob("tip2", 2, true));
    ASSERT_TRUE(WaitFor([&] { return count() > held; }, 10s));
    d.Stop();
    const std::vector<Share> shares = seen.All();
    EXPECT_EQ(shares.back().job->job_id, "tip2");
    EXPECT_LE(shares.size(), held + 2);
}

TEST(Dispatcher, HoldStopsEveryBackendUntilTheNextJob) {
    miner::Stats stats;
    SharesSeen seen;
    miner::Dispatcher d({}, stats, seen.Sink(), [](core::LogLevel, const std::string&) {});
    for (int i = 0; i < 2; ++i) {
        d.AddBackend(
            std::make_unique<miner::cpu::CpuBackend>(*miner::cpu::FindCpuImpl("generic"), i), 1e6);
    }
    d.Start();
    d.SetJob(EasyJob("before", 1, true));
    ASSERT_TRUE(WaitFor([&] { return stats.Snapshot().total.hashes > 0; }, 10s));
    d.Hold();
    std::this_thread::sleep_for(100ms); // the ranges in flight end at their next chunk
    const auto hashes = stats.Snapshot().total.hashes;
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(stats.Snapshot().total.hashes, hashes) << "hashing went on after Hold";
    const std::size_t held = seen.Count();
    d.SetJob(EasyJob("after", 2, true));
    ASSERT_TRUE(WaitFor([&] { return seen.Count() > held; }, 20s));
    d.Stop();
    EXPECT_GT(stats.Snapshot().total.hashes, hashes);
    EXPECT_EQ(seen.All().back().job->job_id, "after");
}

TEST(Dispatcher, AnEasyPoolJobHandsOnEveryShareOfARange) {
    // Without stop_at_block (a pool's job) a block candidate does not end the range.
    miner::Stats stats;
    std::atomic<int> shares{0};
    miner::Dispatcher d(
        {}, stats, [&](Share) { ++shares; }, [](core::LogLevel, const std::string&) {});
    d.AddBackend(std::make_unique<miner::cpu::CpuBackend>(*miner::cpu::FindCpuImpl("generic"), 0),
                 1e6);
    d.Start();
    d.SetJob(RegtestLikeJob("pool", 3, false));
    ASSERT_TRUE(WaitFor([&] { return shares >= 100; }, 10s));
    d.Stop();
}

namespace {

// A CPU backend whose first scan waits until the test opens the gate: a range of one job
// still running when the next job arrives.
class GatedBackend : public miner::HashBackend {
public:
    GatedBackend()
        : m_inner(*miner::cpu::FindCpuImpl("generic"), 0) {}
    std::string Name() const override { return "gated"; }
    miner::SelfTestResult SelfTest() override { return {}; }
    miner::ScanResult Scan(const WorkUnit& work, std::stop_token stop) override {
        if (!m_first_done.exchange(true)) {
            first_job = work.job->job_id;
            entered = true;
            while (!open) {
                std::this_thread::sleep_for(1ms);
            }
            return m_inner.Scan(work, std::stop_token{}); // finishes its range: a block in it
        }
        ++later_scans;
        return m_inner.Scan(work, stop);
    }
    std::atomic<bool> entered{false};
    std::atomic<bool> open{false};
    std::atomic<int> later_scans{0};
    std::string first_job;

private:
    miner::cpu::CpuBackend m_inner;
    std::atomic<bool> m_first_done{false};
};

} // namespace

TEST(Dispatcher, ABlockOnAnEarlierJobOfTheSameTipHoldsTheRefreshedJob) {
    miner::Stats stats;
    SharesSeen seen;
    miner::Dispatcher d({}, stats, seen.Sink(), [](core::LogLevel, const std::string&) {});
    auto backend = std::make_unique<GatedBackend>();
    GatedBackend* b = backend.get();
    d.AddBackend(std::move(backend), 1e6);
    d.Start();
    d.SetJob(RegtestLikeJob("tip1-a", 1, true));
    ASSERT_TRUE(WaitFor([&] { return b->entered.load(); }, 10s));
    // A refreshed template on the same tip replaces the job without a restart.
    auto refreshed = std::make_shared<Job>(*RegtestLikeJob("tip1-b", 1, true));
    refreshed->clean_jobs = false;
    refreshed->coinb2 = {0x03};
    d.SetJob(refreshed);
    b->open = true;
    ASSERT_TRUE(WaitFor([&] { return seen.Count() >= 1; }, 10s));
    std::this_thread::sleep_for(200ms);
    // The block on tip1-a held the miner: nothing was scanned on tip1-b.
    EXPECT_EQ(b->later_scans.load(), 0);
    EXPECT_EQ(seen.Count(), 1u);
    EXPECT_EQ(seen.All().front().job->job_id, "tip1-a");
    d.SetJob(RegtestLikeJob("tip2", 2, true));
    ASSERT_TRUE(WaitFor([&] { return b->later_scans.load() > 0; }, 10s));
    d.Stop();
}
