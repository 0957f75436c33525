// A synthetic snapshot of a miner for the monitoring APIs' pure parts (unit tests and the HTTP
// fuzz target): one CPU backend with shares in every state, one connected pool.
#pragma once

#include <chrono>

#include "miner/api/api_view.hpp"

namespace nonceforge::test {

inline miner::api::ApiView SampleView() {
    using namespace miner;
    api::ApiView v;
    v.version = "9.9.9";
    v.time_unix = 1700000000;
    v.stats.uptime = std::chrono::seconds(120);
    BackendStats b;
    b.name = "cpu0/avx2-8way";
    b.hashes = 1'200'000'000;
    b.rate = {10e6, 9e6, 8.5e6, 8e6}; // 5 s, 1 min, 5 min, 15 min
    b.shares.found = 10;
    b.shares.accepted = 6;
    b.shares.rejected = 2;
    b.shares.rejected_by_reason = {{"Duplicate \"share\"\n", 1}, {"Low difficulty", 1}};
    b.shares.stale = 1;
    b.shares.stale_by_reason = {{"Job not found", 1}};
    b.shares.lost = 1;
    b.shares.lost_by_reason = {{"connection closed", 1}};
    b.shares.best_difficulty = 3.5;
    b.shares.accepted_difficulty_sum = 0.6;
    v.stats.backends = {b};
    v.stats.total = b;
    v.stats.total.name = "total";
    api::PoolView p;
    p.url = "stratum+tcp://pool.example:3333";
    p.user = "bc1qexample.rig";
    p.active = true;
    p.connected = true;
    p.state = "ready";
    p.difficulty = 0.5;
    v.pools = {p};
    v.network_difficulty = 1e12;
    return v;
}

} // namespace nonceforge::test
