// A TCP listener for the monitoring APIs: binds, accepts, caps the open connections in all and
// per client address (the next one is closed at once, without a reply, so one client cannot
// take every slot) and closes them all on Stop. What happens on a
// connection is the server's Session coroutine. Runs on one executor's thread; Start and Stop
// are called on that thread or before it runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_set>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "nonceforge/core/expected.hpp"

namespace nonceforge::miner::api {

class Listener {
public:
    // Serves one connection; the stream is closed by the listener when it returns. It must not
    // throw: every failure is a value (an escaping exception would end the network thread).
    using Session = std::function<boost::asio::awaitable<void>(boost::beast::tcp_stream&)>;

    Listener(boost::asio::any_io_executor executor, std::size_t max_connections,
             std::size_t max_per_client, Session session);
    ~Listener();
    Listener(const Listener&) = delete;
    Listener& operator=(const Listener&) = delete;

    // Binds and starts accepting; the bound port (useful with port 0), or why not.
    core::Expected<uint16_t, std::string> Start(const boost::asio::ip::tcp::endpoint& endpoint);
    // Closes the listener and every connection; the coroutines end soon after.
    void Stop();
    bool Stopped() const { return m_stopped; }
    std::size_t OpenConnections() const { return m_open; }

private:
    boost::asio::awaitable<void> AcceptLoop();
    boost::asio::awaitable<void> Serve(boost::asio::ip::tcp::socket socket,
                                       boost::asio::ip::address client);

    boost::asio::any_io_executor m_executor;
    std::size_t m_max_connections;
    std::size_t m_max_per_client;
    Session m_session;
    boost::asio::ip::tcp::acceptor m_acceptor;
    std::unordered_set<boost::asio::ip::tcp::socket*> m_sockets; // open connections
    std::size_t m_open = 0;
    std::map<boost::asio::ip::address, std::size_t> m_per_client; // open connections by address
    bool m_stopped = false;
};

} // namespace nonceforge::miner::api
