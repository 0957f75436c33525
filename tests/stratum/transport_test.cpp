// The Stratum client transport over loopback: handshake and jobs against the in-tree pool over
// TCP and TLS (a CA, a wrong-host certificate and a pinned fingerprint, all made at test time),
// failover to a backup and return to the primary, and pools that misbehave in one exact way
// (an oversized line, silence, a redirect to another host). Every wait is bounded.
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "nonceforge/stratum/client.hpp"
#include "nonceforge/stratum/pool_server.hpp"
#include "support/client_harness.hpp"
#include "support/scripted_server.hpp"
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
    EXPECT_TRUE(h.Jobs().empty());
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
        std::this_thread::sleep_for(100ms);
    } // the destructor calls Stop and joins
    EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}
