#include "miner/api/http_exchange.hpp"

#include <cctype>
#include <cstdint>
#include <sstream>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace nonceforge::miner::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

HttpReply Error(unsigned status, std::string_view message) {
    return {status,
            "application/json",
            "{\"error\":\"" + std::string(message) + "\",\"status\":" + std::to_string(status) +
                "}\n",
            {}};
}

// A SyncReadStream over bytes in memory that then reports end of file, as a client that sent
// them and closed its side.
class MemoryStream {
public:
    explicit MemoryStream(std::string_view data)
        : m_data(data) {}

    template <class MutableBuffers>
    std::size_t read_some(const MutableBuffers& buffers, boost::system::error_code& ec) {
        if (m_data.empty()) {
            ec = asio::error::eof;
            return 0;
        }
        ec = {};
        const std::size_t n = asio::buffer_copy(buffers, asio::buffer(m_data));
        m_data.remove_prefix(n);
        return n;
    }
    template <class MutableBuffers>
    std::size_t read_some(const MutableBuffers& buffers) {
        boost::system::error_code ec;
        const std::size_t n = read_some(buffers, ec);
        if (ec) {
            throw boost::system::system_error(ec);
        }
        return n;
    }

private:
    std::string_view m_data;
};

} // namespace

bool ConstantTimeEquals(std::string_view given, std::string_view expected) {
    // Every byte of `expected` is visited whatever `given` is; the length difference is folded
    // into the result instead of returning early.
    unsigned char diff = given.size() == expected.size() ? 0 : 1;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const unsigned char g = i < given.size() ? static_cast<unsigned char>(given[i]) : 0;
        diff |= static_cast<unsigned char>(g ^ static_cast<unsigned char>(expected[i]));
    }
    return diff == 0;
}

bool BearerMatches(std::string_view authorization, std::string_view token) {
    constexpr std::string_view SCHEME = "bearer";
    if (authorization.size() <= SCHEME.size() || authorization[SCHEME.size()] != ' ') {
        return false;
    }
    for (std::size_t i = 0; i < SCHEME.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(authorization[i])) != SCHEME[i]) {
            return false;
        }
    }
    std::string_view credentials = authorization.substr(SCHEME.size());
    while (!credentials.empty() && credentials.front() == ' ') {
        credentials.remove_prefix(1);
    }
    return ConstantTimeEquals(credentials, token);
}

void ApplyLimits(RequestParser& parser, const HttpLimits& limits) {
    parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
    parser.body_limit(limits.max_body_bytes);
}

std::size_t ReadBufferBytes(const HttpLimits& limits) {
    return limits.max_header_bytes + limits.max_body_bytes + 4096;
}

std::optional<Exchange> Answer(const boost::system::error_code& read_ec,
                               const RequestParser& parser, const AccessRules& rules,
                               const HttpHandler& handler) {
    Exchange x;
    if (read_ec == http::error::header_limit || read_ec == http::error::buffer_overflow) {
        x.reply = Error(431, "request headers too large");
        x.linger = true;
    } else if (read_ec == http::error::body_limit) {
        x.reply = Error(413, "request body too large");
        x.linger = true;
    } else if (read_ec &&
               (read_ec == beast::error::timeout || read_ec == http::error::end_of_stream ||
                read_ec.category() == asio::error::get_system_category() ||
                read_ec.category() == asio::error::get_misc_category())) {
        return std::nullopt; // a slow client (already closed), closed, reset or stopped
    } else if (read_ec) {
        x.reply = Error(400, "malformed request");
        x.linger = true;
    } else {
        const auto& req = parser.get();
        x.version = req.version();
        x.keep_alive = req.keep_alive();
        const std::size_t hosts = req.count(http::field::host);
        // RFC 9112 section 3.2: HTTP/1.1 needs exactly one Host; HTTP/1.0 may omit it.
        if (hosts > 1 || (hosts == 0 && req.version() >= 11)) {
            x.reply = Error(400, "a request needs exactly one Host header");
            x.linger = true;
        } else if (hosts == 1 && !rules.hosts.Allows(req[http::field::host])) {
            x.reply = Error(403, "host not allowed (see --api-allow-host)");
            x.keep_alive = false;
        } else if (!rules.token.empty() &&
                   !BearerMatches(req[http::field::authorization], rules.token)) {
            x.reply = Error(401, "missing or wrong bearer token");
        } else if (req.method() != http::verb::get) {
            x.reply = Error(405, "method not allowed: the API is read-only (GET)");
        } else {
            x.reply = handler(req.target());
        }
    }
    if (x.linger) {
        x.keep_alive = false;
    }
    return x;
}

Response MakeResponse(const Exchange& x) {
    const HttpReply& r = x.reply;
    Response res{static_cast<http::status>(r.status), x.version};
    res.set(http::field::server, "nonceforge");
    res.set(http::field::content_type, r.content_type);
    res.set(http::field::cache_control, "no-store");
    res.set("X-Content-Type-Options", "nosniff");
    if (r.status == 405) {
        res.set(http::field::allow, "GET");
    }
    if (r.status == 401) {
        res.set(http::field::www_authenticate, "Bearer realm=\"nonceforge\"");
    }
    for (const auto& [name, value] : r.headers) {
        res.set(name, value);
    }
    res.keep_alive(x.keep_alive);
    res.body() = r.body;
    res.prepare_payload();
    return res;
}

std::string ServeBytes(std::string_view request, const HttpLimits& limits, const AccessRules& rules,
                       const HttpHandler& handler) {
    MemoryStream stream(request);
    beast::flat_buffer buffer(ReadBufferBytes(limits));
    std::ostringstream out;
    for (;;) {
        RequestParser parser;
        ApplyLimits(parser, limits);
        boost::system::error_code ec;
        http::read(stream, buffer, parser, ec);
        const auto x = Answer(ec, parser, rules, handler);
        if (!x) {
            break;
        }
        out << MakeResponse(*x);
        if (!x->keep_alive) {
            break;
        }
    }
    return out.str();
}

} // namespace nonceforge::miner::api
