#include "miner/benchmark.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#endif

#include "miner/cpu/cpu_backend.hpp"
#include "miner/cpu/cpu_features.hpp"
#include "miner/cpu/throughput_probe.hpp"
#if NF_HAVE_CUDA
#include "miner/cuda/cuda_backend.hpp"
#endif

namespace nonceforge::miner {

namespace {

using Clock = std::chrono::steady_clock;

// One counter per worker, on its own cache line so the workers do not share one.
struct alignas(64) PaddedCounter {
    std::atomic<uint64_t> hashes{0};
};

void PinToCpu(unsigned cpu) {
#if defined(__linux__)
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu % CPU_SETSIZE, &set);
    pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
#else
    (void)cpu;
#endif
}

// A pseudo-random header per worker, with a difficulty-1 share target as when mining.
core::WorkUnit BenchWork(unsigned seed) {
    std::mt19937 rng(seed * 7919 + 17);
    core::BlockHeader h;
    h.version = 0x20000000;
    for (auto& b : h.prev_hash.bytes) {
        b = uint8_t(rng());
    }
    for (auto& b : h.merkle_root.bytes) {
        b = uint8_t(rng());
    }
    h.time = 1700000000 + seed;
    h.bits = 0x17034219;
    return core::WorkUnit::FromHeader(h, core::Diff1Target());
}

BenchmarkRow MeasureCpu(const miner::cpu::CpuImpl& impl, unsigned threads,
                        const BenchmarkOptions& o) {
    std::vector<PaddedCounter> counters(threads);
    std::vector<std::jthread> workers;
    for (unsigned t = 0; t < threads; ++t) {
        workers.emplace_back([&, t](std::stop_token stop) {
            if (o.pin_threads) {
                PinToCpu(t);
            }
            miner::cpu::CpuBackend backend(impl);
            core::WorkUnit work = BenchWork(t);
            constexpr uint64_t RANGE = 1u << 16; // a few ms: the counters stay current
            uint64_t next = 0;
            while (!stop.stop_requested()) {
                if (next + RANGE > 0x100000000ull) { // nonce space used up: a new header
                    work.header[0] ^= 1;
                    core::sha256::HeaderMidstate(work.header.data(), work.midstate.data());
                    next = 0;
                }
                work.nonce_first = uint32_t(next);
                work.nonce_count = RANGE;
                ScanResult r = backend.Scan(work, stop);
                counters[t].hashes.fetch_add(r.hashes_done, std::memory_order_relaxed);
                next += RANGE;
            }
        });
    }
    auto total = [&] {
        uint64_t sum = 0;
        for (auto& c : counters) {
            sum += c.hashes.load(std::memory_order_relaxed);
        }
        return sum;
    };
    // Warm-up: let clocks and caches settle before measuring.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const double interval = std::clamp(o.seconds / 10.0, 0.2, 1.0);
    const int n_intervals = std::max(1, int(std::lround(o.seconds / interval)));
    std::vector<double> rates;
    const auto start = Clock::now();
    const uint64_t start_hashes = total();
    auto last_t = start;
    uint64_t last_h = start_hashes;
    for (int i = 0; i < n_intervals; ++i) {
        std::this_thread::sleep_until(start + std::chrono::duration<double>(interval * (i + 1)));
        const auto now = Clock::now();
        const uint64_t h = total();
        rates.push_back(double(h - last_h) / std::chrono::duration<double>(now - last_t).count());
        last_t = now;
        last_h = h;
    }
    for (auto& w : workers) {
        w.request_stop();
    }
    workers.clear(); // joins

    BenchmarkRow row;
    row.backend = "cpu";
    row.impl = std::string(impl.name);
    row.threads = threads;
    row.hashes = last_h - start_hashes;
    row.seconds = std::chrono::duration<double>(last_t - start).count();
    row.intervals = int(rates.size());
    row.mean_hps = double(row.hashes) / row.seconds;
    std::vector<double> sorted = rates;
    std::sort(sorted.begin(), sorted.end());
    row.min_hps = sorted.front();
    row.max_hps = sorted.back();
    const std::size_t m = sorted.size() / 2;
    row.median_hps = sorted.size() % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    return row;
}

#if NF_HAVE_CUDA
// One GPU through CudaBackend::Scan, as mining drives it. Each Scan covers two launches (both
// streams busy) and is one rate sample; a warm-up first lets the launch size adapt toward
// its target duration. Empty `error` on success.
BenchmarkRow MeasureGpu(miner::cuda::CudaBackend& backend, const BenchmarkOptions& o,
                        std::string& error) {
    constexpr uint64_t NONCE_SPACE = 0x100000000ull;
    core::WorkUnit work = BenchWork(1000 + unsigned(backend.Device().index));
    uint64_t next = 0;
    std::vector<double> rates;
    uint64_t hashes = 0;
    double seconds = 0;
    auto run_until = [&](double limit, bool record) {
        const auto start = Clock::now();
        while (error.empty() &&
               std::chrono::duration<double>(Clock::now() - start).count() < limit) {
            if (next >= NONCE_SPACE) { // nonce space used up: a new header
                work.header[0] ^= 1;
                core::sha256::HeaderMidstate(work.header.data(), work.midstate.data());
                next = 0;
            }
            work.nonce_first = uint32_t(next);
            work.nonce_count = std::min(2 * backend.LaunchNonces(), NONCE_SPACE - next);
            const auto t0 = Clock::now();
            const ScanResult r = backend.Scan(work, std::stop_token());
            const double dt = std::chrono::duration<double>(Clock::now() - t0).count();
            if (r.fault) {
                error = r.fault_detail.empty() ? r.fault.message() : r.fault_detail;
            }
            next += work.nonce_count;
            if (record && dt > 0) {
                rates.push_back(double(r.hashes_done) / dt);
                hashes += r.hashes_done;
                seconds += dt;
            }
        }
    };
    run_until(std::min(2.0, std::max(0.5, o.seconds / 4)), false);
    run_until(o.seconds, true);

    BenchmarkRow row;
    row.backend = "cuda" + std::to_string(backend.Device().index);
    row.impl = backend.Device().name;
    row.threads = 1; // one host thread drives the device
    if (rates.empty()) {
        return row;
    }
    row.hashes = hashes;
    row.seconds = seconds;
    row.intervals = int(rates.size());
    row.mean_hps = double(hashes) / seconds;
    std::sort(rates.begin(), rates.end());
    row.min_hps = rates.front();
    row.max_hps = rates.back();
    const std::size_t m = rates.size() / 2;
    row.median_hps = rates.size() % 2 ? rates[m] : (rates[m - 1] + rates[m]) / 2;
    return row;
}
#endif

std::string ProbeSummary(const miner::cpu::ThroughputProbe& p) {
    std::string out;
    auto add = [&](const char* name, double v) {
        if (v > 0) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%s%s %.2f", out.empty() ? "" : ", ", name, v);
            out += buf;
        }
    };
    add("vpaddd zmm", p.add512);
    add("vpternlogd zmm", p.tern512);
    add("vprord zmm", p.ror512);
    add("vpsrld zmm", p.shift512);
    add("vprord+vpsrld zmm", p.rorshift512);
    add("vpaddd ymm", p.add256);
    add("vpxor ymm", p.xor256);
    add("vpsrld ymm", p.shift256);
    add("sha256rnds2", p.rnds2);
    add("sha256msg1", p.msg1);
    add("sha256msg2", p.msg2);
    add("sha256rnds2+msg2", p.rnds2_msg2);
    add("mix avx512 zmm", p.mix512);
    add("mix avx512 ymm", p.mix256);
    add("mix sha-ni-vl", p.mix_shani_vl);
    add("mix sha-ni", p.mix_shani);
    return out;
}

} // namespace

std::string FormatHashrate(double hps) {
    static constexpr const char* UNITS[] = {"H/s", "kH/s", "MH/s", "GH/s", "TH/s", "PH/s", "EH/s"};
    int u = 0;
    while (hps >= 1000.0 && u < 6) {
        hps /= 1000.0;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f %s", hps, UNITS[u]);
    return buf;
}

BenchmarkReport RunBenchmark(const BenchmarkOptions& options,
                             const std::function<void(const std::string&)>& progress) {
    BenchmarkReport report;
    const miner::cpu::CpuFeatures features = miner::cpu::DetectCpuFeatures();
    report.cpu_brand = features.brand;
    report.cpu_features = features.Summary();
    report.logical_cpus = std::max(1u, std::thread::hardware_concurrency());
    const unsigned threads = options.threads ? options.threads : report.logical_cpus;

    const miner::cpu::CpuSelection best = miner::cpu::SelectCpuImpl(features);
    report.chosen_impl = best.chosen ? std::string(best.chosen->name) : "";
    // The rows measure every path anyway: no second race.
    const miner::cpu::CpuSelection sel =
        miner::cpu::SelectCpuImpl(features, options.cpu_impl, false);
    report.unavailable = sel.unsupported;
    report.unavailable.insert(report.unavailable.end(), sel.failed.begin(), sel.failed.end());

    const std::vector<std::string> measured = options.cpu ? sel.usable : std::vector<std::string>{};
    std::optional<miner::cpu::ThroughputProbe> probe;
    if (options.probe && !measured.empty()) {
        probe = miner::cpu::MeasureThroughput(features);
        report.probe_clock_hz = probe->clock_hz;
        report.probe_summary = ProbeSummary(*probe);
    }
    for (const std::string& name : measured) {
        const miner::cpu::CpuImpl& impl = *miner::cpu::FindCpuImpl(name);
        std::vector<unsigned> counts;
        if (options.single_thread_rows || threads == 1) {
            counts.push_back(1);
        }
        if (threads > 1) {
            counts.push_back(threads);
        }
        for (unsigned n : counts) {
            BenchmarkRow row = MeasureCpu(impl, n, options);
            if (probe) {
                if (const auto bound = miner::cpu::ScanBound(impl.name, *probe)) {
                    row.bound_hps = bound->hashes_per_second;
                    row.bound_limit = bound->limit;
                    row.percent_of_bound = 100.0 * row.median_hps / n / bound->hashes_per_second;
                }
            }
            if (progress) {
                progress(row.impl + " x" + std::to_string(n) + ": " +
                         FormatHashrate(row.median_hps));
            }
            report.rows.push_back(row);
        }
    }
#if NF_HAVE_CUDA
    if (options.cuda) {
        miner::cuda::CudaBackendSet gpus = miner::cuda::CreateCudaBackends(options.cuda_devices);
        report.unavailable.insert(report.unavailable.end(), gpus.problems.begin(),
                                  gpus.problems.end());
        for (auto& backend : gpus.backends) {
            std::string error;
            BenchmarkRow row = MeasureGpu(*backend, options, error);
            if (!error.empty() || row.intervals == 0) {
                report.unavailable.push_back(backend->Name() + ": " +
                                             (error.empty() ? "no measurement" : error));
                continue;
            }
            if (progress) {
                progress(row.backend + " " + row.impl + ": " + FormatHashrate(row.median_hps));
            }
            report.rows.push_back(row);
        }
    }
#endif
    return report;
}

nlohmann::json BenchmarkReport::ToJson() const {
    nlohmann::json j;
    j["cpu"] = {{"brand", cpu_brand}, {"features", cpu_features}, {"logical_cpus", logical_cpus}};
    j["chosen_cpu_impl"] = chosen_impl;
    j["unavailable"] = unavailable;
    if (probe_clock_hz > 0) {
        j["throughput_probe"] = {{"clock_hz", probe_clock_hz},
                                 {"instructions_per_cycle", probe_summary}};
    }
    j["rows"] = nlohmann::json::array();
    for (const auto& r : rows) {
        j["rows"].push_back({{"backend", r.backend},
                             {"impl", r.impl},
                             {"threads", r.threads},
                             {"median_hashes_per_second", r.median_hps},
                             {"min_hashes_per_second", r.min_hps},
                             {"max_hashes_per_second", r.max_hps},
                             {"mean_hashes_per_second", r.mean_hps},
                             {"per_thread_hashes_per_second", r.median_hps / r.threads},
                             {"hashes", r.hashes},
                             {"seconds", r.seconds},
                             {"intervals", r.intervals}});
        if (r.bound_hps > 0) {
            j["rows"].back()["bound_hashes_per_second_per_core"] = r.bound_hps;
            j["rows"].back()["bound_limit"] = r.bound_limit;
            j["rows"].back()["percent_of_bound"] = r.percent_of_bound;
        }
    }
    return j;
}

std::string BenchmarkReport::ToTable() const {
    std::ostringstream out;
    out << "CPU: " << cpu_brand << " (" << logical_cpus << " logical CPUs; " << cpu_features
        << ")\n";
    out << "Mining would use: cpu/" << (chosen_impl.empty() ? "none" : chosen_impl) << "\n\n";
    char line[200];
    std::snprintf(line, sizeof line, "%-8s %-18s %7s %14s %14s %14s %14s %14s %9s\n", "backend",
                  "impl", "threads", "median", "min", "max", "per thread", "bound/core",
                  "of bound");
    out << line;
    for (const auto& r : rows) {
        char pct[16] = "-";
        if (r.bound_hps > 0) {
            std::snprintf(pct, sizeof pct, "%.0f %%", r.percent_of_bound);
        }
        std::snprintf(line, sizeof line, "%-8s %-18s %7u %14s %14s %14s %14s %14s %9s\n",
                      r.backend.c_str(), r.impl.c_str(), r.threads,
                      FormatHashrate(r.median_hps).c_str(), FormatHashrate(r.min_hps).c_str(),
                      FormatHashrate(r.max_hps).c_str(),
                      FormatHashrate(r.median_hps / r.threads).c_str(),
                      r.bound_hps > 0 ? FormatHashrate(r.bound_hps).c_str() : "-", pct);
        out << line;
    }
    if (probe_clock_hz > 0) {
        char clock[96];
        std::snprintf(clock, sizeof clock,
                      "\nBound: per core at %.2f GHz (dependent add chain), from instructions "
                      "per cycle: ",
                      probe_clock_hz / 1e9);
        out << clock << probe_summary
            << "\n(the largest of: each class's operations / its rate, all vector ALU "
               "operations / the fastest rate, and all of a path's operations / the rate of "
               "its mix; % of bound: median per thread over it)\n";
    }
    for (const auto& u : unavailable) {
        out << "not measured: " << u << "\n";
    }
    return out.str();
}

} // namespace nonceforge::miner
