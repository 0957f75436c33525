// Which pool to try next and when: exponential backoff with jitter, failover along the ordered
// pool list after repeated failures, and return to the primary once it has been healthy for a
// while. Sans-I/O: the transport reports what happened and asks for a decision; tests drive
// it with synthetic outcomes and no clock.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
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
    // cpuminer's -r/--retries: after this many failed attempts in a row that follow a failed
    // attempt (so max_retries + 1 failures in a row, across all pools), give up: Run() ends and
    // PoolStatus::gave_up is set. Negative: never give up. An attempt fails when it does not
    // reach an authorized session; a connection that was authorized and then dropped is not a
    // failed attempt and starts the count again.
    int max_retries = -1;
    // cpuminer's -R/--retry-pause: when set, every wait before the next attempt is exactly this
    // (no exponential growth, no jitter), including after a failover. A wait the pool asked for
    // with client.reconnect is still honoured.
    std::optional<std::chrono::milliseconds> retry_pause;
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
    // The session gave up on the current pool (it refused our authorization, for example):
    // one failed attempt, and move on to the next pool at once when there is one.
    std::chrono::milliseconds OnRejectedByPool();
    // The pool refused every share of a session (a reject storm, see reject_storm.hpp); the
    // connection itself worked. First storm (`move_on` false): reconnect at once, for a fresh
    // session. Another storm with no accepted share since (`move_on` true): the next pool when
    // there is one, after the short wait of any failover (at most initial_backoff; retry_pause
    // when set), else the backoff delay, growing with each storm.
    // Leaving the primary this way doubles the good probes needed to return to it (up to 32
    // times primary_probes_to_return): a probe only shows that it accepts connections, not
    // shares. An accepted share on the primary (OnShareAccepted) undoes that.
    std::chrono::milliseconds OnRejectStorm(bool move_on);
    // A share was accepted by the current pool.
    void OnShareAccepted();
    // The pool itself asked us to go away and come back later (client.reconnect); no penalty.
    std::chrono::milliseconds OnRequestedReconnect(std::chrono::milliseconds wait);

    // Probes of the primary while connected to a backup. OnPrimaryProbe returns true when it is
    // time to return (and switches CurrentPool() to the primary).
    bool ShouldProbePrimary() const { return m_current != 0; }
    bool OnPrimaryProbe(bool reachable);
    // Good probes in a row needed to return to the primary now.
    unsigned PrimaryProbesToReturn() const;

    unsigned ConsecutiveFailures() const { return m_failures; }
    // Failed attempts in a row, on any pool (see ReconnectConfig::max_retries).
    unsigned FailedAttemptsInARow() const { return m_failed_attempts; }
    // True once max_retries is exhausted: the caller stops trying.
    bool GaveUp() const {
        return m_config.max_retries >= 0 && m_failed_attempts > unsigned(m_config.max_retries);
    }
    uint64_t Failovers() const { return m_failovers; }

private:
    std::chrono::milliseconds NextDelay();
    // To the next pool in the list; the delay before trying it.
    std::chrono::milliseconds FailOver();
    std::chrono::milliseconds Backoff(); // one more failure on this pool, maybe a failover

    ReconnectConfig m_config;
    std::size_t m_pool_count;
    std::size_t m_current = 0;
    unsigned m_failures = 0;      // on the current pool, in a row
    unsigned m_backoff_steps = 0; // grows with every failure anywhere, reset when healthy
    unsigned m_primary_probes_ok = 0;
    unsigned m_failed_attempts = 0;     // on any pool, in a row; reset by an authorized connection
    unsigned m_primary_storm_exits = 0; // reject-storm failovers away from the primary
    uint64_t m_failovers = 0;
    std::mt19937_64 m_rng;
};

} // namespace nonceforge::stratum
