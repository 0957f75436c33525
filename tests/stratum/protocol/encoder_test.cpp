// Encoded client requests: exact lines, and round trips through a JSON reader and through our
// own parser (replies to server requests).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "nonceforge/stratum/encoder.hpp"
#include "nonceforge/stratum/parser.hpp"

using namespace nonceforge;
using namespace nonceforge::stratum;
using nlohmann::json;

namespace {

// One compact object and exactly one newline, at the end.
json Decode(const std::string& line) {
    EXPECT_FALSE(line.empty());
    EXPECT_EQ(line.back(), '\n');
    EXPECT_EQ(line.find('\n'), line.size() - 1) << line;
    EXPECT_EQ(line.find(": "), std::string::npos) << "not compact: " << line;
    json j = json::parse(line);
    EXPECT_TRUE(j.is_object());
    return j;
}

} // namespace

TEST(Encode, UserAgentNamesTheProjectVersion) {
    const std::string ua = DefaultUserAgent();
    ASSERT_GT(ua.size(), std::string("nonceforge/").size());
    EXPECT_EQ(ua.rfind("nonceforge/", 0), 0u);
    EXPECT_NE(ua.find('.'), std::string::npos) << ua;
}

TEST(Encode, Subscribe) {
    EXPECT_EQ(EncodeSubscribe(1, "nonceforge/0.1.0"),
              "{\"id\":1,\"method\":\"mining.subscribe\",\"params\":[\"nonceforge/0.1.0\"]}\n");
    EXPECT_EQ(EncodeSubscribe(2, "nonceforge/0.1.0", "ae6812eb"),
              "{\"id\":2,\"method\":\"mining.subscribe\",\"params\":[\"nonceforge/0.1.0\","
              "\"ae6812eb\"]}\n");
}

TEST(Encode, Authorize) {
    EXPECT_EQ(EncodeAuthorize(3, "bc1qexample.rig1", "x"),
              "{\"id\":3,\"method\":\"mining.authorize\",\"params\":[\"bc1qexample.rig1\","
              "\"x\"]}\n");
}

TEST(Encode, ConfigureBothExtensions) {
    ConfigureRequest req;
    req.version_rolling = ConfigureRequest::VersionRolling{0x1fffe000, 2};
    req.minimum_difficulty = 2048;
    json j = Decode(EncodeConfigure(1, req));
    EXPECT_EQ(j["method"], "mining.configure");
    EXPECT_EQ(j["params"][0], json::parse(R"(["version-rolling","minimum-difficulty"])"));
    EXPECT_EQ(j["params"][1], json::parse(R"({"version-rolling.mask":"1fffe000",
        "version-rolling.min-bit-count":2,"minimum-difficulty.value":2048})"));
    EXPECT_TRUE(j["params"][1]["minimum-difficulty.value"].is_number_integer());
}

TEST(Encode, ConfigureEachExtensionAlone) {
    ConfigureRequest rolling;
    rolling.version_rolling = ConfigureRequest::VersionRolling{0x00ffe000, 5};
    EXPECT_EQ(EncodeConfigure(9, rolling),
              "{\"id\":9,\"method\":\"mining.configure\",\"params\":[[\"version-rolling\"],"
              "{\"version-rolling.mask\":\"00ffe000\",\"version-rolling.min-bit-count\":5}]}\n");
    ConfigureRequest min_diff;
    min_diff.minimum_difficulty = 0.5;
    EXPECT_EQ(EncodeConfigure(9, min_diff),
              "{\"id\":9,\"method\":\"mining.configure\",\"params\":[[\"minimum-difficulty\"],"
              "{\"minimum-difficulty.value\":0.5}]}\n");
}

TEST(Encode, SuggestDifficultyIntegersStayIntegers) {
    EXPECT_EQ(EncodeSuggestDifficulty(4, 16384),
              "{\"id\":4,\"method\":\"mining.suggest_difficulty\",\"params\":[16384]}\n");
    json j = Decode(EncodeSuggestDifficulty(4, 0.00001));
    ASSERT_TRUE(j["params"][0].is_number_float());
    EXPECT_EQ(j["params"][0].get<double>(), 0.00001);
    // The value survives our own difficulty reader, as a pool echoing it would send it.
    auto d = Difficulty::FromJson(j["params"][0], "suggest");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->Value(), 0.00001);
    EXPECT_TRUE(Decode(EncodeSuggestDifficulty(4, 1e20))["params"][0].is_number_float());
}

TEST(Encode, ExtranonceSubscribe) {
    EXPECT_EQ(EncodeExtranonceSubscribe(5),
              "{\"id\":5,\"method\":\"mining.extranonce.subscribe\",\"params\":[]}\n");
}

TEST(Encode, SubmitFiveAndSixParams) {
    core::SubmitFields f{"bf", "00000001", "504e86ed", "b2957c02", std::nullopt};
    EXPECT_EQ(EncodeSubmit(6, "w.1", f),
              "{\"id\":6,\"method\":\"mining.submit\",\"params\":[\"w.1\",\"bf\",\"00000001\","
              "\"504e86ed\",\"b2957c02\"]}\n");
    f.version_bits = "1fffe000";
    json j = Decode(EncodeSubmit(7, "w.1", f));
    EXPECT_EQ(j["params"], json::parse(R"(["w.1","bf","00000001","504e86ed","b2957c02",
        "1fffe000"])"));
}

TEST(Encode, InvalidUtf8FromConfigurationDoesNotThrow) {
    std::string line;
    EXPECT_NO_THROW(line = EncodeAuthorize(1, "bad\xff", "x"));
    EXPECT_EQ(Decode(line)["params"][0], "bad\xef\xbf\xbd");
}

TEST(Encode, QuotesAndControlCharactersAreEscaped) {
    json j = Decode(EncodeAuthorize(1, "a\"b\nc", "p\\w"));
    EXPECT_EQ(j["params"][0], "a\"b\nc");
    EXPECT_EQ(j["params"][1], "p\\w");
}

TEST(EncodeReply, ResultRoundTripsThroughTheParser) {
    const std::string line = EncodeResultReply(RequestId{int64_t{7}}, "pong");
    EXPECT_EQ(line, "{\"error\":null,\"id\":7,\"result\":\"pong\"}\n");
    auto parsed = ParseServerLine(line);
    ASSERT_TRUE(parsed);
    const auto& r = std::get<Response>(*parsed);
    EXPECT_EQ(r.id, RequestId{int64_t{7}});
    EXPECT_EQ(r.result, "pong");
    EXPECT_FALSE(r.error);
}

TEST(EncodeReply, StringAndNullIdsAreEchoed) {
    auto s = ParseServerLine(EncodeResultReply(RequestId{std::string("abc")}, "nonceforge/x"));
    ASSERT_TRUE(s);
    EXPECT_EQ(std::get<Response>(*s).id, RequestId{std::string("abc")});
    EXPECT_EQ(EncodeResultReply(RequestId{}, true),
              "{\"error\":null,\"id\":null,\"result\":true}\n");
}

TEST(EncodeReply, ErrorRoundTripsThroughTheParser) {
    const std::string line =
        EncodeErrorReply(RequestId{int64_t{3}}, STRATUM_ERROR_UNKNOWN, "Method not found");
    EXPECT_EQ(line, "{\"error\":[20,\"Method not found\",null],\"id\":3,\"result\":null}\n");
    auto parsed = ParseServerLine(line);
    ASSERT_TRUE(parsed);
    const auto& r = std::get<Response>(*parsed);
    ASSERT_TRUE(r.error);
    EXPECT_EQ(r.error->code, 20);
    EXPECT_EQ(r.error->message, "Method not found");
}

TEST(EncodeRoundTrip, EveryRequestIsAJsonRpcRequestWithItsId) {
    core::SubmitFields f{"j", "00", "00000000", "00000000", std::nullopt};
    ConfigureRequest c;
    c.version_rolling = ConfigureRequest::VersionRolling{};
    const std::vector<std::pair<std::string, std::string>> lines = {
        {EncodeSubscribe(11, "ua"), "mining.subscribe"},
        {EncodeAuthorize(12, "u", "p"), "mining.authorize"},
        {EncodeConfigure(13, c), "mining.configure"},
        {EncodeSuggestDifficulty(14, 1), "mining.suggest_difficulty"},
        {EncodeExtranonceSubscribe(15), "mining.extranonce.subscribe"},
        {EncodeSubmit(16, "u", f), "mining.submit"},
    };
    uint64_t id = 11;
    for (const auto& [line, method] : lines) {
        json j = Decode(line);
        EXPECT_EQ(j.size(), 3u) << line;
        EXPECT_EQ(j["id"], id++) << line;
        EXPECT_EQ(j["method"], method);
        EXPECT_TRUE(j["params"].is_array());
        // A server reading it sees a method, so our own parser takes it for an unknown one.
        auto parsed = ParseServerLine(line);
        ASSERT_TRUE(parsed) << line;
        EXPECT_TRUE(std::holds_alternative<UnknownMethod>(*parsed));
    }
}
