// What an exposed monitoring endpoint must withstand: the token off loopback, DNS rebinding
// (foreign Host headers), unknown paths, other methods, oversized headers and bodies, slow
// clients, too many connections (from one client or in all). Through all of it the miner keeps
// hashing.
#include "api_test_support.hpp"

using namespace nonceforge;
using namespace nonceforge::test;

namespace {

constexpr const char* TOKEN = "s3cret-t0ken-0123456789";

void WithToken(miner::app::MineOptions& o) {
    o.api.bind = "0.0.0.0:0"; // every interface: only allowed with a token
    o.api.token = TOKEN;
}

} // namespace

TEST(ApiAuth, NonLoopbackBindWithoutTokenIsRefused) {
    ApiMiner m([](miner::app::MineOptions& o) { o.api.bind = "0.0.0.0:0"; });
    EXPECT_FALSE(m.Listening());
    const miner::app::MineResult r = m.Stop();
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.error.find("--api-token"), std::string::npos) << r.error;
}

TEST(ApiAuth, CgminerApiOffLoopbackNeedsItsOptIn) {
    ApiMiner refused([](miner::app::MineOptions& o) { o.api.cgminer_bind = "0.0.0.0:0"; });
    const miner::app::MineResult r = refused.Stop();
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.error.find("--api-cgminer-remote"), std::string::npos) << r.error;

    ApiMiner allowed([](miner::app::MineOptions& o) {
        o.api.cgminer_bind = "0.0.0.0:0";
        o.api.cgminer_remote = true;
    });
    ASSERT_TRUE(allowed.Listening()) << allowed.Log();
    EXPECT_NE(Cgminer(allowed.CgminerPort(), "version").find("VERSION,"), std::string::npos);
}

TEST(ApiAuth, BadBindAddressesAreConfigurationErrors) {
    for (const char* bind : {"localhost:4048", "127.0.0.1", "127.0.0.1:70000", "[::1]:x"}) {
        ApiMiner m([&](miner::app::MineOptions& o) { o.api.bind = bind; });
        const miner::app::MineResult r = m.Stop();
        EXPECT_EQ(r.exit_code, 2) << bind;
        EXPECT_NE(r.error.find("--api-bind"), std::string::npos) << r.error;
    }
}

TEST(ApiAuth, EveryRequestNeedsTheBearerTokenOffLoopback) {
    ApiMiner m(WithToken);
    ASSERT_TRUE(m.Listening()) << m.Log();
    const uint16_t port = m.HttpPort();
    for (const char* path : {"/", "/metrics", "/api/v1/summary", "/api/v1/shares", "/nope"}) {
        const HttpResult none = Get(port, path);
        EXPECT_EQ(none.status, 401u) << path;
        EXPECT_NE(std::string(none.message[http::field::www_authenticate]).find("Bearer"),
                  std::string::npos);
        for (const std::string& wrong :
             {std::string("Authorization: Bearer wrong"), std::string("Authorization: Bearer "),
              std::string("Authorization: Bearer ") + TOKEN + "x",
              std::string("Authorization: Basic ") + TOKEN, std::string("Authorization: ") + TOKEN,
              std::string("X-Token: ") + TOKEN}) {
            EXPECT_EQ(Get(port, path, {wrong}).status, 401u) << path << " with " << wrong;
        }
    }
    const std::vector<std::string> auth = {std::string("Authorization: Bearer ") + TOKEN};
    EXPECT_EQ(Get(port, "/", auth).status, 200u);
    EXPECT_EQ(Get(port, "/metrics", auth).status, 200u);
    const HttpResult s = Get(port, "/api/v1/summary", auth);
    EXPECT_EQ(s.status, 200u);
    EXPECT_EQ(s.body.find(TOKEN), std::string::npos) << "the token is never echoed";
    EXPECT_EQ(Get(port, "/nope", auth).status, 404u);
}

TEST(ApiAuth, BearerSchemeIsCaseInsensitive) {
    ApiMiner m(WithToken);
    ASSERT_TRUE(m.Listening()) << m.Log();
    for (const char* scheme : {"bearer ", "BEARER ", "Bearer  "}) {
        EXPECT_EQ(
            Get(m.HttpPort(), "/api/v1/summary", {std::string("Authorization: ") + scheme + TOKEN})
                .status,
            200u)
            << scheme;
    }
}

TEST(ApiAuth, BlankShortOrSpacedTokensAreRefusedAtStart) {
    for (const char* token : {" ", "   ", "short", "fifteen-chars-x", "sixteen chars xx"}) {
        ApiMiner m([&](miner::app::MineOptions& o) { o.api.token = token; });
        EXPECT_FALSE(m.Listening()) << "'" << token << "'";
        const miner::app::MineResult r = m.Stop();
        EXPECT_EQ(r.exit_code, 2) << "'" << token << "'";
        EXPECT_EQ(r.error.rfind("--api-token ", 0), 0u) << r.error;
        EXPECT_EQ(r.error.find('\n'), std::string::npos) << r.error;
    }
    ApiMiner ok([](miner::app::MineOptions& o) { o.api.token = "sixteen-chars-xx"; });
    EXPECT_TRUE(ok.Listening()) << ok.Log();
}

// DNS rebinding: a page whose name now points at 127.0.0.1 reads the API with the browser's
// help, but its requests still carry its own name in Host.
TEST(ApiHost, ForeignHostsAre403OnEveryRoute) {
    ApiMiner m;
    ASSERT_TRUE(m.Listening()) << m.Log();
    const uint16_t port = m.HttpPort();
    const std::string p = ":" + std::to_string(port);
    for (const char* path :
         {"/", "/metrics", "/api/v1/summary", "/api/v1/shares", "/api/v1/history", "/nope"}) {
        for (const std::string& host :
             std::vector<std::string>{"evil.example" + p, "rebind.evil.example", "10.0.0.1" + p}) {
            const HttpResult r =
                ParseHttp(Talk(port, {RequestText("GET", path, {}, "Host: " + host)}).received);
            EXPECT_EQ(r.status, 403u) << path << " Host: " << host;
            EXPECT_EQ(r.content_type, "application/json");
            EXPECT_EQ(json::parse(r.body, nullptr, false).value("status", 0), 403) << r.body;
            EXPECT_EQ(r.body.find("hashrate"), std::string::npos);
        }
        for (const std::string& host :
             std::vector<std::string>{"localhost" + p, "127.0.0.1" + p, "127.0.0.2", "[::1]" + p}) {
            const HttpResult r =
                ParseHttp(Talk(port, {RequestText("GET", path, {}, "Host: " + host)}).received);
            EXPECT_EQ(r.status, std::string(path) == "/nope" ? 404u : 200u)
                << path << " Host: " << host;
        }
        const HttpResult none = ParseHttp(Talk(port, {RequestText("GET", path, {}, "")}).received);
        EXPECT_EQ(none.status, 400u) << path << ": HTTP/1.1 without Host";
    }
}

TEST(ApiHost, AllowHostAddsNames) {
    ApiMiner m([](miner::app::MineOptions& o) {
        o.api.allowed_hosts = {"miner.lan", "Rig.Example"};
    });
    ASSERT_TRUE(m.Listening()) << m.Log();
    const uint16_t port = m.HttpPort();
    for (const char* host : {"miner.lan", "MINER.LAN:4048", "rig.example", "localhost"}) {
        EXPECT_EQ(
            ParseHttp(Talk(port, {RequestText("GET", "/metrics", {}, std::string("Host: ") + host)})
                          .received)
                .status,
            200u)
            << host;
    }
    EXPECT_EQ(
        ParseHttp(Talk(port, {RequestText("GET", "/metrics", {}, "Host: other.lan")}).received)
            .status,
        403u);
    ApiMiner bad([](miner::app::MineOptions& o) { o.api.allowed_hosts = {"bad host"}; });
    const miner::app::MineResult r = bad.Stop();
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.error.find("--api-allow-host"), std::string::npos) << r.error;
}

TEST(ApiBadRequests, UnknownPathIs404) {
    ApiMiner m;
    ASSERT_TRUE(m.Listening()) << m.Log();
    for (const char* path : {"/api/v1/nothing", "/api/v2/summary", "/metrics/x", "/admin",
                             "/api/v1/summary/", "/%ff%fe"}) {
        const HttpResult r = Get(m.HttpPort(), path);
        EXPECT_EQ(r.status, 404u) << path;
        EXPECT_EQ(r.content_type, "application/json");
        EXPECT_TRUE(json::parse(r.body, nullptr, false).contains("error")) << r.body;
    }
}

TEST(ApiBadRequests, OtherMethodsAre405) {
    ApiMiner m;
    ASSERT_TRUE(m.Listening()) << m.Log();
    for (const char* method : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
        for (const char* path : {"/api/v1/summary", "/", "/metrics"}) {
            const HttpResult r = Request(m.HttpPort(), method, path, {"Content-Length: 0"});
            EXPECT_EQ(r.status, 405u) << method << " " << path;
            EXPECT_EQ(std::string(r.message[http::field::allow]), "GET");
        }
    }
}

TEST(ApiBadRequests, OversizedHeadersAre431) {
    ApiMiner m;
    ASSERT_TRUE(m.Listening()) << m.Log();
    const std::string huge = "X-Filler: " + std::string(32 * 1024, 'a');
    const HttpResult r = Get(m.HttpPort(), "/api/v1/summary", {huge});
    EXPECT_EQ(r.status, 431u);
    // Many small headers add up the same way.
    std::vector<std::string> many;
    for (int i = 0; i < 400; ++i) {
        many.push_back("X-H" + std::to_string(i) + ": " + std::string(40, 'b'));
    }
    EXPECT_EQ(Get(m.HttpPort(), "/api/v1/summary", many).status, 431u);
    EXPECT_EQ(Get(m.HttpPort(), "/api/v1/summary").status, 200u) << "and the server goes on";
}

TEST(ApiBadRequests, OversizedBodiesAre413) {
    ApiMiner m;
    ASSERT_TRUE(m.Listening()) << m.Log();
    // Refused on the declared length, before the body is read.
    EXPECT_EQ(Get(m.HttpPort(), "/api/v1/summary", {"Content-Length: 100000000"}).status, 413u);
    const std::string body(64 * 1024, 'z');
    const Exchange x = Talk(m.HttpPort(), {"GET /api/v1/summary HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                           "Transfer-Encoding: chunked\r\n\r\n10000\r\n" +
                                           body + "\r\n0\r\n\r\n"});
    EXPECT_EQ(ParseHttp(x.received).status, 413u) << x.received.substr(0, 200);
    // Garbage is a 400, not a crash.
    EXPECT_EQ(ParseHttp(Talk(m.HttpPort(), {"\x01\x02 nonsense\r\n\r\n"}).received).status, 400u);
}

TEST(ApiBadRequests, SlowClientsAreDisconnected) {
    ApiMiner m([](miner::app::MineOptions& o) { o.api.limits.request_timeout = 500ms; });
    ASSERT_TRUE(m.Listening()) << m.Log();
    // Half a request, then silence.
    const Exchange idle = Talk(m.HttpPort(), {"GET /api/v1/summary HTTP/1.1\r\nHo"}, 5s);
    EXPECT_TRUE(idle.closed_by_peer);
    EXPECT_TRUE(idle.received.empty()) << idle.received;
    EXPECT_GE(idle.elapsed, 400ms);
    EXPECT_LT(idle.elapsed, 4s);
    // A request dripped a byte at a time never beats the deadline: the whole request counts.
    std::vector<std::string> drip;
    for (char c : std::string("GET /api/v1/summary HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")) {
        drip.emplace_back(1, c);
    }
    const Exchange slow = Talk(m.HttpPort(), drip, 8s, 50ms);
    EXPECT_TRUE(slow.closed_by_peer);
    EXPECT_EQ(slow.received.find("200 OK"), std::string::npos) << slow.received;
    EXPECT_LT(slow.elapsed, 4s);
    // An idle keep-alive connection is closed the same way.
    const Exchange keep =
        Talk(m.HttpPort(), {"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"}, 5s);
    EXPECT_EQ(ParseHttp(keep.received).status, 200u);
    EXPECT_TRUE(keep.closed_by_peer);
    EXPECT_LT(keep.elapsed, 4s);
}

TEST(ApiBadRequests, ConnectionsBeyondTheCapAreClosed) {
    ApiMiner m([](miner::app::MineOptions& o) {
        o.api.limits.max_connections = 2;
        o.api.limits.request_timeout = 3s;
    });
    ASSERT_TRUE(m.Listening()) << m.Log();
    asio::io_context ioc;
    const asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), m.HttpPort());
    asio::ip::tcp::socket a(ioc), b(ioc);
    a.connect(ep);
    b.connect(ep);
    // Both held open and idle; the third is closed without a reply.
    const Exchange third = Talk(m.HttpPort(), {}, 2s);
    EXPECT_TRUE(third.closed_by_peer);
    EXPECT_TRUE(third.received.empty());
    EXPECT_LT(third.elapsed, 1500ms);
    a.close();
    b.close();
    EXPECT_TRUE(WaitFor([&] { return Get(m.HttpPort(), "/api/v1/summary").status == 200; }, 3s))
        << "a slot frees once a connection closes";
}

// Idle sockets hold a slot only until the header deadline, and one client address only a few
// of them: 40 idle connections from 127.0.0.1 must not lock out 127.0.0.2 (all of 127.0.0.0/8
// is this machine, so the test can be two clients).
TEST(ApiBadRequests, IdleConnectionsFromOneClientDoNotLockOutOthers) {
    ApiMiner m([](miner::app::MineOptions& o) { o.api.limits.header_timeout = 1500ms; });
    ASSERT_TRUE(m.Listening()) << m.Log();
    const miner::api::HttpLimits defaults;
    ASSERT_EQ(defaults.max_connections, 32u);
    ASSERT_EQ(defaults.max_connections_per_client, 8u);
    asio::io_context ioc;
    auto idle = OpenIdle(ioc, "127.0.0.1", m.HttpPort(), 40);
    const auto opened = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(200ms); // the server has accepted (and refused) them all
    // Another client gets in at once, within the header deadline of the idle ones.
    const Exchange other =
        TalkFrom("127.0.0.2", m.HttpPort(), {RequestText("GET", "/api/v1/summary", {})}, 1s);
    EXPECT_EQ(ParseHttp(other.received).status, 200u) << other.received.substr(0, 200);
    EXPECT_LT(std::chrono::steady_clock::now() - opened, 1500ms)
        << "measured after the header deadline: the test proves nothing";
    // The idle client itself holds 8 slots; its 32 others were closed at once.
    int closed = 0;
    for (auto& s : idle) {
        closed += ClosedByServer(s) ? 1 : 0;
    }
    EXPECT_EQ(closed, 32);
    const Exchange ninth = Talk(m.HttpPort(), {}, 1s);
    EXPECT_TRUE(ninth.closed_by_peer) << "over the per-client cap";
    EXPECT_LT(ninth.elapsed, 800ms);
}

TEST(ApiBadRequests, TheHeaderDeadlineFreesIdleSlots) {
    ApiMiner m([](miner::app::MineOptions& o) {
        o.api.limits.header_timeout = 1s;
        o.api.limits.max_connections = 16;
        o.api.limits.max_connections_per_client = 16;
    });
    ASSERT_TRUE(m.Listening()) << m.Log();
    asio::io_context ioc;
    auto idle = OpenIdle(ioc, "127.0.0.1", m.HttpPort(), 16); // every slot, silent
    std::this_thread::sleep_for(200ms);
    const Exchange refused = TalkFrom("127.0.0.3", m.HttpPort(), {}, 500ms);
    EXPECT_TRUE(refused.closed_by_peer) << "all 16 slots are taken";
    const auto start = std::chrono::steady_clock::now();
    // Within the header deadline (plus slack) the idle sockets are closed by the server...
    EXPECT_TRUE(WaitFor(
        [&] {
            for (auto& s : idle) {
                if (!ClosedByServer(s)) {
                    return false;
                }
            }
            return true;
        },
        3s));
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2500ms);
    // ... and the slots are free again, though the idle client never closed its side.
    EXPECT_EQ(Get(m.HttpPort(), "/api/v1/summary").status, 200u);
    // A request that is under way keeps the longer request deadline for its body.
    const Exchange slow_body = Talk(m.HttpPort(),
                                    {"GET /api/v1/summary HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                     "Content-Length: 4\r\nConnection: close\r\n\r\nab",
                                     "cd"},
                                    5s, 1500ms);
    EXPECT_EQ(ParseHttp(slow_body.received).status, 200u) << slow_body.received.substr(0, 200);
}

TEST(ApiBadRequests, TheMinerKeepsHashingThroughAbuse) {
    ApiMiner m([](miner::app::MineOptions& o) {
        o.api.limits.max_connections = 4;
        o.api.limits.request_timeout = 1s;
    });
    ASSERT_TRUE(m.WaitUntilMining(1)) << m.Log();
    const auto before = m.Snapshot();
    const std::string huge = "X-Filler: " + std::string(20 * 1024, 'a');
    for (int i = 0; i < 20; ++i) {
        Get(m.HttpPort(), "/api/v1/summary", {huge});
        Request(m.HttpPort(), "POST", "/metrics", {"Content-Length: 0"});
        Get(m.HttpPort(), "/missing");
        Talk(m.CgminerPort(), {"{\"command\":"}, 50ms);
    }
    ASSERT_TRUE(WaitFor(
        [&] {
            const auto now = m.Snapshot();
            return now.total.hashes > before.total.hashes &&
                   now.total.shares.accepted > before.total.shares.accepted;
        },
        15s))
        << m.Log();
    EXPECT_GT(m.Snapshot().total.rate.h5s, 0);
    EXPECT_EQ(Get(m.HttpPort(), "/api/v1/summary").status, 200u);
    const miner::app::MineResult r = m.Stop();
    EXPECT_EQ(r.exit_code, 0) << r.error;
    EXPECT_EQ(r.stats.total.shares.Pending(), 0u);
}
