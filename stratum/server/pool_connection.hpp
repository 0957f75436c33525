// The I/O of one pool connection (plain TCP or TLS): a reader with bounded lines, a writer
// draining a queue, and a watchdog enforcing the idle, handshake and write deadlines. The
// protocol itself is PoolSession's. Server thread only.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>

#include "pool_context.hpp"
#include "pool_session.hpp"

namespace nonceforge::stratum::server {

class PoolConnection : public std::enable_shared_from_this<PoolConnection> {
public:
    using Socket = boost::asio::ip::tcp::socket;

    // `tls` (may be null) must outlive the connection.
    PoolConnection(Socket socket, boost::asio::ssl::context* tls, PoolContext& ctx,
                   std::string peer);

    // Until the client leaves, a deadline passes, or Close() is called.
    boost::asio::awaitable<void> Run();
    // Idempotent. Closes the socket, so every pending operation completes.
    void Close(const std::string& why);

    PoolSession& Session() { return m_session; }

private:
    using Clock = std::chrono::steady_clock;

    boost::asio::awaitable<void> Reader();
    boost::asio::awaitable<void> Writer();
    boost::asio::awaitable<void> Watchdog();
    void Queue(std::string line);
    Socket& Lowest();

    PoolContext& m_ctx;
    std::string m_peer;
    Socket m_socket; // moved into m_tls when TLS is on
    std::optional<boost::asio::ssl::stream<Socket>> m_tls;
    boost::asio::steady_timer m_wake; // the writer sleeps on it; cancel() wakes it
    boost::asio::steady_timer m_watchdog;
    std::deque<std::string> m_outbox; // the front one is being written
    std::string m_in;
    Clock::time_point m_read_deadline = Clock::time_point::max();
    Clock::time_point m_write_deadline = Clock::time_point::max();
    std::string m_read_timeout_reason;
    bool m_open = true;
    PoolSession m_session;
};

} // namespace nonceforge::stratum::server
