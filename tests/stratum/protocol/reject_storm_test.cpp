// RejectStormDetector: verdicts and literal time points in, a storm decision out.
#include <gtest/gtest.h>

#include "nonceforge/stratum/reject_storm.hpp"

using namespace nonceforge;
using namespace nonceforge::stratum;
using namespace std::chrono_literals;

namespace {

const TimePoint T0{std::chrono::hours(1)};
const std::string LOW = "Difficulty too low (code 23)";

core::Hash256 HashOf(uint8_t tag) {
    core::Hash256 h;
    h.bytes.fill(0);
    h.bytes[0] = tag; // wire order: displayed last
    return h;
}

// Feeds `n` rejects one `step` apart from `start`; returns the first storm, if any.
std::optional<RejectStorm> Rejects(RejectStormDetector& d, int n, TimePoint start,
                                   std::chrono::milliseconds step,
                                   const std::string& reason = LOW) {
    for (int i = 0; i < n; ++i) {
        if (auto s =
                d.OnVerdict(VerdictKind::Rejected, reason, HashOf(uint8_t(i)), start + i * step)) {
            return s;
        }
    }
    return std::nullopt;
}

} // namespace

TEST(RejectStormDetector, TenRejectsInARowAreAStormWithReasonsAndLastHash) {
    RejectStormDetector d({});
    EXPECT_FALSE(Rejects(d, 9, T0, 100ms));
    auto storm = d.OnVerdict(VerdictKind::Rejected, "Bad nonce", HashOf(0xab), T0 + 1s);
    ASSERT_TRUE(storm);
    EXPECT_EQ(storm->action, StormAction::FreshSession);
    EXPECT_EQ(storm->rejects, 10u);
    EXPECT_EQ(storm->storms, 1u);
    EXPECT_EQ(storm->reasons.at(LOW), 9u);
    EXPECT_EQ(storm->reasons.at("Bad nonce"), 1u);
    EXPECT_EQ(storm->ReasonsText(), "Bad nonce x1, " + LOW + " x9");
    EXPECT_EQ(storm->last_hash, HashOf(0xab));
    EXPECT_EQ(storm->last_hash.ToDisplayHex().substr(62), "ab");
    EXPECT_EQ(d.Streak(), 0u) << "a storm starts a new run";
}

TEST(RejectStormDetector, AnAcceptedShareResetsTheRun) {
    RejectStormDetector d({});
    EXPECT_FALSE(Rejects(d, 9, T0, 10ms));
    EXPECT_FALSE(d.OnVerdict(VerdictKind::Accepted, "", HashOf(1), T0 + 1s));
    EXPECT_EQ(d.Streak(), 0u);
    EXPECT_FALSE(Rejects(d, 9, T0 + 2s, 10ms));
    EXPECT_EQ(d.Streak(), 9u);
}

TEST(RejectStormDetector, StaleAndLostVerdictsNeitherCountNorReset) {
    RejectStormDetector d({});
    EXPECT_FALSE(Rejects(d, 5, T0, 10ms));
    for (int i = 0; i < 50; ++i) {
        EXPECT_FALSE(d.OnVerdict(VerdictKind::Stale, "Job not found", HashOf(2), T0 + 1s));
        EXPECT_FALSE(d.OnVerdict(VerdictKind::Lost, "no reply", HashOf(3), T0 + 1s));
    }
    EXPECT_EQ(d.Streak(), 5u);
    auto storm = Rejects(d, 5, T0 + 2s, 10ms);
    ASSERT_TRUE(storm);
    EXPECT_EQ(storm->rejects, 10u);
    EXPECT_FALSE(storm->reasons.contains("Job not found"));
}

TEST(RejectStormDetector, NormalRejectRateNeverStorms) {
    // An hour of a busy miner: a share a second, a burst of 4 stale verdicts after each block
    // (every 10 minutes) and an isolated low-difficulty reject every 20 shares.
    RejectStormDetector d({});
    for (int s = 0; s < 3600; ++s) {
        const TimePoint now = T0 + s * 1s;
        std::optional<RejectStorm> storm;
        if (s % 600 < 4) {
            storm = d.OnVerdict(VerdictKind::Stale, "Stale job", HashOf(1), now);
        } else if (s % 20 == 7) {
            storm = d.OnVerdict(VerdictKind::Rejected, LOW, HashOf(2), now);
        } else {
            storm = d.OnVerdict(VerdictKind::Accepted, "", HashOf(3), now);
        }
        ASSERT_FALSE(storm) << "at share " << s;
    }
}

TEST(RejectStormDetector, ABurstOfRejectsShorterThanTheWindowIsNotAStorm) {
    // After a difficulty rise the pool may refuse a few shares of older jobs at once.
    RejectStormDetector d({});
    EXPECT_FALSE(Rejects(d, 6, T0, 50ms));
    EXPECT_FALSE(d.OnVerdict(VerdictKind::Accepted, "", HashOf(1), T0 + 5s));
}

TEST(RejectStormDetector, ASlowMinerStormsWhenEveryShareOfAWholeWindowIsRejected) {
    // A share every 25 s: ten in a row would take four minutes.
    RejectStormDetector d({});
    EXPECT_FALSE(d.OnVerdict(VerdictKind::Rejected, LOW, HashOf(1), T0));
    EXPECT_FALSE(d.OnVerdict(VerdictKind::Rejected, LOW, HashOf(2), T0 + 25s));
    EXPECT_FALSE(d.OnVerdict(VerdictKind::Rejected, LOW, HashOf(3), T0 + 50s))
        << "three rejects, but not yet a whole window of them";
    auto storm = d.OnVerdict(VerdictKind::Rejected, LOW, HashOf(4), T0 + 60s);
    ASSERT_TRUE(storm);
    EXPECT_EQ(storm->rejects, 4u);
    EXPECT_EQ(storm->last_hash, HashOf(4));
}

TEST(RejectStormDetector, TheWindowNeedsThreeRejectsWithinIt) {
    RejectStormDetector d({});
    EXPECT_FALSE(d.OnVerdict(VerdictKind::Rejected, LOW, HashOf(1), T0));
    EXPECT_FALSE(d.OnVerdict(VerdictKind::Rejected, LOW, HashOf(2), T0 + 1s));
    EXPECT_FALSE(d.OnVerdict(VerdictKind::Rejected, LOW, HashOf(3), T0 + 100s))
        << "only one reject in the last 60 s";
    EXPECT_FALSE(d.OnVerdict(VerdictKind::Rejected, LOW, HashOf(4), T0 + 120s));
    EXPECT_TRUE(d.OnVerdict(VerdictKind::Rejected, LOW, HashOf(5), T0 + 130s));
}

TEST(RejectStormDetector, ASecondStormWithoutAnAcceptMovesOn) {
    RejectStormDetector d({});
    auto first = Rejects(d, 10, T0, 10ms);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->action, StormAction::FreshSession);
    d.OnDisconnected(); // the fresh session
    auto second = Rejects(d, 10, T0 + 1s, 10ms);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->action, StormAction::MoveOn);
    EXPECT_EQ(second->storms, 2u);
    auto third = Rejects(d, 10, T0 + 2s, 10ms); // alone: after the backoff, again
    ASSERT_TRUE(third);
    EXPECT_EQ(third->action, StormAction::MoveOn);
}

TEST(RejectStormDetector, AnAcceptBetweenStormsStartsOver) {
    RejectStormDetector d({});
    ASSERT_TRUE(Rejects(d, 10, T0, 10ms));
    EXPECT_FALSE(d.OnVerdict(VerdictKind::Accepted, "", HashOf(1), T0 + 1s));
    auto next = Rejects(d, 10, T0 + 2s, 10ms);
    ASSERT_TRUE(next);
    EXPECT_EQ(next->action, StormAction::FreshSession);
}

TEST(RejectStormDetector, AnotherPoolStartsOver) {
    RejectStormDetector d({});
    ASSERT_TRUE(Rejects(d, 10, T0, 10ms));
    EXPECT_FALSE(Rejects(d, 5, T0 + 1s, 10ms));
    d.OnPoolChanged();
    EXPECT_EQ(d.Streak(), 0u);
    EXPECT_EQ(d.Storms(), 0u);
    auto storm = Rejects(d, 10, T0 + 2s, 10ms);
    ASSERT_TRUE(storm);
    EXPECT_EQ(storm->action, StormAction::FreshSession);
}

TEST(RejectStormDetector, ADisconnectEndsTheRun) {
    RejectStormDetector d({});
    EXPECT_FALSE(Rejects(d, 9, T0, 10ms));
    d.OnDisconnected();
    EXPECT_EQ(d.Streak(), 0u);
    EXPECT_FALSE(Rejects(d, 9, T0 + 1s, 10ms));
}

TEST(RejectStormDetector, ZeroSwitchesItOff) {
    RejectStormDetector d({.consecutive = 0});
    EXPECT_FALSE(d.Enabled());
    EXPECT_FALSE(Rejects(d, 1000, T0, 1s)) << "neither by count nor by window";
}

TEST(RejectStormDetector, TheThresholdIsConfigurable) {
    RejectStormDetector d({.consecutive = 3});
    EXPECT_FALSE(Rejects(d, 2, T0, 10ms));
    EXPECT_TRUE(d.OnVerdict(VerdictKind::Rejected, LOW, HashOf(9), T0 + 1s));
}
