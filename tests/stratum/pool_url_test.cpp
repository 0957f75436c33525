#include <gtest/gtest.h>

#include "nonceforge/stratum/pool_url.hpp"
#include "nonceforge/stratum/reconnect_policy.hpp"

using namespace nonceforge::stratum;
using namespace std::chrono_literals;

TEST(PoolUrl, TcpAndTlsSchemes) {
    auto a = ParsePoolUrl("stratum+tcp://pool.example.com:3333");
    ASSERT_TRUE(a);
    EXPECT_FALSE(a->tls);
    EXPECT_EQ(a->host, "pool.example.com");
    EXPECT_EQ(a->port, 3333);
    for (const char* s : {"stratum+ssl://h:443", "stratum+tls://h:443"}) {
        auto b = ParsePoolUrl(s);
        ASSERT_TRUE(b) << s;
        EXPECT_TRUE(b->tls);
    }
    EXPECT_EQ(ParsePoolUrl("stratum+tls://h:443")->ToString(), "stratum+ssl://h:443");
}

TEST(PoolUrl, CredentialsAndIpv6) {
    auto a = ParsePoolUrl("stratum+tcp://bc1qaddr.rig1:secret@[::1]:3333/");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->host, "::1");
    EXPECT_EQ(*a->user, "bc1qaddr.rig1");
    EXPECT_EQ(*a->password, "secret");
    EXPECT_EQ(a->ToString(), "stratum+tcp://[::1]:3333"); // credentials never printed
}

TEST(PoolUrl, ErrorsNameTheProblem) {
    EXPECT_NE(ParsePoolUrl("pool.example.com:3333").error().find("scheme"), std::string::npos);
    EXPECT_NE(ParsePoolUrl("http://h:80").error().find("scheme"), std::string::npos);
    EXPECT_NE(ParsePoolUrl("stratum+tcp://h").error().find("port"), std::string::npos);
    EXPECT_NE(ParsePoolUrl("stratum+tcp://h:0").error().find("port"), std::string::npos);
    EXPECT_NE(ParsePoolUrl("stratum+tcp://h:70000").error().find("port"), std::string::npos);
    EXPECT_NE(ParsePoolUrl("stratum+tcp://h:33x").error().find("port"), std::string::npos);
    EXPECT_NE(ParsePoolUrl("stratum+tcp://:3333").error().find("host"), std::string::npos);
    EXPECT_NE(ParsePoolUrl("stratum+tcp://h h:1").error().find("host"), std::string::npos);
    EXPECT_NE(ParsePoolUrl("stratum+tcp://h:1/path").error().find("path"), std::string::npos);
    EXPECT_FALSE(ParsePoolUrl(std::string(5000, 'a')));
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
        d.push_back(p.OnFailure().count());
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
    p.OnFailure();
    EXPECT_EQ(p.CurrentPool(), 0u);
    p.OnFailure();
    EXPECT_EQ(p.CurrentPool(), 1u);
    p.OnFailure();
    p.OnFailure();
    EXPECT_EQ(p.CurrentPool(), 2u);
    p.OnFailure();
    p.OnFailure();
    EXPECT_EQ(p.CurrentPool(), 0u);
    EXPECT_EQ(p.Failovers(), 3u);
}

TEST(ReconnectPolicy, HealthyConnectionResetsTheBackoff) {
    ReconnectConfig c;
    c.initial_backoff = 100ms;
    c.jitter = 0;
    c.failover_after = 100;
    c.healthy_after = 30s;
    ReconnectPolicy p(c, 1);
    p.OnFailure();
    p.OnFailure();
    EXPECT_EQ(p.OnFailure().count(), 400);
    EXPECT_EQ(p.OnDisconnect(60s).count(), 100);
    EXPECT_EQ(p.OnDisconnect(1s).count(), 200); // dropped too soon: counts as a failure
}

TEST(ReconnectPolicy, FirstRejectStormReconnectsAtOnceToTheSamePool) {
    ReconnectConfig c;
    c.max_retries = 0;
    ReconnectPolicy p(c, 2);
    EXPECT_EQ(p.OnRejectStorm(false).count(), 0);
    EXPECT_EQ(p.CurrentPool(), 0u);
    EXPECT_EQ(p.Failovers(), 0u);
    EXPECT_FALSE(p.GaveUp()) << "the connection worked: not a failed attempt";
}

TEST(ReconnectPolicy, SecondRejectStormFailsOverSoon) {
    ReconnectConfig c;
    c.initial_backoff = 100ms;
    c.jitter = 0;
    ReconnectPolicy p(c, 3);
    EXPECT_EQ(p.OnRejectStorm(true).count(), 100);
    EXPECT_EQ(p.CurrentPool(), 1u);
    EXPECT_EQ(p.Failovers(), 1u);
    EXPECT_FALSE(p.OnPrimaryProbe(true)) << "the probes start counting after the failover";
}

TEST(ReconnectPolicy, SecondRejectStormOnALonePoolBacksOffLongerEachTime) {
    ReconnectConfig c;
    c.initial_backoff = 100ms;
    c.max_backoff = 1000ms;
    c.jitter = 0;
    ReconnectPolicy p(c, 1);
    EXPECT_EQ(p.OnRejectStorm(true).count(), 100);
    EXPECT_EQ(p.OnRejectStorm(true).count(), 200);
    EXPECT_EQ(p.OnRejectStorm(true).count(), 400);
    EXPECT_EQ(p.CurrentPool(), 0u);
    c.retry_pause = 3s;
    ReconnectPolicy paused(c, 1);
    EXPECT_EQ(paused.OnRejectStorm(true), 3s) << "-R/--retry-pause is the exact wait";
}

TEST(ReconnectPolicy, LeavingThePrimaryForAStormDoublesTheProbesToReturn) {
    ReconnectConfig c;
    c.primary_probes_to_return = 2;
    ReconnectPolicy p(c, 2);
    p.OnRejectStorm(true);
    ASSERT_EQ(p.CurrentPool(), 1u);
    EXPECT_EQ(p.PrimaryProbesToReturn(), 4u);
    for (int i = 0; i < 3; ++i) {
        EXPECT_FALSE(p.OnPrimaryProbe(true)) << i;
    }
    EXPECT_TRUE(p.OnPrimaryProbe(true));
    p.OnRejectStorm(true); // the primary still refuses everything
    EXPECT_EQ(p.PrimaryProbesToReturn(), 8u);
    p.OnShareAccepted(); // on the backup: says nothing about the primary
    EXPECT_EQ(p.PrimaryProbesToReturn(), 8u);
    for (int i = 0; i < 7; ++i) {
        EXPECT_FALSE(p.OnPrimaryProbe(true)) << i;
    }
    EXPECT_TRUE(p.OnPrimaryProbe(true));
    p.OnShareAccepted(); // the primary works again
    EXPECT_EQ(p.PrimaryProbesToReturn(), 2u);
    for (int i = 0; i < 10; ++i) {
        p.OnRejectStorm(false);
        p.OnRejectStorm(true);
        p.OnPrimaryProbe(true);
        while (!p.OnPrimaryProbe(true)) {
        }
    }
    EXPECT_EQ(p.PrimaryProbesToReturn(), 64u) << "capped at 32 times";
}

TEST(ReconnectPolicy, ReturnsToThePrimaryAfterConsecutiveGoodProbes) {
    ReconnectConfig c;
    c.failover_after = 1;
    c.primary_probes_to_return = 3;
    ReconnectPolicy p(c, 2);
    p.OnFailure();
    ASSERT_EQ(p.CurrentPool(), 1u);
    EXPECT_TRUE(p.ShouldProbePrimary());
    EXPECT_FALSE(p.OnPrimaryProbe(true));
    EXPECT_FALSE(p.OnPrimaryProbe(false)); // a failed probe starts the count again
    EXPECT_FALSE(p.OnPrimaryProbe(true));
    EXPECT_FALSE(p.OnPrimaryProbe(true));
    EXPECT_TRUE(p.OnPrimaryProbe(true));
    EXPECT_EQ(p.CurrentPool(), 0u);
    EXPECT_FALSE(p.ShouldProbePrimary());
}

TEST(ReconnectPolicy, RequestedReconnectUsesThePoolsDelay) {
    ReconnectPolicy p(ReconnectConfig{}, 1);
    EXPECT_EQ(p.OnRequestedReconnect(5000ms).count(), 5000);
}

TEST(ReconnectPolicy, NegativeMaxRetriesNeverGivesUp) {
    ReconnectPolicy p(ReconnectConfig{}, 2);
    for (int i = 0; i < 1000; ++i) {
        p.OnFailure();
    }
    EXPECT_FALSE(p.GaveUp());
    EXPECT_EQ(p.FailedAttemptsInARow(), 1000u);
}

TEST(ReconnectPolicy, GivesUpAfterMaxRetriesFailedRetriesAcrossAllPools) {
    ReconnectConfig c;
    c.max_retries = 2;
    c.failover_after = 1;
    ReconnectPolicy p(c, 2);
    p.OnFailure(); // the first attempt
    EXPECT_FALSE(p.GaveUp());
    EXPECT_EQ(p.CurrentPool(), 1u); // a failover does not reset the count
    p.OnFailure();                  // retry 1
    EXPECT_FALSE(p.GaveUp());
    p.OnFailure(); // retry 2
    EXPECT_TRUE(p.GaveUp());
    EXPECT_EQ(p.FailedAttemptsInARow(), 3u);
}

TEST(ReconnectPolicy, ZeroMaxRetriesGivesUpAtTheFirstFailure) {
    ReconnectConfig c;
    c.max_retries = 0;
    ReconnectPolicy p(c, 1);
    p.OnFailure();
    EXPECT_TRUE(p.GaveUp());
}

TEST(ReconnectPolicy, AnAuthorizedConnectionStartsTheRetryCountAgain) {
    ReconnectConfig c;
    c.max_retries = 1;
    ReconnectPolicy p(c, 1);
    p.OnFailure();
    p.OnDisconnect(10ms); // reached the pool, dropped soon after: backoff grows, count resets
    EXPECT_EQ(p.FailedAttemptsInARow(), 0u);
    p.OnFailure();
    EXPECT_FALSE(p.GaveUp());
    p.OnFailure();
    EXPECT_TRUE(p.GaveUp());
}

TEST(ReconnectPolicy, ThePoolRefusingUsCountsAsOneFailedAttemptAndFailsOver) {
    ReconnectConfig c;
    c.max_retries = 1;
    c.failover_after = 3;
    ReconnectPolicy p(c, 2);
    p.OnRejectedByPool();
    EXPECT_EQ(p.CurrentPool(), 1u);
    EXPECT_EQ(p.FailedAttemptsInARow(), 1u);
    EXPECT_FALSE(p.GaveUp());
}

TEST(ReconnectPolicy, RetryPauseIsAFixedDelayWithoutJitterOrGrowth) {
    ReconnectConfig c;
    c.retry_pause = 7s;
    c.failover_after = 2;
    ReconnectPolicy p(c, 2);
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(p.OnFailure(), 7000ms) << "failure " << i; // failovers included
    }
    EXPECT_GE(p.Failovers(), 4u);
    EXPECT_EQ(p.OnDisconnect(1h), 7000ms);
    EXPECT_EQ(p.OnRequestedReconnect(3s), 3000ms); // the pool's own wait is still honoured
}
