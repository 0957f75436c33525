#include "nonceforge/stratum/pending_requests.hpp"

#include <algorithm>

namespace nonceforge::stratum {

bool PendingRequests::Insert(uint64_t id, PendingRequest request) {
    if (Full()) {
        return false;
    }
    return m_requests.emplace(id, std::move(request)).second;
}

std::optional<PendingRequest> PendingRequests::Take(uint64_t id) {
    auto node = m_requests.extract(id);
    if (node.empty()) {
        return std::nullopt;
    }
    return std::move(node.mapped());
}

std::vector<PendingRequests::Entry> PendingRequests::TakeExpired(TimePoint now,
                                                                 Clock::duration timeout) {
    std::vector<Entry> expired;
    for (auto it = m_requests.begin(); it != m_requests.end();) {
        if (now - it->second.sent_at >= timeout) {
            expired.emplace_back(it->first, std::move(it->second));
            it = m_requests.erase(it);
        } else {
            ++it;
        }
    }
    return expired;
}

std::vector<PendingRequests::Entry> PendingRequests::TakeAll() {
    std::vector<Entry> all;
    all.reserve(m_requests.size());
    for (auto& [id, request] : m_requests) {
        all.emplace_back(id, std::move(request));
    }
    m_requests.clear();
    return all;
}

std::optional<TimePoint> PendingRequests::OldestSentAt() const {
    std::optional<TimePoint> oldest;
    for (const auto& [id, request] : m_requests) {
        if (!oldest || request.sent_at < *oldest) {
            oldest = request.sent_at;
        }
    }
    return oldest;
}

std::size_t PendingRequests::Count(ClientMethod method) const {
    return static_cast<std::size_t>(
        std::count_if(m_requests.begin(), m_requests.end(),
                      [method](const auto& entry) { return entry.second.method == method; }));
}

} // namespace nonceforge::stratum
