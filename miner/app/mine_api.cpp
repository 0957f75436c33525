#include "miner/app/mine_api.hpp"

#include "miner/api/api_server.hpp"
#include "miner/app/mine_output.hpp"
#include "nonceforge/core/target.hpp"

namespace nonceforge::miner::app {

namespace {

miner::api::PoolView PoolViewOf(const miner::UpstreamStatus& u, std::size_t index) {
    miner::api::PoolView p;
    p.index = index;
    p.url = u.url;
    p.user = u.user;
    p.active = u.active;
    p.state = u.state;
    p.connected = u.connected;
    p.difficulty = u.difficulty;
    p.version_mask = u.version_mask;
    p.extranonce_subscribed = u.extranonce_subscribed;
    p.outstanding_shares = u.outstanding_shares;
    p.connects = u.connects;
    p.failovers = u.failovers;
    p.last_error = u.last_error;
    p.connected_seconds = u.connected_seconds;
    return p;
}

} // namespace

miner::api::ApiView BuildApiView(const ApiSources& in, std::size_t share_limit) {
    miner::api::ApiView v;
    v.version = std::string(miner::api::Version());
    v.time_unix = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    v.stats = in.stats.Snapshot();
    const miner::SourceStatus status = in.source.Status();
    for (std::size_t i = 0; i < status.upstreams.size(); ++i) {
        v.pools.push_back(PoolViewOf(status.upstreams[i], i));
        v.pools.back().latency = in.stats.Shares().LatencyFor(i);
    }
    v.solo = status.solo;
    if (in.latest_job) {
        v.network_difficulty = core::DifficultyFromBits(in.latest_job->nbits);
        v.job_id = in.latest_job->job_id;
    }
    v.profit = LiveProfit(in.profit, v.stats, in.latest_job);
    v.shares = in.stats.Shares().Latest(share_limit);
    v.share_capacity = in.stats.Shares().Capacity();
    v.shares_recorded = in.stats.Shares().TotalRecorded();
    v.history = in.history.Points();
    v.history_interval_seconds = in.history.Interval().count();
    v.history_capacity = in.history.Capacity();
    return v;
}

} // namespace nonceforge::miner::app
