#include "nonceforge/stratum/proxy.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <vector>

#include <openssl/evp.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "nonceforge/stratum/pool_url.hpp"
#include "proxy_handshake.hpp"

namespace nonceforge::stratum {

namespace asio = boost::asio;
using asio::awaitable;
using asio::ip::tcp;
using core::MakeUnexpected;

namespace {

constexpr std::size_t MAX_URL_LENGTH = 2048;
constexpr std::size_t MAX_SOCKS_FIELD = 255;      // RFC 1928 domain name, RFC 1929 user, password
constexpr std::size_t MAX_HTTP_REPLY_HEAD = 8192; // status line and headers of a CONNECT reply
constexpr auto AS_TUPLE = asio::as_tuple(asio::use_awaitable);

bool ValidHostChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_';
}

int HexValue(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = char(std::tolower(static_cast<unsigned char>(c)));
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

std::optional<std::string> PercentDecode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out.push_back(text[i]);
            continue;
        }
        if (i + 2 >= text.size()) {
            return std::nullopt;
        }
        const int hi = HexValue(text[i + 1]), lo = HexValue(text[i + 2]);
        if (hi < 0 || lo < 0) {
            return std::nullopt;
        }
        out.push_back(char(hi * 16 + lo));
        i += 2;
    }
    return out;
}

std::string Base64(std::string_view text) {
    std::string out(4 * ((text.size() + 2) / 3) + 1, '\0');
    const int n =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                        reinterpret_cast<const unsigned char*>(text.data()), int(text.size()));
    out.resize(std::size_t(n));
    return out;
}

std::string Hex2(unsigned v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02x", v & 0xffu);
    return buf;
}

// RFC 1928 section 6.
std::string SocksReplyText(uint8_t rep) {
    static constexpr std::array<const char*, 9> TEXT = {
        "succeeded",
        "general SOCKS server failure",
        "connection not allowed by the proxy's rules",
        "network unreachable",
        "host unreachable",
        "connection refused by the destination",
        "TTL expired",
        "command not supported",
        "address type not supported",
    };
    return "SOCKS5 reply " + Hex2(rep) + ": " + (rep < TEXT.size() ? TEXT[rep] : "unknown error");
}

// Text from the proxy for a log line: printable ASCII only, at most `max` characters.
std::string Printable(std::string_view text, std::size_t max) {
    std::string out;
    for (char c : text.substr(0, max)) {
        out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return out;
}

std::string IoText(const boost::system::error_code& ec) {
    return ec == asio::error::eof ? "the proxy closed the connection" : ec.message();
}

awaitable<std::optional<std::string>> Socks5(tcp::socket& s, const ProxyConfig& proxy,
                                             const std::string& host, uint16_t port) {
    const bool auth = proxy.user.has_value();
    // Greeting: version 5, then the methods we offer: 0x00 no authentication, 0x02 username
    // and password. Offering 0x00 along with 0x02 would let a proxy skip the credentials the
    // user gave, so with credentials only 0x02 is offered.
    std::vector<uint8_t> greeting =
        auth ? std::vector<uint8_t>{0x05, 0x01, 0x02} : std::vector<uint8_t>{0x05, 0x01, 0x00};
    if (auto [ec, n] = co_await asio::async_write(s, asio::buffer(greeting), AS_TUPLE); ec) {
        co_return "sending the SOCKS5 greeting failed: " + IoText(ec);
    }
    std::array<uint8_t, 2> choice{};
    if (auto [ec, n] = co_await asio::async_read(s, asio::buffer(choice), AS_TUPLE); ec) {
        co_return "no SOCKS5 greeting reply: " + IoText(ec);
    }
    if (choice[0] != 0x05) {
        co_return "not a SOCKS5 proxy (version byte " + Hex2(choice[0]) + ")";
    }
    if (choice[1] == 0xff) {
        co_return auth ? "the proxy does not accept username/password authentication"
                       : "the proxy requires authentication: give socks5://user:pass@host:port";
    }
    if (choice[1] == 0x02 && auth) {
        // RFC 1929: version 1, ulen, user, plen, password.
        const std::string& user = *proxy.user;
        const std::string pass = proxy.password.value_or("");
        std::vector<uint8_t> msg{0x01, uint8_t(user.size())};
        msg.insert(msg.end(), user.begin(), user.end());
        msg.push_back(uint8_t(pass.size()));
        msg.insert(msg.end(), pass.begin(), pass.end());
        if (auto [ec, n] = co_await asio::async_write(s, asio::buffer(msg), AS_TUPLE); ec) {
            co_return "sending the SOCKS5 credentials failed: " + IoText(ec);
        }
        std::array<uint8_t, 2> status{};
        if (auto [ec, n] = co_await asio::async_read(s, asio::buffer(status), AS_TUPLE); ec) {
            co_return "no SOCKS5 authentication reply: " + IoText(ec);
        }
        if (status[1] != 0x00) {
            co_return "SOCKS5 authentication failed for user '" + user + "' (status " +
                Hex2(status[1]) + ")";
        }
    } else if (choice[1] != 0x00) {
        co_return "the proxy chose an authentication method we did not offer (" + Hex2(choice[1]) +
            ")";
    }
    // CONNECT: version, command 0x01, reserved, address, port (big-endian).
    std::vector<uint8_t> req{0x05, 0x01, 0x00};
    boost::system::error_code ip_ec;
    const auto ip = asio::ip::make_address(host, ip_ec);
    if (!ip_ec && ip.is_v4()) {
        req.push_back(0x01);
        const auto b = ip.to_v4().to_bytes();
        req.insert(req.end(), b.begin(), b.end());
    } else if (!ip_ec && ip.is_v6()) {
        req.push_back(0x04);
        const auto b = ip.to_v6().to_bytes();
        req.insert(req.end(), b.begin(), b.end());
    } else {
        if (host.size() > MAX_SOCKS_FIELD) {
            co_return "pool host name longer than 255 bytes cannot go through SOCKS5";
        }
        req.push_back(0x03); // domain name: the proxy resolves it (remote DNS)
        req.push_back(uint8_t(host.size()));
        req.insert(req.end(), host.begin(), host.end());
    }
    req.push_back(uint8_t(port >> 8));
    req.push_back(uint8_t(port & 0xff));
    if (auto [ec, n] = co_await asio::async_write(s, asio::buffer(req), AS_TUPLE); ec) {
        co_return "sending the SOCKS5 connect request failed: " + IoText(ec);
    }
    std::array<uint8_t, 5> head{}; // VER REP RSV ATYP, and the first byte of the address
    if (auto [ec, n] = co_await asio::async_read(s, asio::buffer(head), AS_TUPLE); ec) {
        co_return "no SOCKS5 connect reply: " + IoText(ec);
    }
    if (head[0] != 0x05) {
        co_return "bad SOCKS5 connect reply (version byte " + Hex2(head[0]) + ")";
    }
    if (head[1] != 0x00) {
        co_return SocksReplyText(head[1]) + " (for " + host + ":" + std::to_string(port) + ")";
    }
    // The rest of the bound address and port, so that nothing of the reply stays unread.
    std::size_t rest = 0;
    switch (head[3]) {
    case 0x01:
        rest = 4 - 1 + 2;
        break;
    case 0x04:
        rest = 16 - 1 + 2;
        break;
    case 0x03:
        rest = std::size_t(head[4]) + 2;
        break;
    default:
        co_return "bad SOCKS5 connect reply (address type " + Hex2(head[3]) + ")";
    }
    std::vector<uint8_t> tail(rest);
    if (auto [ec, n] = co_await asio::async_read(s, asio::buffer(tail), AS_TUPLE); ec) {
        co_return "truncated SOCKS5 connect reply: " + IoText(ec);
    }
    co_return std::nullopt;
}

awaitable<std::optional<std::string>> HttpConnect(tcp::socket& s, const ProxyConfig& proxy,
                                                  const std::string& host, uint16_t port) {
    const bool v6 = host.find(':') != std::string::npos;
    const std::string target = (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
    std::string req = "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n";
    if (proxy.user) {
        req += "Proxy-Authorization: Basic " +
               Base64(*proxy.user + ":" + proxy.password.value_or("")) + "\r\n";
    }
    req += "\r\n";
    if (auto [ec, n] = co_await asio::async_write(s, asio::buffer(req), AS_TUPLE); ec) {
        co_return "sending the CONNECT request failed: " + IoText(ec);
    }
    // Read the reply head one byte at a time: the pool's first bytes may follow it at once (a
    // TLS pool does not, a Stratum pool does not, but a buffered read must not eat them).
    std::string head;
    while (head.size() < 4 || head.compare(head.size() - 4, 4, "\r\n\r\n") != 0) {
        if (head.size() >= MAX_HTTP_REPLY_HEAD) {
            co_return "the proxy's CONNECT reply is longer than 8 KiB";
        }
        char c = 0;
        if (auto [ec, n] = co_await asio::async_read(s, asio::buffer(&c, 1), AS_TUPLE); ec) {
            co_return "no complete CONNECT reply: " + IoText(ec);
        }
        head.push_back(c);
    }
    const std::string status_line = head.substr(0, head.find("\r\n"));
    // "HTTP/1.1 200 Connection established"
    int code = 0;
    const auto sp = status_line.find(' ');
    if (status_line.rfind("HTTP/1.", 0) != 0 || sp == std::string::npos ||
        std::from_chars(status_line.data() + sp + 1, status_line.data() + status_line.size(), code)
                .ec != std::errc()) {
        co_return "not an HTTP proxy reply: '" + Printable(status_line, 80) + "'";
    }
    if (code >= 200 && code < 300) {
        co_return std::nullopt;
    }
    std::string text = "CONNECT " + target + " refused: '" + Printable(status_line, 120) + "'";
    if (code == 407) {
        text += proxy.user
                    ? " (the proxy did not accept the credentials)"
                    : " (the proxy requires authentication: give http://user:pass@host:port)";
    }
    co_return text;
}

} // namespace

std::string ProxyConfig::ToString() const {
    const bool v6 = host.find(':') != std::string::npos;
    return std::string(kind == ProxyKind::Socks5 ? "socks5://" : "http://") + (v6 ? "[" : "") +
           host + (v6 ? "]" : "") + ":" + std::to_string(port);
}

core::Expected<ProxyConfig, std::string> ParseProxyUrl(std::string_view text) {
    if (text.size() > MAX_URL_LENGTH) {
        return MakeUnexpected(std::string("proxy URL longer than 2048 characters"));
    }
    const std::string shown = RedactUrlPassword(text);
    ProxyConfig proxy;
    const auto scheme_end = text.find("://");
    if (scheme_end == std::string_view::npos) {
        return MakeUnexpected("'" + shown +
                              "' has no scheme: use socks5://host:port or http://host:port");
    }
    std::string scheme(text.substr(0, scheme_end));
    for (char& c : scheme) {
        c = char(std::tolower(static_cast<unsigned char>(c)));
    }
    if (scheme == "socks5" || scheme == "socks5h") {
        proxy.kind = ProxyKind::Socks5;
    } else if (scheme == "http") {
        proxy.kind = ProxyKind::HttpConnect;
    } else {
        return MakeUnexpected("unsupported proxy scheme '" + scheme +
                              "': use socks5://, socks5h:// or http://");
    }
    std::string_view rest = text.substr(scheme_end + 3);
    if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
        if (rest.substr(slash).find_first_not_of('/') != std::string_view::npos) {
            return MakeUnexpected("proxy URL must not have a path: '" + shown + "'");
        }
        rest = rest.substr(0, slash);
    }
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
        const std::string_view cred = rest.substr(0, at);
        rest = rest.substr(at + 1);
        const auto colon = cred.find(':');
        auto user = PercentDecode(cred.substr(0, colon));
        if (!user || user->empty()) {
            return MakeUnexpected("bad or empty user name in '" + shown + "'");
        }
        proxy.user = std::move(*user);
        if (colon != std::string_view::npos) {
            auto pass = PercentDecode(cred.substr(colon + 1));
            if (!pass) {
                return MakeUnexpected("bad percent-encoding in the password of '" + shown + "'");
            }
            proxy.password = std::move(*pass);
        }
        if (proxy.user->size() > MAX_SOCKS_FIELD ||
            proxy.password.value_or("").size() > MAX_SOCKS_FIELD) {
            return MakeUnexpected(std::string("proxy user name and password must be at most 255 "
                                              "bytes each"));
        }
    }
    std::string_view host, port;
    if (!rest.empty() && rest.front() == '[') {
        const auto close = rest.find(']');
        if (close == std::string_view::npos) {
            return MakeUnexpected("bad IPv6 address in '" + shown + "': write [addr]:port");
        }
        host = rest.substr(1, close - 1);
        if (close + 1 >= rest.size() || rest[close + 1] != ':') {
            return MakeUnexpected("'" + shown + "' has no port: write " + scheme + "://host:port");
        }
        port = rest.substr(close + 2);
        for (char c : host) {
            if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.')) {
                return MakeUnexpected("bad IPv6 address '" + std::string(host) + "'");
            }
        }
    } else {
        const auto colon = rest.rfind(':');
        if (colon == std::string_view::npos) {
            return MakeUnexpected("'" + shown + "' has no port: write " + scheme + "://host:port");
        }
        host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
        for (char c : host) {
            if (!ValidHostChar(c)) {
                return MakeUnexpected("invalid character in proxy host '" + std::string(host) +
                                      "'");
            }
        }
    }
    if (host.empty()) {
        return MakeUnexpected("'" + shown + "' has no host");
    }
    if (host.size() > 253) {
        return MakeUnexpected(std::string("proxy host name longer than 253 characters"));
    }
    const auto value = ParseUrlPort(port);
    if (!value) {
        return MakeUnexpected("proxy port must be 1..65535, got '" + std::string(port) + "'");
    }
    proxy.host = std::string(host);
    proxy.port = *value;
    return proxy;
}

awaitable<std::optional<std::string>> ProxyHandshake(tcp::socket& socket, const ProxyConfig& proxy,
                                                     const std::string& host, uint16_t port) {
    if (proxy.kind == ProxyKind::Socks5) {
        co_return co_await Socks5(socket, proxy, host, port);
    }
    co_return co_await HttpConnect(socket, proxy, host, port);
}

} // namespace nonceforge::stratum
