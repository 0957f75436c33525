// The requests sent and not yet answered, by id. A response is matched to its method here,
// because the line alone does not say which request it answers. Bounded: Insert refuses when
// full, so a pool that never answers cannot grow it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "nonceforge/core/work.hpp"
#include "nonceforge/stratum/messages.hpp"

namespace nonceforge::stratum {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

struct PendingRequest {
    ClientMethod method;
    TimePoint sent_at;
    std::optional<core::Share> share; // for mining.submit: the share awaiting its verdict
};

class PendingRequests {
public:
    using Entry = std::pair<uint64_t, PendingRequest>;

    explicit PendingRequests(std::size_t capacity)
        : m_capacity(capacity) {}

    // False when the table is full or the id is already pending.
    bool Insert(uint64_t id, PendingRequest request);
    // Removes and returns the request with this id, if it is pending.
    std::optional<PendingRequest> Take(uint64_t id);
    // Removes and returns, oldest first, the requests sent at or before `now - timeout`.
    std::vector<Entry> TakeExpired(TimePoint now, Clock::duration timeout);
    // Removes and returns everything, oldest first.
    std::vector<Entry> TakeAll();

    std::optional<TimePoint> OldestSentAt() const;
    std::size_t Size() const { return m_requests.size(); }
    std::size_t Capacity() const { return m_capacity; }
    bool Full() const { return m_requests.size() >= m_capacity; }
    std::size_t Count(ClientMethod method) const;

private:
    std::size_t m_capacity;
    std::map<uint64_t, PendingRequest> m_requests; // ids increase, so this is oldest first
};

} // namespace nonceforge::stratum
