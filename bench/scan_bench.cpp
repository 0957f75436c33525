// Google Benchmark: one benchmark per CPU scan implementation, each forced by name and run
// through CpuBackend::Scan (the code mining uses). Items processed = hashes (nonces).
// Implementations this CPU cannot run are reported as skipped with the missing feature.
#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>

#include "miner/cpu/cpu_backend.hpp"
#include "nonceforge/core/work.hpp"

namespace {

using namespace nonceforge;

core::WorkUnit BenchWork() {
    std::mt19937 rng(1);
    core::BlockHeader h;
    h.version = 0x20000000;
    for (auto& b : h.merkle_root.bytes) {
        b = uint8_t(rng());
    }
    h.time = 1700000000;
    h.bits = 0x17034219;
    return core::WorkUnit::FromHeader(h, core::Diff1Target());
}

void BM_CpuScan(benchmark::State& state, const miner::cpu::CpuImpl* impl) {
    static const miner::cpu::CpuFeatures features = miner::cpu::DetectCpuFeatures();
    if (!impl->supported(features)) {
        state.SkipWithError(("needs " + std::string(impl->requires_)).c_str());
        return;
    }
    miner::cpu::CpuBackend backend(*impl);
    core::WorkUnit work = BenchWork();
    constexpr uint32_t RANGE = 1u << 16;
    uint64_t next = 0;
    for (auto _ : state) {
        work.nonce_first = uint32_t(next);
        work.nonce_count = RANGE;
        auto r = backend.Scan(work, std::stop_token());
        benchmark::DoNotOptimize(r);
        next = (next + RANGE) & 0xffffffffu;
    }
    state.SetItemsProcessed(int64_t(state.iterations()) * RANGE);
}

// Time from a stop request to Scan returning, per implementation: p50 / p99 / max in us.
void BM_CpuStopLatency(benchmark::State& state, const miner::cpu::CpuImpl* impl) {
    static const miner::cpu::CpuFeatures features = miner::cpu::DetectCpuFeatures();
    if (!impl->supported(features)) {
        state.SkipWithError(("needs " + std::string(impl->requires_)).c_str());
        return;
    }
    miner::cpu::CpuBackend backend(*impl);
    core::WorkUnit work = BenchWork();
    work.nonce_first = 0;
    work.nonce_count = 1ull << 32;
    std::vector<double> us;
    for (auto _ : state) {
        std::stop_source stop;
        std::chrono::steady_clock::time_point returned;
        std::thread t([&] {
            backend.Scan(work, stop.get_token());
            returned = std::chrono::steady_clock::now();
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(3));
        const auto requested = std::chrono::steady_clock::now();
        stop.request_stop();
        t.join();
        us.push_back(std::chrono::duration<double, std::micro>(returned - requested).count());
    }
    std::sort(us.begin(), us.end());
    state.counters["p50_us"] = us[us.size() / 2];
    state.counters["p99_us"] = us[std::min(us.size() - 1, us.size() * 99 / 100)];
    state.counters["max_us"] = us.back();
}

// The reference: one full sha256d of an 80-byte header.
void BM_ReferenceSha256dHeader(benchmark::State& state) {
    core::WorkUnit work = BenchWork();
    uint32_t nonce = 0;
    for (auto _ : state) {
        benchmark::DoNotOptimize(work.HashWithNonce(nonce++));
    }
    state.SetItemsProcessed(int64_t(state.iterations()));
}
BENCHMARK(BM_ReferenceSha256dHeader);

const bool REGISTERED = [] {
    for (const auto& impl : miner::cpu::AllCpuImpls()) {
        benchmark::RegisterBenchmark(("BM_CpuScan/" + std::string(impl.name)).c_str(), BM_CpuScan,
                                     &impl)
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark(("BM_CpuStopLatency/" + std::string(impl.name)).c_str(),
                                     BM_CpuStopLatency, &impl)
            ->Iterations(100)
            ->UseRealTime()
            ->Unit(benchmark::kMillisecond);
    }
    return true;
}();

} // namespace

BENCHMARK_MAIN();
