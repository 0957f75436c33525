// A TCP listener for the monitoring APIs: binds, accepts, caps the open connections in all and
// per client address (the next one is closed at once, without a reply, so one client cannot
// take every slot) and closes them all on Stop. What happens on a connection is the server's
// Session coroutine. Runs on one executor's thread; Start and Stop are called on that thread or
// before it runs.
//
// Every coroutine it starts (the accept loop and one per connection) is counted and ends in a
// completion handler that logs an escaping exception (a bug, never a network failure) instead
// of losing it; Join() returns once Stop was called and the last of them has ended. The owner
// keeps the Listener alive until then (or until its io_context has run out of work). A failing
// accept (out of file descriptors, for example) is retried after a back-off, not at once, and
// each distinct error is logged once.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/system/error_code.hpp>

#include "nonceforge/core/expected.hpp"

namespace nonceforge::miner::api {

// The wait before the next accept after a failed one: 100 ms doubling to 1 s, back to 100 ms
// after an accepted connection. Only the first occurrence of an error in a row of failures is
// logged (a different error is logged again). Sans-I/O: unit-tested without sockets.
class AcceptBackoff {
public:
    static constexpr std::chrono::milliseconds FIRST{100};
    static constexpr std::chrono::milliseconds MAX{1000};

    struct Step {
        std::chrono::milliseconds delay;
        bool log; // the first of this error since the last accepted connection or other error
    };
    Step OnError(const boost::system::error_code& ec);
    void OnAccepted();

private:
    std::chrono::milliseconds m_next = FIRST;
    std::optional<boost::system::error_code> m_logged;
};

class Listener {
public:
    // Serves one connection; the stream is closed by the listener when it returns. It must not
    // throw: every failure is a value (an exception is logged as a bug, and the connection
    // closed).
    using Session = std::function<boost::asio::awaitable<void>(boost::beast::tcp_stream&)>;
    // A warning for the operator: a failing accept, a coroutine that threw.
    using LogFn = std::function<void(const std::string&)>;

    Listener(boost::asio::any_io_executor executor, std::size_t max_connections,
             std::size_t max_per_client, Session session, LogFn log = {});
    ~Listener();
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;

    // Binds and starts accepting; the bound port (useful with port 0), or why not.
    core::Expected<uint16_t, std::string> Start(const boost::asio::ip::tcp::endpoint& endpoint);
    // Closes the listener and every connection; the coroutines end soon after (Join).
    void Stop();
    // Returns once Stop() was called and every coroutine of the listener has ended.
    boost::asio::awaitable<void> Join();
    bool Stopped() const { return m_stopped; }
    std::size_t OpenConnections() const { return m_open; }
    // Coroutines still running: the accept loop and one per open connection. Thread-safe.
    std::size_t Running() const { return m_running; }
    // Accepts that failed (each followed by a back-off). Thread-safe.
    uint64_t AcceptErrors() const { return m_accept_errors; }

private:
    boost::asio::awaitable<void> AcceptLoop();
    boost::asio::awaitable<void> Serve(boost::asio::ip::tcp::socket socket,
                                       boost::asio::ip::address client);
    void Admit(boost::asio::ip::tcp::socket socket);
    // co_spawn, counted, with a completion handler that logs an exception naming `what`.
    void Spawn(boost::asio::awaitable<void> coroutine, std::string what);
    void Log(const std::string& text) const;

    boost::asio::any_io_executor m_executor;
    std::size_t m_max_connections;
    std::size_t m_max_per_client;
    Session m_session;
    LogFn m_log;
    boost::asio::ip::tcp::acceptor m_acceptor;
    boost::asio::steady_timer m_retry;  // the back-off after a failed accept; Stop cancels it
    boost::asio::steady_timer m_joined; // never expires; cancelled when the last coroutine ends
    std::unordered_set<boost::asio::ip::tcp::socket*> m_sockets; // open connections
    std::size_t m_open = 0;
    std::map<boost::asio::ip::address, std::size_t> m_per_client; // open connections by address
    std::atomic<std::size_t> m_running{0};
    std::atomic<uint64_t> m_accept_errors{0};
    bool m_stopped = false;
};

} // namespace nonceforge::miner::api
