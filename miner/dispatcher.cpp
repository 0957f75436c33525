#include "miner/dispatcher.hpp"

#include <algorithm>

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#endif

#include "nonceforge/core/target.hpp"

namespace nonceforge::miner {

namespace {

using Clock = std::chrono::steady_clock;
constexpr uint64_t MIN_RANGE = 4096;
// A range is cut so that it yields at most this many top-word survivors on average: with a
// target as easy as regtest's (half of all hashes meet it) a range sized by the hash rate
// would hand the dispatcher millions of them, each a reference hash and a share.
constexpr uint64_t MAX_EXPECTED_SURVIVORS = 1024;

// The largest range `job` may get: MAX_EXPECTED_SURVIVORS at its share target's top word.
uint64_t SurvivorBoundedRange(const core::Job* job) {
    if (!job) {
        return 1ull << 32;
    }
    const uint64_t passing = uint64_t(job->share_target.TopWord()) + 1; // per 2^32 nonces
    const uint64_t bound = (MAX_EXPECTED_SURVIVORS << 32) / passing;
    return std::clamp<uint64_t>(bound, 64, 1ull << 32);
}

void PinCurrentThread(std::size_t cpu) {
#if defined(__linux__)
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(int(cpu % CPU_SETSIZE), &set);
    pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
#else
    (void)cpu;
#endif
}

} // namespace

Dispatcher::Dispatcher(DispatcherConfig config, Stats& stats, ShareSink sink, LogSink log)
    : m_config(config)
    , m_stats(stats)
    , m_sink(std::move(sink))
    , m_log(std::move(log)) {}

Dispatcher::~Dispatcher() {
    Stop();
}

void Dispatcher::AddBackend(std::unique_ptr<HashBackend> backend, double initial_rate,
                            std::chrono::milliseconds range_time) {
    auto w = std::make_unique<Worker>();
    w->stats_index = m_stats.AddBackend(backend->Name());
    w->backend = std::move(backend);
    w->rate = std::max(initial_rate, 1e5);
    w->range_time = range_time.count() > 0 ? range_time : m_config.range_time;
    m_workers.push_back(std::move(w));
}

void Dispatcher::Start() {
    for (std::size_t i = 0; i < m_workers.size(); ++i) {
        Worker& w = *m_workers[i];
        w.thread = std::jthread([this, &w, i](std::stop_token stop) { WorkerLoop(w, i, stop); });
    }
}

void Dispatcher::Stop() {
    for (auto& w : m_workers) {
        if (w->thread.joinable()) {
            w->thread.request_stop();
            std::lock_guard lock(w->mutex);
            w->scan_stop.request_stop();
        }
    }
    m_job_cv.notify_all();
    for (auto& w : m_workers) {
        if (w->thread.joinable()) {
            w->thread.join();
        }
    }
}

void Dispatcher::SetJob(std::shared_ptr<const core::Job> job) {
    // The job source decided whether earlier work is stale (a new block, a new connection);
    // only the very first job restarts without its word.
    const bool restart = job->clean_jobs || !m_source.CurrentJob();
    {
        std::lock_guard lock(m_job_mutex);
        if (restart) {
            m_restart_at = Clock::now();
        }
        m_source.SetJob(std::move(job), restart);
    }
    if (restart) {
        StopScans();
    }
    m_job_cv.notify_all();
}

bool Dispatcher::HoldIfCurrent(const core::Job* job) {
    {
        std::lock_guard lock(m_job_mutex);
        // The current job, or a later one of the same source on the same tip (a template
        // refreshed while this range ran): a block on the tip ends work on all of them.
        const std::shared_ptr<const core::Job> current = m_source.CurrentJob();
        if (!current || current->source != job->source || current->prev_hash != job->prev_hash) {
            return false;
        }
        m_source.Clear();
    }
    StopScans();
    return true;
}

void Dispatcher::Hold() {
    {
        std::lock_guard lock(m_job_mutex);
        m_source.Clear();
    }
    StopScans();
}

void Dispatcher::StopScans() {
    for (auto& w : m_workers) {
        std::lock_guard lock(w->mutex);
        w->scan_stop.request_stop();
    }
}

std::vector<double> Dispatcher::SwitchLatenciesMicros() const {
    std::lock_guard lock(m_latency_mutex);
    return m_latencies;
}

void Dispatcher::WorkerLoop(Worker& w, std::size_t cpu, std::stop_token stop) {
    if (m_config.pin_threads) {
        PinCurrentThread(cpu);
    }
    const double range_seconds = std::chrono::duration<double>(w.range_time).count();
    while (!stop.stop_requested()) {
        std::stop_token scan_token;
        std::optional<WorkSource::Range> range;
        {
            std::unique_lock lock(m_job_mutex);
            const uint64_t size = std::min(
                std::clamp<uint64_t>(uint64_t(w.rate * range_seconds), MIN_RANGE, 1ull << 32),
                SurvivorBoundedRange(m_source.CurrentJob().get()));
            range = m_source.NextRange(size);
            if (!range) {
                m_job_cv.wait(lock, stop, [&] { return m_source.CurrentJob() != nullptr; });
                continue;
            }
            if (range->generation != w.seen_generation) {
                w.seen_generation = range->generation;
                if (m_restart_at != Clock::time_point{}) {
                    const double us =
                        std::chrono::duration<double, std::micro>(Clock::now() - m_restart_at)
                            .count();
                    std::lock_guard l(m_latency_mutex);
                    if (m_latencies.size() < m_config.max_latency_samples) {
                        m_latencies.push_back(us);
                    }
                }
            }
            // A fresh stop source per range, under the job lock: a restart that happens after
            // this point stops this range's scan.
            std::lock_guard wl(w.mutex);
            w.scan_stop = std::stop_source();
            scan_token = w.scan_stop.get_token();
        }
        if (stop.stop_requested()) {
            break;
        }
        const auto t0 = Clock::now();
        ScanResult r = w.backend->Scan(range->work, scan_token);
        const double dt = std::chrono::duration<double>(Clock::now() - t0).count();
        m_stats.AddHashes(w.stats_index, r.hashes_done);
        if (!r.stopped && dt > 0 && r.hashes_done > 0) {
            w.rate = 0.7 * w.rate + 0.3 * (double(r.hashes_done) / dt);
        }
        const bool stale = range->generation != m_source.Generation();
        const core::Job& job = *range->work.job;
        if (stale && job.stop_at_block && !r.survivors.empty()) {
            // Blocks on a tip already mined or left: nobody wants them, and on a chain as easy
            // as regtest's they would swamp the share ledger.
            m_log(core::LogLevel::Debug, std::to_string(r.survivors.size()) + " survivors of " +
                                             w.backend->Name() + " on job " + job.job_id +
                                             " dropped: the job ended with a block");
            r.survivors.clear();
        }
        for (uint32_t nonce : r.survivors) {
            if (HandleSurvivor(w, range->work, nonce, stale) && job.stop_at_block) {
                break;
            }
        }
        if (r.fault) {
            const std::string why = r.fault_detail.empty() ? r.fault.message() : r.fault_detail;
            m_stats.BackendRetired(w.stats_index, why);
            m_log(core::LogLevel::Error, w.backend->Name() + " disabled: " + why +
                                             "; mining continues on the other backends");
            return;
        }
    }
}

bool Dispatcher::HandleSurvivor(Worker& w, const core::WorkUnit& work, uint32_t nonce, bool stale) {
    const std::string& name = w.backend->Name();
    // The one reference sha256d of this nonce decides; a backend's word is never enough. A
    // survivor whose reference hash fails the top-word filter the backend claims it passed is
    // a hardware error; one that passes it but not the full target is an ordinary near miss.
    const core::Hash256 hash = work.HashWithNonce(nonce);
    if (!core::HashPassesTopWord(hash, work.share_target)) {
        m_stats.Shares().HardwareError(name);
        m_log(core::LogLevel::Error,
              "hardware error on " + name + ": nonce " + core::FormatHexU32BE(nonce) +
                  " does not verify (its reference hash " + hash.ToDisplayHex() +
                  " misses the target's top word); not submitted");
        return false;
    }
    if (!core::HashMeetsTarget(hash, work.share_target)) {
        return false;
    }
    core::Share share;
    share.job = work.job;
    share.extranonce2 = work.extranonce2;
    share.ntime = work.ntime;
    share.nonce = nonce;
    share.version = work.version;
    share.hash = hash;
    share.difficulty = core::HashDifficulty(hash);
    share.block_candidate = core::HashMeetsTarget(hash, work.network_target);
    share.backend = name;
    m_stats.Shares().Found(share);
    if (share.block_candidate) {
        m_log(core::LogLevel::Warn,
              "*** BLOCK CANDIDATE *** hash " + hash.ToDisplayHex() + " meets the network target");
    }
    if (stale) {
        m_stats.Shares().Resolve(share, core::VerdictKind::Stale, "job replaced before submit");
        m_log(core::LogLevel::Info, "share " + std::to_string(share.id) + " (nonce " +
                                        core::FormatHexU32BE(nonce) +
                                        ") found after its job was replaced: stale");
        return share.block_candidate;
    }
    const bool block = share.block_candidate;
    if (block && work.job->stop_at_block && HoldIfCurrent(work.job.get())) {
        m_log(core::LogLevel::Debug,
              "block found on job " + work.job->job_id + ": every backend waits for the next job");
    }
    m_sink(std::move(share));
    return block;
}

} // namespace nonceforge::miner
