// The monitoring APIs' snapshot of a running miner (api::ApiView), gathered on the network
// thread from the statistics, the job source, its share ledger and the hashrate history.
#pragma once

#include <cstddef>

#include "miner/api/api_view.hpp"
#include "miner/app/mine_options.hpp"
#include "miner/job_source.hpp"
#include "miner/stats.hpp"

namespace nonceforge::miner::app {

struct ApiSources {
    const miner::Stats& stats;
    const miner::JobSource& source;
    const miner::api::HashrateHistory& history;
    const core::Job* latest_job; // null before the first job
    const ProfitOptions& profit;
};

miner::api::ApiView BuildApiView(const ApiSources& in, std::size_t share_limit);

} // namespace nonceforge::miner::app
