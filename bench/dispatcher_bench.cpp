// Job-switch latency: the time from a clean job reaching the dispatcher to every CPU worker
// hashing it. Reported as p50 / p99 / max microseconds over the iterations.
#include <algorithm>
#include <chrono>
#include <thread>

#include <benchmark/benchmark.h>

#include "miner/cpu/cpu_backend.hpp"
#include "miner/dispatcher.hpp"

namespace {

using namespace nonceforge;

std::shared_ptr<const core::Job> CleanJob(uint32_t n) {
    auto job = std::make_shared<core::Job>();
    job->job_id = std::to_string(n);
    job->prev_hash.bytes[0] = uint8_t(n);
    job->prev_hash.bytes[1] = uint8_t(n >> 8);
    job->coinb1 = {0x01};
    job->coinb2 = {0x02};
    job->extranonce1 = {1, 2, 3, 4};
    job->extranonce2_size = 4;
    job->version = 0x20000000;
    job->nbits = 0x1d00ffff;
    job->clean_jobs = true;
    job->share_target = core::Diff1Target();
    return job;
}

void BM_JobSwitchLatency(benchmark::State& state) {
    const auto sel = miner::cpu::SelectCpuImpl(miner::cpu::DetectCpuFeatures());
    miner::Stats stats;
    miner::Dispatcher d(
        {}, stats, [](core::Share) {}, [](nonceforge::core::LogLevel, const std::string&) {});
    const unsigned workers = std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i < workers; ++i) {
        d.AddBackend(std::make_unique<miner::cpu::CpuBackend>(*sel.chosen, int(i)), 2e7);
    }
    d.Start();
    uint32_t n = 0;
    d.SetJob(CleanJob(n++));
    std::this_thread::sleep_for(std::chrono::milliseconds(200)); // ranges sized to real speed
    std::size_t seen = d.SwitchLatenciesMicros().size();
    for (auto _ : state) {
        d.SetJob(CleanJob(n++));
        while (d.SwitchLatenciesMicros().size() < seen + workers) {
            std::this_thread::yield();
        }
        seen += workers;
        state.PauseTiming();
        std::this_thread::sleep_for(std::chrono::milliseconds(20)); // let the workers settle
        state.ResumeTiming();
    }
    d.Stop();
    auto lat = d.SwitchLatenciesMicros();
    lat.erase(lat.begin(),
              lat.begin() + std::ptrdiff_t(std::min<std::size_t>(workers, lat.size())));
    std::sort(lat.begin(), lat.end());
    if (!lat.empty()) {
        state.counters["p50_us"] = lat[lat.size() / 2];
        state.counters["p99_us"] = lat[std::min(lat.size() - 1, lat.size() * 99 / 100)];
        state.counters["max_us"] = lat.back();
        state.counters["workers"] = workers;
    }
}
BENCHMARK(BM_JobSwitchLatency)->Iterations(300)->Unit(benchmark::kMicrosecond)->UseRealTime();

} // namespace
