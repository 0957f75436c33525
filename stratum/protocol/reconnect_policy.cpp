#include "nonceforge/stratum/reconnect_policy.hpp"

#include <algorithm>
#include <cmath>

namespace nonceforge::stratum {

namespace {

template <class... F>
struct Overloaded : F... {
    using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

} // namespace

ReconnectPolicy::ReconnectPolicy(ReconnectConfig config, std::size_t pool_count, uint64_t seed)
    : m_config(config)
    , m_pool_count(pool_count)
    , m_fresh_session(pool_count, false)
    , m_rng(seed) {}

NextStep ReconnectPolicy::Start() const {
    if (m_pool_count == 0) {
        return next::GiveUp{next::GiveUp::Why::NoPool, "no pool configured"};
    }
    return next::Connect{};
}

NextStep ReconnectPolicy::Decide(const AttemptOutcome& outcome, TimePoint now) {
    if (m_pool_count == 0) {
        return Start();
    }
    if (std::holds_alternative<ended::Stopped>(outcome.cause)) {
        return next::GiveUp{next::GiveUp::Why::Stopped, "client stopped"};
    }
    const std::size_t before = m_current;
    const Ms delay =
        std::visit(Overloaded{
                       [&](const ended::Closed&) { return OnClosed(outcome, now); },
                       [&](const ended::RefusedByPool&) { return OnRefusedByPool(); },
                       [&](const ended::RejectStorm& s) { return OnRejectStorm(s.action); },
                       [&](const ended::PoolAskedToReconnect& a) {
                           return OnPoolAskedToReconnect(a, outcome, now);
                       },
                       [&](const ended::PrimaryHealthy&) { return ReturnToPrimary(); },
                       [&](const ended::Stopped&) { return Ms(0); },
                   },
                   outcome.cause);
    return Next(before, delay, outcome);
}

NextStep ReconnectPolicy::Next(std::size_t before, Ms delay, const AttemptOutcome& outcome) {
    if (GaveUp()) {
        return next::GiveUp{next::GiveUp::Why::RetriesUsedUp,
                            "giving up after " + std::to_string(m_failed_attempts) +
                                " failed connection attempts in a row (retries: " +
                                std::to_string(m_config.max_retries) +
                                "); last: " + outcome.reason};
    }
    next::Connect c;
    c.pool = m_current;
    c.delay = delay;
    c.failover = m_current != before;
    c.fresh_session = m_fresh_session[m_current];
    m_fresh_session[m_current] = false;
    // A redirect is for the pool that asked; a failover goes to the next pool's own URL.
    const auto* ask = std::get_if<ended::PoolAskedToReconnect>(&outcome.cause);
    if (ask && !c.failover) {
        c.host = ask->host;
        c.port = ask->port;
    }
    return c;
}

bool ReconnectPolicy::GaveUp() const {
    return m_config.max_retries >= 0 && m_failed_attempts > unsigned(m_config.max_retries);
}

ReconnectPolicy::Ms ReconnectPolicy::OnClosed(const AttemptOutcome& outcome, TimePoint now) {
    if (!outcome.ready_at) {
        return OnFailedAttempt();
    }
    return OnDropped(std::chrono::duration_cast<Ms>(now - *outcome.ready_at));
}

ReconnectPolicy::Ms ReconnectPolicy::OnFailedAttempt() {
    ++m_failed_attempts;
    return Backoff();
}

ReconnectPolicy::Ms ReconnectPolicy::OnDropped(Ms up_for) {
    m_failed_attempts = 0; // the attempt itself succeeded
    if (up_for >= m_config.healthy_after) {
        m_failures = 0;
        m_backoff_steps = 0;
        return NextDelay();
    }
    return Backoff();
}

ReconnectPolicy::Ms ReconnectPolicy::OnRefusedByPool() {
    ++m_failed_attempts;
    // As failover_after failures at once: the backoff grows by as many steps, and the next
    // pool, when there is one, is tried after the short wait of any failover.
    const unsigned failures = std::max(m_config.failover_after, 1u);
    m_backoff_steps += failures - 1;
    if (m_pool_count > 1) {
        m_failures = 0;
        return FailOver();
    }
    m_failures += failures - 1;
    return Backoff();
}

ReconnectPolicy::Ms ReconnectPolicy::OnRejectStorm(StormAction action) {
    m_failed_attempts = 0; // the connection was authorized: not a failed attempt
    m_failures = 0;
    // The next session on this pool starts with a new mining.subscribe, not a resume: the
    // refused session stays behind.
    m_fresh_session[m_current] = true;
    if (action == StormAction::FreshSession) {
        return Ms(0);
    }
    if (m_pool_count > 1) {
        if (m_current == 0) {
            ++m_primary_storm_exits;
        }
        return FailOver();
    }
    return NextDelay();
}

ReconnectPolicy::Ms ReconnectPolicy::OnPoolAskedToReconnect(const ended::PoolAskedToReconnect& ask,
                                                            const AttemptOutcome& outcome,
                                                            TimePoint now) {
    const bool healthy = outcome.ready_at && now - *outcome.ready_at >= m_config.healthy_after;
    if (healthy) {
        m_failures = 0; // no penalty: the pool itself asked
        m_failed_attempts = 0;
        return ask.wait;
    }
    // client.reconnect on a connection that never became healthy: a pool that sends it on every
    // connect would otherwise be hammered. Back off, but wait at least as asked.
    const Ms backoff = outcome.ready_at ? OnDropped(Ms(0)) : OnFailedAttempt();
    return std::max(ask.wait, backoff);
}

ReconnectPolicy::Ms ReconnectPolicy::ReturnToPrimary() {
    if (m_current != 0) {
        m_current = 0;
        m_failures = 0;
        m_backoff_steps = 0;
        m_primary_probes_ok = 0;
        ++m_failovers;
    }
    return Ms(0);
}

ReconnectPolicy::Ms ReconnectPolicy::NextDelay() {
    if (m_config.retry_pause) {
        return *m_config.retry_pause;
    }
    const double base = double(m_config.initial_backoff.count()) *
                        std::pow(m_config.multiplier, double(std::min(m_backoff_steps, 30u)));
    const double capped = std::min(base, double(m_config.max_backoff.count()));
    std::uniform_real_distribution<double> factor(1.0 - m_config.jitter, 1.0 + m_config.jitter);
    ++m_backoff_steps;
    return Ms(int64_t(std::max(0.0, capped * factor(m_rng))));
}

ReconnectPolicy::Ms ReconnectPolicy::Backoff() {
    ++m_failures;
    if (m_failures >= m_config.failover_after && m_pool_count > 1) {
        m_failures = 0;
        return FailOver();
    }
    return NextDelay();
}

ReconnectPolicy::Ms ReconnectPolicy::FailOver() {
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
    return m_primary_probes_ok >= PrimaryProbesToReturn();
}

} // namespace nonceforge::stratum
