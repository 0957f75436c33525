// Google Benchmark: one benchmark per CPU scan implementation, each forced by name and run
// through CpuBackend::Scan (the code mining uses). Items processed = hashes (nonces).
// Implementations this CPU cannot run are reported as skipped with the missing feature.
#include <random>
#include <string>

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

void BM_CpuScan(benchmark::State& state, const cpu::CpuImpl* impl) {
    static const cpu::CpuFeatures features = cpu::DetectCpuFeatures();
    if (!impl->supported(features)) {
        state.SkipWithError(("needs " + std::string(impl->requires_)).c_str());
        return;
    }
    cpu::CpuBackend backend(*impl);
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
    for (const auto& impl : cpu::AllCpuImpls()) {
        benchmark::RegisterBenchmark(("BM_CpuScan/" + std::string(impl.name)).c_str(), BM_CpuScan,
                                     &impl)
            ->Unit(benchmark::kMillisecond);
    }
    return true;
}();

} // namespace

BENCHMARK_MAIN();
