// The monitoring APIs of `nonceforge mine`: the HTTP server (JSON under /api/v1/, Prometheus
// /metrics, the dashboard at /) and the optional cgminer-compatible listener. Everything runs
// on the runtime's network thread, which only gathers a snapshot per request: the hashing
// threads never see the API. Read-only: nothing here changes the miner.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "miner/api/api_options.hpp"
#include "miner/api/api_routes.hpp"
#include "miner/api/api_view.hpp"
#include "miner/api/cgminer_server.hpp"
#include "miner/api/http_server.hpp"
#include "nonceforge/core/expected.hpp"
#include "nonceforge/core/log_level.hpp"

namespace nonceforge::miner::api {

// "127.0.0.1:4048", "[::1]:4048", "0.0.0.0:4048": an IP literal and a port.
core::Expected<boost::asio::ip::tcp::endpoint, std::string> ParseBindAddress(std::string_view text);

inline constexpr std::size_t MIN_TOKEN_CHARS = 16;

// Why a --api-token is refused, or nothing when it is fine: at least MIN_TOKEN_CHARS visible
// ASCII characters (a header value carries it; a space could never be sent back intact).
std::optional<std::string> CheckToken(std::string_view token);
// Every rule of the options (addresses, token, allowed hosts, loopback rules) without binding:
// the one-line error, naming the option, or nothing. `mine` calls it before anything starts.
std::optional<std::string> CheckApiOptions(const ApiOptions& options);

// nonceforge's version, "0.1.0".
std::string_view Version();

class ApiServer {
public:
    using ViewFn = api::ViewFn;
    using LogFn = std::function<void(core::LogLevel, const std::string&)>;

    ApiServer(boost::asio::any_io_executor executor, ApiOptions options, ViewFn view, LogFn log);
    ~ApiServer();
    ApiServer(const ApiServer&) = delete;
    ApiServer& operator=(const ApiServer&) = delete;

    // Checks the options (a configuration error is returned: the miner should not start), then
    // binds; a listener that cannot bind is logged and left off, and mining goes on.
    core::Expected<bool, std::string> Start();
    void Stop();

    uint16_t HttpPort() const { return m_http_port; }
    uint16_t CgminerPort() const { return m_cgminer_port; }

    // The HTTP routes, without the transport: status, content type and body for a GET target.
    HttpReply Handle(std::string_view target) const;

private:
    boost::asio::any_io_executor m_executor;
    ApiOptions m_options;
    ViewFn m_view;
    LogFn m_log;
    std::unique_ptr<HttpServer> m_http;
    std::unique_ptr<CgminerServer> m_cgminer;
    uint16_t m_http_port = 0;
    uint16_t m_cgminer_port = 0;
};

} // namespace nonceforge::miner::api
