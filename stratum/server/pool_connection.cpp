#include "pool_connection.hpp"

#include <algorithm>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace nonceforge::stratum::server {

namespace asio = boost::asio;

namespace {

constexpr auto TUPLE = asio::as_tuple(asio::use_awaitable);

std::string Millis(std::chrono::milliseconds ms) {
    return std::to_string(ms.count()) + " ms";
}

} // namespace

PoolConnection::PoolConnection(Socket socket, asio::ssl::context* tls, PoolContext& ctx,
                               std::string peer)
    : m_ctx(ctx)
    , m_peer(std::move(peer))
    , m_socket(std::move(socket))
    , m_wake(m_socket.get_executor())
    , m_watchdog(m_socket.get_executor())
    , m_session(ctx, m_peer, [this](std::string line) { Queue(std::move(line)); }) {
    if (tls != nullptr) {
        m_tls.emplace(std::move(m_socket), *tls);
    }
}

PoolConnection::Socket& PoolConnection::Lowest() {
    return m_tls ? m_tls->next_layer() : m_socket;
}

asio::awaitable<void> PoolConnection::Run() {
    using namespace asio::experimental::awaitable_operators;
    const auto self = shared_from_this();
    co_await (Reader() || Writer() || Watchdog());
    Close("");
}

void PoolConnection::Close(const std::string& why) {
    if (!m_open) {
        return;
    }
    m_open = false;
    if (!why.empty()) {
        m_ctx.Log(LogLevel::Info, m_peer + ": closed: " + why);
    }
    // TLS: no close_notify. The client sees a truncated stream, which it handles like any
    // disconnect; waiting for a shutdown exchange would need yet another deadline.
    boost::system::error_code ignored;
    Lowest().shutdown(Socket::shutdown_both, ignored);
    Lowest().close(ignored);
    m_wake.cancel();
    m_watchdog.cancel();
}

void PoolConnection::Queue(std::string line) {
    if (!m_open) {
        return;
    }
    if (m_outbox.size() >= m_ctx.config.max_queued_lines) {
        m_ctx.stats.Update([](PoolCounters& c) { ++c.protocol_errors; });
        Close(std::to_string(m_outbox.size()) + " lines queued: the client does not read");
        return;
    }
    m_outbox.push_back(std::move(line));
    m_wake.cancel();
}

asio::awaitable<void> PoolConnection::Reader() {
    co_await asio::this_coro::throw_if_cancelled(false);
    const PoolServerConfig& cfg = m_ctx.config;
    if (m_tls) {
        m_read_deadline = Clock::now() + cfg.handshake_timeout;
        m_read_timeout_reason = "TLS handshake not done within " + Millis(cfg.handshake_timeout);
        auto [ec] = co_await m_tls->async_handshake(asio::ssl::stream_base::server, TUPLE);
        if (ec) {
            Close("TLS handshake failed: " + ec.message());
            co_return;
        }
    }
    // One byte more than the longest line, for its '\n'.
    auto buffer = asio::dynamic_buffer(m_in, cfg.max_line_length + 1);
    m_read_timeout_reason = "no line for " + Millis(cfg.idle_timeout);
    while (m_open) {
        m_read_deadline = Clock::now() + cfg.idle_timeout;
        auto [ec, n] = m_tls ? co_await asio::async_read_until(*m_tls, buffer, '\n', TUPLE)
                             : co_await asio::async_read_until(m_socket, buffer, '\n', TUPLE);
        if (!m_open) {
            break;
        }
        if (ec == asio::error::not_found) {
            m_ctx.stats.Update([](PoolCounters& c) { ++c.protocol_errors; });
            Close("line longer than " + std::to_string(cfg.max_line_length) + " bytes");
            break;
        }
        if (ec) {
            Close(ec == asio::error::eof ? std::string("client disconnected")
                                         : "read failed: " + ec.message());
            break;
        }
        std::string line = m_in.substr(0, n - 1);
        m_in.erase(0, n);
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (line.find_first_not_of(" \t") != std::string::npos) {
            m_session.HandleLine(line);
        }
    }
    Close("");
}

asio::awaitable<void> PoolConnection::Writer() {
    co_await asio::this_coro::throw_if_cancelled(false);
    while (m_open) {
        if (m_outbox.empty()) {
            m_wake.expires_at(Clock::time_point::max());
            co_await m_wake.async_wait(TUPLE); // woken by Queue() or Close() ...
            auto state = co_await asio::this_coro::cancellation_state;
            if (state.cancelled() != asio::cancellation_type::none) {
                break; // ... or cancelled because a sibling ended
            }
            continue;
        }
        // The deque keeps the front element in place while later ones are queued.
        const std::string& line = m_outbox.front();
        m_write_deadline = Clock::now() + m_ctx.config.write_timeout;
        auto [ec, n] = m_tls ? co_await asio::async_write(*m_tls, asio::buffer(line), TUPLE)
                             : co_await asio::async_write(m_socket, asio::buffer(line), TUPLE);
        m_write_deadline = Clock::time_point::max();
        if (ec) {
            Close(m_open ? "write failed: " + ec.message() : std::string());
            break;
        }
        m_outbox.pop_front();
    }
    Close("");
}

asio::awaitable<void> PoolConnection::Watchdog() {
    co_await asio::this_coro::throw_if_cancelled(false);
    const PoolServerConfig& cfg = m_ctx.config;
    while (m_open) {
        const auto now = Clock::now();
        if (m_read_deadline <= now) {
            Close(m_read_timeout_reason);
            break;
        }
        if (m_write_deadline <= now) {
            Close("write not done within " + Millis(cfg.write_timeout));
            break;
        }
        m_watchdog.expires_at(std::min(m_read_deadline, m_write_deadline));
        auto [ec] = co_await m_watchdog.async_wait(TUPLE);
        if (ec) {
            break; // cancelled: the connection is closing
        }
    }
    Close("");
}

} // namespace nonceforge::stratum::server
