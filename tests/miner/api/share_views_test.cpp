// One share ledger behind every view: a miner on the in-tree pool with a new block every 150 ms
// (and nonce ranges of 50 ms, so that a new block interrupts ranges that found shares: the
// dispatcher calls those stale before they are sent, and the pool calls others stale), then
// quiet (a difficulty no share reaches). /api/v1/shares, /api/v1/summary, /api/v1/devices,
// /metrics, the cgminer reply and the final JSON summary must then agree on every share: the
// counts per state and per backend, and the ids and hashes the share list gives.
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include "api_test_support.hpp"
#include "miner/app/runtime.hpp"

using namespace nonceforge;
using namespace nonceforge::test;

namespace {

struct Tally {
    uint64_t found = 0, accepted = 0, rejected = 0, stale = 0, lost = 0;
};

// The share list grouped by backend ("" for the total).
std::map<std::string, Tally> TallyShares(const json& shares) {
    std::map<std::string, Tally> t;
    for (const json& sh : shares) {
        for (const std::string& key : {std::string(), sh["backend"].get<std::string>()}) {
            Tally& x = t[key];
            ++x.found;
            const std::string v = sh["verdict"];
            (v == "accepted"   ? x.accepted
             : v == "rejected" ? x.rejected
             : v == "stale"    ? x.stale
                               : x.lost)++;
        }
    }
    return t;
}

void ExpectCounts(const json& counts, const Tally& t, const std::string& where) {
    EXPECT_EQ(counts["found"], t.found) << where;
    EXPECT_EQ(counts["accepted"], t.accepted) << where;
    EXPECT_EQ(counts["rejected"], t.rejected) << where;
    EXPECT_EQ(counts["stale"], t.stale) << where;
    EXPECT_EQ(counts["lost"], t.lost) << where;
    EXPECT_EQ(counts["pending"], 0) << where;
}

uint64_t DispatcherStale(const miner::StatsSnapshot& s) {
    const auto& r = s.total.shares.stale_by_reason;
    auto it = r.find("job replaced before submit");
    return it == r.end() ? 0 : it->second;
}

// Waits until no share is pending and the number found stays put for half a second.
bool Quiet(ApiMiner& m) {
    uint64_t found = ~0ull;
    return WaitFor(
        [&] {
            const auto c = m.Snapshot().total.shares;
            const bool still = c.Pending() == 0 && c.found == found;
            found = c.found;
            if (!still) {
                std::this_thread::sleep_for(500ms);
            }
            return still;
        },
        20s);
}

void ExpectCgminerAgrees(ApiMiner& m, const std::map<std::string, Tally>& t) {
    const json r = json::parse(Cgminer(m.CgminerPort(), R"({"command":"summary+devs"})"));
    const json& s = r["summary"][0]["SUMMARY"][0];
    EXPECT_EQ(s["Accepted"], t.at("").accepted);
    EXPECT_EQ(s["Rejected"], t.at("").rejected);
    EXPECT_EQ(s["Stale"], t.at("").stale);
    EXPECT_EQ(s["Local Work"], t.at("").found);
    for (const json& d : r["devs"][0]["DEVS"]) {
        const Tally& x = t.count(d["Name"]) ? t.at(d["Name"]) : Tally{};
        EXPECT_EQ(d["Accepted"], x.accepted) << d["Name"];
        EXPECT_EQ(d["Rejected"], x.rejected) << d["Name"];
        EXPECT_EQ(d["Status"], "Alive") << d["Name"];
    }
}

void ExpectMetricsAgree(ApiMiner& m, const std::map<std::string, Tally>& t) {
    const std::string text = Get(m.HttpPort(), "/metrics").body;
    for (const auto& [backend, x] : t) {
        if (!backend.empty()) {
            const std::string line = "nonceforge_shares_found_total{device=\"" + backend + "\"} " +
                                     std::to_string(x.found) + "\n";
            EXPECT_NE(text.find(line), std::string::npos) << line << text;
        }
    }
    const std::string accepted = "nonceforge_shares_total{state=\"accepted\",reason=\"\"} " +
                                 std::to_string(t.at("").accepted) + "\n";
    EXPECT_NE(text.find(accepted), std::string::npos) << accepted << text;
}

} // namespace

TEST(ShareViews, SharesSummaryMetricsAndCgminerAgreeOnEveryShare) {
    const std::string summary_file = ::testing::TempDir() + "share_views_summary.json";
    std::remove(summary_file.c_str());
    ApiMiner m(
        [&](miner::app::MineOptions& o) {
            o.api.share_history = 100'000; // the list holds every share of the run
            o.backend.range_time = 50ms;
            o.output.json_summary_file = summary_file;
        },
        [](stratum::PoolServerConfig& pc) {
            pc.difficulty = 0.00005; // about 215k hashes per share
            pc.block_interval = 150ms;
        });
    ASSERT_TRUE(m.WaitUntilMining(1)) << m.Log();
    ASSERT_TRUE(WaitFor([&] { return DispatcherStale(m.Snapshot()) >= 2; }, 30s)) << m.Log();
    ASSERT_TRUE(m.Pool().SetDifficulty(1e9)); // from the next block on, no share is found
    ASSERT_TRUE(Quiet(m)) << m.Log();

    const json list = GetJson(m.HttpPort(), "/api/v1/shares?limit=100000");
    const auto t = TallyShares(list["shares"]);
    ASSERT_EQ(list["total_recorded"], list["count"]) << "the list must hold every share";
    std::set<uint64_t> ids;
    std::set<std::string> hashes;
    for (const json& sh : list["shares"]) {
        ids.insert(sh["id"].get<uint64_t>());
        hashes.insert(sh["hash"].get<std::string>());
        EXPECT_EQ(sh["hash"].get<std::string>().size(), 64u);
    }
    EXPECT_EQ(ids.size(), t.at("").found) << "one id per share";
    EXPECT_EQ(hashes.size(), t.at("").found) << "one hash per share";
    EXPECT_GT(t.at("").stale, 0u);
    EXPECT_GT(t.at("").accepted, 0u);

    ExpectCounts(GetJson(m.HttpPort(), "/api/v1/summary")["shares"], t.at(""), "summary");
    const json devices = GetJson(m.HttpPort(), "/api/v1/devices"); // outlives the loop
    for (const json& d : devices["devices"]) {
        const Tally& x = t.count(d["name"]) ? t.at(d["name"]) : Tally{};
        ExpectCounts(d["shares"], x, d["name"]);
        EXPECT_EQ(d["status"], "alive");
    }
    ExpectCgminerAgrees(m, t);
    ExpectMetricsAgree(m, t);

    const miner::app::MineResult r = m.Stop();
    std::ifstream in(summary_file);
    ASSERT_TRUE(in) << summary_file;
    const json file = json::parse(in);
    ExpectCounts(file["total"]["shares"], t.at(""), "JSON summary");
    for (const json& b : file["backends"]) {
        const Tally& x = t.count(b["name"]) ? t.at(b["name"]) : Tally{};
        ExpectCounts(b["shares"], x, "JSON summary " + b["name"].get<std::string>());
    }
    EXPECT_EQ(r.stats.total.shares.found, t.at("").found);
}
