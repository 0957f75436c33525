// Solo mining's odds (expected hashes per block = difficulty * 2^32, Poisson arrivals) and how
// the status line, /api/v1/summary and the summary show them.
#include <gtest/gtest.h>

#include <cmath>

#include "miner/api/api_view.hpp"
#include "miner/app/mine_output.hpp"
#include "miner/solo/solo_figures.hpp"

namespace nonceforge::miner::solo {
namespace {

TEST(SoloOdds, ExpectedHashesAreDifficultyTimesTwoToThe32) {
    const SoloOdds o = ComputeSoloOdds(1.0, 0);
    EXPECT_EQ(o.expected_hashes_per_block, 4294967296.0);
    EXPECT_EQ(o.blocks_per_day, 0);
    EXPECT_EQ(o.chance_per_day, 0);
    EXPECT_FALSE(o.expected_seconds_to_block); // no hashrate, no expectation
}

TEST(SoloOdds, MainnetDifficultyAtATerahash) {
    // Difficulty 100 T at 1 TH/s: 100e12 * 2^32 / 1e12 s = 429,496,729,600 s, 13,610 years.
    const SoloOdds o = ComputeSoloOdds(100e12, 1e12);
    ASSERT_TRUE(o.expected_seconds_to_block);
    EXPECT_DOUBLE_EQ(*o.expected_seconds_to_block, 429496729600.0);
    EXPECT_DOUBLE_EQ(o.blocks_per_day, 86400.0 / 429496729600.0);
    // For a tiny rate x the chance of a block in a day is 1 - e^-x = x - x^2/2 + ...
    const double x = o.blocks_per_day;
    EXPECT_NEAR(o.chance_per_day, x - x * x / 2, x * 1e-12);
    EXPECT_EQ(FormatChance(o.chance_per_day), "1 in 4.97e+06");
    EXPECT_EQ(FormatExpectedTime(*o.expected_seconds_to_block), "1.36e+04 years");
}

TEST(SoloOdds, OneBlockADayOnAverageIsA63PercentChance) {
    // Difficulty 1 at 2^32/86400 H/s: one block a day expected; P(>=1) = 1 - 1/e.
    const SoloOdds o = ComputeSoloOdds(1.0, 4294967296.0 / 86400.0);
    EXPECT_NEAR(o.blocks_per_day, 1.0, 1e-12);
    EXPECT_NEAR(o.chance_per_day, 1 - std::exp(-1.0), 1e-12);
    EXPECT_EQ(FormatChance(o.chance_per_day), "63.2 %");
    EXPECT_EQ(FormatExpectedTime(*o.expected_seconds_to_block), "1 days");
}

TEST(SoloOdds, RegtestIsCertain) {
    const SoloOdds o = ComputeSoloOdds(4.656542373906925e-10, 10e6);
    EXPECT_NEAR(o.expected_hashes_per_block, 2.0, 1e-4);
    EXPECT_EQ(o.chance_per_day, 1.0);
    EXPECT_EQ(FormatChance(o.chance_per_day), "100 %");
}

TEST(SoloOdds, BadInputGivesNoFigures) {
    EXPECT_EQ(ComputeSoloOdds(0, 1e9).expected_hashes_per_block, 0);
    EXPECT_EQ(ComputeSoloOdds(NAN, 1e9).blocks_per_day, 0);
    EXPECT_FALSE(ComputeSoloOdds(1, INFINITY).expected_seconds_to_block);
    EXPECT_FALSE(ComputeSoloOdds(1, -5).expected_seconds_to_block);
}

TEST(SoloOdds, TimesInHumanUnits) {
    EXPECT_EQ(FormatExpectedTime(12.34), "12.3 s");
    EXPECT_EQ(FormatExpectedTime(270), "4.5 min");
    EXPECT_EQ(FormatExpectedTime(3 * 3600), "3 h");
    EXPECT_EQ(FormatExpectedTime(17.5 * 86400), "17.5 days");
}

miner::SoloStatus Status() {
    miner::SoloStatus s;
    s.chain = "main";
    s.network_difficulty = 100e12;
    s.height = 900000;
    s.blocks_submitted = 3;
    s.blocks_accepted = 2;
    s.blocks_rejected = 1;
    return s;
}

TEST(SoloOutput, StatusLineShowsTheOddsAndTheBlocks) {
    miner::StatsSnapshot snap;
    snap.total.rate.h1m = 1e12;
    snap.total.shares.best_difficulty = 12345;
    miner::SourceStatus source;
    source.connected = true;
    source.url = "http://127.0.0.1:8332";
    source.solo = Status();
    const std::string line = app::FormatStatusLine(snap, source);
    EXPECT_NE(line.find("network diff 1e+14 (main, height 900000)"), std::string::npos) << line;
    EXPECT_NE(line.find("block chance/day 1 in 4.97e+06, expected in 1.36e+04 years"),
              std::string::npos)
        << line;
    EXPECT_NE(line.find("blocks 2 accepted, 1 rejected"), std::string::npos) << line;
    EXPECT_NE(line.find("best 1.234e+04"), std::string::npos) << line;
    EXPECT_NE(line.find("node http://127.0.0.1:8332"), std::string::npos) << line;
    EXPECT_EQ(line.find("pool diff"), std::string::npos) << line;
}

TEST(SoloOutput, NoTemplateYetSaysSoInsteadOfZeroes) {
    miner::StatsSnapshot snap;
    miner::SourceStatus source;
    source.solo = miner::SoloStatus{}; // the node was never reached
    const std::string line = app::FormatStatusLine(snap, source);
    EXPECT_NE(line.find("network diff unknown (no template from the node yet)"), std::string::npos)
        << line;
    EXPECT_EQ(line.find("(, height"), std::string::npos) << line;
    EXPECT_NE(line.find("node unreachable"), std::string::npos) << line;
}

TEST(SoloOutput, ApiSummaryHasTheSoloObject) {
    api::ApiView v;
    EXPECT_TRUE(api::SummaryJson(v)["solo"].is_null()); // a pool: no solo figures
    v.stats.total.rate.h1m = 1e12;
    v.stats.total.shares.blocks = 3;
    v.solo = Status();
    const auto j = api::SummaryJson(v)["solo"];
    EXPECT_EQ(j["chain"], "main");
    EXPECT_EQ(j["blocks_found"], 3);
    EXPECT_EQ(j["blocks_accepted"], 2);
    EXPECT_EQ(j["blocks_rejected"], 1);
    EXPECT_DOUBLE_EQ(j["expected_seconds_to_block"].get<double>(), 429496729600.0);
    EXPECT_DOUBLE_EQ(j["expected_hashes_per_block"].get<double>(), 100e12 * 4294967296.0);
    const std::string metrics = api::PrometheusText(v);
    EXPECT_NE(metrics.find("nonceforge_solo_blocks_total{verdict=\"accepted\"} 2"),
              std::string::npos);
    EXPECT_NE(metrics.find("nonceforge_solo_expected_seconds_to_block 429496729600\n"),
              std::string::npos)
        << metrics;
}

} // namespace
} // namespace nonceforge::miner::solo
