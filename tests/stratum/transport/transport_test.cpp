// The Stratum client transport over loopback: handshake and jobs against the in-tree pool over
// TCP and TLS (a CA, a wrong-host certificate and a pinned fingerprint, all made at test time),
// failover to a backup and return to the primary, and pools that misbehave in one exact way
// (an oversized line, silence, a redirect to another host); SOCKS5 and HTTP CONNECT proxies
// that tunnel to the pool or refuse; the protocol dump; giving up after --retries. Every wait
// is bounded.
#include <chrono>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "nonceforge/stratum/client.hpp"
#include "nonceforge/stratum/pool_server.hpp"
#include "support/client_harness.hpp"
#include "support/scripted_server.hpp"
#include "support/test_proxy.hpp"
#include "support/tls_certs.hpp"

using namespace nonceforge;
using namespace nonceforge::stratum;
using namespace std::chrono_literals;
using test::ClientHarness;

namespace {

PoolConfig Pool(const std::string& url) {
    PoolConfig p;
    p.url = *ParsePoolUrl(url);
    p.session.user = "tester";
    return p;
}

ClientConfig FastConfig(std::vector<PoolConfig> pools) {
    ClientConfig c;
    c.pools = std::move(pools);
    c.reconnect.initial_backoff = 20ms;
    c.reconnect.max_backoff = 200ms;
    c.timeouts.connect = 1s;
    c.timeouts.tls_handshake = 2s;
    return c;
}

PoolServerConfig ServerConfig() {
    PoolServerConfig pc;
    pc.difficulty = 0.5;
    pc.job_interval = 0ms;
    pc.block_interval = 0ms;
    return pc;
}

// A port that was free a moment ago: nothing listens there.
uint16_t DeadPort() {
    PoolServer s(ServerConfig());
    const uint16_t port = *s.Start();
    s.Stop();
    return port;
}

} // namespace

TEST(Transport, HandshakeOverTcpDeliversJobsWithTheNegotiatedState) {
    PoolServer server(ServerConfig());
    ASSERT_TRUE(server.Start());
    ClientHarness h(FastConfig({Pool(server.Url())}));
    ASSERT_TRUE(h.WaitForJob()) << h.Log();
    auto job = h.FirstJob();
    EXPECT_DOUBLE_EQ(job->share_difficulty, 0.5);
    EXPECT_EQ(job->version_mask, 0x1fffe000u);
    EXPECT_EQ(job->extranonce1.size(), 4u);
    EXPECT_TRUE(h.WaitFor([&] { return h.Client().Status().state == SessionState::Ready; }, 2s));
    EXPECT_EQ(server.Counters().authorized, 1u);
    EXPECT_EQ(h.Log().find("pool> "), std::string::npos) << "no protocol dump unless asked for";
}

TEST(Transport, ReconnectsAfterThePoolDropsTheConnection) {
    auto pc = ServerConfig();
    auto server = std::make_unique<PoolServer>(pc);
    ASSERT_TRUE(server->Start());
    pc.port = server->Port();
    ClientHarness h(FastConfig({Pool(server->Url())}));
    ASSERT_TRUE(h.WaitForJob()) << h.Log();
    server->Stop();
    server = std::make_unique<PoolServer>(pc);
    ASSERT_TRUE(server->Start());
    EXPECT_TRUE(h.WaitFor([&] { return server->Counters().authorized >= 1; })) << h.Log();
    EXPECT_NE(h.Log().find("reconnecting"), std::string::npos);
}

TEST(Transport, FailsOverToTheBackupAndReturnsToThePrimary) {
    const uint16_t primary_port = DeadPort();
    PoolServer backup(ServerConfig());
    ASSERT_TRUE(backup.Start());
    auto cfg = FastConfig(
        {Pool("stratum+tcp://127.0.0.1:" + std::to_string(primary_port)), Pool(backup.Url())});
    cfg.reconnect.failover_after = 2;
    cfg.reconnect.primary_probe_interval = 100ms;
    cfg.reconnect.primary_probes_to_return = 2;
    ClientHarness h(cfg);
    ASSERT_TRUE(h.WaitFor([&] { return backup.Counters().authorized >= 1; })) << h.Log();
    EXPECT_NE(h.Log().find("failing over"), std::string::npos) << h.Log();
    EXPECT_EQ(h.Client().Status().pool_index, 1u);

    auto pc = ServerConfig();
    pc.port = primary_port;
    PoolServer primary(pc);
    ASSERT_TRUE(primary.Start());
    EXPECT_TRUE(h.WaitFor([&] { return primary.Counters().authorized >= 1; })) << h.Log();
    EXPECT_NE(h.Log().find("healthy again"), std::string::npos) << h.Log();
    EXPECT_EQ(h.Client().Status().pool_index, 0u);
}

TEST(Transport, LineLongerThan64KiBEndsTheConnection) {
    test::ScriptedServer server([](test::ScriptedServer::Socket& s, int) {
        std::string buf;
        test::ScriptedServer::ReadLine(s, buf);
        test::ScriptedServer::Send(s, std::string(70 * 1024, 'x'));
        test::ScriptedServer::ReadLine(s, buf); // hold the connection until the client leaves
    });
    ClientHarness h(FastConfig({Pool(server.Url())}));
    EXPECT_TRUE(h.WaitForLog("line longer than 65536 bytes")) << h.Log();
    EXPECT_TRUE(h.WaitFor([&] { return server.Connections() >= 2; })) << h.Log();
}

TEST(Transport, SilentPoolIsLeftAfterTheIdleTimeout) {
    test::ScriptedServer server([](test::ScriptedServer::Socket& s, int) {
        std::string buf;
        while (!test::ScriptedServer::ReadLine(s, buf).empty()) {
        }
    });
    auto cfg = FastConfig({Pool(server.Url())});
    cfg.timeouts.idle = 300ms;
    ClientHarness h(cfg);
    EXPECT_TRUE(h.WaitForLog("no line from the pool")) << h.Log();
}

TEST(Transport, RedirectToAnotherHostIsNotFollowedByDefault) {
    test::ScriptedServer server([](test::ScriptedServer::Socket& s, int index) {
        if (index == 0) {
            test::ScriptedServer::Send(
                s, R"({"id":null,"method":"client.reconnect","params":["evil.example",3333,0]})"
                   "\n");
        }
        std::string buf;
        test::ScriptedServer::ReadLine(s, buf);
    });
    ClientHarness h(FastConfig({Pool(server.Url())}));
    EXPECT_TRUE(h.WaitForLog("not followed")) << h.Log();
    // It reconnects to the same pool instead.
    EXPECT_TRUE(h.WaitFor([&] { return server.Connections() >= 2; })) << h.Log();
    EXPECT_EQ(h.Log().find("evil.example:3333 ("), std::string::npos);
}

// The policy decides that a client.reconnect to another port of the same host is followed for
// the next attempt only (reconnect_policy_test.cpp); here the transport carries that out.
TEST(Transport, RedirectToAnotherPortOfTheSameHostIsFollowedForOneAttempt) {
    auto target_config = ServerConfig();
    auto target = std::make_unique<PoolServer>(target_config);
    ASSERT_TRUE(target->Start());
    const uint16_t target_port = target->Port();
    test::ScriptedServer server([&](test::ScriptedServer::Socket& s, int index) {
        if (index == 0) {
            test::ScriptedServer::Send(s, R"({"id":null,"method":"client.reconnect","params":[)"
                                          R"("127.0.0.1",)" +
                                              std::to_string(target_port) + "]}\n");
        }
        std::string buf;
        test::ScriptedServer::ReadLine(s, buf);
    });
    ClientHarness h(FastConfig({Pool(server.Url())}));
    ASSERT_TRUE(h.WaitFor([&] { return target->Counters().authorized >= 1; })) << h.Log();
    EXPECT_NE(
        h.Log().find(
            "(reconnect: pool sent client.reconnect to 127.0.0.1:" + std::to_string(target_port) +
            "); reconnecting to stratum+tcp://127.0.0.1:" + std::to_string(target_port) + " in "),
        std::string::npos)
        << h.Log();
    EXPECT_EQ(server.Connections(), 1);
    // When the redirect target goes away, the client comes back to the pool it was given.
    target->Stop();
    EXPECT_TRUE(h.WaitFor([&] { return server.Connections() >= 2; })) << h.Log();
}

class TransportTls : public ::testing::Test {
protected:
    void SetUp() override {
        if (!test::HaveOpenSsl()) {
            GTEST_SKIP() << "the openssl command is not installed: cannot make test certificates";
        }
        auto c = test::MakeTestCertificates();
        ASSERT_TRUE(c) << "openssl failed to make the test certificates";
        certs = *c;
    }
    std::unique_ptr<PoolServer> Serve(const std::string& cert, const std::string& key) {
        auto pc = ServerConfig();
        pc.tls = PoolTlsFiles{cert, key};
        auto s = std::make_unique<PoolServer>(pc);
        EXPECT_TRUE(s->Start());
        return s;
    }
    test::TestCertificates certs;
};

TEST_F(TransportTls, VerifiedAgainstTheTestCa) {
    auto server = Serve(certs.localhost_cert, certs.localhost_key);
    auto cfg = FastConfig({Pool("stratum+ssl://localhost:" + std::to_string(server->Port()))});
    cfg.tls.ca_file = certs.ca;
    ClientHarness h(cfg);
    EXPECT_TRUE(h.WaitForJob()) << h.Log();
    EXPECT_NE(h.Log().find("(TLS)"), std::string::npos);
}

TEST_F(TransportTls, CertificateForAnotherHostIsRejected) {
    auto server = Serve(certs.wronghost_cert, certs.wronghost_key);
    auto cfg = FastConfig({Pool("stratum+tls://localhost:" + std::to_string(server->Port()))});
    cfg.tls.ca_file = certs.ca;
    ClientHarness h(cfg);
    EXPECT_TRUE(h.WaitForLog("certificate")) << h.Log();
    EXPECT_TRUE(h.Jobs().empty());
    EXPECT_EQ(server->Counters().subscribed, 0u);
    // The refusal shows what the pool presented, in the form --tls-fingerprint takes.
    EXPECT_TRUE(h.WaitForLog("its SHA-256 fingerprint is " + certs.wronghost_fingerprint +
                             ": to trust it, pass --tls-fingerprint " +
                             certs.wronghost_fingerprint))
        << h.Log();
}

TEST_F(TransportTls, CertificateFromAnUnknownCaIsRefusedWithItsFingerprint) {
    // The system store does not know the test CA: the chain fails above the leaf, and the
    // message still shows the leaf's fingerprint.
    auto server = Serve(certs.wronghost_cert, certs.wronghost_key);
    ClientHarness h(
        FastConfig({Pool("stratum+ssl://127.0.0.1:" + std::to_string(server->Port()))}));
    EXPECT_TRUE(h.WaitForLog("to trust it, pass --tls-fingerprint " + certs.wronghost_fingerprint))
        << h.Log();
    EXPECT_TRUE(h.Jobs().empty());
}

TEST_F(TransportTls, UnknownCaIsRejectedBySystemStoreVerification) {
    auto server = Serve(certs.localhost_cert, certs.localhost_key);
    ClientHarness h(
        FastConfig({Pool("stratum+ssl://localhost:" + std::to_string(server->Port()))}));
    EXPECT_TRUE(h.WaitForLog("TLS handshake")) << h.Log();
    EXPECT_TRUE(h.Jobs().empty());
}

TEST_F(TransportTls, PinnedFingerprintIsAccepted) {
    auto server = Serve(certs.wronghost_cert, certs.wronghost_key);
    auto cfg = FastConfig({Pool("stratum+ssl://127.0.0.1:" + std::to_string(server->Port()))});
    cfg.tls.fingerprint_sha256 = certs.wronghost_fingerprint;
    ClientHarness h(cfg);
    EXPECT_TRUE(h.WaitForJob()) << h.Log();
}

TEST_F(TransportTls, WrongFingerprintIsRejected) {
    auto server = Serve(certs.wronghost_cert, certs.wronghost_key);
    auto cfg = FastConfig({Pool("stratum+ssl://127.0.0.1:" + std::to_string(server->Port()))});
    cfg.tls.fingerprint_sha256 = std::string(64, 'a');
    ClientHarness h(cfg);
    EXPECT_TRUE(h.WaitForLog("TLS handshake")) << h.Log();
    EXPECT_TRUE(h.WaitForLog("to trust it, pass --tls-fingerprint " + certs.wronghost_fingerprint))
        << h.Log();
    EXPECT_TRUE(h.Jobs().empty());
}

TEST_F(TransportTls, ThroughASocks5ProxyTheCertificateIsCheckedAgainstThePoolsName) {
    auto server = Serve(certs.localhost_cert, certs.localhost_key);
    test::TestProxy proxy({});
    auto cfg = FastConfig({Pool("stratum+ssl://localhost:" + std::to_string(server->Port()))});
    cfg.tls.ca_file = certs.ca;
    cfg.proxy = *ParseProxyUrl("socks5://127.0.0.1:" + std::to_string(proxy.Port()));
    ClientHarness h(cfg);
    ASSERT_TRUE(h.WaitForJob()) << h.Log();
    EXPECT_NE(h.Log().find("(TLS) via proxy socks5://127.0.0.1:"), std::string::npos) << h.Log();
    ASSERT_FALSE(proxy.Requests().empty());
    EXPECT_EQ(proxy.Requests()[0].atyp, 3);
    EXPECT_EQ(proxy.Requests()[0].host, "localhost");
}

TEST_F(TransportTls, InsecureModeConnectsAndWarns) {
    auto server = Serve(certs.wronghost_cert, certs.wronghost_key);
    auto cfg = FastConfig({Pool("stratum+ssl://127.0.0.1:" + std::to_string(server->Port()))});
    cfg.tls.insecure = true;
    ClientHarness h(cfg);
    EXPECT_TRUE(h.WaitForJob()) << h.Log();
    EXPECT_NE(h.Log().find("verification is OFF"), std::string::npos);
}

TEST(Transport, TlsHandshakeWithAPlainTextPoolFailsAndIsRetried) {
    // A pool that does not speak TLS: it answers the ClientHello with a Stratum line, then
    // closes. Each attempt fails in the handshake, is logged, and is retried with backoff.
    test::ScriptedServer server([](test::ScriptedServer::Socket& s, int) {
        test::ScriptedServer::Send(s, R"({"id":null,"method":"mining.set_difficulty","params":[1]})"
                                      "\n");
    });
    ClientHarness h(FastConfig({Pool("stratum+tls://127.0.0.1:" + std::to_string(server.Port()))}));
    EXPECT_TRUE(h.WaitForLog("TLS handshake")) << h.Log();
    EXPECT_TRUE(h.WaitFor([&] { return server.Connections() >= 2; })) << h.Log();
    EXPECT_TRUE(h.Jobs().empty());
}

TEST(Transport, StopDuringTheHandshakeEndsPromptly) {
    // A pool that accepts TCP but never answers the subscribe: Stop must not wait for the
    // response or idle timeouts.
    test::ScriptedServer server([](test::ScriptedServer::Socket& s, int) {
        std::string buf;
        test::ScriptedServer::ReadLine(s, buf);
    });
    auto cfg = FastConfig({Pool(server.Url())});
    cfg.timeouts.idle = 60s;
    const auto start = std::chrono::steady_clock::now();
    {
        ClientHarness h(cfg);
        ASSERT_TRUE(h.WaitFor([&] { return server.Connections() >= 1; })) << h.Log();
    } // the destructor calls Stop and joins
    EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

// --- proxies --------------------------------------------------------------------------------

namespace {

using ProxyOptions = test::TestProxy::Options;

ProxyOptions Socks5Proxy(std::optional<std::string> user = {},
                         std::optional<std::string> password = {},
                         std::optional<uint8_t> reply = {}) {
    ProxyOptions o;
    o.kind = test::TestProxy::Kind::Socks5;
    o.user = std::move(user);
    o.password = std::move(password);
    o.socks_reply = reply;
    return o;
}

ProxyOptions HttpProxy(std::optional<std::string> user = {},
                       std::optional<std::string> password = {}, std::optional<int> status = {}) {
    ProxyOptions o;
    o.kind = test::TestProxy::Kind::Http;
    o.user = std::move(user);
    o.password = std::move(password);
    o.http_status = status;
    return o;
}

// A pool name that never resolves (RFC 2606): only the proxy can have resolved it.
constexpr const char* UNRESOLVABLE_POOL = "pool.nonceforge.invalid";

ClientConfig ViaProxy(uint16_t pool_port, const std::string& proxy_url) {
    auto cfg = FastConfig({Pool("stratum+tcp://" + std::string(UNRESOLVABLE_POOL) + ":" +
                                std::to_string(pool_port))});
    cfg.proxy = *ParseProxyUrl(proxy_url);
    return cfg;
}

} // namespace

TEST(TransportProxy, Socks5WithPasswordSendsThePoolNameForTheProxyToResolve) {
    PoolServer server(ServerConfig());
    ASSERT_TRUE(server.Start());
    test::TestProxy proxy(Socks5Proxy("alice", "s3cret-proxy"));
    ClientHarness h(ViaProxy(server.Port(), "socks5://alice:s3cret-proxy@127.0.0.1:" +
                                                std::to_string(proxy.Port())));
    ASSERT_TRUE(h.WaitForJob()) << h.Log();
    const auto requests = proxy.Requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].methods, std::vector<uint8_t>{0x02}) << "only username/password";
    EXPECT_EQ(requests[0].user, "alice");
    EXPECT_EQ(requests[0].password, "s3cret-proxy");
    EXPECT_EQ(requests[0].atyp, 0x03) << "a domain name, not an address";
    EXPECT_EQ(requests[0].host, UNRESOLVABLE_POOL);
    EXPECT_EQ(requests[0].port, server.Port());
    EXPECT_NE(h.Log().find("via proxy socks5://127.0.0.1:" + std::to_string(proxy.Port())),
              std::string::npos)
        << h.Log();
    EXPECT_EQ(h.Log().find("s3cret-proxy"), std::string::npos) << h.Log();
}

TEST(TransportProxy, Socks5hWithoutCredentialsOffersNoAuthentication) {
    PoolServer server(ServerConfig());
    ASSERT_TRUE(server.Start());
    test::TestProxy proxy({});
    ClientHarness h(ViaProxy(server.Port(), "socks5h://127.0.0.1:" + std::to_string(proxy.Port())));
    ASSERT_TRUE(h.WaitForJob()) << h.Log();
    ASSERT_FALSE(proxy.Requests().empty());
    EXPECT_EQ(proxy.Requests()[0].methods, std::vector<uint8_t>{0x00});
    EXPECT_EQ(proxy.Requests()[0].host, UNRESOLVABLE_POOL);
}

TEST(TransportProxy, HttpConnectWithBasicAuthTunnelsToThePool) {
    PoolServer server(ServerConfig());
    ASSERT_TRUE(server.Start());
    test::TestProxy proxy(HttpProxy("alice", "s3cret"));
    ClientHarness h(
        ViaProxy(server.Port(), "http://alice:s3cret@127.0.0.1:" + std::to_string(proxy.Port())));
    ASSERT_TRUE(h.WaitForJob()) << h.Log();
    const auto requests = proxy.Requests();
    ASSERT_EQ(requests.size(), 1u);
    const std::string target = std::string(UNRESOLVABLE_POOL) + ":" + std::to_string(server.Port());
    EXPECT_EQ(requests[0].http_head.rfind("CONNECT " + target + " HTTP/1.1\r\n", 0), 0u)
        << requests[0].http_head;
    EXPECT_NE(requests[0].http_head.find("Host: " + target + "\r\n"), std::string::npos);
    // base64("alice:s3cret")
    EXPECT_NE(requests[0].http_head.find("Proxy-Authorization: Basic YWxpY2U6czNjcmV0\r\n"),
              std::string::npos)
        << requests[0].http_head;
    EXPECT_NE(h.Log().find("via proxy http://127.0.0.1:"), std::string::npos) << h.Log();
}

TEST(TransportProxy, Socks5RefusalIsLoggedWithTheProxyAndTheReplyCodeAndRetried) {
    test::TestProxy proxy(Socks5Proxy({}, {}, 0x05));
    ClientHarness h(ViaProxy(3333, "socks5://127.0.0.1:" + std::to_string(proxy.Port())));
    EXPECT_TRUE(h.WaitForLog("proxy socks5://127.0.0.1:" + std::to_string(proxy.Port()) +
                             ": SOCKS5 reply 0x05: connection refused by the destination"))
        << h.Log();
    EXPECT_TRUE(h.WaitFor([&] { return proxy.Requests().size() >= 2; })) << h.Log();
    EXPECT_NE(h.Log().find("reconnecting to"), std::string::npos) << h.Log();

    test::TestProxy unreachable(Socks5Proxy({}, {}, 0x04));
    ClientHarness h2(ViaProxy(3333, "socks5://127.0.0.1:" + std::to_string(unreachable.Port())));
    EXPECT_TRUE(h2.WaitForLog("SOCKS5 reply 0x04: host unreachable")) << h2.Log();
}

TEST(TransportProxy, Socks5WrongPasswordIsLoggedWithoutThePassword) {
    test::TestProxy proxy(Socks5Proxy("alice", "right-one"));
    ClientHarness h(
        ViaProxy(3333, "socks5://alice:wrong-one@127.0.0.1:" + std::to_string(proxy.Port())));
    EXPECT_TRUE(h.WaitForLog("SOCKS5 authentication failed for user 'alice'")) << h.Log();
    EXPECT_EQ(h.Log().find("wrong-one"), std::string::npos) << h.Log();
}

TEST(TransportProxy, HttpRefusalsNameTheStatus) {
    test::TestProxy forbidden(HttpProxy({}, {}, 403));
    ClientHarness h(ViaProxy(3333, "http://127.0.0.1:" + std::to_string(forbidden.Port())));
    EXPECT_TRUE(h.WaitForLog("proxy http://127.0.0.1:" + std::to_string(forbidden.Port()) +
                             ": CONNECT " + UNRESOLVABLE_POOL + ":3333 refused: 'HTTP/1.1 403"))
        << h.Log();

    test::TestProxy wants_auth(HttpProxy("alice", "x"));
    ClientHarness h2(ViaProxy(3333, "http://127.0.0.1:" + std::to_string(wants_auth.Port())));
    EXPECT_TRUE(h2.WaitForLog("'HTTP/1.1 407 Proxy Authentication Required' (the proxy requires "
                              "authentication"))
        << h2.Log();
}

TEST(TransportProxy, ProxyThatDoesNotListenIsNamedInTheLog) {
    const uint16_t dead = DeadPort();
    ClientHarness h(ViaProxy(3333, "socks5://127.0.0.1:" + std::to_string(dead)));
    EXPECT_TRUE(h.WaitForLog("cannot connect to proxy socks5://127.0.0.1:" + std::to_string(dead)))
        << h.Log();
}

TEST(TransportProxy, SilentProxyIsLeftAfterTheHandshakeDeadline) {
    test::ScriptedServer silent([](test::ScriptedServer::Socket& s, int) {
        std::string buf;
        test::ScriptedServer::ReadLine(s, buf); // never answers the greeting
    });
    auto cfg = ViaProxy(3333, "socks5://127.0.0.1:" + std::to_string(silent.Port()));
    cfg.timeouts.proxy_handshake = 200ms;
    ClientHarness h(cfg);
    EXPECT_TRUE(h.WaitForLog(": no tunnel to stratum+tcp://pool.nonceforge.invalid:3333 within "
                             "0.2 s"))
        << h.Log();
}

// --- protocol dump ----------------------------------------------------------------------------

TEST(Transport, ProtocolDumpShowsBothDirectionsWithThePasswordRedacted) {
    PoolServer server(ServerConfig());
    ASSERT_TRUE(server.Start());
    auto pool = Pool(server.Url());
    pool.session.password = "hunter2-pool";
    auto cfg = FastConfig({pool});
    cfg.protocol_dump = true;
    ClientHarness h(cfg);
    ASSERT_TRUE(h.WaitForJob()) << h.Log();
    EXPECT_TRUE(h.WaitForLog("pool< {")) << h.Log();
    const std::string log = h.Log();
    EXPECT_NE(log.find(R"(pool> {"id":)"), std::string::npos) << log;
    EXPECT_NE(log.find("pool> "), std::string::npos);
    EXPECT_NE(log.find(R"("method":"mining.subscribe")"), std::string::npos) << log;
    EXPECT_NE(log.find(R"("method":"mining.notify")"), std::string::npos) << log;
    const auto authorize = log.find(R"("method":"mining.authorize")");
    ASSERT_NE(authorize, std::string::npos) << log;
    const auto line_start = log.rfind('\n', authorize) + 1;
    const std::string line = log.substr(line_start, log.find('\n', authorize) - line_start);
    EXPECT_EQ(line.rfind("pool> ", 0), 0u) << line;
    EXPECT_NE(line.find(R"(["tester","***"])"), std::string::npos) << line;
    EXPECT_EQ(log.find("hunter2-pool"), std::string::npos) << log;
    EXPECT_NE(log.find("pool< "), std::string::npos);
    // A dumped line is one log line: no newline inside it.
    EXPECT_EQ(log.find("\n\n"), std::string::npos);
}

TEST(Transport, ProtocolDumpRedactsAPasswordThatJsonEscapes) {
    PoolServer server(ServerConfig());
    ASSERT_TRUE(server.Start());
    auto pool = Pool(server.Url());
    pool.session.password = R"(q"uo\te)"; // on the wire: "q\"uo\\te"
    auto cfg = FastConfig({pool});
    cfg.protocol_dump = true;
    ClientHarness h(cfg);
    ASSERT_TRUE(h.WaitForLog("mining.authorize")) << h.Log();
    const std::string log = h.Log();
    EXPECT_EQ(log.find(R"(q\"uo\\te)"), std::string::npos) << log;
    EXPECT_EQ(log.find(R"(q"uo\te)"), std::string::npos) << log;
    EXPECT_NE(log.find(R"(["tester","***"])"), std::string::npos) << log;
}

// --- retries ----------------------------------------------------------------------------------

TEST(Transport, RefusedPortWithTwoRetriesEndsRunAndSaysWhy) {
    const uint16_t dead = DeadPort();
    auto cfg = FastConfig({Pool("stratum+tcp://127.0.0.1:" + std::to_string(dead))});
    cfg.reconnect.max_retries = 2;
    cfg.reconnect.retry_pause = 50ms;
    const auto start = std::chrono::steady_clock::now();
    ClientHarness h(cfg);
    ASSERT_TRUE(h.WaitFor([&] { return h.RunEnded(); }, 3s)) << h.Log();
    EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
    const PoolStatus st = h.Client().Status();
    EXPECT_TRUE(st.gave_up);
    EXPECT_NE(st.last_error.find("giving up after 3 failed connection attempts in a row "
                                 "(retries: 2); last: cannot connect to stratum+tcp://127.0.0.1:" +
                                 std::to_string(dead)),
              std::string::npos)
        << st.last_error;
    const std::string log = h.Log();
    EXPECT_NE(log.find("giving up after 3 failed"), std::string::npos) << log;
    // Two waits of the fixed pause, between the three attempts.
    std::size_t waits = 0;
    for (auto at = log.find("reconnecting to"); at != std::string::npos;
         at = log.find("reconnecting to", at + 1)) {
        ++waits;
    }
    EXPECT_EQ(waits, 2u) << log;
}

TEST(Transport, StoppedClientHasNotGivenUp) {
    const uint16_t dead = DeadPort();
    auto cfg = FastConfig({Pool("stratum+tcp://127.0.0.1:" + std::to_string(dead))});
    cfg.reconnect.retry_pause = 50ms;
    auto h = std::make_unique<ClientHarness>(cfg);
    EXPECT_TRUE(h->WaitForLog("reconnecting")) << h->Log();
    h->Client().Stop();
    EXPECT_TRUE(h->WaitFor([&] { return h->RunEnded(); }, 3s));
    EXPECT_FALSE(h->Client().Status().gave_up);
}

// Shares fed straight to the client (not mined: the in-tree pool answers each with 23 "Low
// difficulty share", a non-stale reject). Six go out at once with a storm threshold of three:
// the third reject ends the session, and the shares still in flight are not dropped.
TEST(Transport, RejectStormEndsTheSessionAndSharesInFlightStillGetOneVerdictEach) {
    PoolServer server(ServerConfig());
    ASSERT_TRUE(server.Start());
    auto cfg = FastConfig({Pool(server.Url())});
    cfg.reject_storm = 3;
    cfg.protocol_dump = true; // to see what the second mining.subscribe carries
    ClientHarness h(cfg);
    ASSERT_TRUE(h.WaitForJob()) << h.Log();
    ASSERT_TRUE(h.WaitFor([&] { return h.Client().Status().state == SessionState::Ready; }));
    const auto job = h.FirstJob();
    std::vector<core::Hash256> hashes;
    for (uint32_t i = 0; i < 6; ++i) {
        core::Share s;
        s.job = job;
        s.extranonce2.assign(job->extranonce2_size, uint8_t(i));
        s.ntime = job->ntime;
        s.nonce = i;
        s.version = job->version;
        s.hash.bytes.fill(uint8_t(0x10 + i));
        hashes.push_back(s.hash);
        h.Client().Submit(std::move(s));
    }
    ASSERT_TRUE(h.WaitForVerdicts(6)) << h.Log();
    ASSERT_TRUE(h.WaitFor([&] { return server.Counters().subscribed >= 2; })) << h.Log();
    const auto verdicts = h.Verdicts();
    EXPECT_EQ(verdicts.size(), 6u);
    std::size_t rejected = 0;
    for (const auto& v : verdicts) {
        EXPECT_NE(v.kind, VerdictKind::Accepted);
        if (v.kind == VerdictKind::Rejected) {
            ++rejected;
            EXPECT_EQ(v.reason, "Low difficulty share (code 23)");
        } else if (v.kind == VerdictKind::Lost) {
            EXPECT_NE(v.reason.find("reject storm"), std::string::npos) << v.reason;
        }
    }
    EXPECT_EQ(rejected, 3u) << "the storm ended the session at the third reject";
    const std::string log = h.Log();
    EXPECT_NE(log.find("reject storm on " + server.Url() +
                       ": 3 verified shares rejected with no accepted share between (Low "
                       "difficulty share (code 23) x3); last rejected share hash " +
                       hashes[2].ToDisplayHex() + "; reconnecting with a fresh session"),
              std::string::npos)
        << log;
    EXPECT_EQ(h.Client().Status().reject_storms, 1u);
    // A fresh session: the second subscribe offers no session id to resume (params: the user
    // agent only), although the first session got one.
    std::vector<nlohmann::json> subscribes;
    std::istringstream lines(log);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("pool> ", 0) == 0) {
            auto json = nlohmann::json::parse(line.substr(6), nullptr, false);
            if (json.is_object() && json.value("method", "") == "mining.subscribe") {
                subscribes.push_back(json["params"]);
            }
        }
    }
    ASSERT_EQ(subscribes.size(), 2u) << log;
    EXPECT_EQ(subscribes[1].size(), 1u) << subscribes[1].dump();
    EXPECT_NE(log.find("subscribed: extranonce1"), std::string::npos);
}
