#include "nonceforge/stratum/reconnect_policy.hpp"

#include <algorithm>
#include <cmath>

namespace nonceforge::stratum {

ReconnectPolicy::ReconnectPolicy(ReconnectConfig config, std::size_t pool_count, uint64_t seed)
    : m_config(config)
    , m_pool_count(std::max<std::size_t>(pool_count, 1))
    , m_rng(seed) {}

std::chrono::milliseconds ReconnectPolicy::NextDelay() {
    if (m_config.retry_pause) {
        return *m_config.retry_pause;
    }
    const double base = double(m_config.initial_backoff.count()) *
                        std::pow(m_config.multiplier, double(std::min(m_backoff_steps, 30u)));
    const double capped = std::min(base, double(m_config.max_backoff.count()));
    std::uniform_real_distribution<double> factor(1.0 - m_config.jitter, 1.0 + m_config.jitter);
    ++m_backoff_steps;
    return std::chrono::milliseconds(int64_t(std::max(0.0, capped * factor(m_rng))));
}

std::chrono::milliseconds ReconnectPolicy::OnFailure() {
    ++m_failed_attempts;
    return Backoff();
}

std::chrono::milliseconds ReconnectPolicy::OnRejectedByPool() {
    ++m_failed_attempts;
    std::chrono::milliseconds delay{0};
    for (unsigned i = 0; i < std::max(m_config.failover_after, 1u); ++i) {
        delay = Backoff();
    }
    return delay;
}

std::chrono::milliseconds ReconnectPolicy::Backoff() {
    ++m_failures;
    if (m_failures >= m_config.failover_after && m_pool_count > 1) {
        m_failures = 0;
        return FailOver();
    }
    return NextDelay();
}

std::chrono::milliseconds ReconnectPolicy::FailOver() {
    m_current = (m_current + 1) % m_pool_count;
    m_primary_probes_ok = 0;
    ++m_failovers;
    // Moving to another pool is not that pool's fault: try it soon, but not at once, in case
    // every pool in the list fails.
    if (m_config.retry_pause) {
        return *m_config.retry_pause;
    }
    return std::min(m_config.initial_backoff, NextDelay());
}

std::chrono::milliseconds ReconnectPolicy::OnDisconnect(std::chrono::milliseconds up_for) {
    m_failed_attempts = 0; // the attempt itself succeeded
    if (up_for >= m_config.healthy_after) {
        m_failures = 0;
        m_backoff_steps = 0;
        return NextDelay();
    }
    return Backoff();
}

std::chrono::milliseconds ReconnectPolicy::OnRejectStorm(bool move_on) {
    m_failed_attempts = 0; // the connection was authorized: not a failed attempt
    m_failures = 0;
    if (!move_on) {
        return std::chrono::milliseconds(0);
    }
    if (m_pool_count > 1) {
        if (m_current == 0) {
            ++m_primary_storm_exits;
        }
        return FailOver();
    }
    return NextDelay();
}

std::chrono::milliseconds ReconnectPolicy::OnRequestedReconnect(std::chrono::milliseconds wait) {
    m_failures = 0;
    m_failed_attempts = 0;
    return wait;
}

void ReconnectPolicy::OnShareAccepted() {
    if (m_current == 0) {
        m_primary_storm_exits = 0;
    }
}

unsigned ReconnectPolicy::PrimaryProbesToReturn() const {
    return m_config.primary_probes_to_return << std::min(m_primary_storm_exits, 5u);
}

bool ReconnectPolicy::OnPrimaryProbe(bool reachable) {
    if (m_current == 0) {
        return false;
    }
    m_primary_probes_ok = reachable ? m_primary_probes_ok + 1 : 0;
    if (m_primary_probes_ok >= PrimaryProbesToReturn()) {
        m_current = 0;
        m_failures = 0;
        m_backoff_steps = 0;
        m_primary_probes_ok = 0;
        ++m_failovers;
        return true;
    }
    return false;
}

} // namespace nonceforge::stratum
