// `nonceforge mine` without the command line: a job source (the pools, or the embedded local
// pool), the hashing backends, the dispatcher, the monitoring APIs and the output, wired
// together. Tests drive it directly.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "miner/app/mine_options.hpp"
#include "miner/app/pool_setup.hpp"
#include "miner/job_source.hpp"
#include "miner/stats.hpp"

namespace nonceforge::miner::app {

struct MineResult {
    int exit_code = 0;
    std::string stop_reason; // "duration reached", "SIGINT", "requested", or the failure
    std::string error;       // one line, when exit_code != 0
    miner::StatsSnapshot stats;
    std::vector<double> job_switch_latency_us;
    std::string live_profit;               // FormatLiveProfit at the end, empty without its inputs
    std::optional<miner::SoloStatus> solo; // the node's figures, when mining solo
};

class MinerRuntime {
public:
    MinerRuntime(MineOptions options, LogFn log);
    ~MinerRuntime();

    // Blocks until the duration ends or RequestStop(); then stops hashing, waits up to 2 s for
    // submit replies and returns the final statistics (and writes the JSON summary, if asked).
    // Signals are the caller's: `nonceforge mine` turns SIGINT/SIGTERM into RequestStop.
    MineResult Run();
    // Thread-safe, also before Run(): the stop happens as soon as Run() can.
    void RequestStop(std::string reason = "requested");
    miner::StatsSnapshot Snapshot() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace nonceforge::miner::app
