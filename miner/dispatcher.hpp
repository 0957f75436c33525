// The dispatcher owns the hashing threads and the current job. Each backend gets a worker
// thread that asks the WorkSource for ranges sized to its measured speed (a CPU thread a few
// ms of work). A clean job (the job source's word that earlier work is stale) bumps the
// generation and stops every running scan at once through its stop token, so stale work ends
// within a millisecond or two. Every top-word survivor a backend reports is hashed once with the
// reference sha256d, and only a hash that meets the full share target becomes a Share.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "miner/hash_backend.hpp"
#include "miner/stats.hpp"
#include "miner/work_source.hpp"
#include "nonceforge/core/log_level.hpp"
#include "nonceforge/core/work.hpp"

namespace nonceforge::miner {

struct DispatcherConfig {
    std::chrono::milliseconds range_time{5}; // target duration of one range per worker
    bool pin_threads = false;                // pin worker i to CPU i
    std::size_t max_latency_samples = 4096;  // job-switch latencies kept for reporting
};

class Dispatcher {
public:
    using ShareSink = std::function<void(core::Share)>;
    using LogSink = std::function<void(core::LogLevel, const std::string&)>;

    Dispatcher(DispatcherConfig config, Stats& stats, ShareSink sink, LogSink log);
    ~Dispatcher();
    Dispatcher(const Dispatcher&) = delete;
    Dispatcher& operator=(const Dispatcher&) = delete;

    // Before Start(): `initial_rate` (hashes/s) sizes the first ranges until measured.
    // `range_time` overrides DispatcherConfig::range_time for this backend (a GPU wants
    // ranges of many launches); zero keeps the default.
    void AddBackend(std::unique_ptr<HashBackend> backend, double initial_rate,
                    std::chrono::milliseconds range_time = {});
    void Start();
    // Stops hashing and joins the workers. Shares already found have been handed to the sink.
    void Stop();

    // From the network thread. Restarts work when the job is clean (the source decides: the
    // Stratum session marks every new block and every new connection's first job clean);
    // otherwise the new job applies from each worker's next range.
    void SetJob(std::shared_ptr<const core::Job> job);
    // From the network thread: the source has no work to give (JobSource::Handlers::on_hold).
    // Every scan stops and the workers wait for the next SetJob.
    void Hold();

    // Microseconds from a restarting SetJob to each worker's first range of the new job.
    std::vector<double> SwitchLatenciesMicros() const;
    std::size_t WorkerCount() const { return m_workers.size(); }

private:
    struct Worker {
        std::unique_ptr<HashBackend> backend;
        std::size_t stats_index = 0;
        double rate = 0; // hashes/s, smoothed
        std::chrono::milliseconds range_time{};
        std::mutex mutex;
        std::stop_source scan_stop; // replaced for every range
        uint64_t seen_generation = 0;
        std::jthread thread;
    };
    void WorkerLoop(Worker& w, std::size_t cpu, std::stop_token stop);
    // True when the survivor was a block candidate.
    bool HandleSurvivor(Worker& w, const core::WorkUnit& work, uint32_t nonce, bool stale);
    // A block was found on `job`: when the current job is still on its tip (`job` itself or a
    // refreshed one of the same source), every scan stops and the workers wait for the next
    // SetJob (Job::stop_at_block).
    bool HoldIfCurrent(const core::Job* job);
    void StopScans();

    DispatcherConfig m_config;
    Stats& m_stats;
    ShareSink m_sink;
    LogSink m_log;
    WorkSource m_source;
    std::vector<std::unique_ptr<Worker>> m_workers;

    std::mutex m_job_mutex;
    std::condition_variable_any m_job_cv; // workers without a job wait here
    std::chrono::steady_clock::time_point m_restart_at{};
    mutable std::mutex m_latency_mutex;
    std::vector<double> m_latencies;
};

} // namespace nonceforge::miner
