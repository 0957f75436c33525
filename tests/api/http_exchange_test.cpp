// What the monitoring HTTP server answers, over bytes in memory (the same steps the socket
// server runs): routes, methods, the bearer token, limits, malformed and pipelined requests.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/sample_view.hpp"
#include "miner/api/api_routes.hpp"
#include "miner/api/http_exchange.hpp"

using namespace nonceforge::miner::api;

namespace {

HttpReply Routes(std::string_view target) {
    return Route(
        target, [](std::size_t) { return nonceforge::test::SampleView(); }, 256);
}

std::string Serve(std::string_view request, std::string_view authorization = "",
                  HttpLimits limits = {}) {
    return ServeBytes(request, limits, authorization, Routes);
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
    const std::string out = Serve("GET /api/v1/summary HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_EQ(out.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << out;
    EXPECT_NE(out.find("Content-Type: application/json"), std::string::npos);
    EXPECT_NE(out.find("Cache-Control: no-store"), std::string::npos);
    EXPECT_NE(out.find("X-Content-Type-Options: nosniff"), std::string::npos);
    const auto body = nlohmann::json::parse(out.substr(out.find("\r\n\r\n") + 4));
    EXPECT_EQ(body.at("version"), "9.9.9");
}

TEST(HttpExchange, UnknownPathIs404AndOtherMethodsAre405) {
    EXPECT_EQ(Serve("GET /nope HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 404", 0), 0u);
    const std::string post = Serve("POST /api/v1/summary HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}");
    EXPECT_EQ(post.rfind("HTTP/1.1 405", 0), 0u) << post;
    EXPECT_NE(post.find("Allow: GET"), std::string::npos);
}

TEST(HttpExchange, TokenIsRequiredWhenSet) {
    const std::string auth = "Bearer s3cret";
    const std::string none = Serve("GET /metrics HTTP/1.1\r\n\r\n", auth);
    EXPECT_EQ(none.rfind("HTTP/1.1 401", 0), 0u) << none;
    EXPECT_NE(none.find("WWW-Authenticate: Bearer"), std::string::npos);
    EXPECT_EQ(Serve("GET /metrics HTTP/1.1\r\nAuthorization: Bearer s3cre\r\n\r\n", auth)
                  .rfind("HTTP/1.1 401", 0),
              0u);
    EXPECT_EQ(Serve("GET /metrics HTTP/1.1\r\nAuthorization: Bearer s3cret\r\n\r\n", auth)
                  .rfind("HTTP/1.1 200", 0),
              0u);
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

    const std::string b =
        Serve("GET / HTTP/1.1\r\nContent-Length: 100\r\n\r\n" + std::string(100, 'b'), "", limits);
    EXPECT_EQ(b.rfind("HTTP/1.1 413", 0), 0u) << b;

    const std::string g = Serve("\x16\x03\x01\x02\x00 not http at all\r\n\r\n");
    EXPECT_EQ(g.rfind("HTTP/1.1 400", 0), 0u) << g;
}

TEST(HttpExchange, PipelinedRequestsAreAnsweredInOrderUntilConnectionClose) {
    const std::string out = Serve("GET /api/v1/pools HTTP/1.1\r\n\r\n"
                                  "GET /api/v1/shares?limit=x HTTP/1.1\r\n\r\n"
                                  "GET /metrics HTTP/1.1\r\nConnection: close\r\n\r\n"
                                  "GET /api/v1/devices HTTP/1.1\r\n\r\n");
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
