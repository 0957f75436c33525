// The cgminer-compatible API listener: one request per connection (a JSON object or a plain
// "command|parameter" line), one reply terminated by a NUL byte, then the connection closes,
// as cgminer does. Read-only; the same connection cap and deadlines as the HTTP server.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "miner/api/api_options.hpp"
#include "miner/api/listener.hpp"

namespace nonceforge::miner::api {

class CgminerServer {
public:
    // The reply to one request (without the NUL).
    using Handler = std::function<std::string(std::string_view request)>;
    static constexpr std::size_t MAX_REQUEST_BYTES = 8 * 1024;

    CgminerServer(boost::asio::any_io_executor executor, HttpLimits limits, Handler handler,
                  Listener::LogFn log = {});
    ~CgminerServer();
    CgminerServer(const CgminerServer&) = delete;
    CgminerServer& operator=(const CgminerServer&) = delete;

    core::Expected<uint16_t, std::string> Start(const boost::asio::ip::tcp::endpoint& endpoint) {
        return m_listener.Start(endpoint);
    }
    void Stop() { m_listener.Stop(); }

private:
    boost::asio::awaitable<void> Serve(boost::beast::tcp_stream& stream);

    HttpLimits m_limits;
    Handler m_handler;
    Listener m_listener;
};

} // namespace nonceforge::miner::api
