// Where and when to connect next: exponential backoff with jitter, failover along the ordered
// pool list after repeated failures, the follow-up of a reject storm, client.reconnect (its wait
// and redirect), giving up after --retries, and the return to the primary once probes find it
// healthy again. Sans-I/O like the session: the transport reports how each attempt ended
// (`AttemptOutcome`) with the time, gets one decision back (`NextStep`: connect to pool i after
// a delay, or give up) and only carries it out. Tests drive it with literal outcomes and time
// points: no socket, no timer, no clock.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "nonceforge/stratum/pending_requests.hpp"
#include "nonceforge/stratum/reject_storm.hpp"

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

// How one attempt (a connection and the session on it) ended. Each kind is one reaction.
namespace ended {

// The connection ended for any other reason: refused, timed out, TLS or proxy failure, the pool
// closed it, a broken stream, no line for too long, the session's own reconnect (malformed
// lines, refused subscribe). A failed attempt unless the session was ready (then: dropped).
struct Closed {};
// The session gave up on this pool (action::Close: the worker was refused, an unreadable
// authorize reply): one failed attempt that counts as failover_after of them, so the next pool
// is tried at once when there is one.
struct RefusedByPool {};
// The pool refused every share of the session (reject_storm.hpp). Not a failed attempt.
struct RejectStorm {
    StormAction action = StormAction::FreshSession;
};
// The pool sent client.reconnect: come back after `wait`, to host:port when given (the
// transport passes only a redirect that --allow-redirect permits).
struct PoolAskedToReconnect {
    std::chrono::milliseconds wait{0};
    std::optional<std::string> host;
    std::optional<uint16_t> port;
};
// OnPrimaryProbe said it is time to return, and the backup connection was closed for it.
struct PrimaryHealthy {};
// Stop() was called.
struct Stopped {};

} // namespace ended

using EndCause = std::variant<ended::Closed, ended::RefusedByPool, ended::RejectStorm,
                              ended::PoolAskedToReconnect, ended::PrimaryHealthy, ended::Stopped>;

struct AttemptOutcome {
    EndCause cause;
    std::string reason;                // why it ended, as logged ("cannot connect to ...")
    std::optional<TimePoint> ready_at; // when the session became ready; none: it never did
};

// What the transport does next.
namespace next {

struct Connect {
    std::size_t pool = 0; // index into the pool list
    std::chrono::milliseconds delay{0};
    bool failover = false;      // another pool than the last attempt's (a failover or the return)
    bool fresh_session = false; // forget the pool's session id: a new mining.subscribe
    // client.reconnect's host and port for this attempt only (the pool's URL otherwise).
    std::optional<std::string> host;
    std::optional<uint16_t> port;
};
struct GiveUp {
    enum class Why {
        Stopped,       // Stop() was called: nothing to report
        NoPool,        // the pool list is empty
        RetriesUsedUp, // ReconnectConfig::max_retries: Run() ends with PoolStatus::gave_up
    };
    Why why = Why::Stopped;
    std::string reason; // "client stopped", "no pool configured", "giving up after ..."
};

} // namespace next

using NextStep = std::variant<next::Connect, next::GiveUp>;

class ReconnectPolicy {
public:
    ReconnectPolicy(ReconnectConfig config, std::size_t pool_count, uint64_t seed = 0x6e6f6e6365);

    // The first attempt: the primary at once, or give up when there is no pool.
    NextStep Start() const;
    // The one decision after every attempt. `now` is the time the attempt ended.
    NextStep Decide(const AttemptOutcome& outcome, TimePoint now);

    // A share was accepted by the current pool.
    void OnShareAccepted();
    // Probes of the primary while connected to a backup. OnPrimaryProbe returns true when it is
    // time to return: the transport then ends the connection with ended::PrimaryHealthy.
    bool ShouldProbePrimary() const { return m_current != 0; }
    bool OnPrimaryProbe(bool reachable);
    // Good probes in a row needed to return to the primary now. Each reject-storm failover
    // away from the primary doubles it (up to 32 times primary_probes_to_return): a probe only
    // shows that the primary accepts connections, not shares. An accepted share on the primary
    // undoes that.
    unsigned PrimaryProbesToReturn() const;

    std::size_t CurrentPool() const { return m_current; }
    // Failed attempts in a row, on any pool (see ReconnectConfig::max_retries).
    unsigned FailedAttemptsInARow() const { return m_failed_attempts; }
    uint64_t Failovers() const { return m_failovers; }

private:
    using Ms = std::chrono::milliseconds;
    // The delay before the next attempt, for each kind of ending (CurrentPool() may change).
    Ms OnClosed(const AttemptOutcome& outcome, TimePoint now);
    Ms OnRefusedByPool();
    Ms OnRejectStorm(StormAction action);
    Ms OnPoolAskedToReconnect(const ended::PoolAskedToReconnect& ask, const AttemptOutcome& outcome,
                              TimePoint now);
    Ms ReturnToPrimary();

    Ms NextDelay();
    Ms FailOver(); // to the next pool in the list; the delay before trying it
    Ms Backoff();  // one more failure on this pool, maybe a failover
    Ms OnFailedAttempt();
    Ms OnDropped(Ms up_for); // the session was ready for `up_for`, then the connection ended
    bool GaveUp() const;
    NextStep Next(std::size_t before, Ms delay, const AttemptOutcome& outcome);

    ReconnectConfig m_config;
    std::size_t m_pool_count;
    std::size_t m_current = 0;
    unsigned m_failures = 0;      // on the current pool, in a row
    unsigned m_backoff_steps = 0; // grows with every failure anywhere, reset when healthy
    unsigned m_primary_probes_ok = 0;
    unsigned m_failed_attempts = 0;     // on any pool, in a row; reset by an authorized connection
    unsigned m_primary_storm_exits = 0; // reject-storm failovers away from the primary
    uint64_t m_failovers = 0;
    std::vector<bool> m_fresh_session; // per pool: its next session starts with no session id
    std::mt19937_64 m_rng;
};

} // namespace nonceforge::stratum
