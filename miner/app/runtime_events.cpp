// What happens while `nonceforge mine` runs: jobs in, shares out, verdicts back, the status
// line every few seconds, the stop.
#include <cstdio>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "miner/app/mine_output.hpp"
#include "miner/app/runtime_impl.hpp"
#include "nonceforge/core/target.hpp"

namespace nonceforge::miner::app {

namespace asio = boost::asio;
using core::LogLevel;

namespace {

constexpr auto AS_TUPLE = asio::as_tuple(asio::use_awaitable);

std::string Num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

std::chrono::steady_clock::duration Seconds(double s) {
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(s));
}

} // namespace

void MinerRuntime::Impl::LogEvent(const std::string& text) const {
    log(options.output.quiet_events ? LogLevel::Debug : LogLevel::Info, text);
}

miner::JobSource::Handlers MinerRuntime::Impl::SourceHandlers() {
    miner::JobSource::Handlers h;
    h.on_job = [this](std::shared_ptr<const core::Job> job) {
        LogEvent("job " + job->job_id + (job->clean_jobs ? " (clean)" : "") + ": difficulty " +
                 Num(job->share_difficulty) + ", network difficulty " +
                 Num(core::DifficultyFromBits(job->nbits)));
        latest_job = job;
        dispatcher->SetJob(std::move(job));
    };
    h.on_hold = [this] { dispatcher->Hold(); };
    h.on_verdict = [this](miner::ShareVerdict v) { OnVerdict(std::move(v)); };
    // Protocol lines come only with -P, which asked to see every line: info.
    h.on_log = [this](LogLevel level, const std::string& text) {
        log(level == LogLevel::Protocol ? LogLevel::Info : level, text);
    };
    h.on_end = [this](const std::string& why) { OnSourceEnd(why); };
    return h;
}

void MinerRuntime::Impl::OnShareFound(core::Share share) {
    log(LogLevel::Debug, "share found by " + share.backend + ": difficulty " +
                             Num(share.difficulty) + " (pool " +
                             Num(share.job ? share.job->share_difficulty : 0) + ")");
    source->Submit(std::move(share));
}

void MinerRuntime::Impl::OnVerdict(miner::ShareVerdict v) {
    if (!stats.Shares().Resolve(v.share, v.kind, v.reason, v.latency, v.upstream)) {
        log(LogLevel::Warn, "a second verdict (" + std::string(core::ToString(v.kind)) +
                                ") for share " + std::to_string(v.share.id) + " ignored");
        return;
    }
    const std::string line = FormatVerdictLine(v, stats.Snapshot().total.shares);
    if (v.kind == core::VerdictKind::Accepted) {
        LogEvent(line);
    } else {
        log(LogLevel::Warn, line);
    }
}

// The source ended: after Stop (why is empty), or by itself (retries used up, a bug).
void MinerRuntime::Impl::OnSourceEnd(const std::string& why) {
    if (!why.empty()) {
        failure = why;
        failure_is_input = solo_source != nullptr && solo_source->InputError();
        shutting_down = true;
        dispatcher->Stop();
    }
    if (api) {
        api->Stop(); // its listeners and connections would keep the io_context running
    }
}

void MinerRuntime::Impl::OnTaskFailure(const std::string& task, const std::string& what) {
    log(LogLevel::Error, "internal error in the " + task + ": " + what);
    if (failure.empty()) {
        failure = "internal error in the " + task + ": " + what;
    }
    tasks.Spawn("shutdown", Shutdown(failure));
}

asio::awaitable<void> MinerRuntime::Impl::Shutdown(std::string reason) {
    if (shutting_down) {
        co_return;
    }
    shutting_down = true;
    SetStopReason(reason);
    log(LogLevel::Info,
        "stopping (" + reason + "): hashing stopped, waiting up to 2 s for the pool's replies");
    dispatcher->Stop();
    asio::steady_timer t(ioc);
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (source->Status().outstanding_shares > 0 && std::chrono::steady_clock::now() < give_up) {
        t.expires_after(std::chrono::milliseconds(50));
        co_await t.async_wait(AS_TUPLE);
    }
    source->Stop();
}

void MinerRuntime::Impl::LogStatus() {
    const miner::StatsSnapshot snap = stats.Snapshot();
    const miner::SourceStatus status = source->Status();
    const auto latency = stats.Shares().LatencyFor(status.active);
    char latency_text[48] = "";
    if (latency.mean_ms) {
        std::snprintf(latency_text, sizeof latency_text, " | submit latency %.1f ms",
                      *latency.mean_ms);
    }
    log(LogLevel::Info, FormatStatusLine(snap, status) + latency_text +
                            FormatLiveProfit(options.output.profit, snap, latest_job.get()));
}

// Once a second: the hashrate sample, the history point, the duration, the status line.
asio::awaitable<void> MinerRuntime::Impl::Ticker() {
    asio::steady_timer t(ioc);
    const auto start = std::chrono::steady_clock::now();
    const double interval = options.output.status_interval_seconds;
    auto next_status = start + Seconds(interval);
    while (!shutting_down) {
        t.expires_after(std::chrono::seconds(1));
        co_await t.async_wait(AS_TUPLE);
        stats.Sample();
        const auto now = std::chrono::steady_clock::now();
        if (history.Due(now)) {
            history.Record(now, miner::api::MakeHistoryPoint(std::chrono::system_clock::now(),
                                                             stats.Snapshot()));
        }
        if (options.duration_seconds > 0 && now - start >= Seconds(options.duration_seconds)) {
            co_await Shutdown("duration reached");
            co_return;
        }
        if (interval > 0 && now >= next_status) {
            LogStatus();
            next_status += Seconds(interval);
        }
    }
}

} // namespace nonceforge::miner::app
