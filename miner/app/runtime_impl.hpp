// MinerRuntime's parts and the steps of a run, shared by runtime.cpp (set-up and the end of a
// run) and runtime_events.cpp (what happens while it runs). Everything here lives on the network
// thread (the io_context's) unless it says otherwise.
#pragma once

#include <atomic>
#include <mutex>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "miner/api/api_server.hpp"
#include "miner/app/runtime.hpp"
#include "miner/app/task_scope.hpp"
#include "miner/dispatcher.hpp"
#include "miner/job_source.hpp"
#include "miner/solo/gbt_job_source.hpp"

namespace nonceforge::miner::app {

struct MinerRuntime::Impl {
    Impl(MineOptions o, LogFn l);

    MineOptions options;
    LogFn log;
    miner::Stats stats; // and the share ledger
    boost::asio::io_context ioc;
    TaskScope tasks;
    std::atomic<bool> stop_requested{false};
    std::mutex stop_mutex;
    std::string stop_reason; // the first reason given; guarded by stop_mutex
    std::unique_ptr<stratum::PoolServer> local_pool;
    std::vector<std::pair<std::string, std::string>> pools; // url, user (no passwords)
    std::unique_ptr<miner::JobSource> source;
    miner::solo::GbtJobSource* solo_source = nullptr; // `source`, when mining on a node
    bool failure_is_input = false;                    // exit status 2 (the node source's word)
    std::unique_ptr<miner::Dispatcher> dispatcher;
    std::shared_ptr<const core::Job> latest_job;
    bool shutting_down = false;
    std::string failure; // why the run failed (exit status 1)
    miner::api::HashrateHistory history;
    std::unique_ptr<miner::api::ApiServer> api;

    // runtime.cpp: set-up (an empty string, or why mining cannot start) and the end.
    std::string SetUpSource();
    std::string SetUpSoloSource();
    std::string SetUpBackends();
    std::string SetUpApi();
    MineResult Finish(std::chrono::system_clock::time_point started);
    void SetStopReason(const std::string& reason);

    // runtime_events.cpp
    miner::JobSource::Handlers SourceHandlers();
    void OnShareFound(core::Share share); // a worker thread
    void OnVerdict(miner::ShareVerdict v);
    void OnSourceEnd(const std::string& why);
    void OnTaskFailure(const std::string& task, const std::string& what);
    void LogEvent(const std::string& text) const;
    boost::asio::awaitable<void> Ticker();
    boost::asio::awaitable<void> Shutdown(std::string reason);
    void LogStatus();
};

} // namespace nonceforge::miner::app
