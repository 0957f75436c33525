// ReconnectPolicy: literal attempt outcomes and time points in, one decision out (connect to
// pool i after a delay, or give up). No socket, no timer, no clock: the transport tests only
// check that the client carries a decision out.
#include <gtest/gtest.h>

#include "nonceforge/stratum/reconnect_policy.hpp"

using namespace nonceforge::stratum;
using namespace std::chrono_literals;
using Ms = std::chrono::milliseconds;

namespace {

const TimePoint T0{std::chrono::hours(1)};
const std::string REFUSED = "cannot connect to stratum+tcp://127.0.0.1:1: Connection refused";

// An attempt that never reached a ready session.
AttemptOutcome Refused(std::string reason = REFUSED) {
    return AttemptOutcome{ended::Closed{}, std::move(reason), std::nullopt};
}

// The decision, which must be to connect again.
next::Connect Connect(const NextStep& step) {
    EXPECT_TRUE(std::holds_alternative<next::Connect>(step)) << std::get<next::GiveUp>(step).reason;
    return std::holds_alternative<next::Connect>(step) ? std::get<next::Connect>(step)
                                                       : next::Connect{};
}

bool GivesUp(const NextStep& step) {
    return std::holds_alternative<next::GiveUp>(step);
}

Ms Fail(ReconnectPolicy& p) {
    return Connect(p.Decide(Refused(), T0)).delay;
}

// The session was ready for `up_for`, then the connection ended.
Ms Drop(ReconnectPolicy& p, Ms up_for) {
    return Connect(p.Decide(AttemptOutcome{ended::Closed{}, "the pool closed the connection", T0},
                            T0 + up_for))
        .delay;
}

NextStep Storm(ReconnectPolicy& p, StormAction action) {
    return p.Decide(
        AttemptOutcome{ended::RejectStorm{action}, "reject storm: 10 shares rejected", T0},
        T0 + 1s);
}

NextStep RefusedByPool(ReconnectPolicy& p) {
    return p.Decide(AttemptOutcome{ended::RefusedByPool{},
                                   "giving up on this pool: pool refused worker", std::nullopt},
                    T0);
}

// client.reconnect with `wait`, on a session that was ready for `up_for` (none: never ready).
NextStep Asked(ReconnectPolicy& p, Ms wait, std::optional<Ms> up_for,
               std::optional<std::string> host = {}, std::optional<uint16_t> port = {}) {
    AttemptOutcome o{ended::PoolAskedToReconnect{wait, std::move(host), port},
                     "reconnect: pool sent client.reconnect", std::nullopt};
    if (up_for) {
        o.ready_at = T0;
    }
    return p.Decide(o, T0 + up_for.value_or(0ms));
}

// The probes said so: the backup connection ended for the return.
next::Connect Return(ReconnectPolicy& p) {
    return Connect(
        p.Decide(AttemptOutcome{ended::PrimaryHealthy{}, "healthy again", std::nullopt}, T0));
}

} // namespace

TEST(ReconnectPolicy, StartsOnThePrimaryAtOnce) {
    ReconnectPolicy p(ReconnectConfig{}, 2);
    const next::Connect c = Connect(p.Start());
    EXPECT_EQ(c.pool, 0u);
    EXPECT_EQ(c.delay, 0ms);
    EXPECT_FALSE(c.failover);
    EXPECT_FALSE(c.fresh_session);
    EXPECT_FALSE(c.host);
}

TEST(ReconnectPolicy, NoPoolGivesUpAtOnceWhateverHappens) {
    ReconnectPolicy p(ReconnectConfig{}, 0);
    ASSERT_TRUE(GivesUp(p.Start()));
    EXPECT_EQ(std::get<next::GiveUp>(p.Start()).why, next::GiveUp::Why::NoPool);
    EXPECT_EQ(std::get<next::GiveUp>(p.Start()).reason, "no pool configured");
    EXPECT_TRUE(GivesUp(p.Decide(Refused(), T0)));
    EXPECT_TRUE(GivesUp(RefusedByPool(p)));
    EXPECT_TRUE(GivesUp(Storm(p, StormAction::MoveOn)));
    EXPECT_FALSE(p.OnPrimaryProbe(true));
}

TEST(ReconnectPolicy, StoppedEndsWithoutCountingAsGivingUp) {
    ReconnectConfig c;
    c.max_retries = 5;
    ReconnectPolicy p(c, 2);
    const NextStep step = p.Decide(AttemptOutcome{ended::Stopped{}, "client stopped", T0}, T0);
    ASSERT_TRUE(GivesUp(step));
    EXPECT_EQ(std::get<next::GiveUp>(step).why, next::GiveUp::Why::Stopped);
    EXPECT_EQ(p.FailedAttemptsInARow(), 0u);
}

TEST(ReconnectPolicy, BackoffGrowsWithJitterUpToTheCap) {
    ReconnectConfig c;
    c.initial_backoff = 100ms;
    c.max_backoff = 1000ms;
    c.jitter = 0.25;
    c.failover_after = 100;
    ReconnectPolicy p(c, 1);
    std::vector<long> d;
    for (int i = 0; i < 8; ++i) {
        d.push_back(Fail(p).count());
    }
    EXPECT_GE(d[0], 75);
    EXPECT_LE(d[0], 125);
    EXPECT_GE(d[3], 600); // 800 ms +- 25 %
    EXPECT_LE(d[3], 1000);
    for (long v : d) {
        EXPECT_LE(v, 1250);
    }
}

TEST(ReconnectPolicy, FailsOverAfterNFailuresAndWrapsAround) {
    ReconnectConfig c;
    c.failover_after = 2;
    ReconnectPolicy p(c, 3);
    EXPECT_EQ(p.CurrentPool(), 0u);
    EXPECT_FALSE(Connect(p.Decide(Refused(), T0)).failover);
    EXPECT_EQ(p.CurrentPool(), 0u);
    const next::Connect first = Connect(p.Decide(Refused(), T0));
    EXPECT_TRUE(first.failover);
    EXPECT_EQ(first.pool, 1u);
    EXPECT_EQ(p.CurrentPool(), 1u);
    Fail(p);
    EXPECT_EQ(Connect(p.Decide(Refused(), T0)).pool, 2u);
    Fail(p);
    EXPECT_EQ(Connect(p.Decide(Refused(), T0)).pool, 0u);
    EXPECT_EQ(p.Failovers(), 3u);
}

TEST(ReconnectPolicy, AFailoverWaitsAtMostTheInitialBackoff) {
    ReconnectConfig c;
    c.initial_backoff = 100ms;
    c.max_backoff = 10s;
    c.failover_after = 4;
    ReconnectPolicy p(c, 2);
    for (int i = 0; i < 3; ++i) {
        Fail(p);
    }
    const next::Connect c4 = Connect(p.Decide(Refused(), T0));
    EXPECT_TRUE(c4.failover);
    EXPECT_LE(c4.delay, 100ms) << "the next pool is not at fault: try it soon";
}

TEST(ReconnectPolicy, HealthyConnectionResetsTheBackoff) {
    ReconnectConfig c;
    c.initial_backoff = 100ms;
    c.jitter = 0;
    c.failover_after = 100;
    c.healthy_after = 30s;
    ReconnectPolicy p(c, 1);
    Fail(p);
    Fail(p);
    EXPECT_EQ(Fail(p).count(), 400);
    EXPECT_EQ(Drop(p, 60s).count(), 100);
    EXPECT_EQ(Drop(p, 1s).count(), 200); // dropped too soon: counts as a failure
}

// A pool that completes the handshake and then drops (or sends garbage until the session gives
// up on the stream) each time: the reconnects back off like failures, not in a hot loop.
TEST(ReconnectPolicy, SessionsThatEndSoonAfterBecomingReadyBackOffMoreEachTime) {
    ReconnectConfig c;
    c.initial_backoff = 20ms;
    c.max_backoff = 100ms;
    c.jitter = 0;
    c.failover_after = 100;
    ReconnectPolicy p(c, 1);
    EXPECT_EQ(Drop(p, 5ms), 20ms);
    EXPECT_EQ(Drop(p, 5ms), 40ms);
    EXPECT_EQ(Drop(p, 5ms), 80ms);
    EXPECT_EQ(Drop(p, 5ms), 100ms);
    EXPECT_EQ(Drop(p, 5ms), 100ms);
    EXPECT_EQ(p.FailedAttemptsInARow(), 0u) << "each reached the pool";
}

TEST(ReconnectPolicy, FirstRejectStormReconnectsAtOnceToTheSamePoolWithAFreshSession) {
    ReconnectConfig c;
    c.max_retries = 0;
    ReconnectPolicy p(c, 2);
    const NextStep step = Storm(p, StormAction::FreshSession);
    ASSERT_FALSE(GivesUp(step)) << "the connection worked: not a failed attempt";
    const next::Connect next = Connect(step);
    EXPECT_EQ(next.delay.count(), 0);
    EXPECT_EQ(next.pool, 0u);
    EXPECT_FALSE(next.failover);
    EXPECT_TRUE(next.fresh_session) << "a new mining.subscribe, not a resume";
    EXPECT_EQ(p.CurrentPool(), 0u);
    EXPECT_EQ(p.Failovers(), 0u);
    const AttemptOutcome dropped{ended::Closed{}, "the pool closed the connection", T0};
    EXPECT_FALSE(Connect(p.Decide(dropped, T0 + 1s)).fresh_session) << "once only";
}

TEST(ReconnectPolicy, SecondRejectStormFailsOverSoon) {
    ReconnectConfig c;
    c.initial_backoff = 100ms;
    c.jitter = 0;
    ReconnectPolicy p(c, 3);
    const next::Connect next = Connect(Storm(p, StormAction::MoveOn));
    EXPECT_EQ(next.delay.count(), 100);
    EXPECT_EQ(next.pool, 1u);
    EXPECT_TRUE(next.failover);
    EXPECT_FALSE(next.fresh_session) << "the backup's own session is not at fault";
    EXPECT_EQ(p.CurrentPool(), 1u);
    EXPECT_EQ(p.Failovers(), 1u);
    EXPECT_FALSE(p.OnPrimaryProbe(true)) << "the probes start counting after the failover";
}

TEST(ReconnectPolicy, ThePrimaryLeftInAStormGetsAFreshSessionWhenTheClientReturns) {
    ReconnectConfig c;
    c.failover_after = 1;
    c.primary_probes_to_return = 1;
    ReconnectPolicy p(c, 2);
    ASSERT_EQ(Connect(Storm(p, StormAction::MoveOn)).pool, 1u);
    while (!p.OnPrimaryProbe(true)) {
    }
    const next::Connect back = Return(p);
    EXPECT_EQ(back.pool, 0u);
    EXPECT_TRUE(back.fresh_session) << "the refused session stays behind";
}

TEST(ReconnectPolicy, SecondRejectStormOnALonePoolBacksOffLongerEachTime) {
    ReconnectConfig c;
    c.initial_backoff = 100ms;
    c.max_backoff = 1000ms;
    c.jitter = 0;
    ReconnectPolicy p(c, 1);
    EXPECT_EQ(Connect(Storm(p, StormAction::MoveOn)).delay.count(), 100);
    EXPECT_EQ(Connect(Storm(p, StormAction::MoveOn)).delay.count(), 200);
    const next::Connect third = Connect(Storm(p, StormAction::MoveOn));
    EXPECT_EQ(third.delay.count(), 400);
    EXPECT_TRUE(third.fresh_session);
    EXPECT_FALSE(third.failover);
    EXPECT_EQ(p.CurrentPool(), 0u);
    c.retry_pause = 3s;
    ReconnectPolicy paused(c, 1);
    EXPECT_EQ(Connect(Storm(paused, StormAction::MoveOn)).delay, 3s)
        << "-R/--retry-pause is the exact wait";
}

TEST(ReconnectPolicy, LeavingThePrimaryForAStormDoublesTheProbesToReturn) {
    ReconnectConfig c;
    c.primary_probes_to_return = 2;
    ReconnectPolicy p(c, 2);
    Storm(p, StormAction::MoveOn);
    ASSERT_EQ(p.CurrentPool(), 1u);
    EXPECT_EQ(p.PrimaryProbesToReturn(), 4u);
    for (int i = 0; i < 3; ++i) {
        EXPECT_FALSE(p.OnPrimaryProbe(true)) << i;
    }
    EXPECT_TRUE(p.OnPrimaryProbe(true));
    EXPECT_EQ(Return(p).pool, 0u);
    Storm(p, StormAction::MoveOn); // the primary still refuses everything
    EXPECT_EQ(p.PrimaryProbesToReturn(), 8u);
    p.OnShareAccepted(); // on the backup: says nothing about the primary
    EXPECT_EQ(p.PrimaryProbesToReturn(), 8u);
    for (int i = 0; i < 7; ++i) {
        EXPECT_FALSE(p.OnPrimaryProbe(true)) << i;
    }
    EXPECT_TRUE(p.OnPrimaryProbe(true));
    Return(p);
    p.OnShareAccepted(); // the primary works again
    EXPECT_EQ(p.PrimaryProbesToReturn(), 2u);
    for (int i = 0; i < 10; ++i) {
        Storm(p, StormAction::FreshSession);
        Storm(p, StormAction::MoveOn);
        p.OnPrimaryProbe(true);
        while (!p.OnPrimaryProbe(true)) {
        }
        Return(p);
    }
    EXPECT_EQ(p.PrimaryProbesToReturn(), 64u) << "capped at 32 times";
}

TEST(ReconnectPolicy, ReturnsToThePrimaryAfterConsecutiveGoodProbes) {
    ReconnectConfig c;
    c.failover_after = 1;
    c.primary_probes_to_return = 3;
    ReconnectPolicy p(c, 2);
    Fail(p);
    ASSERT_EQ(p.CurrentPool(), 1u);
    EXPECT_TRUE(p.ShouldProbePrimary());
    EXPECT_FALSE(p.OnPrimaryProbe(true));
    EXPECT_FALSE(p.OnPrimaryProbe(false)); // a failed probe starts the count again
    EXPECT_FALSE(p.OnPrimaryProbe(true));
    EXPECT_FALSE(p.OnPrimaryProbe(true));
    EXPECT_TRUE(p.OnPrimaryProbe(true));
    const next::Connect back = Return(p);
    EXPECT_EQ(back.pool, 0u);
    EXPECT_EQ(back.delay, 0ms);
    EXPECT_TRUE(back.failover);
    EXPECT_EQ(p.CurrentPool(), 0u);
    EXPECT_FALSE(p.ShouldProbePrimary());
    EXPECT_EQ(p.Failovers(), 2u);
}

TEST(ReconnectPolicy, ReturningToThePrimaryStartsItsBackoffAfresh) {
    ReconnectConfig c;
    c.initial_backoff = 100ms;
    c.jitter = 0;
    c.failover_after = 3;
    c.primary_probes_to_return = 1;
    ReconnectPolicy p(c, 2);
    Fail(p);
    Fail(p);
    Fail(p); // the failover
    ASSERT_EQ(p.CurrentPool(), 1u);
    ASSERT_TRUE(p.OnPrimaryProbe(true));
    Return(p);
    EXPECT_EQ(Fail(p), 100ms);
    EXPECT_EQ(p.CurrentPool(), 0u) << "one failure is not failover_after of them";
}

TEST(ReconnectPolicy, RequestedReconnectUsesThePoolsDelay) {
    ReconnectPolicy p(ReconnectConfig{}, 1);
    const next::Connect next = Connect(Asked(p, 5000ms, 60s));
    EXPECT_EQ(next.delay.count(), 5000);
    EXPECT_FALSE(next.failover);
}

TEST(ReconnectPolicy, RequestedReconnectFromAHealthySessionClearsTheFailures) {
    ReconnectConfig c;
    c.max_retries = 1;
    c.failover_after = 2;
    ReconnectPolicy p(c, 2);
    Fail(p);
    EXPECT_EQ(p.FailedAttemptsInARow(), 1u);
    Connect(Asked(p, 0ms, c.healthy_after));
    EXPECT_EQ(p.FailedAttemptsInARow(), 0u);
    EXPECT_FALSE(Connect(p.Decide(Refused(), T0)).failover) << "the failure count started again";
}

// A pool that answers every connection with client.reconnect is not hammered: short of a
// healthy session the wait grows like a failure's, and is never shorter than the pool asked.
TEST(ReconnectPolicy, RequestedReconnectBeforeTheSessionIsHealthyBacksOff) {
    ReconnectConfig c;
    c.initial_backoff = 50ms;
    c.max_backoff = 200ms;
    c.jitter = 0;
    c.failover_after = 100;
    ReconnectPolicy p(c, 1);
    EXPECT_EQ(Connect(Asked(p, 0ms, 10ms)).delay, 50ms);
    EXPECT_EQ(Connect(Asked(p, 0ms, 10ms)).delay, 100ms);
    EXPECT_EQ(Connect(Asked(p, 0ms, std::nullopt)).delay, 200ms);
    EXPECT_EQ(Connect(Asked(p, 0ms, std::nullopt)).delay, 200ms);
    EXPECT_EQ(Connect(Asked(p, 5s, 10ms)).delay, 5s) << "at least as long as asked";
}

TEST(ReconnectPolicy, RequestedReconnectBeforeTheSessionWasReadyIsAFailedAttempt) {
    ReconnectConfig c;
    c.max_retries = 0;
    ReconnectPolicy p(c, 1);
    const NextStep step = Asked(p, 0ms, std::nullopt);
    ASSERT_TRUE(GivesUp(step));
    EXPECT_EQ(std::get<next::GiveUp>(step).why, next::GiveUp::Why::RetriesUsedUp);
}

TEST(ReconnectPolicy, ARedirectIsForTheNextAttemptOnThePoolThatAskedOnly) {
    ReconnectConfig c;
    c.failover_after = 2;
    ReconnectPolicy p(c, 2);
    const next::Connect moved = Connect(Asked(p, 0ms, 60s, "pool2.example", 4444));
    EXPECT_EQ(moved.pool, 0u);
    EXPECT_EQ(moved.host, "pool2.example");
    EXPECT_EQ(moved.port, 4444);
    const next::Connect port_only = Connect(Asked(p, 0ms, 60s, std::nullopt, 5555));
    EXPECT_FALSE(port_only.host);
    EXPECT_EQ(port_only.port, 5555);
    EXPECT_FALSE(Connect(p.Decide(Refused(), T0)).host) << "not carried to later attempts";
    // A redirect that comes with a failover (the pool asked before the session was ready, once
    // too often) is not applied to the next pool.
    const next::Connect failover = Connect(Asked(p, 0ms, std::nullopt, "pool2.example", 4444));
    EXPECT_TRUE(failover.failover);
    EXPECT_FALSE(failover.host);
    EXPECT_FALSE(failover.port);
}

TEST(ReconnectPolicy, NegativeMaxRetriesNeverGivesUp) {
    ReconnectPolicy p(ReconnectConfig{}, 2);
    for (int i = 0; i < 1000; ++i) {
        ASSERT_FALSE(GivesUp(p.Decide(Refused(), T0))) << i;
    }
    EXPECT_EQ(p.FailedAttemptsInARow(), 1000u);
}

TEST(ReconnectPolicy, GivesUpAfterMaxRetriesFailedRetriesAcrossAllPools) {
    ReconnectConfig c;
    c.max_retries = 2;
    c.failover_after = 1;
    ReconnectPolicy p(c, 2);
    EXPECT_FALSE(GivesUp(p.Decide(Refused(), T0))); // the first attempt
    EXPECT_EQ(p.CurrentPool(), 1u);                 // a failover does not reset the count
    EXPECT_FALSE(GivesUp(p.Decide(Refused(), T0))); // retry 1
    const NextStep step = p.Decide(Refused("connecting to stratum+tcp://b:1 timed out"), T0);
    ASSERT_TRUE(GivesUp(step)); // retry 2
    EXPECT_EQ(p.FailedAttemptsInARow(), 3u);
    const auto& give_up = std::get<next::GiveUp>(step);
    EXPECT_EQ(give_up.why, next::GiveUp::Why::RetriesUsedUp);
    EXPECT_EQ(give_up.reason, "giving up after 3 failed connection attempts in a row (retries: "
                              "2); last: connecting to stratum+tcp://b:1 timed out");
}

TEST(ReconnectPolicy, ZeroMaxRetriesGivesUpAtTheFirstFailure) {
    ReconnectConfig c;
    c.max_retries = 0;
    ReconnectPolicy p(c, 1);
    EXPECT_TRUE(GivesUp(p.Decide(Refused(), T0)));
}

TEST(ReconnectPolicy, AnAuthorizedConnectionStartsTheRetryCountAgain) {
    ReconnectConfig c;
    c.max_retries = 1;
    ReconnectPolicy p(c, 1);
    Fail(p);
    Drop(p, 10ms); // reached the pool, dropped soon after: backoff grows, count resets
    EXPECT_EQ(p.FailedAttemptsInARow(), 0u);
    EXPECT_FALSE(GivesUp(p.Decide(Refused(), T0)));
    EXPECT_TRUE(GivesUp(p.Decide(Refused(), T0)));
}

TEST(ReconnectPolicy, ThePoolRefusingUsCountsAsOneFailedAttemptAndFailsOver) {
    ReconnectConfig c;
    c.max_retries = 1;
    c.failover_after = 3;
    c.initial_backoff = 100ms;
    ReconnectPolicy p(c, 2);
    const NextStep step = RefusedByPool(p);
    ASSERT_FALSE(GivesUp(step));
    const next::Connect next = Connect(step);
    EXPECT_EQ(next.pool, 1u);
    EXPECT_TRUE(next.failover);
    EXPECT_LE(next.delay, 100ms);
    EXPECT_EQ(p.CurrentPool(), 1u);
    EXPECT_EQ(p.FailedAttemptsInARow(), 1u);
}

TEST(ReconnectPolicy, ThePoolRefusingUsAfterAFailureStillFailsOverAtOnce) {
    ReconnectConfig c;
    c.failover_after = 3;
    c.initial_backoff = 100ms;
    c.jitter = 0;
    ReconnectPolicy p(c, 2);
    Fail(p);
    const next::Connect next = Connect(RefusedByPool(p));
    EXPECT_EQ(next.pool, 1u);
    EXPECT_EQ(next.delay, 100ms);
    Fail(p);
    EXPECT_EQ(p.CurrentPool(), 1u) << "the backup starts with no failures counted";
}

TEST(ReconnectPolicy, ALonePoolRefusingUsBacksOffAsForFailoverAfterFailures) {
    ReconnectConfig c;
    c.failover_after = 3;
    c.initial_backoff = 100ms;
    c.max_backoff = 10s;
    c.jitter = 0;
    ReconnectPolicy p(c, 1);
    EXPECT_EQ(Connect(RefusedByPool(p)).delay, 400ms);
    EXPECT_EQ(Connect(RefusedByPool(p)).delay, 3200ms);
    EXPECT_EQ(p.FailedAttemptsInARow(), 2u);
}

TEST(ReconnectPolicy, RetryPauseIsAFixedDelayWithoutJitterOrGrowth) {
    ReconnectConfig c;
    c.retry_pause = 7s;
    c.failover_after = 2;
    ReconnectPolicy p(c, 2);
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(Fail(p), 7000ms) << "failure " << i; // failovers included
    }
    EXPECT_GE(p.Failovers(), 4u);
    EXPECT_EQ(Drop(p, 1h), 7000ms);
    EXPECT_EQ(Connect(Asked(p, 3s, 1h)).delay, 3000ms); // the pool's own wait is still honoured
    EXPECT_EQ(Connect(RefusedByPool(p)).delay, 7000ms);
}
