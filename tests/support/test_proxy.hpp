// A tiny SOCKS5 (RFC 1928/1929) or HTTP CONNECT proxy on 127.0.0.1 for transport tests. It
// records what each client asked for (the address type and host name, the port, the
// credentials, the HTTP request head) and tunnels to 127.0.0.1 at the requested port whatever
// host name was asked for, so a name that does not resolve here (*.invalid) still reaches the
// in-tree pool: proof that the client let the proxy resolve it. It can also refuse, with a
// SOCKS5 reply code or an HTTP status. Blocking sockets, one thread per connection; handshake
// reads time out after 2 s, and the destructor shuts every socket down and joins.
#pragma once

#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

namespace nonceforge::test {

class TestProxy {
public:
    using Socket = boost::asio::ip::tcp::socket;
    enum class Kind { Socks5, Http };
    struct Options {
        Kind kind = Kind::Socks5;
        std::optional<std::string> user, password; // required when set
        std::optional<uint8_t> socks_reply;        // refuse the CONNECT with this reply code
        std::optional<int> http_status;            // refuse the CONNECT with this status
    };
    struct Request {
        std::vector<uint8_t> methods; // SOCKS5 authentication methods offered
        uint8_t atyp = 0;             // SOCKS5 address type: 1 IPv4, 3 domain name, 4 IPv6
        std::string host;             // as sent: the domain name, or the address as text
        uint16_t port = 0;
        std::string user, password; // RFC 1929 sub-negotiation
        std::string http_head;      // the CONNECT request up to the blank line
    };

    explicit TestProxy(Options options)
        : m_options(std::move(options))
        , m_acceptor(m_io, {boost::asio::ip::make_address("127.0.0.1"), 0}) {
        m_port = m_acceptor.local_endpoint().port();
        m_accept_thread = std::thread([this] { AcceptLoop(); });
    }
    ~TestProxy() {
        m_stop = true;
        boost::system::error_code ignored;
        Socket wake(m_io); // a blocking accept is not woken by close(): connect once
        wake.connect({boost::asio::ip::make_address("127.0.0.1"), m_port}, ignored);
        m_accept_thread.join();
        {
            std::lock_guard l(m_mutex);
            for (auto& s : m_sockets) {
                ::shutdown(s->native_handle(), SHUT_RDWR);
            }
        }
        for (auto& t : m_threads) {
            t.join();
        }
    }
    TestProxy(const TestProxy&) = delete;
    TestProxy& operator=(const TestProxy&) = delete;

    uint16_t Port() const { return m_port; }
    std::vector<Request> Requests() {
        std::lock_guard l(m_mutex);
        return m_requests;
    }

private:
    std::shared_ptr<Socket> Track(Socket s) {
        auto p = std::make_shared<Socket>(std::move(s));
        std::lock_guard l(m_mutex);
        m_sockets.push_back(p);
        return p;
    }

    void AcceptLoop() {
        while (!m_stop) {
            Socket socket(m_io);
            boost::system::error_code ec;
            m_acceptor.accept(socket, ec);
            if (ec || m_stop) {
                return;
            }
            timeval tv{2, 0};
            ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
            auto client = Track(std::move(socket));
            std::lock_guard l(m_mutex);
            m_threads.emplace_back([this, client] { Serve(*client); });
        }
    }

    static bool Read(Socket& s, void* data, std::size_t n) {
        boost::system::error_code ec;
        boost::asio::read(s, boost::asio::buffer(data, n), ec);
        return !ec;
    }
    static void Write(Socket& s, const std::string& bytes) {
        boost::system::error_code ignored;
        boost::asio::write(s, boost::asio::buffer(bytes), ignored);
    }
    static std::string Bytes(std::initializer_list<int> v) {
        std::string out;
        for (int b : v) {
            out.push_back(char(b));
        }
        return out;
    }

    void Record(const Request& r) {
        std::lock_guard l(m_mutex);
        m_requests.push_back(r);
    }

    void Serve(Socket& client) {
        Request r;
        const bool ok =
            m_options.kind == Kind::Socks5 ? Socks5Handshake(client, r) : HttpHandshake(client, r);
        Record(r);
        if (!ok) {
            ::shutdown(client.native_handle(), SHUT_RDWR);
            return;
        }
        Socket target_socket(m_io);
        boost::system::error_code ec;
        target_socket.connect({boost::asio::ip::make_address("127.0.0.1"), r.port}, ec);
        if (ec) {
            Write(client, m_options.kind == Kind::Socks5 ? Bytes({5, 5, 0, 1, 0, 0, 0, 0, 0, 0})
                                                         : "HTTP/1.1 502 Bad Gateway\r\n\r\n");
            ::shutdown(client.native_handle(), SHUT_RDWR);
            return;
        }
        auto target = Track(std::move(target_socket));
        Write(client, m_options.kind == Kind::Socks5
                          ? Bytes({5, 0, 0, 1, 127, 0, 0, 1, r.port >> 8, r.port & 0xff})
                          : "HTTP/1.1 200 Connection established\r\nVia: test\r\n\r\n");
        timeval none{0, 0}; // the tunnel may be quiet for long: no read timeout in it
        ::setsockopt(client.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &none, sizeof none);
        std::thread back([&client, target] { Pump(*target, client); });
        Pump(client, *target);
        back.join();
    }

    // Copies until either side ends, then ends both.
    static void Pump(Socket& from, Socket& to) {
        std::array<char, 4096> buf;
        for (;;) {
            boost::system::error_code ec;
            const std::size_t n = from.read_some(boost::asio::buffer(buf), ec);
            if (ec) {
                break;
            }
            boost::asio::write(to, boost::asio::buffer(buf.data(), n), ec);
            if (ec) {
                break;
            }
        }
        ::shutdown(from.native_handle(), SHUT_RDWR);
        ::shutdown(to.native_handle(), SHUT_RDWR);
    }

    bool Socks5Handshake(Socket& s, Request& r) {
        uint8_t head[2];
        if (!Read(s, head, 2) || head[0] != 5) {
            return false;
        }
        r.methods.resize(head[1]);
        if (!Read(s, r.methods.data(), r.methods.size())) {
            return false;
        }
        const uint8_t want = m_options.user ? 2 : 0;
        if (std::find(r.methods.begin(), r.methods.end(), want) == r.methods.end()) {
            Write(s, Bytes({5, 0xff}));
            return false;
        }
        Write(s, Bytes({5, want}));
        if (want == 2) {
            uint8_t ver_len[2];
            if (!Read(s, ver_len, 2)) {
                return false;
            }
            r.user.resize(ver_len[1]);
            uint8_t plen = 0;
            if (!Read(s, r.user.data(), r.user.size()) || !Read(s, &plen, 1)) {
                return false;
            }
            r.password.resize(plen);
            if (!Read(s, r.password.data(), r.password.size())) {
                return false;
            }
            const bool good = r.user == *m_options.user && r.password == m_options.password;
            Write(s, Bytes({1, good ? 0 : 1}));
            if (!good) {
                return false;
            }
        }
        uint8_t req[4];
        if (!Read(s, req, 4) || req[0] != 5 || req[1] != 1) {
            return false;
        }
        r.atyp = req[3];
        if (r.atyp == 3) {
            uint8_t len = 0;
            if (!Read(s, &len, 1)) {
                return false;
            }
            r.host.resize(len);
            if (!Read(s, r.host.data(), len)) {
                return false;
            }
        } else {
            std::vector<uint8_t> addr(r.atyp == 1 ? 4 : 16);
            if (!Read(s, addr.data(), addr.size())) {
                return false;
            }
            if (r.atyp == 1) {
                boost::asio::ip::address_v4::bytes_type b;
                std::copy(addr.begin(), addr.end(), b.begin());
                r.host = boost::asio::ip::address_v4(b).to_string();
            } else {
                boost::asio::ip::address_v6::bytes_type b;
                std::copy(addr.begin(), addr.end(), b.begin());
                r.host = boost::asio::ip::address_v6(b).to_string();
            }
        }
        uint8_t port[2];
        if (!Read(s, port, 2)) {
            return false;
        }
        r.port = uint16_t(port[0] << 8 | port[1]);
        if (m_options.socks_reply) {
            Write(s, Bytes({5, *m_options.socks_reply, 0, 1, 0, 0, 0, 0, 0, 0}));
            return false;
        }
        return true;
    }

    bool HttpHandshake(Socket& s, Request& r) {
        boost::system::error_code ec;
        const std::size_t n =
            boost::asio::read_until(s, boost::asio::dynamic_buffer(r.http_head), "\r\n\r\n", ec);
        if (ec) {
            return false;
        }
        r.http_head.resize(n); // the client sends nothing more before the reply
        // "CONNECT host:port HTTP/1.1"
        const auto sp1 = r.http_head.find(' ');
        const auto sp2 = r.http_head.find(' ', sp1 + 1);
        const std::string target = r.http_head.substr(sp1 + 1, sp2 - sp1 - 1);
        const auto colon = target.rfind(':');
        r.host = target.substr(0, colon);
        r.port = uint16_t(std::stoi(target.substr(colon + 1)));
        if (m_options.http_status) {
            Write(s, "HTTP/1.1 " + std::to_string(*m_options.http_status) + " Refused\r\n\r\n");
            return false;
        }
        if (m_options.user &&
            r.http_head.find("Proxy-Authorization: Basic ") == std::string::npos) {
            Write(s, "HTTP/1.1 407 Proxy Authentication Required\r\n"
                     "Proxy-Authenticate: Basic realm=\"test\"\r\n\r\n");
            return false;
        }
        return true;
    }

    Options m_options;
    boost::asio::io_context m_io;
    boost::asio::ip::tcp::acceptor m_acceptor;
    uint16_t m_port = 0;
    std::atomic<bool> m_stop{false};
    std::thread m_accept_thread;
    std::mutex m_mutex;
    std::vector<std::shared_ptr<Socket>> m_sockets;
    std::vector<std::thread> m_threads;
    std::vector<Request> m_requests;
};

} // namespace nonceforge::test
