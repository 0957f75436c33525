// What `nonceforge mine` says: the status line, the line per share verdict, the live profit
// estimate, the final summary and the --json-summary file. Pure functions of the statistics,
// except WriteJsonSummary.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "miner/api/api_view.hpp"
#include "miner/app/mine_options.hpp"
#include "miner/job_source.hpp"
#include "miner/stats.hpp"

namespace nonceforge::miner::app {

std::string FormatStatusLine(const miner::StatsSnapshot& s, const miner::SourceStatus& source);

// Solo mining's figures: "network diff 4.7e-10 (regtest, height 52) | block chance/day 100 %,
// expected in 0.3 s | blocks 51 accepted, 0 rejected" (at the 1-minute hashrate).
std::string FormatSoloFigures(const miner::StatsSnapshot& s, const miner::SoloStatus& solo);

// "share accepted: cpu0/..., difficulty 0.01 / 0.002, 1.2 ms [3 accepted, ...]": who found it,
// how hard, the verdict and its reason, its latency, the tallies after it.
std::string FormatVerdictLine(const miner::ShareVerdict& v, const miner::ShareCounts& totals);

// The live estimate, or why there is none (for the status line and the API).
miner::api::ProfitView LiveProfit(const ProfitOptions& o, const miner::StatsSnapshot& s,
                                  const core::Job* job);
// " | est. 0.00001234 BTC/day, revenue 1.23/day, profit -0.45/day" or empty when the inputs
// are incomplete or there is no job yet.
std::string FormatLiveProfit(const ProfitOptions& o, const miner::StatsSnapshot& s,
                             const core::Job* job);

std::string FormatSummary(const miner::StatsSnapshot& s);

// --json-summary: what ran, against which pools, from when to when, why it stopped, and the
// statistics of every backend.
struct RunRecord {
    miner::StatsSnapshot stats;
    std::string stop_reason;
    int exit_code = 0;
    std::chrono::system_clock::time_point started, stopped;
    std::vector<std::pair<std::string, std::string>> pools; // url, user
    std::optional<miner::SoloStatus> solo;                  // when mining solo on a node
};
nlohmann::json SummaryJson(const RunRecord& r);
// False when the file cannot be written.
bool WriteJsonSummary(const std::string& path, const RunRecord& r);

} // namespace nonceforge::miner::app
