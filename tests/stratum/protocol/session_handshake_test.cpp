// Session scripts: the handshake, with and without each extension, and its failures.
#include <gtest/gtest.h>

#include "session_harness.hpp"

using namespace nonceforge;
using namespace nonceforge::stratum;
using namespace std::chrono_literals;
using test::Actions;
using test::Harness;
using test::OnlySent;
using test::Reply;

namespace {

SessionConfig NoExtensions() {
    SessionConfig c = Harness::Config();
    c.version_rolling.reset();
    return c;
}

} // namespace

TEST(SessionHandshake, DefaultConfigureSubscribeAuthorizeThenNothingElse) {
    Harness h;
    EXPECT_EQ(h.Session().State(), SessionState::Disconnected);
    auto configure = OnlySent(h.Connect());
    EXPECT_EQ(h.Session().State(), SessionState::Configuring);
    EXPECT_EQ(configure["method"], "mining.configure");
    EXPECT_EQ(configure["params"], nlohmann::json::parse(R"([["version-rolling"],
        {"version-rolling.mask":"1fffe000","version-rolling.min-bit-count":2}])"));

    auto subscribe = OnlySent(h.Line(
        Reply(configure["id"], R"({"version-rolling":true,"version-rolling.mask":"1fffe000"})")));
    EXPECT_EQ(h.Session().State(), SessionState::Subscribing);
    EXPECT_EQ(subscribe["method"], "mining.subscribe");
    EXPECT_EQ(subscribe["params"], nlohmann::json::parse(R"(["nonceforge/test"])"));
    EXPECT_EQ(h.Session().VersionMask(), 0x1fffe000u);

    auto authorize = OnlySent(h.Line(Reply(subscribe["id"], test::SUBSCRIBE_RESULT)));
    EXPECT_EQ(h.Session().State(), SessionState::Authorizing);
    EXPECT_EQ(authorize["method"], "mining.authorize");
    EXPECT_EQ(authorize["params"], nlohmann::json::parse(R"(["bc1qexample.rig1","x"])"));

    Actions done = h.Line(Reply(authorize["id"], "true"));
    EXPECT_EQ(h.Session().State(), SessionState::Ready);
    EXPECT_TRUE(test::SentLines(done).empty());
    EXPECT_TRUE(test::HasLog(done, LogLevel::Info, "authorized as bc1qexample.rig1"));
    EXPECT_EQ(h.Session().SessionId(), "ae6812eb4cd7735a302a8a9dd95cf71f");
}

TEST(SessionHandshake, WithoutExtensionsSubscribeComesFirst) {
    Harness h(NoExtensions());
    auto subscribe = OnlySent(h.Connect());
    EXPECT_EQ(subscribe["method"], "mining.subscribe");
    EXPECT_EQ(subscribe["id"], 1);
    auto authorize = OnlySent(h.Line(Reply(1, test::SUBSCRIBE_RESULT)));
    EXPECT_EQ(authorize["id"], 2);
    EXPECT_TRUE(test::SentLines(h.Line(Reply(2, "true"))).empty());
    EXPECT_EQ(h.Session().State(), SessionState::Ready);
    EXPECT_EQ(h.Session().VersionMask(), 0u);
}

TEST(SessionHandshake, MinimumDifficultyAloneStillConfigures) {
    SessionConfig c = NoExtensions();
    c.minimum_difficulty = 0.001;
    Harness h(c);
    auto configure = OnlySent(h.Connect());
    EXPECT_EQ(configure["params"][0], nlohmann::json::parse(R"(["minimum-difficulty"])"));
    EXPECT_EQ(configure["params"][1]["minimum-difficulty.value"], 0.001);
    Actions a = h.Line(Reply(1, R"({"minimum-difficulty":true})"));
    EXPECT_TRUE(test::HasLog(a, LogLevel::Info, "minimum difficulty accepted"));
    EXPECT_EQ(OnlySent(a)["method"], "mining.subscribe");
}

TEST(SessionHandshake, SuggestDifficultyGoesOnlyAfterAuthorize) {
    SessionConfig c = NoExtensions();
    c.suggest_difficulty = 0.00001;
    Harness h(c);
    EXPECT_EQ(OnlySent(h.Connect())["method"], "mining.subscribe");
    auto authorize = OnlySent(h.Line(Reply(1, test::SUBSCRIBE_RESULT)));
    EXPECT_EQ(authorize["method"], "mining.authorize");
    auto suggest = OnlySent(h.Line(Reply(2, "true")));
    EXPECT_EQ(suggest["method"], "mining.suggest_difficulty");
    EXPECT_EQ(suggest["params"][0], 0.00001);
    // ckpool never answers it; the request then just expires quietly.
    Actions late = h.Advance(31s);
    EXPECT_TRUE(test::HasLog(late, LogLevel::Debug, "no reply to mining.suggest_difficulty"));
    EXPECT_EQ(h.Session().State(), SessionState::Ready);
}

TEST(SessionHandshake, ExtranonceSubscribeAfterSuggestDifficulty) {
    SessionConfig c = NoExtensions();
    c.suggest_difficulty = 16384;
    c.extranonce_subscribe = true;
    Harness h(c);
    Actions a = h.Handshake();
    auto lines = test::SentLines(a);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], "{\"id\":3,\"method\":\"mining.suggest_difficulty\",\"params\":[16384]}\n");
    EXPECT_EQ(lines[1], "{\"id\":4,\"method\":\"mining.extranonce.subscribe\",\"params\":[]}\n");
    // A pool that does not know the method refuses it; the session goes on.
    Actions refused = h.Line(
        test::ErrorReply(4, R"([20,"Method 'mining.extranonce.subscribe' not found",null])"));
    EXPECT_TRUE(test::HasLog(refused, LogLevel::Info, "pool refused mining.extranonce.subscribe"));
    EXPECT_TRUE(test::HasLog(h.Line(Reply(3, "true")), LogLevel::Debug,
                             "pool accepted mining.suggest_difficulty"));
    EXPECT_EQ(h.Session().State(), SessionState::Ready);
}

TEST(SessionHandshake, ExtranonceSubscribeAlone) {
    SessionConfig c = NoExtensions();
    c.extranonce_subscribe = true;
    Harness h(c);
    auto lines = test::SentLines(h.Handshake());
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NE(lines[0].find("mining.extranonce.subscribe"), std::string::npos);
}

TEST(SessionHandshake, ConfigureRefusedOrUnreadableMinesWithoutRolling) {
    Harness refused;
    refused.Connect();
    Actions a = refused.Line(test::ErrorReply(1, R"([20,"Method not found",null])"));
    EXPECT_TRUE(test::HasLog(a, LogLevel::Warn, "pool refused mining.configure"));
    EXPECT_EQ(OnlySent(a)["method"], "mining.subscribe");
    EXPECT_EQ(refused.Session().VersionMask(), 0u);

    Harness unreadable;
    unreadable.Connect();
    Actions b = unreadable.Line(Reply(1, R"({"version-rolling":true})"));
    EXPECT_TRUE(test::HasLog(b, LogLevel::Warn, "unreadable mining.configure reply"));
    EXPECT_EQ(OnlySent(b)["method"], "mining.subscribe");
    EXPECT_EQ(unreadable.Session().VersionMask(), 0u);

    Harness not_granted;
    not_granted.Handshake(R"({"version-rolling":false})");
    EXPECT_EQ(not_granted.Session().VersionMask(), 0u);
}

TEST(SessionHandshake, GrantedMaskIsLimitedToTheRequestedBits) {
    Harness h;
    h.Connect();
    Actions a = h.Line(Reply(1, R"({"version-rolling":true,"version-rolling.mask":"ffffffff"})"));
    EXPECT_TRUE(test::HasLog(a, LogLevel::Warn, "beyond the requested 1fffe000"));
    EXPECT_EQ(h.Session().VersionMask(), 0x1fffe000u);
}

TEST(SessionHandshake, UnansweredConfigureContinuesWithSubscribe) {
    Harness h;
    h.Connect();
    EXPECT_EQ(h.Session().NextDeadline(), h.Now() + 30s);
    EXPECT_TRUE(h.Advance(29s).empty());
    Actions a = h.Advance(1s);
    EXPECT_TRUE(test::HasLog(a, LogLevel::Warn, "no reply to mining.configure within 30000 ms"));
    EXPECT_EQ(OnlySent(a)["method"], "mining.subscribe");
    // The late reply is to an id no longer pending: logged and ignored.
    Actions late =
        h.Line(Reply(1, R"({"version-rolling":true,"version-rolling.mask":"1fffe000"})"));
    EXPECT_TRUE(test::SentLines(late).empty());
    EXPECT_TRUE(test::HasLog(late, LogLevel::Warn, "reply to id 1"));
    EXPECT_EQ(h.Session().VersionMask(), 0u);
}

TEST(SessionHandshake, UnansweredSubscribeOrAuthorizeReconnects) {
    Harness sub(NoExtensions());
    sub.Connect();
    auto r = test::OfType<action::Reconnect>(sub.Advance(30s));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].reason, "no reply to mining.subscribe within 30000 ms");
    EXPECT_FALSE(r[0].host);

    Harness auth(NoExtensions());
    auth.Connect();
    auth.Line(Reply(1, test::SUBSCRIBE_RESULT));
    auto r2 = test::OfType<action::Reconnect>(auth.Advance(30s));
    ASSERT_EQ(r2.size(), 1u);
    EXPECT_NE(r2[0].reason.find("mining.authorize"), std::string::npos);
}

TEST(SessionHandshake, SubscribeRefusedOrUnreadableReconnects) {
    Harness refused(NoExtensions());
    refused.Connect();
    auto r = test::OfType<action::Reconnect>(
        refused.Line(test::ErrorReply(1, R"([20,"Server busy",null])")));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].reason, "pool refused mining.subscribe: Server busy (code 20)");

    Harness bad(NoExtensions());
    bad.Connect();
    auto r2 = test::OfType<action::Reconnect>(bad.Line(Reply(1, R"([[],"00",0])")));
    ASSERT_EQ(r2.size(), 1u);
    EXPECT_NE(r2[0].reason.find("extranonce2_size"), std::string::npos);
}

TEST(SessionHandshake, AuthorizationRefusedCloses) {
    for (std::string_view reply :
         {R"({"id":2,"result":false,"error":null})",
          R"({"id":2,"result":null,"error":[24,"Unauthorized worker",null]})"}) {
        Harness h(NoExtensions());
        h.Connect();
        h.Line(Reply(1, test::SUBSCRIBE_RESULT));
        auto c = test::OfType<action::Close>(h.Line(reply));
        ASSERT_EQ(c.size(), 1u) << reply;
        EXPECT_NE(c[0].reason.find("pool refused worker \"bc1qexample.rig1\""), std::string::npos);
        EXPECT_NE(h.Session().State(), SessionState::Ready);
    }
    Harness odd(NoExtensions());
    odd.Connect();
    odd.Line(Reply(1, test::SUBSCRIBE_RESULT));
    auto c = test::OfType<action::Close>(odd.Line(Reply(2, "null")));
    ASSERT_EQ(c.size(), 1u);
    EXPECT_NE(c[0].reason.find("unreadable mining.authorize reply"), std::string::npos);
}

TEST(SessionHandshake, PasswordsAreRedactedFromPoolTextShortOnesAsWholeWords) {
    struct Case {
        std::string password;
        std::string pool_text; // the pool's error message
        std::string expected;  // what the close reason carries
    };
    for (const Case& c : std::vector<Case>{
             {"hunter22", R"(bad login ["u","hunter22"]; hunter22x)",
              R"(bad login ["u","***"]; ***x)"},
             {"x1", R"(bad login ["u","x1"] at 0x1f, x1)", R"(bad login ["u","***"] at 0x1f, ***)"},
             {"7", "7 tries: [\"u\",\"7\"] 17 7.5", "*** tries: [\"u\",\"***\"] 17 7.5"},
         }) {
        auto cfg = NoExtensions();
        cfg.password = c.password;
        Harness h(cfg);
        h.Connect();
        h.Line(Reply(1, test::SUBSCRIBE_RESULT));
        const nlohmann::json error = {24, c.pool_text, nullptr};
        auto closes = test::OfType<action::Close>(h.Line(test::ErrorReply(2, error.dump())));
        ASSERT_EQ(closes.size(), 1u) << c.password;
        EXPECT_NE(closes[0].reason.find(c.expected), std::string::npos)
            << c.password << ": " << closes[0].reason;
    }
}

TEST(SessionHandshake, ReconnectResumesTheSessionId) {
    Harness h(NoExtensions());
    h.Handshake();
    h.Disconnect();
    auto subscribe = OnlySent(h.Connect());
    EXPECT_EQ(subscribe["params"],
              nlohmann::json::parse(R"(["nonceforge/test","ae6812eb4cd7735a302a8a9dd95cf71f"])"));
    const uint64_t id = subscribe["id"];
    Actions a = h.Line(Reply(id, test::SUBSCRIBE_RESULT));
    EXPECT_TRUE(test::HasLog(a, LogLevel::Info, "resumed session"));
}

TEST(SessionHandshake, RefusedResumeSubscribesAfresh) {
    Harness h(NoExtensions());
    h.Handshake();
    h.Disconnect();
    auto first = OnlySent(h.Connect());
    ASSERT_EQ(first["params"].size(), 2u);
    auto again = OnlySent(h.Line(test::ErrorReply(first["id"], R"("unknown session")")));
    EXPECT_EQ(again["method"], "mining.subscribe");
    EXPECT_EQ(again["params"], nlohmann::json::parse(R"(["nonceforge/test"])"));
    EXPECT_FALSE(h.Session().SessionId());
}

TEST(SessionHandshake, ResumeCanBeSwitchedOff) {
    SessionConfig c = NoExtensions();
    c.resume_session = false;
    Harness h(c);
    h.Handshake();
    h.Disconnect();
    EXPECT_EQ(OnlySent(h.Connect())["params"].size(), 1u);
}

TEST(SessionHandshake, ConnectedTwiceActsAsADisconnectFirst) {
    Harness h(NoExtensions());
    h.Handshake();
    Actions a = h.Connect();
    EXPECT_TRUE(test::HasLog(a, LogLevel::Info, "disconnected"));
    EXPECT_EQ(OnlySent(a)["method"], "mining.subscribe");
    EXPECT_EQ(h.Session().State(), SessionState::Subscribing);
}

TEST(SessionHandshake, StateNames) {
    EXPECT_EQ(ToString(SessionState::Ready), "ready");
    EXPECT_EQ(ToString(LogLevel::Warn), "warn");
    EXPECT_EQ(ToString(VerdictKind::Stale), "stale");
}
