#include "miner/benchmark.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <sstream>
#include <thread>

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#endif

#include "miner/cpu/cpu_backend.hpp"
#include "miner/cpu/cpu_features.hpp"

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

BenchmarkRow MeasureCpu(const cpu::CpuImpl& impl, unsigned threads, const BenchmarkOptions& o) {
    std::vector<PaddedCounter> counters(threads);
    std::vector<std::jthread> workers;
    for (unsigned t = 0; t < threads; ++t) {
        workers.emplace_back([&, t](std::stop_token stop) {
            if (o.pin_threads) {
                PinToCpu(t);
            }
            cpu::CpuBackend backend(impl);
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
    const cpu::CpuFeatures features = cpu::DetectCpuFeatures();
    report.cpu_brand = features.brand;
    report.cpu_features = features.Summary();
    report.logical_cpus = std::max(1u, std::thread::hardware_concurrency());
    const unsigned threads = options.threads ? options.threads : report.logical_cpus;

    const cpu::CpuSelection best = cpu::SelectCpuImpl(features);
    report.chosen_impl = best.chosen ? std::string(best.chosen->name) : "";
    const cpu::CpuSelection sel = cpu::SelectCpuImpl(features, options.cpu_impl);
    report.unavailable = sel.unsupported;
    report.unavailable.insert(report.unavailable.end(), sel.failed.begin(), sel.failed.end());

    for (const std::string& name : sel.usable) {
        const cpu::CpuImpl& impl = *cpu::FindCpuImpl(name);
        std::vector<unsigned> counts;
        if (options.single_thread_rows || threads == 1) {
            counts.push_back(1);
        }
        if (threads > 1) {
            counts.push_back(threads);
        }
        for (unsigned n : counts) {
            BenchmarkRow row = MeasureCpu(impl, n, options);
            if (progress) {
                progress(row.impl + " x" + std::to_string(n) + ": " +
                         FormatHashrate(row.median_hps));
            }
            report.rows.push_back(row);
        }
    }
    return report;
}

nlohmann::json BenchmarkReport::ToJson() const {
    nlohmann::json j;
    j["cpu"] = {{"brand", cpu_brand}, {"features", cpu_features}, {"logical_cpus", logical_cpus}};
    j["chosen_cpu_impl"] = chosen_impl;
    j["unavailable"] = unavailable;
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
    }
    return j;
}

std::string BenchmarkReport::ToTable() const {
    std::ostringstream out;
    out << "CPU: " << cpu_brand << " (" << logical_cpus << " logical CPUs; " << cpu_features
        << ")\n";
    out << "Mining would use: cpu/" << (chosen_impl.empty() ? "none" : chosen_impl) << "\n\n";
    char line[160];
    std::snprintf(line, sizeof line, "%-8s %-18s %7s %14s %14s %14s %14s\n", "backend", "impl",
                  "threads", "median", "min", "max", "per thread");
    out << line;
    for (const auto& r : rows) {
        std::snprintf(line, sizeof line, "%-8s %-18s %7u %14s %14s %14s %14s\n", r.backend.c_str(),
                      r.impl.c_str(), r.threads, FormatHashrate(r.median_hps).c_str(),
                      FormatHashrate(r.min_hps).c_str(), FormatHashrate(r.max_hps).c_str(),
                      FormatHashrate(r.median_hps / r.threads).c_str());
        out << line;
    }
    for (const auto& u : unavailable) {
        out << "not measured: " << u << "\n";
    }
    return out.str();
}

} // namespace nonceforge::miner
