#include "miner/api/http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
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

HttpServer::HttpServer(asio::any_io_executor executor, HttpLimits limits, std::string token,
                       Handler handler)
    : m_executor(std::move(executor))
    , m_limits(limits)
    , m_expected_authorization(token.empty() ? std::string() : "Bearer " + token)
    , m_handler(std::move(handler))
    , m_acceptor(m_executor) {}

HttpServer::~HttpServer() = default;

core::Expected<uint16_t, std::string> HttpServer::Start(const tcp::endpoint& endpoint) {
    boost::system::error_code ec;
    m_acceptor.open(endpoint.protocol(), ec);
    if (!ec) {
        m_acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
        m_acceptor.bind(endpoint, ec);
    }
    if (!ec) {
        m_acceptor.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        boost::system::error_code ignored;
        m_acceptor.close(ignored);
        return core::MakeUnexpected(ec.message());
    }
    const uint16_t port = m_acceptor.local_endpoint(ec).port();
    asio::co_spawn(m_executor, AcceptLoop(), asio::detached);
    return port;
}

void HttpServer::Stop() {
    m_stopped = true;
    boost::system::error_code ignored;
    m_acceptor.close(ignored);
    for (tcp::socket* s : m_sockets) {
        s->close(ignored);
    }
}

asio::awaitable<void> HttpServer::AcceptLoop() {
    while (!m_stopped) {
        auto [ec, socket] = co_await m_acceptor.async_accept(AS_TUPLE);
        if (ec) {
            if (m_stopped || ec == asio::error::operation_aborted) {
                co_return;
            }
            continue; // e.g. the peer reset before accept, or out of file descriptors
        }
        if (m_open >= m_limits.max_connections) {
            boost::system::error_code ignored;
            socket.close(ignored); // over the cap: closed at once, the miner is unaffected
            continue;
        }
        ++m_open;
        // Serve cannot throw out: every failure is a value; a bug would end only that
        // connection's coroutine (and is logged by nothing), never the miner.
        asio::co_spawn(m_executor, Serve(std::move(socket)), asio::detached);
    }
}

asio::awaitable<void> HttpServer::Serve(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    m_sockets.insert(&stream.socket());
    struct Unregister {
        HttpServer* self;
        tcp::socket* s;
        ~Unregister() {
            self->m_sockets.erase(s);
            --self->m_open;
        }
    } unregister{this, &stream.socket()};

    beast::flat_buffer buffer(ReadBufferBytes(m_limits));
    bool linger = false;
    while (!m_stopped) {
        RequestParser parser;
        ApplyLimits(parser, m_limits);
        stream.expires_after(m_limits.request_timeout);
        auto [read_ec, n] = co_await http::async_read(stream, buffer, parser, AS_TUPLE);
        (void)n;
        const auto exchange = Answer(read_ec, parser, m_expected_authorization, m_handler);
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
    stream.socket().close(ignored);
}

} // namespace nonceforge::miner::api
