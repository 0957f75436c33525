// Session scripts: what the server asks or tells, and lines the session cannot use.
#include <gtest/gtest.h>

#include "session_harness.hpp"

using namespace nonceforge;
using namespace nonceforge::stratum;
using namespace std::chrono_literals;
using test::Actions;
using test::Harness;
using test::OfType;
using test::SentLines;

TEST(SessionServer, ClientReconnectWithRedirect) {
    Harness h;
    h.Handshake();
    auto r = OfType<action::Reconnect>(
        h.Line(R"({"id":null,"method":"client.reconnect","params":["eu.pool.example",3334,5]})"));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].host, "eu.pool.example");
    EXPECT_EQ(r[0].port, 3334);
    EXPECT_EQ(r[0].delay, 5s);
    EXPECT_EQ(r[0].reason, "pool sent client.reconnect to eu.pool.example:3334");
}

TEST(SessionServer, ClientReconnectToTheSamePool) {
    Harness h;
    h.Handshake();
    auto r =
        OfType<action::Reconnect>(h.Line(R"({"id":null,"method":"client.reconnect","params":[]})"));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_FALSE(r[0].host);
    EXPECT_FALSE(r[0].port);
    EXPECT_EQ(r[0].delay, 0s);
}

TEST(SessionServer, RedirectsCanBeRefused) {
    SessionConfig c = Harness::Config();
    c.follow_redirects = false;
    Harness h(c);
    h.Handshake();
    Actions a = h.Line(R"({"id":null,"method":"client.reconnect","params":["evil.example",1]})");
    auto r = OfType<action::Reconnect>(a);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_FALSE(r[0].host);
    EXPECT_FALSE(r[0].port);
    EXPECT_TRUE(test::HasLog(a, LogLevel::Warn, "evil.example:1 not followed"));
}

TEST(SessionServer, PingIsAnsweredWithPong) {
    Harness h;
    h.Handshake();
    EXPECT_EQ(SentLines(h.Line(R"({"id":42,"method":"mining.ping","params":[]})")),
              std::vector<std::string>{"{\"error\":null,\"id\":42,\"result\":\"pong\"}\n"});
    EXPECT_EQ(SentLines(h.Line(R"({"id":"p7","method":"mining.ping"})")),
              std::vector<std::string>{"{\"error\":null,\"id\":\"p7\",\"result\":\"pong\"}\n"});
    Actions no_id = h.Line(R"({"id":null,"method":"mining.ping","params":[]})");
    EXPECT_TRUE(SentLines(no_id).empty());
}

TEST(SessionServer, GetVersionIsAnsweredWithTheUserAgent) {
    Harness h;
    h.Handshake();
    EXPECT_EQ(
        SentLines(h.Line(R"({"id":8,"method":"client.get_version","params":[]})")),
        std::vector<std::string>{"{\"error\":null,\"id\":8,\"result\":\"nonceforge/test\"}\n"});
    EXPECT_TRUE(SentLines(h.Line(R"({"method":"client.get_version"})")).empty());
}

TEST(SessionServer, ServerRequestsAreAnsweredDuringTheHandshakeToo) {
    Harness h;
    h.Connect();
    EXPECT_EQ(SentLines(h.Line(R"({"id":1000,"method":"client.get_version","params":[]})")).size(),
              1u);
    EXPECT_EQ(h.Session().State(), SessionState::Configuring);
}

TEST(SessionServer, UnknownMethodWithIdGetsAnErrorReply) {
    Harness h;
    h.Handshake();
    Actions a = h.Line(R"({"id":17,"method":"mining.get_transactions","params":["x"]})");
    EXPECT_EQ(SentLines(a), std::vector<std::string>{"{\"error\":[20,\"Method not found\",null],"
                                                     "\"id\":17,\"result\":null}\n"});
    EXPECT_TRUE(
        test::HasLog(a, LogLevel::Debug, "unknown method from pool: mining.get_transactions"));
}

TEST(SessionServer, UnknownMethodWithoutIdIsOnlyLogged) {
    Harness h;
    h.Handshake();
    Actions a = h.Line(R"({"id":null,"method":"mining.set_goal","params":["x"]})");
    EXPECT_TRUE(SentLines(a).empty());
    ASSERT_EQ(a.size(), 1u);
    EXPECT_TRUE(test::HasLog(a, LogLevel::Debug, "unknown method from pool: mining.set_goal"));
}

TEST(SessionServer, RepliesToIdsNeverSentAreLoggedAndIgnored) {
    Harness h;
    h.Handshake();
    for (std::string_view line :
         {R"({"id":999,"result":true,"error":null})", R"({"id":"abc","result":true,"error":null})",
          R"({"id":-1,"result":true,"error":null})",
          R"({"id":null,"result":null,"error":[20,"bad request",null]})"}) {
        Actions a = h.Line(line);
        ASSERT_EQ(a.size(), 1u) << line;
        EXPECT_TRUE(test::HasLog(a, LogLevel::Warn, "not awaiting one")) << line;
    }
    Actions e = h.Line(R"({"id":null,"result":null,"error":[20,"bad request",null]})");
    EXPECT_TRUE(test::HasLog(e, LogLevel::Warn, "bad request (code 20)"));
    EXPECT_EQ(h.Session().State(), SessionState::Ready);
}

TEST(SessionServer, ShowMessageIsLogged) {
    Harness h;
    h.Handshake();
    Actions a =
        h.Line(R"({"id":null,"method":"client.show_message","params":["maintenance at 10:00"]})");
    EXPECT_TRUE(test::HasLog(a, LogLevel::Info, "message from pool: maintenance at 10:00"));
}

TEST(SessionServer, EmptyLinesAreIgnoredSilently) {
    Harness h;
    h.Handshake();
    EXPECT_TRUE(h.Line("").empty());
    EXPECT_TRUE(h.Line("\r\n").empty());
}

TEST(SessionServer, MalformedLinesAreLoggedAndManyInARowReconnect) {
    SessionConfig c = Harness::Config();
    c.max_consecutive_bad_lines = 3;
    Harness h(c);
    h.Handshake();
    Actions first = h.Line("garbage");
    EXPECT_TRUE(test::HasLog(first, LogLevel::Warn, "ignored malformed line: line: not JSON"));
    EXPECT_TRUE(OfType<action::Reconnect>(first).empty());
    h.Line("[1]");
    // A good line in between resets the count.
    h.Line(R"({"id":null,"method":"client.show_message","params":["hi"]})");
    EXPECT_TRUE(OfType<action::Reconnect>(h.Line("{")).empty());
    EXPECT_TRUE(OfType<action::Reconnect>(h.Line(std::string(50, '['))).empty());
    auto r = OfType<action::Reconnect>(h.Line("\x01\x02"));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].reason, "3 malformed lines in a row");
}

TEST(SessionServer, LinesWhileDisconnectedAreIgnored) {
    Harness h;
    Actions a = h.Line(test::NotifyLine("x"));
    EXPECT_TRUE(test::Jobs(a).empty());
    EXPECT_TRUE(SentLines(a).empty());
    EXPECT_TRUE(test::HasLog(a, LogLevel::Debug, "while disconnected"));
}
