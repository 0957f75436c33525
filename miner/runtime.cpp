#include "miner/runtime.hpp"

#include <cstdio>
#include <ctime>
#include <fstream>
#include <mutex>
#include <thread>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "miner/api/api_server.hpp"
#include "miner/benchmark.hpp"
#include "miner/cpu/cpu_backend.hpp"
#if NF_HAVE_CUDA
#include "miner/cuda/cuda_backend.hpp"
#endif
#include "miner/dispatcher.hpp"
#include "miner/profit/profit.hpp"
#include "nonceforge/core/coinbase.hpp"
#include "nonceforge/stratum/pool_server.hpp"

namespace nonceforge::miner {

namespace asio = boost::asio;

namespace {

constexpr auto AS_TUPLE = asio::as_tuple(asio::use_awaitable);

std::string Duration(std::chrono::seconds s) {
    char buf[32];
    const long long t = s.count();
    if (t >= 3600) {
        std::snprintf(buf, sizeof buf, "%lldh%02lldm", t / 3600, (t / 60) % 60);
    } else {
        std::snprintf(buf, sizeof buf, "%lldm%02llds", t / 60, t % 60);
    }
    return buf;
}

std::string Num(double v, const char* fmt = "%.4g") {
    char buf[32];
    std::snprintf(buf, sizeof buf, fmt, v);
    return buf;
}

ShareFate FateOf(stratum::VerdictKind k) {
    switch (k) {
    case stratum::VerdictKind::Accepted:
        return ShareFate::Accepted;
    case stratum::VerdictKind::Rejected:
        return ShareFate::Rejected;
    case stratum::VerdictKind::Stale:
        return ShareFate::Stale;
    case stratum::VerdictKind::Lost:
        return ShareFate::Lost;
    }
    return ShareFate::Lost;
}

} // namespace

std::string FormatStatusLine(const StatsSnapshot& s, const stratum::PoolStatus& pool) {
    const ShareCounts& c = s.total.shares;
    std::string line =
        FormatHashrate(s.total.rate.h5s) + " (5s) " + FormatHashrate(s.total.rate.h1m) +
        " (1m) | shares " + std::to_string(c.accepted) + " accepted, " +
        std::to_string(c.rejected) + " rejected, " + std::to_string(c.stale) + " stale, " +
        std::to_string(c.lost) + " lost | hw errors " + std::to_string(c.hardware_errors) +
        " | best " + Num(c.best_difficulty) + " | pool diff " + Num(pool.difficulty) + " | " +
        (pool.connected ? pool.url : "disconnected") + " | up " + Duration(s.uptime);
    return line;
}

namespace {

// The live estimate, or why there is none (for the status line and the API).
api::ProfitView LiveProfit(const MineOptions& o, const StatsSnapshot& s, const core::Job* job) {
    api::ProfitView view;
    if (!o.power_watts || !o.electricity_price || !o.btc_price) {
        view.unavailable = "needs --power-watts, --electricity-price and --btc-price";
        return view;
    }
    if (!job) {
        view.unavailable = "no job yet";
        return view;
    }
    const std::vector<uint8_t> en2(job->extranonce2_size, 0);
    const auto coinbase = core::DecodeCoinbase(job->Coinbase(en2));
    if (!coinbase.value) {
        view.unavailable = "coinbase value unreadable";
        return view;
    }
    const ShareCounts& c = s.total.shares;
    const uint64_t resolved = c.accepted + c.rejected + c.stale;
    profit::LiveInputs in;
    in.hashrate_hps = s.total.rate.h1m > 0 ? s.total.rate.h1m : s.total.rate.h5s;
    in.nbits = job->nbits;
    in.coinbase_value_sats = int64_t(*coinbase.value);
    in.power_watts = *o.power_watts;
    in.electricity_price_per_kwh = *o.electricity_price;
    in.btc_price = *o.btc_price;
    in.pool_fee_percent = o.pool_fee_percent;
    in.stale_rate_percent = resolved ? 100.0 * double(c.rejected + c.stale) / double(resolved) : 0;
    auto e = profit::EstimateLive(in);
    if (!e) {
        view.unavailable = e.error().message;
        return view;
    }
    view.estimate = *e;
    if (coinbase.height) {
        view.network_warning =
            profit::NotMainnetReason(core::DifficultyFromBits(job->nbits), *coinbase.height);
    }
    return view;
}

std::string IsoTime(std::chrono::system_clock::time_point t) {
    const std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// --json-summary: what ran, against which pools, from when to when, why it stopped, and the
// statistics of every backend.
nlohmann::json SummaryJson(const MineResult& r, std::chrono::system_clock::time_point started,
                           std::chrono::system_clock::time_point stopped,
                           const std::vector<std::pair<std::string, std::string>>& pools) {
    nlohmann::json j = Stats::ToJson(r.stats);
    j["version"] = std::string(api::Version());
    j["start_time"] = IsoTime(started);
    j["stop_time"] = IsoTime(stopped);
    j["stop_reason"] = r.stop_reason;
    j["exit_code"] = r.exit_code;
    const double seconds = std::chrono::duration<double>(stopped - started).count();
    j["elapsed_seconds"] = seconds;
    j["average_hashrate"] = seconds > 0 ? double(r.stats.total.hashes) / seconds : 0.0;
    j["pools"] = nlohmann::json::array();
    for (const auto& [url, user] : pools) {
        j["pools"].push_back({{"url", url}, {"user", user}});
    }
    return j;
}

} // namespace

std::string FormatLiveProfit(const MineOptions& o, const StatsSnapshot& s, const core::Job* job) {
    if (!job || !o.power_watts || !o.electricity_price || !o.btc_price) {
        return {};
    }
    const api::ProfitView p = LiveProfit(o, s, job);
    if (!p.estimate) {
        return " | profit: " + p.unavailable;
    }
    const profit::LiveEstimate& e = *p.estimate;
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  " | est. %.8f BTC/day, revenue %.4f/day, power %.4f/day, profit %.4f/day",
                  e.btc_per_day, e.revenue_per_day, e.power_cost_per_day, e.profit_per_day);
    return buf + std::string(p.network_warning ? " (not mainnet: test figures)" : "");
}

std::string FormatSummary(const StatsSnapshot& s) {
    std::string out = "summary after " + Duration(s.uptime) + ":\n";
    auto line = [&](const BackendStats& b) {
        const ShareCounts& c = b.shares;
        out += "  " + b.name + ": " + FormatHashrate(b.rate.h15m > 0 ? b.rate.h15m : b.rate.h1m) +
               " average, " + std::to_string(b.hashes) + " hashes; shares found " +
               std::to_string(c.found) + " = accepted " + std::to_string(c.accepted) +
               " + rejected " + std::to_string(c.rejected) + " + stale " + std::to_string(c.stale) +
               " + lost " + std::to_string(c.lost) +
               (c.Pending() ? " + pending " + std::to_string(c.Pending()) : "") +
               "; hardware errors " + std::to_string(c.hardware_errors) + "; best share " +
               Num(c.best_difficulty) + "\n";
        for (const auto& [reason, n] : c.rejected_by_reason) {
            out += "      rejected: " + reason + " x" + std::to_string(n) + "\n";
        }
        for (const auto& [reason, n] : c.stale_by_reason) {
            out += "      stale: " + reason + " x" + std::to_string(n) + "\n";
        }
        for (const auto& [reason, n] : c.lost_by_reason) {
            out += "      lost: " + reason + " x" + std::to_string(n) + "\n";
        }
    };
    for (const auto& b : s.backends) {
        line(b);
    }
    line(s.total);
    out +=
        "  effective hashrate from accepted shares: " + FormatHashrate(s.effective_hashrate) + "\n";
    return out;
}

struct MinerRuntime::Impl {
    MineOptions options;
    LogFn log;
    Stats stats;
    asio::io_context ioc;
    std::atomic<bool> stop_requested{false};
    std::mutex stop_mutex;
    std::string stop_reason; // the first reason given; guarded by stop_mutex
    std::unique_ptr<stratum::PoolServer> local_pool;
    std::unique_ptr<stratum::StratumClient> client;
    std::unique_ptr<Dispatcher> dispatcher;
    std::shared_ptr<const core::Job> latest_job; // network thread only
    bool shutting_down = false;
    // Monitoring: recent verdicts, the configured pools (no passwords) and the API listeners.
    std::unique_ptr<api::ShareLog> share_log;
    std::vector<std::pair<std::string, std::string>> pool_url_user;
    std::unique_ptr<api::ApiServer> api;
    std::unique_ptr<api::HashrateHistory> history; // network thread only

    asio::awaitable<void> Ticker();
    asio::awaitable<void> Shutdown(std::string reason);
    void SetStopReason(const std::string& reason);
    void LogEvent(const std::string& text) const { log(options.quiet_events ? -1 : 0, text); }
    api::ApiView View(std::size_t share_limit) const; // network thread only
};

MinerRuntime::MinerRuntime(MineOptions options, LogFn log)
    : m_impl(std::make_unique<Impl>()) {
    m_impl->options = std::move(options);
    m_impl->log = std::move(log);
    m_impl->share_log = std::make_unique<api::ShareLog>(m_impl->options.api.share_history);
    m_impl->history = std::make_unique<api::HashrateHistory>(m_impl->options.api.history_points,
                                                             m_impl->options.api.history_interval);
}

api::ApiView MinerRuntime::Impl::View(std::size_t share_limit) const {
    api::ApiView v;
    v.version = std::string(api::Version());
    v.time_unix = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    v.stats = stats.Snapshot();
    const stratum::PoolStatus st = client->Status();
    for (std::size_t i = 0; i < pool_url_user.size(); ++i) {
        api::PoolView p;
        p.index = i;
        p.url = pool_url_user[i].first;
        p.user = pool_url_user[i].second;
        p.active = i == st.pool_index;
        p.state = p.active ? std::string(stratum::ToString(st.state)) : "idle";
        if (p.active) {
            p.connected = st.connected;
            p.difficulty = st.difficulty;
            p.version_mask = st.version_mask;
            p.extranonce_subscribed = st.extranonce_subscribed;
            p.outstanding_shares = st.outstanding_shares;
            p.connects = st.connects;
            p.failovers = st.failovers;
            p.last_error = st.last_error;
            if (st.connected) {
                p.connected_seconds = std::chrono::duration<double>(
                                          std::chrono::steady_clock::now() - st.connected_since)
                                          .count();
            }
        }
        p.latency = share_log->LatencyFor(i);
        v.pools.push_back(std::move(p));
    }
    if (latest_job) {
        v.network_difficulty = core::DifficultyFromBits(latest_job->nbits);
        v.job_id = latest_job->job_id;
    }
    v.profit = LiveProfit(options, v.stats, latest_job.get());
    v.shares = share_log->Latest(share_limit);
    v.share_capacity = share_log->Capacity();
    v.shares_recorded = share_log->TotalRecorded();
    v.history = history->Points();
    v.history_interval_seconds = history->Interval().count();
    v.history_capacity = history->Capacity();
    return v;
}

MinerRuntime::~MinerRuntime() = default;

StatsSnapshot MinerRuntime::Snapshot() const {
    return m_impl->stats.Snapshot();
}

void MinerRuntime::RequestStop(std::string reason) {
    m_impl->SetStopReason(reason);
    m_impl->stop_requested = true;
    asio::post(m_impl->ioc, [impl = m_impl.get(), reason] {
        if (!impl->shutting_down) {
            asio::co_spawn(impl->ioc, impl->Shutdown(reason), asio::detached);
        }
    });
}

void MinerRuntime::Impl::SetStopReason(const std::string& reason) {
    std::lock_guard lock(stop_mutex);
    if (stop_reason.empty()) {
        stop_reason = reason;
    }
}

asio::awaitable<void> MinerRuntime::Impl::Shutdown(std::string reason) {
    if (shutting_down) {
        co_return;
    }
    shutting_down = true;
    SetStopReason(reason);
    log(0, "stopping (" + reason + "): hashing stopped, waiting up to 2 s for the pool's replies");
    dispatcher->Stop();
    asio::steady_timer t(ioc);
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (client->Status().outstanding_shares > 0 && std::chrono::steady_clock::now() < give_up) {
        t.expires_after(std::chrono::milliseconds(50));
        co_await t.async_wait(AS_TUPLE);
    }
    client->Stop();
}

asio::awaitable<void> MinerRuntime::Impl::Ticker() {
    asio::steady_timer t(ioc);
    const auto start = std::chrono::steady_clock::now();
    auto next_status = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                   std::chrono::duration<double>(options.status_interval_seconds));
    while (!shutting_down) {
        t.expires_after(std::chrono::seconds(1));
        co_await t.async_wait(AS_TUPLE);
        stats.Sample();
        const auto now = std::chrono::steady_clock::now();
        if (history->Due(now)) {
            history->Record(
                now, api::MakeHistoryPoint(std::chrono::system_clock::now(), stats.Snapshot()));
        }
        if (options.duration_seconds > 0 &&
            now - start >= std::chrono::duration<double>(options.duration_seconds)) {
            co_await Shutdown("duration reached");
            co_return;
        }
        if (options.status_interval_seconds > 0 && now >= next_status) {
            const StatsSnapshot snap = stats.Snapshot();
            const stratum::PoolStatus pool = client->Status();
            const auto latency = share_log->LatencyFor(pool.pool_index);
            char latency_text[48] = "";
            if (latency.mean_ms) {
                std::snprintf(latency_text, sizeof latency_text, " | submit latency %.1f ms",
                              *latency.mean_ms);
            }
            log(0, FormatStatusLine(snap, pool) + latency_text +
                       FormatLiveProfit(options, snap, latest_job.get()));
            next_status += std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                std::chrono::duration<double>(options.status_interval_seconds));
        }
    }
}

MineResult MinerRuntime::Run() {
    Impl& m = *m_impl;
    MineResult result;
    const auto run_started = std::chrono::system_clock::now();
    auto fail = [&](std::string error) {
        result.exit_code = 2;
        result.error = std::move(error);
        return result;
    };

    // Pools: the ones given, or the embedded local pool.
    std::vector<std::string> urls = m.options.urls;
    if (urls.empty()) {
        stratum::PoolServerConfig pc;
        pc.difficulty = m.options.local_difficulty;
        pc.job_interval =
            std::chrono::milliseconds(int64_t(m.options.local_job_interval_seconds * 1000));
        pc.block_interval =
            std::chrono::milliseconds(int64_t(m.options.local_block_interval_seconds * 1000));
        // The embedded pool's own lines are detail here (`nonceforge pool` shows them).
        pc.log = [log = m.log](stratum::PoolLogLevel level, std::string_view text) {
            if (level != stratum::PoolLogLevel::Debug) {
                log(level == stratum::PoolLogLevel::Warn ? 1 : -1,
                    "[local pool] " + std::string(text));
            }
        };
        m.local_pool = std::make_unique<stratum::PoolServer>(pc);
        auto port = m.local_pool->Start();
        if (!port) {
            return fail("cannot start the embedded local pool: " + port.error());
        }
        urls.push_back(m.local_pool->Url());
        m.log(1, "no pool given (-o): mining against the embedded local demo pool at " +
                     m.local_pool->Url() + ". It pays nothing; it shows the miner working.");
    }
    stratum::ClientConfig cc;
    cc.tls = m.options.tls;
    cc.allow_redirect = m.options.allow_redirect;
    cc.reconnect = m.options.reconnect;
    cc.reject_storm = m.options.reject_storm;
    cc.timeouts = m.options.timeouts;
    cc.proxy = m.options.proxy;
    cc.protocol_dump = m.options.protocol_dump;
    for (const std::string& text : urls) {
        auto url = stratum::ParsePoolUrl(text);
        if (!url) {
            return fail(url.error());
        }
        stratum::PoolConfig p;
        p.url = *url;
        p.session.user = url->user.value_or(m.options.user);
        p.session.password = url->password.value_or(m.options.password);
        if (!m.options.version_rolling) {
            p.session.version_rolling.reset();
        }
        p.session.suggest_difficulty = m.options.suggest_difficulty;
        p.session.extranonce_subscribe = m.options.extranonce_subscribe;
        p.session.response_timeout = m.options.response_timeout;
        p.session.follow_redirects = true; // the transport decides, by --allow-redirect
        m.pool_url_user.emplace_back(p.url.ToString(), p.session.user);
        cc.pools.push_back(std::move(p));
    }
    std::string pool_list;
    for (const auto& [url, user] : m.pool_url_user) {
        pool_list += (pool_list.empty() ? "" : ", then ") + url + " as " + user;
    }
    m.log(0, "nonceforge " + std::string(api::Version()) + " starting: " + pool_list);

    // Backends.
    DispatcherConfig dc;
    dc.range_time = m.options.range_time;
    dc.pin_threads = m.options.pin_threads;
    m.dispatcher = std::make_unique<Dispatcher>(
        dc, m.stats,
        [&m](core::Share share) {
            m.log(-1, "share found by " + share.backend + ": difficulty " + Num(share.difficulty) +
                          " (pool " + Num(share.job ? share.job->share_difficulty : 0) + ")");
            m.share_log->Submitted(share);
            m.client->Submit(std::move(share));
        },
        m.log);
    if (!m.options.no_cpu) {
        const cpu::CpuFeatures features = cpu::DetectCpuFeatures();
        const cpu::CpuSelection sel = cpu::SelectCpuImpl(features, m.options.cpu_impl);
        for (const auto& f : sel.failed) {
            m.log(1, "CPU path disabled: " + f);
        }
        if (!sel.chosen) {
            std::string why = m.options.cpu_impl.empty() ? "no CPU scan path passed its self-test"
                                                         : "--cpu-impl " + m.options.cpu_impl +
                                                               " is not usable on this CPU";
            for (const auto& u : sel.unsupported) {
                why += "; " + u;
            }
            return fail(why);
        }
        // The paths with their start-up measurement (one thread), when there was a choice.
        std::string usable;
        double chosen_rate = 2e6;
        for (std::size_t i = 0; i < sel.usable.size(); ++i) {
            usable += (usable.empty() ? "" : ", ") + sel.usable[i];
            if (i < sel.measured_rate.size()) {
                usable += " " + FormatHashrate(sel.measured_rate[i]);
                if (sel.usable[i] == sel.chosen->name) {
                    chosen_rate = sel.measured_rate[i];
                }
            }
        }
        const unsigned threads = m.options.threads
                                     ? m.options.threads
                                     : std::max(1u, std::thread::hardware_concurrency());
        m.log(0, "CPU: " + features.brand + " (" + features.Summary() + "); mining with " +
                     std::string(sel.chosen->name) + " on " + std::to_string(threads) +
                     " thread(s)");
        m.log(0, "CPU paths measured at start-up (1 thread): " + usable);
        for (unsigned i = 0; i < threads; ++i) {
            m.dispatcher->AddBackend(std::make_unique<cpu::CpuBackend>(*sel.chosen, int(i)),
                                     chosen_rate);
        }
    }
#if NF_HAVE_CUDA
    if (m.options.use_cuda) {
        // Each device is self-tested; one that fails is reported and the rest mine. GPUs get
        // ranges of about a second (several launches each) instead of the CPU's few ms.
        gpu::CudaBackendSet gpus = gpu::CreateCudaBackends(m.options.cuda_devices);
        for (const auto& p : gpus.problems) {
            m.log(1, p + (gpus.backends.empty() ? "; mining without a GPU" : ""));
        }
        for (const auto& n : gpus.notes) {
            m.log(0, n);
        }
        for (auto& b : gpus.backends) {
            const double rate = b->Rate();
            m.dispatcher->AddBackend(std::move(b), rate, gpu::CudaBackend::RANGE_TIME);
        }
    }
#endif
    if (m.dispatcher->WorkerCount() == 0) {
        return fail("no hashing backend: --no-cpu was given and no GPU backend is available");
    }

    stratum::StratumClient::Handlers handlers;
    handlers.on_job = [&m](std::shared_ptr<const core::Job> job) {
        m.LogEvent("job " + job->job_id + (job->clean_jobs ? " (clean)" : "") + ": difficulty " +
                   Num(job->share_difficulty) + ", network difficulty " +
                   Num(core::DifficultyFromBits(job->nbits)));
        m.latest_job = job;
        m.dispatcher->SetJob(std::move(job));
    };
    handlers.on_verdict = [&m](const stratum::action::ShareVerdict& v) {
        const double diff = v.share.job ? v.share.job->share_difficulty : 0;
        m.stats.ShareResolved(v.share.backend, FateOf(v.kind), v.reason, diff);
        m.share_log->Resolved(v.share, std::string(stratum::ToString(v.kind)), v.reason,
                              m.client->Status().pool_index);
        // One line per share: who found it, how hard, the verdict, its latency, the tallies.
        const auto c = m.stats.Snapshot().total.shares;
        const auto latest = m.share_log->Latest(1);
        std::string latency;
        if (!latest.empty() && latest.front().latency_ms) {
            latency = ", " + Num(*latest.front().latency_ms, "%.1f") + " ms";
        }
        const std::string line = "share " + std::string(stratum::ToString(v.kind)) +
                                 (v.reason.empty() ? "" : " (" + v.reason + ")") + ": " +
                                 v.share.backend + ", difficulty " + Num(v.share.difficulty) +
                                 " / " + Num(diff) + latency + " [" + std::to_string(c.accepted) +
                                 " accepted, " + std::to_string(c.rejected) + " rejected, " +
                                 std::to_string(c.stale) + " stale, " + std::to_string(c.lost) +
                                 " lost]";
        if (v.kind == stratum::VerdictKind::Accepted) {
            m.LogEvent(line);
        } else {
            m.log(1, line);
        }
    };
    handlers.on_log = [&m](stratum::LogLevel level, const std::string& text) {
        switch (level) {
        case stratum::LogLevel::Debug:
            m.log(-1, text);
            break;
        case stratum::LogLevel::Info:
        case stratum::LogLevel::Protocol: // only with -P, which asked to see every line
            m.log(0, text);
            break;
        case stratum::LogLevel::Warn:
            m.log(1, text);
            break;
        case stratum::LogLevel::Error:
            m.log(2, text);
            break;
        }
    };
    m.client = std::make_unique<stratum::StratumClient>(m.ioc.get_executor(), std::move(cc),
                                                        std::move(handlers));
    if (m.options.api.enabled) {
        m.api = std::make_unique<api::ApiServer>(
            m.ioc.get_executor(), m.options.api,
            [&m](std::size_t share_limit) { return m.View(share_limit); }, m.log);
        if (auto started = m.api->Start(); !started) {
            return fail(started.error());
        }
    }

    std::string failure;
    asio::co_spawn(m.ioc, m.client->Run(), [&](std::exception_ptr e) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                failure = std::string("internal error in the Stratum client: ") + ex.what();
            }
            m.shutting_down = true;
        } else if (const stratum::PoolStatus st = m.client->Status(); st.gave_up) {
            failure = st.last_error; // -r/--retries used up
            m.shutting_down = true;
            m.dispatcher->Stop();
        }
        if (m.api) {
            m.api->Stop(); // its listeners and connections would keep the io_context running
        }
    });
    asio::co_spawn(m.ioc, m.Ticker(), asio::detached);
    m.dispatcher->Start();
    if (m.stop_requested) {
        std::lock_guard lock(m.stop_mutex);
        asio::co_spawn(m.ioc, m.Shutdown(m.stop_reason), asio::detached);
    }
    m.ioc.run();
    m.dispatcher->Stop();
    if (m.local_pool) {
        m.local_pool->Stop();
    }
    m.stats.Sample();
    result.stats = m.stats.Snapshot();
    result.job_switch_latency_us = m.dispatcher->SwitchLatenciesMicros();
    result.live_profit = FormatLiveProfit(m.options, result.stats, m.latest_job.get());
    if (!failure.empty()) {
        result.exit_code = 1;
        result.error = failure;
        m.SetStopReason(failure);
    }
    {
        std::lock_guard lock(m.stop_mutex);
        result.stop_reason = m.stop_reason.empty() ? "client ended" : m.stop_reason;
    }
    if (!m.options.json_summary_file.empty()) {
        std::ofstream out(m.options.json_summary_file);
        out << SummaryJson(result, run_started, std::chrono::system_clock::now(), m.pool_url_user)
                   .dump(2)
            << "\n";
        if (!out) {
            m.log(2, "cannot write the JSON summary to " + m.options.json_summary_file);
        }
    }
    return result;
}

} // namespace nonceforge::miner
