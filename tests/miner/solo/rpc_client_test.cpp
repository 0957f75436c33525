// The node client's parts without sockets: the URL, the credentials (cookie files), the request
// body and the classification of every kind of reply Bitcoin Core (or something else) gives.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include "miner/solo/rpc_client.hpp"

namespace nonceforge::miner::solo {
namespace {

namespace fs = std::filesystem;

class TempDir {
public:
    TempDir() {
        m_path = fs::temp_directory_path() /
                 ("nf_rpc_test_" + std::to_string(::getpid()) + "_" + std::to_string(s_count++));
        fs::create_directories(m_path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    const fs::path& path() const { return m_path; }
    fs::path Write(const fs::path& rel, const std::string& text) const {
        const fs::path p = m_path / rel;
        fs::create_directories(p.parent_path());
        std::ofstream(p) << text;
        return p;
    }

private:
    static inline int s_count = 0;
    fs::path m_path;
};

TEST(NodeUrl, PlainHostAndPort) {
    auto u = ParseNodeUrl("http://127.0.0.1:18443");
    ASSERT_TRUE(u) << u.error();
    EXPECT_EQ(u->host, "127.0.0.1");
    EXPECT_EQ(u->port, 18443);
    EXPECT_FALSE(u->user);
    EXPECT_FALSE(u->password);
    EXPECT_EQ(u->ToString(), "http://127.0.0.1:18443");
}

TEST(NodeUrl, DefaultPortIsMainnetsAndTrailingSlashIsFine) {
    auto u = ParseNodeUrl("HTTP://node.lan/");
    ASSERT_TRUE(u) << u.error();
    EXPECT_EQ(u->host, "node.lan");
    EXPECT_EQ(u->port, 8332);
}

TEST(NodeUrl, CredentialsAreTakenButNeverShown) {
    auto u = ParseNodeUrl("http://alice:s3cr:et@127.0.0.1:8332");
    ASSERT_TRUE(u) << u.error();
    EXPECT_EQ(*u->user, "alice");
    EXPECT_EQ(*u->password, "s3cr:et"); // only the first ':' separates
    EXPECT_EQ(u->ToString().find("s3cr"), std::string::npos);
    EXPECT_EQ(u->ToString().find("alice"), std::string::npos);
}

TEST(NodeUrl, Ipv6InBrackets) {
    auto u = ParseNodeUrl("http://[::1]:18443");
    ASSERT_TRUE(u) << u.error();
    EXPECT_EQ(u->host, "::1");
    EXPECT_EQ(u->port, 18443);
    EXPECT_EQ(u->ToString(), "http://[::1]:18443");
}

TEST(NodeUrl, BadUrlsSayWhy) {
    struct Case {
        const char* text;
        const char* needle;
    };
    for (const Case& c : {Case{"https://127.0.0.1:8332", "plain HTTP"},
                          Case{"stratum+tcp://127.0.0.1:3333", "http://"},
                          Case{"http://:8332", "no host"}, Case{"http://h:0", "bad port"},
                          Case{"http://h:70000", "bad port"}, Case{"http://h:12x", "bad port"},
                          Case{"http://h:", "empty port"}, Case{"http://h:1/wallet/x", "path"},
                          Case{"http://@h:1", "empty user"}, Case{"http://[::1:1", "unclosed"}}) {
        auto u = ParseNodeUrl(c.text);
        ASSERT_FALSE(u) << c.text;
        EXPECT_NE(u.error().find(c.needle), std::string::npos) << c.text << ": " << u.error();
    }
}

TEST(NodeUrl, IsNodeUrlTellsNodesFromPools) {
    EXPECT_TRUE(IsNodeUrl("http://127.0.0.1:8332"));
    EXPECT_TRUE(IsNodeUrl("HTTP://x"));
    EXPECT_FALSE(IsNodeUrl("stratum+tcp://pool:3333"));
    EXPECT_FALSE(IsNodeUrl("pool.example:3333"));
}

TEST(Cookie, PathsPerChainFollowBitcoinCore) {
    const fs::path d = "/home/u/.bitcoin";
    EXPECT_EQ(CookiePath(d, Chain::Main), d / ".cookie");
    EXPECT_EQ(CookiePath(d, Chain::Test), d / "testnet3" / ".cookie");
    EXPECT_EQ(CookiePath(d, Chain::Testnet4), d / "testnet4" / ".cookie");
    EXPECT_EQ(CookiePath(d, Chain::Signet), d / "signet" / ".cookie");
    EXPECT_EQ(CookiePath(d, Chain::Regtest), d / "regtest" / ".cookie");
    EXPECT_EQ(ChainOfDefaultPort(8332), Chain::Main);
    EXPECT_EQ(ChainOfDefaultPort(18443), Chain::Regtest);
    EXPECT_EQ(ChainOfDefaultPort(48332), Chain::Testnet4);
    EXPECT_FALSE(ChainOfDefaultPort(18743));
}

TEST(Cookie, ReadsUserAndPassword) {
    TempDir t;
    auto c = ReadCookie(t.Write(".cookie", "__cookie__:abc123:x\n"));
    ASSERT_TRUE(c) << c.error();
    EXPECT_EQ(c->user, "__cookie__");
    EXPECT_EQ(c->password, "abc123:x");
}

TEST(Cookie, BadFilesNameTheFileNotTheContent) {
    TempDir t;
    auto missing = ReadCookie(t.path() / "nope");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().find("nope"), std::string::npos);
    auto no_colon = ReadCookie(t.Write("bad", "secretvalue\n"));
    ASSERT_FALSE(no_colon);
    EXPECT_EQ(no_colon.error().find("secretvalue"), std::string::npos);
    auto big = ReadCookie(t.Write("big", std::string(5000, 'a')));
    ASSERT_FALSE(big);
    EXPECT_NE(big.error().find("4 KiB"), std::string::npos);
}

TEST(Credentials, UserAndPasswordWinOverCookies) {
    TempDir t;
    t.Write(".cookie", "__cookie__:c");
    CredentialSource s;
    s.user = "rpcuser";
    s.password = "rpcpass";
    s.datadir = t.path();
    auto c = s.Resolve();
    ASSERT_TRUE(c);
    EXPECT_EQ(c->user, "rpcuser");
    EXPECT_EQ(c->password, "rpcpass");
    EXPECT_EQ(s.Describe().find("rpcpass"), std::string::npos);
}

TEST(Credentials, DefaultCookieOfThePortsChainFirst) {
    TempDir t;
    t.Write(".cookie", "__cookie__:main");
    t.Write("regtest/.cookie", "__cookie__:regtest");
    CredentialSource s;
    s.datadir = t.path();
    s.port = 18443;
    auto c = s.Resolve();
    ASSERT_TRUE(c);
    EXPECT_EQ(c->password, "regtest");
    s.port = 8332;
    EXPECT_EQ(s.Resolve()->password, "main");
    s.port = 18743; // no usual chain: the first cookie that exists, mainnet's first
    EXPECT_EQ(s.Resolve()->password, "main");
}

TEST(Credentials, NoCookieAnywhereIsAClearError) {
    TempDir t;
    CredentialSource s;
    s.datadir = t.path();
    s.port = 18443;
    auto c = s.Resolve();
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().find("--rpc-cookie"), std::string::npos);
    EXPECT_NE(c.error().find("regtest"), std::string::npos) << c.error();
}

TEST(Credentials, TheCookieIsReadAgainEachTime) {
    TempDir t;
    const fs::path cookie = t.Write("c", "__cookie__:one");
    CredentialSource s;
    s.cookie_file = cookie;
    EXPECT_EQ(s.Resolve()->password, "one");
    t.Write("c", "__cookie__:two"); // the node restarted
    EXPECT_EQ(s.Resolve()->password, "two");
}

TEST(Request, IsJsonRpc10WithMethodParamsAndId) {
    const auto body =
        nlohmann::json::parse(MakeRequestBody("getblocktemplate", {{{"rules", {"segwit"}}}}, 7));
    EXPECT_EQ(body["jsonrpc"], "1.0");
    EXPECT_EQ(body["method"], "getblocktemplate");
    EXPECT_EQ(body["id"], 7);
    EXPECT_EQ(body["params"][0]["rules"][0], "segwit");
}

TEST(ClassifyReply, ResultOfJsonRpc10And20) {
    auto v1 = ClassifyReply(200, R"({"result":{"chain":"regtest"},"error":null,"id":1})");
    ASSERT_TRUE(v1);
    EXPECT_EQ((*v1)["chain"], "regtest");
    auto v2 = ClassifyReply(200, R"({"jsonrpc":"2.0","result":null,"id":1})");
    ASSERT_TRUE(v2); // submitblock's null: accepted
    EXPECT_TRUE(v2->is_null());
    auto s = ClassifyReply(200, R"({"result":"high-hash","error":null,"id":1})");
    ASSERT_TRUE(s);
    EXPECT_EQ(*s, "high-hash");
}

TEST(ClassifyReply, RpcErrorsIn10AsHttp500And404AndIn20AsHttp200) {
    struct Case {
        unsigned status;
        const char* body;
        int code;
        const char* message;
    };
    for (
        const Case& c :
        {Case{500,
              R"({"result":null,"error":{"code":-28,"message":"Loading block index..."},"id":1})",
              -28, "Loading block index..."},
         Case{500, R"({"result":null,"error":{"code":-8,"message":"Invalid mode"},"id":1})", -8,
              "Invalid mode"},
         Case{404, R"({"result":null,"error":{"code":-32601,"message":"Method not found"},"id":1})",
              -32601, "Method not found"},
         Case{
             200,
             R"({"jsonrpc":"2.0","error":{"code":-10,"message":"Bitcoin Core is in initial sync"},"id":1})",
             -10, "Bitcoin Core is in initial sync"}}) {
        auto r = ClassifyReply(c.status, c.body);
        ASSERT_FALSE(r) << c.body;
        EXPECT_EQ(r.error().kind, RpcErrorKind::Rpc);
        EXPECT_EQ(r.error().code, c.code);
        EXPECT_EQ(r.error().message, c.message);
        EXPECT_EQ(r.error().http_status, int(c.status));
    }
}

TEST(ClassifyReply, WarmupAndIbdAreTransientCredentialsAreNot) {
    EXPECT_TRUE(ClassifyReply(500, R"({"error":{"code":-28,"message":"x"}})").error().Transient());
    EXPECT_TRUE(ClassifyReply(500, R"({"error":{"code":-10,"message":"x"}})").error().Transient());
    EXPECT_FALSE(ClassifyReply(500, R"({"error":{"code":-8,"message":"x"}})").error().Transient());
    EXPECT_FALSE(ClassifyReply(401, "").error().Transient());
    EXPECT_FALSE(ClassifyReply(403, "").error().Transient());
    EXPECT_TRUE(ClassifyReply(503, "busy").error().Transient());
    const std::string d =
        ClassifyReply(404, R"({"error":{"code":-32601,"message":"Method not found"}})")
            .error()
            .Describe();
    EXPECT_NE(d.find("-32601"), std::string::npos);
    EXPECT_NE(d.find("method not found"), std::string::npos);
}

TEST(ClassifyReply, HttpStatusesWithoutJsonRpcBody) {
    auto unauthorized = ClassifyReply(401, "");
    ASSERT_FALSE(unauthorized);
    EXPECT_EQ(unauthorized.error().kind, RpcErrorKind::Unauthorized);
    EXPECT_NE(unauthorized.error().Describe().find("HTTP 401"), std::string::npos);
    auto forbidden = ClassifyReply(403, "");
    EXPECT_EQ(forbidden.error().kind, RpcErrorKind::Forbidden);
    EXPECT_NE(forbidden.error().Describe().find("rpcallowip"), std::string::npos);
    EXPECT_EQ(ClassifyReply(404, "<html>not found</html>").error().kind, RpcErrorKind::NotFound);
    auto other = ClassifyReply(502, "Bad Gateway");
    EXPECT_EQ(other.error().kind, RpcErrorKind::HttpStatus);
    EXPECT_EQ(other.error().http_status, 502);
    EXPECT_NE(other.error().Describe().find("Bad Gateway"), std::string::npos);
}

TEST(ClassifyReply, BodiesThatAreNotJsonRpc) {
    EXPECT_EQ(ClassifyReply(200, "hello").error().kind, RpcErrorKind::NotJson);
    EXPECT_EQ(ClassifyReply(200, "").error().kind, RpcErrorKind::NotJson);
    EXPECT_EQ(ClassifyReply(200, "[1,2]").error().kind, RpcErrorKind::NotJson);
    EXPECT_EQ(ClassifyReply(200, R"({"id":1})").error().kind, RpcErrorKind::NotJson);
    // A long body is cut in the message.
    auto r = ClassifyReply(200, std::string(10000, 'x'));
    EXPECT_LT(r.error().message.size(), 200u);
    // An error that is not an object keeps its text.
    auto e = ClassifyReply(500, R"({"result":null,"error":"boom"})");
    EXPECT_EQ(e.error().kind, RpcErrorKind::Rpc);
    EXPECT_NE(e.error().message.find("boom"), std::string::npos);
}

// The client on a socket: a tiny HTTP server that answers each request with `replies` in
// turn, closing the connection after `close_after` replies (keep-alive, then the node's close).
class TinyServer {
public:
    TinyServer(std::vector<std::string> replies, int close_after)
        : m_acceptor(m_ioc, {boost::asio::ip::make_address("127.0.0.1"), 0})
        , m_replies(std::move(replies))
        , m_close_after(close_after) {
        m_thread = std::thread([this] { Serve(); });
    }
    ~TinyServer() {
        m_stop = true;
        boost::system::error_code ec;
        m_acceptor.close(ec);
        m_thread.join();
    }
    uint16_t Port() const { return m_acceptor.local_endpoint().port(); }
    int Connections() const { return m_connections; }
    std::vector<std::string> Requests() const {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }

private:
    void Serve() {
        std::size_t next = 0;
        while (!m_stop && next < m_replies.size()) {
            boost::asio::ip::tcp::socket s(m_ioc);
            boost::system::error_code ec;
            m_acceptor.accept(s, ec);
            if (ec) {
                return;
            }
            ++m_connections;
            for (int n = 0; n < m_close_after && next < m_replies.size(); ++n) {
                boost::asio::streambuf buf;
                const std::size_t head = boost::asio::read_until(s, buf, "\r\n\r\n", ec);
                if (ec) {
                    break;
                }
                std::string text(boost::asio::buffers_begin(buf.data()),
                                 boost::asio::buffers_end(buf.data()));
                const auto cl = text.find("Content-Length: ");
                const std::size_t length = std::stoul(text.substr(cl + 16));
                const std::size_t have = buf.size() - head;
                if (have < length) {
                    boost::asio::read(s, buf, boost::asio::transfer_exactly(length - have), ec);
                }
                {
                    std::lock_guard lock(m_mutex);
                    m_requests.emplace_back(boost::asio::buffers_begin(buf.data()),
                                            boost::asio::buffers_end(buf.data()));
                }
                boost::asio::write(s, boost::asio::buffer(m_replies[next++]), ec);
            }
        }
    }

    boost::asio::io_context m_ioc;
    boost::asio::ip::tcp::acceptor m_acceptor;
    std::vector<std::string> m_replies;
    int m_close_after;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_connections{0};
    mutable std::mutex m_mutex;
    std::vector<std::string> m_requests;
    std::thread m_thread;
};

std::string HttpReply(unsigned status, const std::string& body) {
    return "HTTP/1.1 " + std::to_string(status) +
           " X\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::vector<RpcResult<nlohmann::json>> CallsOn(uint16_t port, int calls,
                                               std::chrono::milliseconds timeout,
                                               std::size_t body_limit = MAX_REPLY_BYTES) {
    boost::asio::io_context ioc;
    RpcClient::Config cfg;
    cfg.url.host = "127.0.0.1";
    cfg.url.port = port;
    cfg.credentials.user = "u";
    cfg.credentials.password = "secret-pass";
    cfg.body_limit = body_limit;
    RpcClient client(ioc.get_executor(), cfg);
    std::vector<RpcResult<nlohmann::json>> out;
    boost::asio::co_spawn(
        ioc,
        [&]() -> boost::asio::awaitable<void> {
            for (int i = 0; i < calls; ++i) {
                out.push_back(
                    co_await client.Call("getbestblockhash", nlohmann::json::array(), timeout));
            }
        },
        [](std::exception_ptr e) {
            if (e) {
                std::rethrow_exception(e);
            }
        });
    ioc.run();
    return out;
}

TEST(RpcClient, KeepAliveReusesTheConnectionAndReopensWhenClosed) {
    const std::string ok = HttpReply(200, R"({"result":"00ff","error":null,"id":1})");
    TinyServer server({ok, ok, ok, ok}, 2); // closes after two replies on a connection
    auto r = CallsOn(server.Port(), 4, std::chrono::seconds(5));
    ASSERT_EQ(r.size(), 4u);
    for (const auto& x : r) {
        ASSERT_TRUE(x) << x.error().Describe();
        EXPECT_EQ(*x, "00ff");
    }
    EXPECT_EQ(server.Connections(), 2);
    const auto requests = server.Requests();
    ASSERT_EQ(requests.size(), 4u);
    // Basic auth of u:secret-pass.
    EXPECT_NE(requests[0].find("Authorization: Basic dTpzZWNyZXQtcGFzcw=="), std::string::npos)
        << requests[0];
}

TEST(RpcClient, RefusedConnectionIsItsOwnKind) {
    uint16_t port = 0;
    {
        boost::asio::io_context ioc;
        boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
        port = a.local_endpoint().port();
    } // closed: nothing listens there now
    auto r = CallsOn(port, 1, std::chrono::seconds(5));
    ASSERT_FALSE(r[0]);
    EXPECT_EQ(r[0].error().kind, RpcErrorKind::ConnectionRefused);
    EXPECT_TRUE(r[0].error().Transient());
}

TEST(RpcClient, ANodeThatNeverAnswersTimesOut) {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    const auto t0 = std::chrono::steady_clock::now();
    auto r = CallsOn(a.local_endpoint().port(), 1, std::chrono::milliseconds(300));
    ASSERT_FALSE(r[0]);
    EXPECT_EQ(r[0].error().kind, RpcErrorKind::Timeout);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));
}

TEST(RpcClient, ABodyOverTheLimitIsRefused) {
    const std::string big = R"({"result":")" + std::string(5000, 'a') + R"(","error":null})";
    TinyServer server({HttpReply(200, big)}, 1);
    auto r = CallsOn(server.Port(), 1, std::chrono::seconds(5), 1000);
    ASSERT_FALSE(r[0]);
    EXPECT_EQ(r[0].error().kind, RpcErrorKind::TooLarge);
}

TEST(RpcClient, Http401ComesBackAsUnauthorized) {
    TinyServer server({HttpReply(401, "")}, 1);
    auto r = CallsOn(server.Port(), 1, std::chrono::seconds(5));
    ASSERT_FALSE(r[0]);
    EXPECT_EQ(r[0].error().kind, RpcErrorKind::Unauthorized);
    EXPECT_EQ(r[0].error().Describe().find("secret-pass"), std::string::npos);
}

} // namespace
} // namespace nonceforge::miner::solo
