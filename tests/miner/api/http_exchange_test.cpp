// What the monitoring HTTP server answers, over bytes in memory (the same steps the socket
// server runs): routes, methods, the Host rule, the bearer token, limits, malformed and
// pipelined requests.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "miner/api/api_routes.hpp"
#include "miner/api/http_exchange.hpp"
#include "sample_view.hpp"

using namespace nonceforge::miner::api;

namespace {

HttpReply Routes(std::string_view target) {
    return Route(
        target, [](std::size_t) { return nonceforge::test::SampleView(); }, 256);
}

// Requests without a token unless `token` is given; Host: the loopback names only, or `rules`.
std::string Serve(std::string_view request, std::string_view token = "", HttpLimits limits = {}) {
    AccessRules rules;
    rules.token = std::string(token);
    return ServeBytes(request, limits, rules, Routes);
}

std::string ServeWith(std::string_view request, const AccessRules& rules) {
    return ServeBytes(request, HttpLimits{}, rules, Routes);
}

std::string Status(const std::string& out) {
    return out.substr(0, out.find("\r\n"));
}

int CountOf(const std::string& text, std::string_view what) {
    int n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos;
         at = text.find(what, at + what.size())) {
        ++n;
    }
    return n;
}

} // namespace

TEST(HttpExchange, GetOfTheSummaryIsJsonWithTheSecurityHeaders) {
    const std::string out = Serve("GET /api/v1/summary HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    ASSERT_EQ(out.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << out;
    EXPECT_NE(out.find("Content-Type: application/json"), std::string::npos);
    EXPECT_NE(out.find("Cache-Control: no-store"), std::string::npos);
    EXPECT_NE(out.find("X-Content-Type-Options: nosniff"), std::string::npos);
    const auto body = nlohmann::json::parse(out.substr(out.find("\r\n\r\n") + 4));
    EXPECT_EQ(body.at("version"), "9.9.9");
}

TEST(HttpExchange, UnknownPathIs404AndOtherMethodsAre405) {
    EXPECT_EQ(Serve("GET /nope HTTP/1.1\r\nHost: localhost\r\n\r\n").rfind("HTTP/1.1 404", 0), 0u);
    const std::string post =
        Serve("POST /api/v1/summary HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n{}");
    EXPECT_EQ(post.rfind("HTTP/1.1 405", 0), 0u) << post;
    EXPECT_NE(post.find("Allow: GET"), std::string::npos);
}

TEST(HttpExchange, TokenIsRequiredWhenSet) {
    const std::string token = "s3cret-t0ken-0123";
    const std::string none = Serve("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n", token);
    EXPECT_EQ(none.rfind("HTTP/1.1 401", 0), 0u) << none;
    EXPECT_NE(none.find("WWW-Authenticate: Bearer"), std::string::npos);
    auto with = [&](const std::string& authorization) {
        return Status(Serve("GET /metrics HTTP/1.1\r\nHost: localhost\r\nAuthorization: " +
                                authorization + "\r\n\r\n",
                            token));
    };
    EXPECT_EQ(with("Bearer s3cret-t0ken-012"), "HTTP/1.1 401 Unauthorized");
    EXPECT_EQ(with("Bearer s3cret-t0ken-0123x"), "HTTP/1.1 401 Unauthorized");
    EXPECT_EQ(with("Bearer " + token), "HTTP/1.1 200 OK");
}

// RFC 7235 section 2.1: "It uses a case-insensitive token as a means to identify the
// authentication scheme, followed by additional information", the two separated by 1*SP.
TEST(HttpExchange, BearerSchemeIsCaseInsensitive) {
    const std::string token = "s3cret-t0ken-0123";
    auto with = [&](const std::string& authorization) {
        return Status(Serve("GET /api/v1/summary HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            "Authorization: " +
                                authorization + "\r\n\r\n",
                            token));
    };
    for (const char* scheme : {"Bearer ", "bearer ", "BEARER ", "bEaReR ", "Bearer   "}) {
        EXPECT_EQ(with(scheme + token), "HTTP/1.1 200 OK") << scheme;
    }
    for (const std::string& wrong :
         {"Basic " + token, "Bearer" + token, "Bearers " + token, "Bear " + token, token,
          std::string("bearer"), std::string("bearer "), "bearer " + token.substr(1)}) {
        EXPECT_EQ(with(wrong), "HTTP/1.1 401 Unauthorized") << wrong;
    }
    EXPECT_TRUE(BearerMatches("bearer abc", "abc"));
    EXPECT_FALSE(BearerMatches("bearer abcd", "abc"));
    EXPECT_FALSE(BearerMatches("bearer ab", "abc"));
}

// DNS rebinding: a page on evil.example re-points its name at 127.0.0.1 and reads the API; its
// requests still say Host: evil.example.
TEST(HttpExchange, HostMustBeOursOnEveryRoute) {
    for (const char* path : {"/", "/index.html", "/metrics", "/api/v1/summary", "/api/v1/devices",
                             "/api/v1/pools", "/api/v1/shares", "/api/v1/history", "/nope"}) {
        const std::string req = std::string("GET ") + path + " HTTP/1.1\r\nHost: ";
        for (const char* foreign : {"evil.example", "evil.example:4048", "localhost.evil.example",
                                    "127.0.0.1.evil.example", "10.1.2.3", "[::2]:4048", ""}) {
            const std::string out = Serve(req + foreign + "\r\n\r\n");
            EXPECT_EQ(Status(out), "HTTP/1.1 403 Forbidden") << path << " Host: " << foreign;
            const auto body = nlohmann::json::parse(out.substr(out.find("\r\n\r\n") + 4));
            EXPECT_EQ(body.at("status"), 403);
            EXPECT_NE(body.at("error").get<std::string>().find("--api-allow-host"),
                      std::string::npos);
            EXPECT_NE(out.find("Connection: close"), std::string::npos);
        }
        for (const char* ours :
             {"localhost", "LOCALHOST:4048", "localhost.", "app.localhost", "127.0.0.1",
              "127.0.0.1:4048", "127.1.2.3:80", "[::1]", "[::1]:4048"}) {
            const std::string out = Serve(req + ours + "\r\n\r\n");
            EXPECT_NE(Status(out), "HTTP/1.1 403 Forbidden") << path << " Host: " << ours;
            EXPECT_NE(Status(out), "HTTP/1.1 400 Bad Request") << path << " Host: " << ours;
        }
    }
}

TEST(HttpExchange, MissingOrRepeatedHostIs400OnHttpOnePointOne) {
    EXPECT_EQ(Status(Serve("GET /api/v1/summary HTTP/1.1\r\n\r\n")), "HTTP/1.1 400 Bad Request");
    EXPECT_EQ(
        Status(Serve("GET /metrics HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n")),
        "HTTP/1.1 400 Bad Request");
    // HTTP/1.0 did not require Host (every browser sends it anyway).
    EXPECT_EQ(Status(Serve("GET /api/v1/summary HTTP/1.0\r\n\r\n")), "HTTP/1.0 200 OK");
    EXPECT_EQ(Status(Serve("GET /api/v1/summary HTTP/1.0\r\nHost: evil.example\r\n\r\n")),
              "HTTP/1.0 403 Forbidden");
}

TEST(HttpExchange, TheHostRuleComesBeforeTheToken) {
    AccessRules rules;
    rules.token = "s3cret-t0ken-0123";
    const std::string out =
        ServeWith("GET /metrics HTTP/1.1\r\nHost: evil.example\r\nAuthorization: Bearer "
                  "s3cret-t0ken-0123\r\n\r\n",
                  rules);
    EXPECT_EQ(Status(out), "HTTP/1.1 403 Forbidden");
    rules.hosts = HostAllowlist(boost::asio::ip::make_address("192.168.1.5"), {"Miner.LAN"});
    for (const char* host : {"miner.lan", "MINER.lan:4048", "192.168.1.5:4048"}) {
        const std::string req = std::string("GET /metrics HTTP/1.1\r\nHost: ") + host + "\r\n";
        EXPECT_EQ(Status(ServeWith(req + "\r\n", rules)), "HTTP/1.1 401 Unauthorized") << host;
        EXPECT_EQ(Status(ServeWith(req + "Authorization: Bearer s3cret-t0ken-0123\r\n\r\n", rules)),
                  "HTTP/1.1 200 OK")
            << host;
    }
    EXPECT_EQ(Status(ServeWith("GET /metrics HTTP/1.1\r\nHost: 192.168.1.6\r\n\r\n", rules)),
              "HTTP/1.1 403 Forbidden");
}

TEST(HttpExchange, OversizedHeadersAndBodiesAndGarbageGetOneErrorAndTheClose) {
    HttpLimits limits;
    limits.max_header_bytes = 256;
    limits.max_body_bytes = 16;
    const std::string big_header =
        "GET / HTTP/1.1\r\nX-Pad: " + std::string(1000, 'a') + "\r\n\r\nGET / HTTP/1.1\r\n\r\n";
    const std::string h = Serve(big_header, "", limits);
    EXPECT_EQ(h.rfind("HTTP/1.1 431", 0), 0u) << h;
    EXPECT_EQ(CountOf(h, "HTTP/1.1 "), 1) << "no request is read after an error";
    EXPECT_NE(h.find("Connection: close"), std::string::npos);

    const std::string b = Serve("GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n" +
                                    std::string(100, 'b'),
                                "", limits);
    EXPECT_EQ(b.rfind("HTTP/1.1 413", 0), 0u) << b;

    const std::string g = Serve("\x16\x03\x01\x02\x00 not http at all\r\n\r\n");
    EXPECT_EQ(g.rfind("HTTP/1.1 400", 0), 0u) << g;
}

TEST(HttpExchange, PipelinedRequestsAreAnsweredInOrderUntilConnectionClose) {
    const std::string out = Serve("GET /api/v1/pools HTTP/1.1\r\nHost: localhost\r\n\r\n"
                                  "GET /api/v1/shares?limit=x HTTP/1.1\r\nHost: localhost\r\n\r\n"
                                  "GET /metrics HTTP/1.1\r\nHost: localhost\r\n"
                                  "Connection: close\r\n\r\n"
                                  "GET /api/v1/devices HTTP/1.1\r\nHost: localhost\r\n\r\n");
    EXPECT_EQ(CountOf(out, "HTTP/1.1 "), 3) << out;
    const std::size_t pools = out.find("HTTP/1.1 200");
    const std::size_t bad = out.find("HTTP/1.1 400");
    const std::size_t metrics = out.find("# TYPE");
    EXPECT_LT(pools, bad);
    EXPECT_LT(bad, metrics);
    EXPECT_EQ(out.find("\"kind\""), std::string::npos) << "nothing after Connection: close";
}

TEST(HttpExchange, ARequestCutShortOrNothingAtAllGetsNoReply) {
    EXPECT_EQ(Serve(""), "");
    const std::string cut = Serve("GET /api/v1/summary HTTP/1.1\r\nHost:");
    EXPECT_EQ(cut.rfind("HTTP/1.1 400", 0), 0u) << cut;
}

TEST(HttpExchange, HttpOnePointZeroIsAnsweredInKindAndClosed) {
    const std::string out = Serve("GET /api/v1/summary HTTP/1.0\r\n\r\nGET / HTTP/1.0\r\n\r\n");
    EXPECT_EQ(out.rfind("HTTP/1.0 200", 0), 0u) << out;
    EXPECT_EQ(CountOf(out, "HTTP/1.0 "), 1);
}
