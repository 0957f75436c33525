#include "miner/api/history.hpp"

#include <algorithm>

namespace nonceforge::miner::api {

HistoryPoint MakeHistoryPoint(std::chrono::system_clock::time_point when, const StatsSnapshot& s) {
    HistoryPoint p;
    p.time_unix = std::chrono::duration_cast<std::chrono::seconds>(when.time_since_epoch()).count();
    p.hashrate_5s = s.total.rate.h5s;
    p.hashrate_1m = s.total.rate.h1m;
    p.accepted = s.total.shares.accepted;
    p.rejected = s.total.shares.rejected;
    p.stale = s.total.shares.stale;
    return p;
}

HashrateHistory::HashrateHistory(std::size_t capacity, std::chrono::seconds interval)
    : m_capacity(std::max<std::size_t>(capacity, 1))
    , m_interval(std::max(interval, std::chrono::seconds(1))) {}

bool HashrateHistory::Due(std::chrono::steady_clock::time_point now) const {
    return !m_started || now >= m_next;
}

void HashrateHistory::Record(std::chrono::steady_clock::time_point now, const HistoryPoint& point) {
    if (m_points.size() == m_capacity) {
        m_points.pop_front();
    }
    m_points.push_back(point);
    // The next point one interval after this one; after a long stall (a suspended machine)
    // the schedule restarts from now instead of catching up with a burst.
    m_next = m_started && now - m_next < m_interval ? m_next + m_interval : now + m_interval;
    m_started = true;
}

} // namespace nonceforge::miner::api
