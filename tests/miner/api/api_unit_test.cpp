// The pure parts of the monitoring APIs, without sockets: bind addresses, the token rules and
// compare, the Host allowlist, the share ring, the history ring, the Prometheus text and the
// cgminer replies on a synthetic snapshot.
#include <regex>

#include <boost/asio/ip/address.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "miner/api/api_server.hpp"
#include "sample_view.hpp"

using namespace nonceforge::miner;
using namespace nonceforge::miner::api;
using nlohmann::json;

using nonceforge::test::SampleView;

TEST(ApiUnit, ParsesBindAddresses) {
    auto v4 = ParseBindAddress("127.0.0.1:4048");
    ASSERT_TRUE(v4);
    EXPECT_EQ(v4->port(), 4048);
    EXPECT_TRUE(v4->address().is_loopback());
    auto v6 = ParseBindAddress("[::1]:0");
    ASSERT_TRUE(v6);
    EXPECT_TRUE(v6->address().is_v6());
    EXPECT_TRUE(v6->address().is_loopback());
    auto any = ParseBindAddress("0.0.0.0:80");
    ASSERT_TRUE(any);
    EXPECT_FALSE(any->address().is_loopback());
    for (const char* bad : {"", ":80", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1",
                            "host.example:80", "1.2.3.4:80x"}) {
        EXPECT_FALSE(ParseBindAddress(bad)) << bad;
    }
}

TEST(ApiUnit, TokenCompareIsExact) {
    EXPECT_TRUE(ConstantTimeEquals("Bearer abc", "Bearer abc"));
    EXPECT_FALSE(ConstantTimeEquals("Bearer abd", "Bearer abc"));
    EXPECT_FALSE(ConstantTimeEquals("Bearer ab", "Bearer abc"));
    EXPECT_FALSE(ConstantTimeEquals("Bearer abcd", "Bearer abc"));
    EXPECT_FALSE(ConstantTimeEquals("", "Bearer abc"));
    EXPECT_FALSE(ConstantTimeEquals(std::string("Bearer abc\0", 11), "Bearer abc"));
}

TEST(ApiUnit, TokensNeedSixteenVisibleCharacters) {
    for (const char* bad : {" ", "                ", "short", "fifteen-chars-x", "sixteen chars xx",
                            "tab\tinside-the-token", "new\nline-in-the-token",
                            "caf\xc3\xa9-caf\xc3\xa9-caf\xc3\xa9"}) {
        const auto why = CheckToken(bad);
        ASSERT_TRUE(why) << "accepted: '" << bad << "'";
        EXPECT_EQ(why->find('\n'), std::string::npos) << "one line: " << *why;
    }
    EXPECT_NE(CheckToken("fifteen-chars-x")->find("16"), std::string::npos);
    EXPECT_NE(CheckToken("sixteen chars xx")->find("spaces"), std::string::npos);
    for (const char* good :
         {"sixteen-chars-xx", "0123456789abcdef0123456789abcdef", "A~!@#$%^&*()_+={}[]|:;<>?,./"}) {
        EXPECT_FALSE(CheckToken(good)) << good << ": " << *CheckToken(good);
    }
}

TEST(HostAllowlist, LoopbackNamesOnlyByDefault) {
    const HostAllowlist loopback(boost::asio::ip::make_address("127.0.0.1"), {});
    for (const char* ok : {"localhost", "localhost:4048", "LocalHost", "localhost.", "a.localhost",
                           "127.0.0.1", "127.0.0.1:1", "127.255.255.254", "[::1]", "[::1]:4048"}) {
        EXPECT_TRUE(loopback.Allows(ok)) << ok;
        EXPECT_TRUE(HostAllowlist().Allows(ok)) << ok;
    }
    for (const char* no :
         {"evil.example", "evil.example:4048", "localhost.evil.example", "notlocalhost",
          ".localhost", "127.0.0.1.nip.io", "192.168.1.5", "0.0.0.0", "[::]", "::1", "[::1",
          "[::1]x", "localhost:port", "localhost:4048:1", "", ":4048", "local host",
          "evil.example/x", "user@localhost"}) {
        EXPECT_FALSE(loopback.Allows(no)) << no;
    }
}

TEST(HostAllowlist, TheBindAddressAndAllowedNames) {
    const HostAllowlist lan(boost::asio::ip::make_address("192.168.1.5"),
                            {"Miner.LAN", "rig.example:4048", "[fd00::5]"});
    for (const char* ok : {"192.168.1.5", "192.168.1.5:4048", "miner.lan", "MINER.LAN:80",
                           "rig.example", "[fd00::5]:4048", "localhost"}) {
        EXPECT_TRUE(lan.Allows(ok)) << ok;
    }
    for (const char* no : {"192.168.1.6", "miner.lan.evil.example", "evil.example", "[fd00::6]"}) {
        EXPECT_FALSE(lan.Allows(no)) << no;
    }
    // Bound to every interface: any IP literal (a rebound name is never one), names still not.
    const HostAllowlist any(boost::asio::ip::make_address("0.0.0.0"), {});
    EXPECT_TRUE(any.Allows("192.168.1.6:4048"));
    EXPECT_TRUE(any.Allows("[fd00::6]"));
    EXPECT_FALSE(any.Allows("evil.example"));
    const HostAllowlist star(boost::asio::ip::make_address("127.0.0.1"), {"*"});
    EXPECT_TRUE(star.Allows("evil.example"));
    EXPECT_EQ(HostAllowlist::HostName("[::1]:4048"), "::1");
    EXPECT_EQ(HostAllowlist::HostName("Miner.LAN.:80"), "miner.lan");
    EXPECT_FALSE(HostAllowlist::HostName("a b"));
}

TEST(HashrateHistory, OnePointPerIntervalAndTheNewestKept) {
    using namespace std::chrono_literals;
    HashrateHistory h(3, 10s);
    const auto t0 = std::chrono::steady_clock::time_point{} + 1000s;
    EXPECT_TRUE(h.Due(t0)) << "the first point is taken at once";
    StatsSnapshot s;
    s.total.rate = {5e6, 4e6, 3.5e6, 3e6};
    s.total.shares.accepted = 7;
    s.total.shares.rejected = 2;
    s.total.shares.stale = 1;
    const auto wall = std::chrono::system_clock::time_point{} + 1'700'000'000s;
    h.Record(t0, MakeHistoryPoint(wall, s));
    EXPECT_FALSE(h.Due(t0 + 9s));
    EXPECT_TRUE(h.Due(t0 + 10s));
    // The ticker runs once a second, a little late: the schedule keeps its 10 s cadence.
    h.Record(t0 + 10500ms, {1'700'000'010, 1, 1, 8, 2, 1});
    EXPECT_FALSE(h.Due(t0 + 19s));
    EXPECT_TRUE(h.Due(t0 + 20s));
    h.Record(t0 + 20s, {1'700'000'020, 2, 2, 9, 2, 1});
    h.Record(t0 + 30s, {1'700'000'030, 3, 3, 10, 2, 1});
    const auto points = h.Points();
    ASSERT_EQ(points.size(), 3u) << "the capacity is kept";
    EXPECT_EQ(points.front().time_unix, 1'700'000'010) << "the oldest went first";
    EXPECT_EQ(points.back().time_unix, 1'700'000'030);
    EXPECT_EQ(points.back().accepted, 10u);
    // After a long stall (a suspended machine) no burst of catch-up points.
    h.Record(t0 + 500s, {1'700'000'500, 4, 4, 11, 2, 1});
    EXPECT_FALSE(h.Due(t0 + 501s));
    EXPECT_TRUE(h.Due(t0 + 510s));

    HashrateHistory first(5, 10s);
    first.Record(t0, MakeHistoryPoint(wall, s));
    const HistoryPoint p = first.Points().at(0);
    EXPECT_EQ(p.time_unix, 1'700'000'000);
    EXPECT_EQ(p.hashrate_5s, 5e6);
    EXPECT_EQ(p.hashrate_1m, 4e6);
    EXPECT_EQ(p.accepted, 7u);
    EXPECT_EQ(p.rejected, 2u);
    EXPECT_EQ(p.stale, 1u);
}

TEST(HistoryJson, PointsOldestFirstWithTheirKeys) {
    ApiView v = SampleView();
    v.history = {{1'700'000'000, 1e6, 0.9e6, 1, 0, 0}, {1'700'000'010, 2e6, 1.5e6, 3, 1, 0}};
    v.history_interval_seconds = 10;
    v.history_capacity = 360;
    const json j = HistoryJson(v);
    EXPECT_EQ(j["interval_seconds"], 10);
    EXPECT_EQ(j["capacity"], 360);
    EXPECT_EQ(j["count"], 2);
    ASSERT_EQ(j["points"].size(), 2u);
    EXPECT_EQ(j["points"][0]["time_unix"], 1'700'000'000);
    EXPECT_EQ(j["points"][1]["hashrate_5s"], 2e6);
    EXPECT_EQ(j["points"][1]["hashrate_1m"], 1.5e6);
    EXPECT_EQ(j["points"][1]["accepted"], 3);
    EXPECT_EQ(j["points"][1]["rejected"], 1);
    EXPECT_EQ(j["points"][1]["stale"], 0);
}

TEST(MetricsText, EscapesLabelsAndSplitsSharesByReason) {
    const std::string text = PrometheusText(SampleView());
    EXPECT_NE(text.find("# HELP nonceforge_shares_total "), std::string::npos);
    EXPECT_NE(text.find("# TYPE nonceforge_shares_total counter\n"), std::string::npos);
    EXPECT_NE(text.find("nonceforge_shares_total{state=\"rejected\",reason=\"Duplicate "
                        "\\\"share\\\"\\n\"} 1\n"),
              std::string::npos)
        << text;
    EXPECT_NE(
        text.find("nonceforge_shares_total{state=\"rejected\",reason=\"Low difficulty\"} 1\n"),
        std::string::npos);
    EXPECT_NE(text.find("nonceforge_shares_total{state=\"accepted\",reason=\"\"} 6\n"),
              std::string::npos);
    EXPECT_NE(text.find("nonceforge_shares_total{state=\"stale\",reason=\"Job not found\"} 1\n"),
              std::string::npos);
    // Every reason listed: no remainder sample for rejected.
    EXPECT_EQ(text.find("nonceforge_shares_total{state=\"rejected\",reason=\"\"}"),
              std::string::npos);
    EXPECT_NE(
        text.find("nonceforge_hashrate_hashes_per_second{device=\"cpu0/avx2-8way\"} 9000000\n"),
        std::string::npos)
        << text;
    EXPECT_NE(text.find("nonceforge_network_difficulty 1000000000000\n"), std::string::npos);
    EXPECT_NE(text.find("nonceforge_pool_connected 1\n"), std::string::npos);
    EXPECT_NE(text.find("nonceforge_pool_difficulty 0.5\n"), std::string::npos);
    EXPECT_NE(text.find("nonceforge_uptime_seconds 120\n"), std::string::npos);
    // No estimate inputs: no profit families.
    EXPECT_EQ(text.find("nonceforge_profit"), std::string::npos);
}

TEST(CgminerReplyShape, SummaryNumbersFollowCgminerUnits) {
    const json r = json::parse(CgminerReply(SampleView(), R"({"command":"summary"})"));
    const json& s = r["SUMMARY"][0];
    EXPECT_DOUBLE_EQ(s["MHS 5s"].get<double>(), 10.0);
    EXPECT_DOUBLE_EQ(s["MHS 1m"].get<double>(), 9.0);
    EXPECT_DOUBLE_EQ(s["MHS 5m"].get<double>(), 8.5); // the 5-minute window, not the 15
    EXPECT_DOUBLE_EQ(s["MHS 15m"].get<double>(), 8.0);
    EXPECT_DOUBLE_EQ(s["MHS av"].get<double>(), 10.0); // 1.2e9 hashes in 120 s
    EXPECT_DOUBLE_EQ(s["Total MH"].get<double>(), 1200.0);
    EXPECT_DOUBLE_EQ(s["Utility"].get<double>(), 3.0); // 6 accepted in 2 minutes
    EXPECT_EQ(s["Accepted"], 6);
    EXPECT_EQ(s["Rejected"], 2);
    EXPECT_EQ(s["Stale"], 1);
    EXPECT_DOUBLE_EQ(s["Pool Rejected%"].get<double>(), 22.2222); // 100 * 2 / 9, "%.4f"
    EXPECT_EQ(r["STATUS"][0]["When"], 1700000000);
    EXPECT_EQ(r["STATUS"][0]["Description"], "nonceforge 9.9.9");
    // cgminer's key order: STATUS first, then the section, then id.
    const std::string raw = CgminerReply(SampleView(), "{\"command\":\"summary\"}\n");
    EXPECT_EQ(raw.rfind("{\"STATUS\":[{\"STATUS\":\"S\",\"When\":", 0), 0u) << raw;
    EXPECT_LT(raw.find("\"SUMMARY\""), raw.find("\"id\":1"));
    EXPECT_EQ(raw.find("\"Elapsed\""), raw.find("\"SUMMARY\":[{\"Elapsed\"") + 12);
}

TEST(CgminerReplyShape, DevsUseTheDeviceKindAsKey) {
    ApiView v = SampleView();
    BackendStats gpu = v.stats.backends[0];
    gpu.name = "cuda0/sm90";
    v.stats.backends.push_back(gpu);
    const json r = json::parse(CgminerReply(v, R"({"command":"devs"})"));
    ASSERT_EQ(r["DEVS"].size(), 2u);
    EXPECT_EQ(r["DEVS"][0]["CPU"], 0);
    EXPECT_EQ(r["DEVS"][1]["GPU"], 0);
    EXPECT_EQ(r["STATUS"][0]["Msg"], "1 CPU(s) - 1 GPU(s)");
    EXPECT_EQ(DeviceKind("cpu12/sse41-4way"), "cpu");
    EXPECT_EQ(DeviceKind("cuda0/sm90"), "cuda");
    EXPECT_EQ(DeviceKind("0"), "unknown");
}

// cgminer prints MH/s and utility with "%.2f", total MH "%.4f", difficulties "%.8f" and
// percentages "%.4f"; a double straight from a division (0.04000000000000002) must not leak.
TEST(CgminerReplyShape, FloatsAreRoundedAsCgminerPrintsThem) {
    ApiView v = SampleView();
    BackendStats& t = v.stats.total;
    t.rate = {0.1e6 * 0.4, 12'345.678, 2'345'678.912, 1'234'567.891};
    t.hashes = 123'456'789;
    t.shares.accepted_difficulty_sum = 0.1 + 0.2;
    t.shares.best_difficulty = 1.0 / 3;
    t.shares.accepted = 7;
    t.shares.stale = 2;
    v.stats.uptime = std::chrono::seconds(180);
    v.stats.backends = {t};
    v.pools[0].difficulty = 0.1 + 0.7;
    const std::string raw = CgminerReply(v, R"({"command":"summary+devs+pools"})");
    EXPECT_NE(raw.find("\"MHS 5s\":0.04,"), std::string::npos) << raw;
    EXPECT_NE(raw.find("\"MHS 1m\":0.01,"), std::string::npos) << raw;
    EXPECT_NE(raw.find("\"MHS 15m\":1.23,"), std::string::npos) << raw;
    EXPECT_NE(raw.find("\"MHS 5m\":2.35,"), std::string::npos) << raw;
    EXPECT_NE(raw.find("\"Total MH\":123.4568,"), std::string::npos) << raw;
    EXPECT_NE(raw.find("\"Difficulty Accepted\":0.3,"), std::string::npos) << raw;
    EXPECT_NE(raw.find("\"Best Share\":0.33333333,"), std::string::npos) << raw;
    EXPECT_NE(raw.find("\"Utility\":2.33,"), std::string::npos) << raw; // 7 in 3 minutes
    EXPECT_NE(raw.find("\"Stratum Difficulty\":0.8,"), std::string::npos) << raw;
    EXPECT_NE(raw.find("\"Pool Rejected%\":18.1818,"), std::string::npos) << raw; // 2 of 11
    // No number anywhere with more than 8 decimals.
    const std::regex long_fraction(R"([0-9]\.[0-9]{9,})");
    EXPECT_FALSE(std::regex_search(raw, long_fraction)) << raw;
    const std::string plain = CgminerReply(v, "summary|");
    EXPECT_NE(plain.find(",MHS 5s=0.04,"), std::string::npos) << plain;
    EXPECT_FALSE(std::regex_search(plain, long_fraction)) << plain;
}

// A backend retired after a fault shows as such in every view: the device list, the cgminer
// reply (cgminer's "Dead") and Prometheus.
TEST(RetiredBackend, ShowsAsRetiredEverywhere) {
    ApiView v = SampleView();
    BackendStats gpu = v.stats.backends[0];
    gpu.name = "cuda0/tuned";
    gpu.retired = true;
    gpu.retired_reason = "cudaEventQuery: an illegal memory access was encountered";
    v.stats.backends.push_back(gpu);
    const json devices = DevicesJson(v);
    EXPECT_EQ(devices["devices"][0]["status"], "alive");
    EXPECT_EQ(devices["devices"][1]["status"], "retired");
    EXPECT_EQ(devices["devices"][1]["retired_reason"], gpu.retired_reason);
    const json devs = json::parse(CgminerReply(v, R"({"command":"devs"})"));
    EXPECT_EQ(devs["DEVS"][0]["Status"], "Alive");
    EXPECT_EQ(devs["DEVS"][1]["Status"], "Dead");
    const std::string text = PrometheusText(v);
    EXPECT_NE(text.find("nonceforge_device_up{device=\"cpu0/avx2-8way\"} 1\n"), std::string::npos)
        << text;
    EXPECT_NE(text.find("nonceforge_device_up{device=\"cuda0/tuned\"} 0\n"), std::string::npos)
        << text;
}
