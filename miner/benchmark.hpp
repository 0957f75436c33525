// `nonceforge benchmark`: hashrate of every hashing backend this machine can run, measured
// through the same HashBackend::Scan that mining uses.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace nonceforge::miner {

struct BenchmarkOptions {
    double seconds = 5.0;           // measured time per row, after a short warm-up
    std::string cpu_impl;           // empty: every usable implementation
    unsigned threads = 0;           // 0: one per logical CPU
    bool single_thread_rows = true; // also measure each implementation on one thread
    bool pin_threads = false;       // pin worker i to CPU i
    bool cpu = true;                // measure the CPU implementations
    bool cuda = true;               // measure CUDA GPUs (when built with CUDA), a row each
    std::vector<int> cuda_devices;  // empty: every device
    bool probe = true;              // measure this core's instruction throughput (about 0.2 s)
                                    // and show each CPU path's bound and "% of bound"
};

struct BenchmarkRow {
    std::string backend; // "cpu", or "cuda0" for GPU 0
    std::string impl;    // "avx512-16way-x2", or the GPU's name
    unsigned threads = 0;
    double median_hps = 0; // median of the per-interval rates
    double min_hps = 0;
    double max_hps = 0;
    double mean_hps = 0; // all hashes over all measured time
    uint64_t hashes = 0;
    double seconds = 0;
    int intervals = 0;
    // CPU rows with the probe: the path's bound on one core (miner/cpu/throughput_probe.hpp),
    // the class that sets it, and the per-thread median as a percentage of it (0: no bound).
    double bound_hps = 0;
    std::string bound_limit;
    double percent_of_bound = 0;
};

struct BenchmarkReport {
    std::string cpu_brand;
    std::string cpu_features;
    unsigned logical_cpus = 0;
    std::string chosen_impl;              // what mining would use
    std::vector<std::string> unavailable; // "name: reason"
    std::vector<BenchmarkRow> rows;
    double probe_clock_hz = 0; // the probe's core clock (0: no probe)
    std::string probe_summary; // "vpaddd zmm 4.00/cycle, ..."

    nlohmann::json ToJson() const;
    std::string ToTable() const;
};

// Runs the benchmark; `progress` (may be empty) receives a line per finished row.
BenchmarkReport RunBenchmark(const BenchmarkOptions& options,
                             const std::function<void(const std::string&)>& progress);

// "12.34 MH/s" and friends.
std::string FormatHashrate(double hashes_per_second);

} // namespace nonceforge::miner
