#include "nonceforge/stratum/reject_storm.hpp"

#include <algorithm>

namespace nonceforge::stratum {

std::string RejectStorm::ReasonsText() const {
    std::string text;
    for (const auto& [reason, count] : reasons) {
        if (!text.empty()) {
            text += ", ";
        }
        text +=
            (reason.empty() ? std::string("(no reason)") : reason) + " x" + std::to_string(count);
    }
    return text;
}

RejectStormDetector::RejectStormDetector(RejectStormConfig config)
    : m_config(config) {}

void RejectStormDetector::ClearRun() {
    m_run_times.clear();
    m_run_dropped = 0;
    m_run_start.reset();
    m_reasons.clear();
}

void RejectStormDetector::OnPoolChanged() {
    ClearRun();
    m_storms = 0;
}

void RejectStormDetector::OnDisconnected() {
    ClearRun();
}

std::optional<RejectStorm> RejectStormDetector::OnVerdict(VerdictKind kind, std::string_view reason,
                                                          const core::Hash256& hash,
                                                          TimePoint now) {
    if (!Enabled()) {
        return std::nullopt;
    }
    if (kind == VerdictKind::Accepted) {
        ClearRun();
        m_storms = 0;
        return std::nullopt;
    }
    if (kind != VerdictKind::Rejected) {
        return std::nullopt; // stale and lost neither count nor reset
    }
    if (!m_run_start) {
        m_run_start = now;
    }
    m_run_times.push_back(now);
    ++m_reasons[std::string(reason)];
    while (!m_run_times.empty() && m_run_times.front() < now - m_config.window) {
        m_run_times.pop_front();
        ++m_run_dropped;
    }
    const bool by_count = Streak() >= m_config.consecutive;
    const bool by_window = now - *m_run_start >= m_config.window &&
                           m_run_times.size() >= std::max(m_config.window_minimum, 1u);
    if (!by_count && !by_window) {
        return std::nullopt;
    }
    RejectStorm storm;
    storm.rejects = Streak();
    storm.reasons = std::move(m_reasons);
    storm.last_hash = hash;
    storm.storms = ++m_storms;
    storm.action = m_storms >= 2 ? StormAction::MoveOn : StormAction::FreshSession;
    ClearRun();
    return storm;
}

} // namespace nonceforge::stratum
