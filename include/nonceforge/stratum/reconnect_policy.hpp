// Which pool to try next and when: exponential backoff with jitter, failover along the ordered
// pool list after repeated failures, and return to the primary once it has been healthy for a
// while. Sans-I/O: the transport reports what happened and asks for a decision; tests drive
// it with synthetic outcomes and no clock.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>

namespace nonceforge::stratum {

struct ReconnectConfig {
    std::chrono::milliseconds initial_backoff{1000};
    std::chrono::milliseconds max_backoff{60'000};
    double multiplier = 2.0;
    double jitter = 0.25; // each delay is scaled by a uniform factor in [1 - jitter, 1 + jitter]
    // Consecutive failed attempts on one pool before moving to the next one in the list.
    unsigned failover_after = 3;
    // A connection that stayed up (authorized) this long counts as healthy: backoff resets.
    std::chrono::milliseconds healthy_after{30'000};
    // While on a backup: probe the primary this often, and go back once this many probes in a
    // row succeeded.
    std::chrono::milliseconds primary_probe_interval{60'000};
    unsigned primary_probes_to_return = 3;
};

class ReconnectPolicy {
public:
    ReconnectPolicy(ReconnectConfig config, std::size_t pool_count, uint64_t seed = 0x6e6f6e6365);

    std::size_t CurrentPool() const { return m_current; }
    bool OnPrimary() const { return m_current == 0; }

    // An attempt on the current pool ended before it was healthy (refused, timed out, closed
    // early, the pool gave up on us). Returns the delay before the next attempt, which may be
    // on the next pool (CurrentPool() says).
    std::chrono::milliseconds OnFailure();
    // The connection to the current pool was up for `up_for` and then dropped.
    std::chrono::milliseconds OnDisconnect(std::chrono::milliseconds up_for);
    // The pool itself asked us to go away and come back later (client.reconnect); no penalty.
    std::chrono::milliseconds OnRequestedReconnect(std::chrono::milliseconds wait);

    // Probes of the primary while connected to a backup. OnPrimaryProbe returns true when it is
    // time to return (and switches CurrentPool() to the primary).
    bool ShouldProbePrimary() const { return m_current != 0; }
    bool OnPrimaryProbe(bool reachable);

    unsigned ConsecutiveFailures() const { return m_failures; }
    uint64_t Failovers() const { return m_failovers; }

private:
    std::chrono::milliseconds NextDelay();

    ReconnectConfig m_config;
    std::size_t m_pool_count;
    std::size_t m_current = 0;
    unsigned m_failures = 0;      // on the current pool, in a row
    unsigned m_backoff_steps = 0; // grows with every failure anywhere, reset when healthy
    unsigned m_primary_probes_ok = 0;
    uint64_t m_failovers = 0;
    std::mt19937_64 m_rng;
};

} // namespace nonceforge::stratum
