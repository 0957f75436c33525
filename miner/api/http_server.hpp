// A small read-only HTTP/1.1 server on Boost.Beast for the monitoring API: the connections,
// deadlines and caps; what each request gets is decided in http_exchange. It enforces what
// an exposed endpoint needs and nothing more: GET only (405 otherwise), bounded headers (431)
// and body (413), a deadline for each request to arrive and each reply to leave (slow clients
// are disconnected; the headers have a shorter deadline of their own), caps on open
// connections in all and per client address (the next one is closed at once), a Host header
// that is ours (403 otherwise, against DNS rebinding) and, when a token is set,
// `Authorization: Bearer TOKEN` on every request (401 otherwise), compared in constant time. Runs
// on one executor's thread; Start and Stop are called on that thread or before it runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "miner/api/api_options.hpp"
#include "miner/api/http_exchange.hpp"
#include "miner/api/listener.hpp"
#include "nonceforge/core/expected.hpp"

namespace nonceforge::miner::api {

class HttpServer {
public:
    using Handler = HttpHandler;

    // `log`: the listener's warnings (a failing accept, a connection coroutine that threw).
    HttpServer(boost::asio::any_io_executor executor, HttpLimits limits, AccessRules rules,
               Handler handler, Listener::LogFn log = {});
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds and starts accepting; the bound port (useful with port 0), or why not.
    core::Expected<uint16_t, std::string> Start(const boost::asio::ip::tcp::endpoint& endpoint) {
        return m_listener.Start(endpoint);
    }
    // Closes the listener and every connection; the coroutines end soon after.
    void Stop() { m_listener.Stop(); }
    std::size_t OpenConnections() const { return m_listener.OpenConnections(); }

private:
    boost::asio::awaitable<void> Serve(boost::beast::tcp_stream& stream);

    HttpLimits m_limits;
    AccessRules m_rules;
    Handler m_handler;
    Listener m_listener;
};

} // namespace nonceforge::miner::api
