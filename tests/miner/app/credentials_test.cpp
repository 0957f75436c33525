// Credentials are never logged: the miner against the embedded local pool with a distinctive
// password, every log line scanned (the pool's own lines included); a pool that quotes the
// password back in an error; and a malformed pool URL carrying user:password@.
#include <mutex>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "miner/app/mine_output.hpp"
#include "miner/app/runtime.hpp"
#include "nonceforge/stratum/pool_url.hpp"
#include "support/scripted_server.hpp"

using namespace nonceforge;
using namespace std::chrono_literals;

namespace {

constexpr const char* SECRET = "Sup3r-Secret-Pa55word";

struct MinerRun {
    miner::app::MineResult result;
    std::vector<std::string> lines;
};

MinerRun MineWith(miner::app::MineOptions o) {
    MinerRun run;
    std::mutex m;
    miner::app::MinerRuntime rt(o, [&](core::LogLevel, const std::string& text) {
        std::lock_guard l(m);
        run.lines.push_back(text);
    });
    run.result = rt.Run();
    run.lines.push_back(run.result.error);
    run.lines.push_back(miner::app::FormatSummary(run.result.stats));
    return run;
}

void ExpectNoSecret(const MinerRun& run) {
    for (const auto& line : run.lines) {
        EXPECT_EQ(line.find(SECRET), std::string::npos) << line;
    }
}

} // namespace

TEST(Credentials, PasswordNeverAppearsInTheLogWhileMiningOnTheLocalPool) {
    miner::app::MineOptions o;
    o.pool.user = "tester.rig1";
    o.pool.password = SECRET;
    o.backend.threads = 1;
    o.duration_seconds = 2;
    o.output.status_interval_seconds = 1;
    o.pool.local.difficulty = 0.0002;
    o.pool.local.job_interval_seconds = 0.5;
    MinerRun run = MineWith(o);
    EXPECT_EQ(run.result.exit_code, 0) << run.result.error;
    EXPECT_GT(run.result.stats.total.shares.accepted, 0u);
    EXPECT_GT(run.lines.size(), 5u);
    ExpectNoSecret(run);
}

TEST(Credentials, PasswordQuotedBackByThePoolIsRedacted) {
    test::ScriptedServer pool([](test::ScriptedServer::Socket& s, int) {
        std::string buf;
        for (std::string line; !(line = test::ScriptedServer::ReadLine(s, buf)).empty();) {
            const auto req = nlohmann::json::parse(line);
            const std::string id = req.at("id").dump();
            const std::string method = req.at("method");
            std::string reply;
            if (method == "mining.configure") {
                reply = R"({"id":)" + id + R"(,"result":{},"error":null})";
            } else if (method == "mining.subscribe") {
                reply = R"({"id":)" + id + R"(,"result":[[],"01020304",4],"error":null})";
            } else if (method == "mining.authorize") {
                // A pool that echoes the whole request back in its error.
                reply = nlohmann::json{{"id", req.at("id")},
                                       {"result", nullptr},
                                       {"error", {24, "unauthorized: " + line, nullptr}}}
                            .dump();
            }
            test::ScriptedServer::Send(s, reply + "\n");
        }
    });
    miner::app::MineOptions o;
    o.pool.urls = {pool.Url()};
    o.pool.user = "tester.rig1";
    o.pool.password = SECRET;
    o.backend.threads = 1;
    o.duration_seconds = 1.5;
    o.pool.reconnect.initial_backoff = 50ms;
    MinerRun run = MineWith(o);
    std::string all;
    for (const auto& l : run.lines) {
        all += l + "\n";
    }
    EXPECT_NE(all.find("unauthorized"), std::string::npos) << all;
    EXPECT_NE(all.find("***"), std::string::npos) << all;
    ExpectNoSecret(run);
}

TEST(Credentials, MalformedPoolUrlErrorsDoNotQuoteThePassword) {
    for (const std::string& url :
         {std::string("stratum+tcp://user:") + SECRET + "@pool.example",
          std::string("user:") + SECRET + "@pool.example:3333",
          std::string("stratum+tcp://user:") + SECRET + "@pool.example:3333/path"}) {
        auto parsed = stratum::ParsePoolUrl(url);
        ASSERT_FALSE(parsed) << url;
        EXPECT_EQ(parsed.error().find(SECRET), std::string::npos) << parsed.error();
        EXPECT_NE(parsed.error().find("user:***@pool.example"), std::string::npos)
            << parsed.error();
    }
    miner::app::MineOptions o;
    o.pool.urls = {std::string("stratum+tcp://user:") + SECRET + "@pool.example"};
    o.duration_seconds = 1;
    MinerRun run = MineWith(o);
    EXPECT_EQ(run.result.exit_code, 2);
    ExpectNoSecret(run);
}
