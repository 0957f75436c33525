// The miner's own recent history for /api/v1/history and the dashboard's chart: a ring of
// points, one per interval (by default one per 10 s for the last hour), each with the wall
// clock time, the total hashrate and the share counters at that moment. Sampled by the
// runtime's once-a-second ticker on the network thread, read there too: not thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "miner/stats.hpp"

namespace nonceforge::miner::api {

struct HistoryPoint {
    int64_t time_unix = 0;  // seconds, system clock
    double hashrate_5s = 0; // H/s, all backends
    double hashrate_1m = 0;
    uint64_t accepted = 0; // counters since the start: a chart takes differences
    uint64_t rejected = 0;
    uint64_t stale = 0;
};

// The point for `s`, taken at `when`.
HistoryPoint MakeHistoryPoint(std::chrono::system_clock::time_point when, const StatsSnapshot& s);

class HashrateHistory {
public:
    // capacity 0 is taken as 1; an interval under 1 s as 1 s.
    HashrateHistory(std::size_t capacity, std::chrono::seconds interval);

    // Whether a point is due at `now` (steady clock, so a wall clock step cannot stall it):
    // the first call, then once per interval.
    bool Due(std::chrono::steady_clock::time_point now) const;
    // Keeps `point` (dropping the oldest when full) and schedules the next one.
    void Record(std::chrono::steady_clock::time_point now, const HistoryPoint& point);

    // Oldest first.
    std::vector<HistoryPoint> Points() const { return {m_points.begin(), m_points.end()}; }
    std::size_t Capacity() const { return m_capacity; }
    std::chrono::seconds Interval() const { return m_interval; }

private:
    std::size_t m_capacity;
    std::chrono::seconds m_interval;
    std::deque<HistoryPoint> m_points;
    bool m_started = false;
    std::chrono::steady_clock::time_point m_next{};
};

} // namespace nonceforge::miner::api
