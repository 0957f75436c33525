#include "miner/solo/rpc_client.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace nonceforge::miner::solo {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::awaitable;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr auto AS_TUPLE = asio::as_tuple(asio::use_awaitable);

std::string Base64(std::string_view in) {
    static constexpr char TABLE[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const uint32_t v =
            uint32_t(uint8_t(in[i])) << 16 | uint32_t(uint8_t(in[i + 1])) << 8 | uint8_t(in[i + 2]);
        out += TABLE[v >> 18 & 63];
        out += TABLE[v >> 12 & 63];
        out += TABLE[v >> 6 & 63];
        out += TABLE[v & 63];
    }
    if (i < in.size()) {
        uint32_t v = uint32_t(uint8_t(in[i])) << 16;
        if (i + 1 < in.size()) {
            v |= uint32_t(uint8_t(in[i + 1])) << 8;
        }
        out += TABLE[v >> 18 & 63];
        out += TABLE[v >> 12 & 63];
        out += i + 1 < in.size() ? TABLE[v >> 6 & 63] : '=';
        out += '=';
    }
    return out;
}

// At most 80 printable characters of a body, for an error line.
std::string Snippet(std::string_view body) {
    std::string out;
    for (char c : body.substr(0, 80)) {
        out += (c >= 0x20 && c < 0x7f) ? c : ' ';
    }
    if (body.size() > 80) {
        out += "...";
    }
    return out;
}

RpcError Error(RpcErrorKind kind, std::string message, unsigned http_status = 0, int code = 0) {
    RpcError e;
    e.kind = kind;
    e.code = code;
    e.http_status = int(http_status);
    e.message = std::move(message);
    return e;
}

RpcError FromErrorCode(const boost::system::error_code& ec, const std::string& what) {
    if (ec == asio::error::connection_refused) {
        return Error(RpcErrorKind::ConnectionRefused, "connection refused by " + what);
    }
    if (ec == beast::error::timeout) {
        return Error(RpcErrorKind::Timeout, "no reply from " + what + " in time");
    }
    if (ec == http::error::body_limit) {
        return Error(RpcErrorKind::TooLarge, "the reply of " + what + " is larger than " +
                                                 std::to_string(MAX_REPLY_BYTES >> 20) + " MiB");
    }
    if (ec == http::error::end_of_stream || ec == asio::error::eof ||
        ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
        ec == asio::error::connection_aborted || ec == asio::error::operation_aborted ||
        ec == http::error::partial_message) {
        return Error(RpcErrorKind::ConnectionClosed,
                     what + " closed the connection (" + ec.message() + ")");
    }
    if (ec.category() == http::make_error_code(http::error::bad_version).category()) {
        return Error(RpcErrorKind::NotJson,
                     "the reply of " + what + " is not HTTP (" + ec.message() + ")");
    }
    return Error(RpcErrorKind::Network, what + ": " + ec.message());
}

} // namespace

// ---- URL and credentials ----

std::string NodeUrl::ToString() const {
    const bool v6 = host.find(':') != std::string::npos;
    return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

bool IsNodeUrl(std::string_view text) {
    std::string lower(text.substr(0, 8));
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return lower.rfind("http://", 0) == 0 || lower.rfind("https://", 0) == 0;
}

core::Expected<NodeUrl, std::string> ParseNodeUrl(std::string_view text) {
    auto fail = [&](const std::string& why) {
        return core::MakeUnexpected("'" + std::string(text.substr(0, 200)) + "': " + why);
    };
    std::string lower(text.substr(0, 8));
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    if (lower.rfind("https://", 0) == 0) {
        return fail("Bitcoin Core's RPC speaks plain HTTP; use http:// (over an SSH tunnel or a "
                    "trusted network)");
    }
    if (lower.rfind("http://", 0) != 0) {
        return fail("a node's URL starts with http://");
    }
    std::string_view rest = text.substr(7);
    if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
        if (rest.substr(slash) != "/") {
            return fail("a path after host:port is not supported (give http://host:port)");
        }
        rest = rest.substr(0, slash);
    }
    NodeUrl url;
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
        const std::string_view userinfo = rest.substr(0, at);
        rest = rest.substr(at + 1);
        const auto colon = userinfo.find(':');
        url.user = std::string(userinfo.substr(0, colon));
        if (colon != std::string_view::npos) {
            url.password = std::string(userinfo.substr(colon + 1));
        }
        if (url.user->empty()) {
            return fail("empty user name before '@'");
        }
    }
    std::string_view port_text;
    if (!rest.empty() && rest.front() == '[') {
        const auto close = rest.find(']');
        if (close == std::string_view::npos) {
            return fail("unclosed '[' in the host");
        }
        url.host = std::string(rest.substr(1, close - 1));
        rest = rest.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') {
                return fail("expected ':' after ']'");
            }
            port_text = rest.substr(1);
            if (port_text.empty()) {
                return fail("empty port");
            }
        }
    } else {
        const auto colon = rest.find(':');
        url.host = std::string(rest.substr(0, colon));
        if (colon != std::string_view::npos) {
            port_text = rest.substr(colon + 1);
            if (port_text.empty()) {
                return fail("empty port");
            }
        }
    }
    if (url.host.empty()) {
        return fail("no host");
    }
    if (!port_text.empty()) {
        unsigned port = 0;
        const auto [end, ec] =
            std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
        if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 ||
            port > 65535) {
            return fail("bad port '" + std::string(port_text) + "'");
        }
        url.port = uint16_t(port);
    }
    return url;
}

std::optional<Chain> ChainOfDefaultPort(uint16_t port) {
    switch (port) {
    case 8332:
        return Chain::Main;
    case 18332:
        return Chain::Test;
    case 48332:
        return Chain::Testnet4;
    case 38332:
        return Chain::Signet;
    case 18443:
        return Chain::Regtest;
    default:
        return std::nullopt;
    }
}

std::filesystem::path CookiePath(const std::filesystem::path& datadir, Chain chain) {
    switch (chain) {
    case Chain::Main:
        return datadir / ".cookie";
    case Chain::Test:
        return datadir / "testnet3" / ".cookie";
    case Chain::Testnet4:
        return datadir / "testnet4" / ".cookie";
    case Chain::Signet:
        return datadir / "signet" / ".cookie";
    case Chain::Regtest:
        return datadir / "regtest" / ".cookie";
    }
    return datadir / ".cookie";
}

std::filesystem::path DefaultDataDir() {
    const char* home = std::getenv("HOME");
    if (home == nullptr || *home == '\0') {
        return {};
    }
    return std::filesystem::path(home) / ".bitcoin";
}

core::Expected<RpcCredentials, std::string> ReadCookie(const std::filesystem::path& file) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (ec) {
        return core::MakeUnexpected("cannot read the RPC cookie " + file.string() + ": " +
                                    ec.message());
    }
    if (size > 4096) {
        return core::MakeUnexpected("the RPC cookie " + file.string() +
                                    " is not a cookie file (over 4 KiB)");
    }
    std::ifstream in(file);
    std::string line;
    if (!in || !std::getline(in, line)) {
        return core::MakeUnexpected("cannot read the RPC cookie " + file.string());
    }
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n' || line.back() == ' ')) {
        line.pop_back();
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos || colon == 0) {
        return core::MakeUnexpected("the RPC cookie " + file.string() + " is not 'user:password'");
    }
    return RpcCredentials{line.substr(0, colon), line.substr(colon + 1)};
}

core::Expected<RpcCredentials, std::string> CredentialSource::Resolve() const {
    if (user || password) {
        return RpcCredentials{user.value_or(""), password.value_or("")};
    }
    if (!cookie_file.empty()) {
        return ReadCookie(cookie_file);
    }
    if (datadir.empty()) {
        return core::MakeUnexpected(std::string(
            "no RPC credentials: give --rpc-cookie FILE or --rpc-user and --rpc-pass (HOME is "
            "not set, so there is no ~/.bitcoin to look in)"));
    }
    std::vector<Chain> order;
    if (auto c = ChainOfDefaultPort(port)) {
        order.push_back(*c);
    }
    for (Chain c : {Chain::Main, Chain::Test, Chain::Testnet4, Chain::Signet, Chain::Regtest}) {
        if (std::find(order.begin(), order.end(), c) == order.end()) {
            order.push_back(c);
        }
    }
    for (Chain c : order) {
        std::error_code ec;
        if (const auto path = CookiePath(datadir, c); std::filesystem::exists(path, ec)) {
            return ReadCookie(path);
        }
    }
    return core::MakeUnexpected("no RPC credentials: no cookie file under " + datadir.string() +
                                " (looked for " + CookiePath(datadir, order.front()).string() +
                                " and the other networks'); give --rpc-cookie FILE or "
                                "--rpc-user and --rpc-pass");
}

std::string CredentialSource::Describe() const {
    if (user || password) {
        return "RPC user '" + user.value_or("") + "'";
    }
    if (!cookie_file.empty()) {
        return "the cookie " + cookie_file.string();
    }
    return "the default cookie under " + datadir.string();
}

// ---- replies ----

std::string_view ToString(RpcErrorKind kind) {
    switch (kind) {
    case RpcErrorKind::ConnectionRefused:
        return "connection-refused";
    case RpcErrorKind::ConnectionClosed:
        return "connection-closed";
    case RpcErrorKind::Network:
        return "network";
    case RpcErrorKind::Timeout:
        return "timeout";
    case RpcErrorKind::Unauthorized:
        return "unauthorized";
    case RpcErrorKind::Forbidden:
        return "forbidden";
    case RpcErrorKind::NotFound:
        return "not-found";
    case RpcErrorKind::HttpStatus:
        return "http-status";
    case RpcErrorKind::NotJson:
        return "not-json";
    case RpcErrorKind::TooLarge:
        return "too-large";
    case RpcErrorKind::Rpc:
        return "rpc-error";
    case RpcErrorKind::NoCredentials:
        return "no-credentials";
    case RpcErrorKind::CookieMissing:
        return "cookie-missing";
    }
    return "?";
}

std::string RpcError::Describe() const {
    switch (kind) {
    case RpcErrorKind::Rpc: {
        std::string text = "RPC error " + std::to_string(code);
        if (code == rpc_code::METHOD_NOT_FOUND) {
            text += " (method not found)";
        }
        return text + ": " + message;
    }
    case RpcErrorKind::Unauthorized:
    case RpcErrorKind::Forbidden:
    case RpcErrorKind::NotFound:
    case RpcErrorKind::HttpStatus:
        return "HTTP " + std::to_string(http_status) + ": " + message;
    default:
        return message;
    }
}

bool RpcError::Transient() const {
    switch (kind) {
    case RpcErrorKind::ConnectionRefused:
    case RpcErrorKind::ConnectionClosed:
    case RpcErrorKind::Network:
    case RpcErrorKind::Timeout:
    case RpcErrorKind::HttpStatus:    // a proxy's 502/503, a node restarting
    case RpcErrorKind::CookieMissing: // Bitcoin Core deletes its cookie when it stops
        return true;
    case RpcErrorKind::Rpc:
        return code == rpc_code::IN_WARMUP || code == rpc_code::CLIENT_IN_INITIAL_DOWNLOAD ||
               code == rpc_code::CLIENT_NOT_CONNECTED;
    default:
        return false;
    }
}

RpcResult<nlohmann::json> ClassifyReply(unsigned http_status, std::string_view body) {
    using K = RpcErrorKind;
    if (http_status == 401) {
        return core::MakeUnexpected(
            Error(K::Unauthorized, "the node refused the RPC credentials", http_status));
    }
    if (http_status == 403) {
        return core::MakeUnexpected(
            Error(K::Forbidden, "the node refuses RPC from this address (see its -rpcallowip)",
                  http_status));
    }
    const nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
    const bool rpc_shape =
        !j.is_discarded() && j.is_object() && (j.contains("result") || j.contains("error"));
    if (!rpc_shape) {
        if (http_status == 404) {
            return core::MakeUnexpected(Error(
                K::NotFound, "no JSON-RPC endpoint at this URL (is it a Bitcoin Core RPC port?)",
                http_status));
        }
        if (http_status != 200) {
            return core::MakeUnexpected(
                Error(K::HttpStatus, "unexpected reply '" + Snippet(body) + "'", http_status));
        }
        if (j.is_discarded()) {
            return core::MakeUnexpected(
                Error(K::NotJson, "the reply is not JSON: '" + Snippet(body) + "'", http_status));
        }
        return core::MakeUnexpected(
            Error(K::NotJson,
                  "the reply is JSON but not a JSON-RPC reply (no result, no error): '" +
                      Snippet(body) + "'",
                  http_status));
    }
    if (const auto e = j.find("error"); e != j.end() && !e->is_null()) {
        int code = 0;
        std::string message;
        if (e->is_object()) {
            if (const auto c = e->find("code"); c != e->end() && c->is_number_integer()) {
                code = c->get<int>();
            }
            if (const auto m = e->find("message"); m != e->end() && m->is_string()) {
                message = m->get<std::string>();
            }
        }
        if (message.empty()) {
            message = Snippet(e->dump());
        }
        return core::MakeUnexpected(Error(K::Rpc, std::move(message), http_status, code));
    }
    if (http_status != 200) {
        return core::MakeUnexpected(
            Error(K::HttpStatus, "unexpected reply '" + Snippet(body) + "'", http_status));
    }
    if (!j.contains("result")) {
        return core::MakeUnexpected(
            Error(K::NotJson, "the reply has neither result nor error", http_status));
    }
    return j.at("result");
}

std::string MakeRequestBody(std::string_view method, const nlohmann::json& params, uint64_t id) {
    nlohmann::json j;
    j["jsonrpc"] = "1.0";
    j["id"] = id;
    j["method"] = std::string(method);
    j["params"] = params;
    return j.dump();
}

// ---- the client ----

struct RpcClient::Impl {
    explicit Impl(asio::any_io_executor ex)
        : stream(ex) {}
    beast::tcp_stream stream;
    beast::flat_buffer buffer;
    bool open = false;
    uint64_t next_id = 1;

    void Shut() {
        boost::system::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream.close();
        buffer.clear();
        open = false;
    }
};

RpcClient::RpcClient(asio::any_io_executor executor, Config config)
    : m_config(std::move(config))
    , m_impl(std::make_shared<Impl>(std::move(executor))) {}

RpcClient::~RpcClient() {
    m_impl->Shut();
}

void RpcClient::Close() {
    m_impl->Shut();
}

awaitable<RpcResult<nlohmann::json>> RpcClient::Call(std::string method, nlohmann::json params,
                                                     std::chrono::milliseconds timeout) {
    const std::shared_ptr<Impl> impl = m_impl; // the frame keeps the connection alive
    const NodeUrl url = m_config.url;
    const std::string what = url.ToString();
    const std::size_t body_limit = m_config.body_limit;
    const auto connect_timeout = std::min(timeout, m_config.connect_timeout);
    const auto deadline = std::chrono::steady_clock::now() + timeout;

    auto creds = m_config.credentials.Resolve();
    if (!creds) {
        std::error_code ec;
        const std::filesystem::path& cookie = m_config.credentials.cookie_file;
        const bool missing = !cookie.empty() && !m_config.credentials.user &&
                             !m_config.credentials.password && !std::filesystem::exists(cookie, ec);
        co_return core::MakeUnexpected(Error(
            missing ? RpcErrorKind::CookieMissing : RpcErrorKind::NoCredentials,
            missing ? "no cookie file " + cookie.string() + " (the node writes it when it starts)"
                    : creds.error()));
    }
    http::request<http::string_body> req{http::verb::post, "/", 11};
    req.set(http::field::host, url.host + ":" + std::to_string(url.port));
    req.set(http::field::user_agent, "nonceforge");
    req.set(http::field::content_type, "application/json");
    req.set(http::field::authorization, "Basic " + Base64(creds->user + ":" + creds->password));
    req.keep_alive(true);
    req.body() = MakeRequestBody(method, params, impl->next_id++);
    req.prepare_payload();

    for (int attempt = 0; attempt < 2; ++attempt) {
        const bool reused = impl->open;
        if (!impl->open) {
            auto ex = co_await asio::this_coro::executor;
            tcp::resolver resolver(ex);
            asio::steady_timer timer(ex, connect_timeout);
            auto resolved =
                co_await (resolver.async_resolve(url.host, std::to_string(url.port), AS_TUPLE) ||
                          timer.async_wait(AS_TUPLE));
            if (resolved.index() == 1) {
                co_return core::MakeUnexpected(
                    Error(RpcErrorKind::Timeout, "resolving " + url.host + " timed out"));
            }
            auto [rec, endpoints] = std::get<0>(resolved);
            if (rec) {
                co_return core::MakeUnexpected(Error(
                    RpcErrorKind::Network, "cannot resolve " + url.host + ": " + rec.message()));
            }
            impl->stream.expires_after(connect_timeout);
            auto [cec, ep] = co_await impl->stream.async_connect(endpoints, AS_TUPLE);
            if (cec) {
                impl->Shut();
                co_return core::MakeUnexpected(FromErrorCode(cec, what));
            }
            boost::system::error_code ignored;
            impl->stream.socket().set_option(tcp::no_delay(true), ignored);
            impl->open = true;
        }
        impl->stream.expires_at(deadline);
        auto [wec, written] = co_await http::async_write(impl->stream, req, AS_TUPLE);
        if (wec) {
            impl->Shut();
            if (reused && wec != beast::error::timeout) {
                continue; // the node closed the idle connection: once more on a new one
            }
            co_return core::MakeUnexpected(FromErrorCode(wec, what));
        }
        http::response_parser<http::string_body> parser;
        parser.body_limit(body_limit);
        auto [rec, read] = co_await http::async_read(impl->stream, impl->buffer, parser, AS_TUPLE);
        if (rec) {
            impl->Shut();
            if (reused && read == 0 &&
                (rec == http::error::end_of_stream || rec == asio::error::connection_reset)) {
                continue; // closed before it read the request: once more on a new connection
            }
            co_return core::MakeUnexpected(FromErrorCode(rec, what));
        }
        auto res = parser.release();
        if (!res.keep_alive()) {
            impl->Shut();
        }
        co_return ClassifyReply(res.result_int(), res.body());
    }
    co_return core::MakeUnexpected(
        Error(RpcErrorKind::ConnectionClosed, what + " closed the connection twice"));
}

} // namespace nonceforge::miner::solo
