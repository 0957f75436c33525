// The wiring of `nonceforge mine`: set-up, the run, the end. What happens while it runs is in
// runtime_events.cpp; each part is set up by its own unit (pool_setup, backend_setup, mine_api,
// mine_output).
#include "miner/app/runtime.hpp"

#include <boost/asio/post.hpp>

#include "miner/app/backend_setup.hpp"
#include "miner/app/mine_api.hpp"
#include "miner/app/mine_output.hpp"
#include "miner/app/runtime_impl.hpp"
#include "miner/app/stratum_job_source.hpp"

namespace nonceforge::miner::app {

using core::LogLevel;

MinerRuntime::Impl::Impl(MineOptions o, LogFn l)
    : options(std::move(o))
    , log(std::move(l))
    , stats(options.api.share_history)
    , tasks(ioc,
            [this](const std::string& task, const std::string& what) { OnTaskFailure(task, what); })
    , history(options.api.history_points, options.api.history_interval) {}

MinerRuntime::MinerRuntime(MineOptions options, LogFn log)
    : m_impl(std::make_unique<Impl>(std::move(options), std::move(log))) {}

MinerRuntime::~MinerRuntime() = default;

miner::StatsSnapshot MinerRuntime::Snapshot() const {
    return m_impl->stats.Snapshot();
}

void MinerRuntime::RequestStop(std::string reason) {
    m_impl->SetStopReason(reason);
    m_impl->stop_requested = true;
    boost::asio::post(m_impl->ioc, [impl = m_impl.get(), reason] {
        impl->tasks.Spawn("shutdown", impl->Shutdown(reason));
    });
}

MineResult MinerRuntime::Run() {
    Impl& m = *m_impl;
    const auto started = std::chrono::system_clock::now();
    for (auto step : {&Impl::SetUpSource, &Impl::SetUpBackends, &Impl::SetUpApi}) {
        if (std::string error = (m.*step)(); !error.empty()) {
            MineResult failed;
            failed.exit_code = 2;
            failed.error = std::move(error);
            return failed;
        }
    }
    m.source->Start(m.SourceHandlers());
    m.tasks.Spawn("ticker", m.Ticker());
    m.dispatcher->Start();
    m.ioc.run(); // returns once the source, the listeners and every task have ended
    return m.Finish(started);
}

void MinerRuntime::Impl::SetStopReason(const std::string& reason) {
    std::lock_guard lock(stop_mutex);
    if (stop_reason.empty()) {
        stop_reason = reason;
    }
}

// A Bitcoin Core node (solo mining).
std::string MinerRuntime::Impl::SetUpSoloSource() {
    const SoloOptions& o = options.solo;
    auto url = miner::solo::ParseNodeUrl(o.url);
    if (!url) {
        return "-o/--solo: " + url.error();
    }
    miner::solo::GbtSourceConfig gc;
    gc.url = *url;
    gc.credentials.user = url->user ? url->user : o.rpc_user;
    gc.credentials.password = url->user ? url->password : o.rpc_pass;
    gc.credentials.cookie_file = o.rpc_cookie;
    gc.credentials.datadir = miner::solo::DefaultDataDir();
    gc.credentials.port = url->port;
    gc.coinbase_address = o.coinbase_addr;
    gc.coinbase_sig = o.coinbase_sig;
    gc.share_difficulty = o.share_difficulty;
    gc.template_refresh = std::chrono::milliseconds(int64_t(o.template_refresh_seconds * 1000));
    gc.blocks_dir = o.blocks_dir;
    pools = {{url->ToString(), o.coinbase_addr}};
    log(LogLevel::Info, "nonceforge " + std::string(miner::api::Version()) +
                            " starting: solo mining on the node " + url->ToString() +
                            ", paying to " + o.coinbase_addr);
    auto node = std::make_unique<miner::solo::GbtJobSource>(ioc.get_executor(), std::move(gc));
    solo_source = node.get();
    source = std::move(node);
    return {};
}

// The pools given, or the embedded local pool, or a node.
std::string MinerRuntime::Impl::SetUpSource() {
    if (options.solo.Enabled()) {
        return SetUpSoloSource();
    }
    std::vector<std::string> urls = options.pool.urls;
    if (urls.empty()) {
        auto pool = StartLocalPool(options.pool.local, log);
        if (!pool) {
            return pool.error();
        }
        local_pool = std::move(*pool);
        urls.push_back(local_pool->Url());
        log(LogLevel::Warn, "no pool given (-o): mining against the embedded local demo pool at " +
                                local_pool->Url() +
                                ". It pays nothing; it shows the miner working.");
    }
    auto cc = MineClientConfig(options.pool, urls);
    if (!cc) {
        return cc.error();
    }
    pools = UrlsAndUsers(*cc);
    std::string list;
    for (const auto& [url, user] : pools) {
        list += (list.empty() ? "" : ", then ") + url + " as " + user;
    }
    log(LogLevel::Info, "nonceforge " + std::string(miner::api::Version()) + " starting: " + list);
    source = std::make_unique<StratumJobSource>(ioc.get_executor(), std::move(*cc));
    return {};
}

std::string MinerRuntime::Impl::SetUpBackends() {
    miner::DispatcherConfig dc;
    dc.range_time = options.backend.range_time;
    dc.pin_threads = options.backend.pin_threads;
    dispatcher = std::make_unique<miner::Dispatcher>(
        dc, stats, [this](core::Share share) { OnShareFound(std::move(share)); }, log);
    return AddBackends(options.backend, *dispatcher, log);
}

std::string MinerRuntime::Impl::SetUpApi() {
    if (!options.api.enabled) {
        return {};
    }
    auto view = [this](std::size_t share_limit) {
        return BuildApiView({stats, *source, history, latest_job.get(), options.output.profit},
                            share_limit);
    };
    api = std::make_unique<miner::api::ApiServer>(ioc.get_executor(), options.api, view, log);
    auto started = api->Start();
    return started ? std::string() : started.error();
}

MineResult MinerRuntime::Impl::Finish(std::chrono::system_clock::time_point started) {
    dispatcher->Stop();
    if (local_pool) {
        local_pool->Stop();
    }
    stats.Sample();
    MineResult result;
    result.stats = stats.Snapshot();
    result.job_switch_latency_us = dispatcher->SwitchLatenciesMicros();
    result.live_profit = FormatLiveProfit(options.output.profit, result.stats, latest_job.get());
    result.solo = source->Status().solo;
    if (!failure.empty()) {
        result.exit_code = failure_is_input ? 2 : 1;
        result.error = failure;
        SetStopReason(failure);
    }
    {
        std::lock_guard lock(stop_mutex);
        result.stop_reason = stop_reason.empty() ? "client ended" : stop_reason;
    }
    const std::string& file = options.output.json_summary_file;
    if (!file.empty() &&
        !WriteJsonSummary(file, {result.stats, result.stop_reason, result.exit_code, started,
                                 std::chrono::system_clock::now(), pools, result.solo})) {
        log(LogLevel::Error, "cannot write the JSON summary to " + file);
    }
    return result;
}

} // namespace nonceforge::miner::app
