// The monitoring endpoints of a miner running on the in-tree pool: the JSON of every
// /api/v1 endpoint with its documented keys and types, /metrics parsed line by line, the
// dashboard page, and the cgminer-compatible replies.
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "api_test_support.hpp"

using namespace nonceforge;
using namespace nonceforge::test;

namespace {

void ExpectKeys(const json& j, const std::map<std::string, json::value_t>& keys,
                const std::string& where) {
    ASSERT_TRUE(j.is_object()) << where;
    for (const auto& [key, type] : keys) {
        ASSERT_TRUE(j.contains(key)) << where << " lacks \"" << key << "\": " << j.dump();
        const json& v = j[key];
        if (type == json::value_t::number_float) {
            EXPECT_TRUE(v.is_number()) << where << "." << key << " = " << v.dump();
        } else if (type == json::value_t::number_unsigned) {
            EXPECT_TRUE(v.is_number_integer()) << where << "." << key << " = " << v.dump();
        } else {
            EXPECT_EQ(v.type(), type) << where << "." << key << " = " << v.dump();
        }
    }
}

const std::map<std::string, json::value_t> SHARE_COUNT_KEYS = {
    {"found", json::value_t::number_unsigned},
    {"accepted", json::value_t::number_unsigned},
    {"rejected", json::value_t::number_unsigned},
    {"stale", json::value_t::number_unsigned},
    {"lost", json::value_t::number_unsigned},
    {"pending", json::value_t::number_unsigned},
    {"hardware_errors", json::value_t::number_unsigned},
    {"blocks", json::value_t::number_unsigned},
    {"rejected_by_reason", json::value_t::object},
    {"stale_by_reason", json::value_t::object},
    {"lost_by_reason", json::value_t::object},
    {"best_share_difficulty", json::value_t::number_float}};

const std::map<std::string, json::value_t> POOL_KEYS = {
    {"index", json::value_t::number_unsigned},
    {"url", json::value_t::string},
    {"user", json::value_t::string},
    {"active", json::value_t::boolean},
    {"connected", json::value_t::boolean},
    {"state", json::value_t::string},
    {"difficulty", json::value_t::number_float},
    {"version_mask", json::value_t::number_unsigned},
    {"version_rolling", json::value_t::boolean},
    {"extranonce_subscribed", json::value_t::boolean},
    {"outstanding_shares", json::value_t::number_unsigned},
    {"connects", json::value_t::number_unsigned},
    {"failovers", json::value_t::number_unsigned},
    {"connected_seconds", json::value_t::number_float},
    {"last_error", json::value_t::string}};

} // namespace

TEST(ApiEndpoints, SummaryHasEveryDocumentedKey) {
    ApiMiner m;
    ASSERT_TRUE(m.Listening()) << m.Log();
    ASSERT_TRUE(m.WaitUntilMining()) << m.Log();
    const json s = GetJson(m.HttpPort(), "/api/v1/summary");
    ExpectKeys(s,
               {{"version", json::value_t::string},
                {"time_unix", json::value_t::number_unsigned},
                {"uptime_seconds", json::value_t::number_unsigned},
                {"hashrate_5s", json::value_t::number_float},
                {"hashrate_1m", json::value_t::number_float},
                {"hashrate_15m", json::value_t::number_float},
                {"hashes", json::value_t::number_unsigned},
                {"effective_hashrate", json::value_t::number_float},
                {"shares", json::value_t::object},
                {"hardware_errors", json::value_t::number_unsigned},
                {"best_share_difficulty", json::value_t::number_float},
                {"devices", json::value_t::number_unsigned},
                {"pool", json::value_t::object},
                {"network_difficulty", json::value_t::number_float},
                {"job_id", json::value_t::string},
                {"profit", json::value_t::object}},
               "summary");
    ExpectKeys(s["shares"], SHARE_COUNT_KEYS, "summary.shares");
    ExpectKeys(s["pool"], POOL_KEYS, "summary.pool");
    EXPECT_EQ(s["version"], "0.1.0");
    EXPECT_GT(s["hashrate_5s"].get<double>(), 0);
    EXPECT_GE(s["shares"]["accepted"].get<uint64_t>(), 1u);
    EXPECT_EQ(s["devices"], 1);
    EXPECT_TRUE(s["pool"]["connected"].get<bool>());
    EXPECT_EQ(s["pool"]["state"], "ready");
    EXPECT_DOUBLE_EQ(s["pool"]["difficulty"].get<double>(), POOL_DIFFICULTY);
    EXPECT_EQ(s["pool"]["url"], m.Url());
    // No --power-watts etc.: the estimate says what it needs.
    EXPECT_FALSE(s["profit"]["available"].get<bool>());
    EXPECT_NE(s["profit"]["reason"].get<std::string>().find("--power-watts"), std::string::npos);
}

TEST(ApiEndpoints, SummaryCarriesTheLiveProfitEstimate) {
    ApiMiner m([](miner::app::MineOptions& o) {
        o.output.profit.power_watts = 100;
        o.output.profit.electricity_price = 0.1;
        o.output.profit.btc_price = 50000;
    });
    ASSERT_TRUE(m.WaitUntilMining(0)) << m.Log();
    const json p = GetJson(m.HttpPort(), "/api/v1/summary")["profit"];
    ExpectKeys(p,
               {{"available", json::value_t::boolean},
                {"btc_per_day", json::value_t::number_float},
                {"sats_per_day", json::value_t::number_float},
                {"revenue_per_day", json::value_t::number_float},
                {"power_cost_per_day", json::value_t::number_float},
                {"profit_per_day", json::value_t::number_float},
                {"network_difficulty", json::value_t::number_float}},
               "summary.profit");
    EXPECT_TRUE(p["available"].get<bool>()) << p.dump();
    // 100 W for a day at 0.1 per kWh.
    EXPECT_NEAR(p["power_cost_per_day"].get<double>(), 0.24, 1e-9);
    EXPECT_GT(p["btc_per_day"].get<double>(), 0);
}

TEST(ApiEndpoints, DevicesListEveryBackend) {
    ApiMiner m([](miner::app::MineOptions& o) { o.backend.threads = 2; });
    ASSERT_TRUE(m.WaitUntilMining(0)) << m.Log();
    ASSERT_TRUE(WaitFor(
        [&] {
            const auto s = m.Snapshot();
            return s.backends.size() == 2 && s.backends[0].rate.h5s > 0 &&
                   s.backends[1].rate.h5s > 0;
        },
        10s));
    const json d = GetJson(m.HttpPort(), "/api/v1/devices");
    ASSERT_TRUE(d["devices"].is_array());
    ASSERT_EQ(d["devices"].size(), 2u) << d.dump();
    for (std::size_t i = 0; i < 2; ++i) {
        const json& dev = d["devices"][i];
        ExpectKeys(dev,
                   {{"index", json::value_t::number_unsigned},
                    {"name", json::value_t::string},
                    {"kind", json::value_t::string},
                    {"hashes", json::value_t::number_unsigned},
                    {"hashrate_5s", json::value_t::number_float},
                    {"hashrate_1m", json::value_t::number_float},
                    {"hashrate_15m", json::value_t::number_float},
                    {"shares", json::value_t::object},
                    {"hardware_errors", json::value_t::number_unsigned},
                    {"best_share_difficulty", json::value_t::number_float}},
                   "devices[" + std::to_string(i) + "]");
        ExpectKeys(dev["shares"], SHARE_COUNT_KEYS, "devices[].shares");
        EXPECT_EQ(dev["index"], i);
        EXPECT_EQ(dev["kind"], "cpu");
        EXPECT_EQ(dev["name"].get<std::string>().rfind("cpu" + std::to_string(i) + "/", 0), 0u);
        EXPECT_GT(dev["hashrate_5s"].get<double>(), 0);
    }
    ExpectKeys(
        d["total"],
        {{"hashes", json::value_t::number_unsigned}, {"hashrate_5s", json::value_t::number_float}},
        "devices.total");
    EXPECT_TRUE(d.contains("uptime_seconds"));
}

TEST(ApiEndpoints, PoolsListEveryConfiguredPoolWithoutThePassword) {
    ApiMiner m([](miner::app::MineOptions& o) {
        // A backup that is never used: listed, idle.
        o.pool.urls.push_back("stratum+tcp://backup-user:backup-secret@127.0.0.1:9");
    });
    ASSERT_TRUE(m.WaitUntilMining(2)) << m.Log();
    const HttpResult r = Get(m.HttpPort(), "/api/v1/pools");
    ASSERT_EQ(r.status, 200u);
    EXPECT_EQ(r.body.find("backup-secret"), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find(POOL_PASSWORD), std::string::npos) << r.body;
    const json p = json::parse(r.body);
    EXPECT_EQ(p["active_index"], 0);
    ASSERT_EQ(p["pools"].size(), 2u);
    for (const json& pool : p["pools"]) {
        ExpectKeys(pool, POOL_KEYS, "pools[]");
        EXPECT_TRUE(pool.contains("latency_ms_mean"));
        EXPECT_TRUE(pool.contains("latency_ms_last"));
    }
    const json& primary = p["pools"][0];
    EXPECT_TRUE(primary["active"].get<bool>());
    EXPECT_TRUE(primary["connected"].get<bool>());
    EXPECT_EQ(primary["user"], "tester.rig1");
    EXPECT_EQ(primary["failovers"], 0);
    EXPECT_GE(primary["connects"].get<uint64_t>(), 1u);
    ASSERT_TRUE(primary["latency_ms_mean"].is_number()) << primary.dump();
    EXPECT_GE(primary["latency_ms_mean"].get<double>(), 0);
    const json& backup = p["pools"][1];
    EXPECT_FALSE(backup["active"].get<bool>());
    EXPECT_EQ(backup["state"], "idle");
    EXPECT_EQ(backup["url"], "stratum+tcp://127.0.0.1:9");
    EXPECT_EQ(backup["user"], "backup-user");
}

TEST(ApiEndpoints, SharesAreTheLatestVerdictsNewestFirst) {
    ApiMiner m;
    ASSERT_TRUE(m.WaitUntilMining(4)) << m.Log();
    const json s = GetJson(m.HttpPort(), "/api/v1/shares?limit=3");
    ExpectKeys(s,
               {{"count", json::value_t::number_unsigned},
                {"capacity", json::value_t::number_unsigned},
                {"total_recorded", json::value_t::number_unsigned},
                {"shares", json::value_t::array}},
               "shares");
    EXPECT_EQ(s["capacity"], 256);
    EXPECT_GE(s["total_recorded"].get<uint64_t>(), 4u);
    ASSERT_EQ(s["shares"].size(), 3u);
    EXPECT_EQ(s["count"], 3);
    int64_t previous = INT64_MAX;
    for (const json& sh : s["shares"]) {
        ExpectKeys(sh,
                   {{"time_unix_ms", json::value_t::number_unsigned},
                    {"backend", json::value_t::string},
                    {"difficulty", json::value_t::number_float},
                    {"pool_difficulty", json::value_t::number_float},
                    {"verdict", json::value_t::string},
                    {"reason", json::value_t::string},
                    {"job_id", json::value_t::string},
                    {"nonce", json::value_t::string},
                    {"pool_index", json::value_t::number_unsigned},
                    {"latency_ms", json::value_t::number_float},
                    {"block_candidate", json::value_t::boolean}},
                   "shares[]");
        EXPECT_EQ(sh["verdict"], "accepted");
        EXPECT_EQ(sh["reason"], "");
        EXPECT_GE(sh["difficulty"].get<double>(), sh["pool_difficulty"].get<double>());
        EXPECT_DOUBLE_EQ(sh["pool_difficulty"].get<double>(), POOL_DIFFICULTY);
        EXPECT_EQ(sh["nonce"].get<std::string>().size(), 8u);
        const int64_t t = sh["time_unix_ms"].get<int64_t>();
        EXPECT_LE(t, previous);
        previous = t;
    }
    // The default limit, a limit above the capacity, and a bad limit.
    EXPECT_LE(GetJson(m.HttpPort(), "/api/v1/shares")["shares"].size(), 50u);
    EXPECT_LE(GetJson(m.HttpPort(), "/api/v1/shares?limit=100000")["shares"].size(), 256u);
    EXPECT_EQ(GetJson(m.HttpPort(), "/api/v1/shares?limit=0")["shares"].size(), 0u);
    for (const char* bad : {"?limit=abc", "?limit=-1", "?limit=", "?limit=5x"}) {
        const HttpResult r = Get(m.HttpPort(), std::string("/api/v1/shares") + bad);
        EXPECT_EQ(r.status, 400u) << bad;
        EXPECT_TRUE(json::parse(r.body, nullptr, false).contains("error")) << r.body;
    }
}

TEST(ApiEndpoints, HistoryIsTheMinersOwnRingOfPoints) {
    ApiMiner m([](miner::app::MineOptions& o) {
        o.api.history_interval = std::chrono::seconds(1);
        o.api.history_points = 4;
    });
    ASSERT_TRUE(m.WaitUntilMining(1)) << m.Log();
    json h;
    // Six ticks at least: the ring of 4 is full and has dropped its oldest points.
    ASSERT_TRUE(WaitFor(
        [&] {
            h = GetJson(m.HttpPort(), "/api/v1/history");
            return h.value("count", 0) == 4 && !h["points"].empty() &&
                   h["points"].back().value("hashrate_5s", 0.0) > 0;
        },
        15s))
        << h.dump();
    std::this_thread::sleep_for(2500ms);
    h = GetJson(m.HttpPort(), "/api/v1/history");
    ExpectKeys(h,
               {{"interval_seconds", json::value_t::number_unsigned},
                {"capacity", json::value_t::number_unsigned},
                {"count", json::value_t::number_unsigned},
                {"points", json::value_t::array}},
               "history");
    EXPECT_EQ(h["interval_seconds"], 1);
    EXPECT_EQ(h["capacity"], 4);
    ASSERT_EQ(h["points"].size(), 4u);
    const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    int64_t previous = 0;
    uint64_t accepted = 0;
    for (const json& p : h["points"]) {
        ExpectKeys(p,
                   {{"time_unix", json::value_t::number_unsigned},
                    {"hashrate_5s", json::value_t::number_float},
                    {"hashrate_1m", json::value_t::number_float},
                    {"accepted", json::value_t::number_unsigned},
                    {"rejected", json::value_t::number_unsigned},
                    {"stale", json::value_t::number_unsigned}},
                   "history.points[]");
        const int64_t t = p["time_unix"].get<int64_t>();
        EXPECT_GT(t, previous) << "oldest first, one per interval";
        EXPECT_LE(t, now);
        EXPECT_GE(p["accepted"].get<uint64_t>(), accepted) << "counters never go back";
        previous = t;
        accepted = p["accepted"].get<uint64_t>();
    }
    EXPECT_GE(h["points"][0]["time_unix"].get<int64_t>(), now - 10)
        << "the oldest points were dropped";
    EXPECT_GT(h["points"].back()["hashrate_5s"].get<double>(), 0);
    EXPECT_GE(accepted, 1u);
}

TEST(MetricsEndpoint, PrometheusTextParsesLineByLine) {
    ApiMiner m;
    ASSERT_TRUE(m.WaitUntilMining()) << m.Log();
    const HttpResult r = Get(m.HttpPort(), "/metrics");
    ASSERT_EQ(r.status, 200u);
    EXPECT_EQ(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
    ASSERT_FALSE(r.body.empty());
    EXPECT_EQ(r.body.back(), '\n');

    const std::regex help(R"(^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \S.*$)");
    const std::regex type(R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge)$)");
    const std::regex sample(
        R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*")*)?\})? (\S+)$)");
    std::map<std::string, std::string> types; // family -> type
    std::set<std::string> helped;
    std::map<std::string, double> values; // "name{labels}" -> value
    std::istringstream in(r.body);
    std::string line;
    int samples = 0;
    while (std::getline(in, line)) {
        std::smatch mt;
        if (std::regex_match(line, mt, help)) {
            EXPECT_TRUE(helped.insert(mt[1]).second) << "two HELP lines: " << line;
        } else if (std::regex_match(line, mt, type)) {
            EXPECT_TRUE(helped.count(mt[1])) << "TYPE before HELP: " << line;
            EXPECT_TRUE(types.emplace(mt[1], mt[2]).second) << "two TYPE lines: " << line;
        } else if (std::regex_match(line, mt, sample)) {
            const std::string name = mt[1];
            ASSERT_TRUE(types.count(name)) << "sample without HELP/TYPE: " << line;
            if (types[name] == "counter") {
                EXPECT_TRUE(name.ends_with("_total")) << line;
            }
            std::size_t used = 0;
            const double v = std::stod(mt[7].str(), &used);
            EXPECT_EQ(used, mt[7].str().size()) << line;
            EXPECT_TRUE(values.emplace(name + mt[2].str(), v).second) << "duplicate: " << line;
            ++samples;
        } else {
            ADD_FAILURE() << "not Prometheus text format: '" << line << "'";
        }
    }
    EXPECT_GT(samples, 10);
    for (const char* family :
         {"nonceforge_hashrate_hashes_per_second", "nonceforge_shares_total",
          "nonceforge_hardware_errors_total", "nonceforge_pool_connected",
          "nonceforge_pool_difficulty", "nonceforge_uptime_seconds", "nonceforge_hashes_total",
          "nonceforge_build_info", "nonceforge_network_difficulty"}) {
        EXPECT_TRUE(types.count(family)) << family;
    }
    const auto s = m.Snapshot();
    ASSERT_EQ(s.backends.size(), 1u);
    const std::string device = "{device=\"" + s.backends[0].name + "\"}";
    EXPECT_GT(values["nonceforge_hashrate_hashes_per_second" + device], 0);
    EXPECT_GT(values["nonceforge_hashes_total" + device], 0);
    EXPECT_GE(values["nonceforge_shares_total{state=\"accepted\",reason=\"\"}"], 1);
    EXPECT_TRUE(values.count("nonceforge_shares_total{state=\"rejected\",reason=\"\"}"));
    EXPECT_TRUE(values.count("nonceforge_shares_total{state=\"stale\",reason=\"\"}"));
    EXPECT_TRUE(values.count("nonceforge_shares_total{state=\"lost\",reason=\"\"}"));
    EXPECT_EQ(values["nonceforge_hardware_errors_total"], 0);
    EXPECT_EQ(values["nonceforge_pool_connected"], 1);
    EXPECT_DOUBLE_EQ(values["nonceforge_pool_difficulty"], POOL_DIFFICULTY);
    EXPECT_EQ(values["nonceforge_build_info{version=\"0.1.0\"}"], 1);
    EXPECT_EQ(types["nonceforge_shares_total"], "counter");
    EXPECT_EQ(types["nonceforge_pool_connected"], "gauge");
    EXPECT_EQ(r.body.find(POOL_PASSWORD), std::string::npos);
}

TEST(DashboardPage, IsOneSelfContainedPage) {
    ApiMiner m;
    ASSERT_TRUE(m.Listening()) << m.Log();
    for (const char* path : {"/", "/index.html"}) {
        const HttpResult r = Get(m.HttpPort(), path);
        ASSERT_EQ(r.status, 200u) << path;
        EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
        EXPECT_NE(r.body.find("<canvas id=\"chart\""), std::string::npos);
        EXPECT_NE(r.body.find("id=\"hashrate\""), std::string::npos);
        EXPECT_NE(r.body.find("api/v1/summary"), std::string::npos);
        EXPECT_NE(r.body.find("api/v1/history"), std::string::npos);
        EXPECT_NE(r.body.find("id=\"time-axis\""), std::string::npos);
        // Nothing from elsewhere: no external scripts, styles or fonts.
        EXPECT_EQ(r.body.find("<script src"), std::string::npos);
        EXPECT_EQ(r.body.find("http://"), std::string::npos);
        EXPECT_EQ(r.body.find("https://"), std::string::npos);
        const std::string csp(r.message["Content-Security-Policy"]);
        EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
        EXPECT_NE(csp.find("connect-src 'self'"), std::string::npos) << csp;
    }
}

TEST(CgminerApi, SummaryDevsPoolsVersionInCgminerShapes) {
    ApiMiner m;
    ASSERT_TRUE(m.WaitUntilMining()) << m.Log();
    ASSERT_NE(m.CgminerPort(), 0);
    struct Case {
        const char* command;
        const char* section;
        int code;
    };
    for (const Case& c : {Case{"summary", "SUMMARY", 11}, Case{"devs", "DEVS", 9},
                          Case{"pools", "POOLS", 7}, Case{"version", "VERSION", 22}}) {
        const std::string raw = Cgminer(m.CgminerPort(), json{{"command", c.command}}.dump());
        const json r = json::parse(raw, nullptr, false);
        ASSERT_TRUE(r.is_object()) << c.command << ": " << raw;
        ASSERT_TRUE(r["STATUS"].is_array()) << raw;
        const json& st = r["STATUS"][0];
        EXPECT_EQ(st["STATUS"], "S") << raw;
        EXPECT_EQ(st["Code"], c.code) << raw;
        EXPECT_TRUE(st["When"].is_number_integer());
        EXPECT_TRUE(st["Msg"].is_string());
        EXPECT_EQ(st["Description"], "nonceforge 0.1.0");
        EXPECT_EQ(r["id"], 1);
        ASSERT_TRUE(r[c.section].is_array()) << raw;
        ASSERT_FALSE(r[c.section].empty()) << raw;
        EXPECT_EQ(raw.find(POOL_PASSWORD), std::string::npos);
    }
    const json sum = json::parse(Cgminer(m.CgminerPort(), R"({"command":"summary"})"));
    const json& s = sum["SUMMARY"][0];
    for (const char* key : {"Elapsed", "MHS av", "MHS 5s", "MHS 1m", "MHS 5m", "MHS 15m",
                            "Accepted", "Rejected", "Stale", "Hardware Errors", "Utility",
                            "Total MH", "Best Share", "Difficulty Accepted", "Found Blocks"}) {
        EXPECT_TRUE(s[key].is_number()) << key << " in " << s.dump();
    }
    EXPECT_GT(s["MHS 5s"].get<double>(), 0);
    EXPECT_GE(s["Accepted"].get<uint64_t>(), 1u);

    const json devs = json::parse(Cgminer(m.CgminerPort(), R"({"command":"devs"})"));
    ASSERT_EQ(devs["DEVS"].size(), 1u);
    EXPECT_EQ(devs["DEVS"][0]["CPU"], 0);
    EXPECT_EQ(devs["DEVS"][0]["Enabled"], "Y");
    EXPECT_EQ(devs["DEVS"][0]["Status"], "Alive");
    EXPECT_GT(devs["DEVS"][0]["MHS 5s"].get<double>(), 0);

    const json pools = json::parse(Cgminer(m.CgminerPort(), R"({"command":"pools"})"));
    ASSERT_EQ(pools["POOLS"].size(), 1u);
    const json& p = pools["POOLS"][0];
    EXPECT_EQ(p["POOL"], 0);
    EXPECT_EQ(p["URL"], m.Url());
    EXPECT_EQ(p["Status"], "Alive");
    EXPECT_EQ(p["User"], "tester.rig1");
    EXPECT_EQ(p["Stratum Active"], true);
    EXPECT_DOUBLE_EQ(p["Stratum Difficulty"].get<double>(), POOL_DIFFICULTY);

    const json ver = json::parse(Cgminer(m.CgminerPort(), R"({"command":"version"})"));
    EXPECT_EQ(ver["VERSION"][0]["API"], "3.7");
    EXPECT_EQ(ver["VERSION"][0]["CGMiner"], "nonceforge 0.1.0");
}

TEST(CgminerApi, PlainTextJoinedCommandsAndErrors) {
    ApiMiner m;
    ASSERT_TRUE(m.Listening()) << m.Log();
    const std::string plain = Cgminer(m.CgminerPort(), "summary");
    EXPECT_EQ(plain.rfind("STATUS=S,When=", 0), 0u) << plain;
    EXPECT_NE(plain.find(",Code=11,Msg=Summary,"), std::string::npos) << plain;
    EXPECT_NE(plain.find("|SUMMARY,Elapsed="), std::string::npos) << plain;
    EXPECT_EQ(plain.back(), '|');
    EXPECT_NE(Cgminer(m.CgminerPort(), "pools|\n").find("|POOL=0,URL="), std::string::npos);

    const json multi =
        json::parse(Cgminer(m.CgminerPort(), R"({"command":"summary+pools","parameter":""})"));
    ASSERT_TRUE(multi["summary"].is_array()) << multi.dump();
    ASSERT_TRUE(multi["pools"].is_array()) << multi.dump();
    EXPECT_EQ(multi["summary"][0]["STATUS"][0]["Code"], 11);
    EXPECT_EQ(multi["pools"][0]["STATUS"][0]["Code"], 7);

    struct Case {
        const char* request;
        int code;
    };
    for (const Case& c :
         {Case{R"({"command":"frobnicate"})", 14}, Case{R"({"command":"restart"})", 45},
          Case{R"({"command":"switchpool","parameter":"1"})", 45}, Case{R"({"parameter":"0"})", 24},
          Case{"{not json", 23}}) {
        const json r = json::parse(Cgminer(m.CgminerPort(), c.request), nullptr, false);
        ASSERT_TRUE(r.is_object()) << c.request;
        EXPECT_EQ(r["STATUS"][0]["STATUS"], "E") << c.request;
        EXPECT_EQ(r["STATUS"][0]["Code"], c.code) << c.request << " -> " << r.dump();
    }
    // A JSON request split across two writes is still one request.
    const Exchange split = Talk(m.CgminerPort(), {R"({"comm)", R"(and":"version"})"}, 5s, 100ms);
    ASSERT_FALSE(split.received.empty());
    EXPECT_NE(split.received.find("\"VERSION\""), std::string::npos) << split.received;
}
