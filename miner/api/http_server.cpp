#include "miner/api/http_server.hpp"

#include <algorithm>
#include <chrono>
#include <tuple>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace nonceforge::miner::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto AS_TUPLE = asio::as_tuple(asio::use_awaitable);
// After an error reply, unread request bytes are drained for at most this long before the
// close, so that the client reads the reply instead of a connection reset.
constexpr std::chrono::milliseconds LINGER{500};
constexpr std::size_t LINGER_BYTES = 64 * 1024;

} // namespace

HttpServer::HttpServer(asio::any_io_executor executor, HttpLimits limits, AccessRules rules,
                       Handler handler, Listener::LogFn log)
    : m_limits(limits)
    , m_rules(std::move(rules))
    , m_handler(std::move(handler))
    , m_listener(
          std::move(executor), limits.max_connections, limits.max_connections_per_client,
          [this](beast::tcp_stream& stream) { return Serve(stream); }, std::move(log)) {}

HttpServer::~HttpServer() = default;

asio::awaitable<void> HttpServer::Serve(beast::tcp_stream& stream) {
    beast::flat_buffer buffer(ReadBufferBytes(m_limits));
    bool linger = false;
    while (!m_listener.Stopped()) {
        RequestParser parser;
        ApplyLimits(parser, m_limits);
        // The headers have their own, shorter deadline: a connection that sends nothing gives
        // its slot back soon. The body (if any) must then arrive by the request's deadline.
        const auto request_deadline = std::chrono::steady_clock::now() + m_limits.request_timeout;
        stream.expires_after(std::min(m_limits.header_timeout, m_limits.request_timeout));
        auto [read_ec, n] = co_await http::async_read_header(stream, buffer, parser, AS_TUPLE);
        if (!read_ec && !parser.is_done()) {
            stream.expires_at(request_deadline);
            std::tie(read_ec, n) = co_await http::async_read(stream, buffer, parser, AS_TUPLE);
        }
        (void)n;
        const auto exchange = Answer(read_ec, parser, m_rules, m_handler);
        if (!exchange) {
            break; // a slow client (its socket is already closed), closed, reset or stopped
        }
        linger = exchange->linger;
        auto res = MakeResponse(*exchange);
        stream.expires_after(m_limits.write_timeout);
        auto [write_ec, written] = co_await http::async_write(stream, res, AS_TUPLE);
        (void)written;
        if (write_ec || !exchange->keep_alive) {
            break;
        }
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    if (linger && stream.socket().is_open()) {
        std::size_t drained = 0;
        stream.expires_after(LINGER);
        char sink[4096];
        while (drained < LINGER_BYTES) {
            auto [ec, got] = co_await stream.async_read_some(asio::buffer(sink), AS_TUPLE);
            if (ec) {
                break;
            }
            drained += got;
        }
    }
}

} // namespace nonceforge::miner::api
