#include "miner/api/api_server.hpp"

#include <algorithm>
#include <charconv>
#include <optional>

namespace nonceforge::miner::api {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

std::string_view Version() {
    return NF_VERSION;
}

core::Expected<tcp::endpoint, std::string> ParseBindAddress(std::string_view text) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
        return core::MakeUnexpected("'" + std::string(text) + "': expected ADDRESS:PORT");
    }
    std::string_view host = text.substr(0, colon);
    const std::string_view port_text = text.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    unsigned port = 0;
    const auto [end, ec] =
        std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || port > 65535 ||
        port_text.empty()) {
        return core::MakeUnexpected("'" + std::string(text) + "': the port must be 0..65535");
    }
    boost::system::error_code aec;
    const auto address = asio::ip::make_address(std::string(host), aec);
    if (aec) {
        return core::MakeUnexpected("'" + std::string(text) +
                                    "': the address must be an IP address such as 127.0.0.1");
    }
    return tcp::endpoint(address, static_cast<uint16_t>(port));
}

std::optional<std::string> CheckToken(std::string_view token) {
    const bool visible = std::all_of(token.begin(), token.end(), [](char c) {
        return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f;
    });
    if (!visible) {
        return "must not contain spaces, control or non-ASCII characters";
    }
    if (token.size() < MIN_TOKEN_CHARS) {
        return "is too short: use at least " + std::to_string(MIN_TOKEN_CHARS) +
               " characters (e.g. from `openssl rand -hex 16`)";
    }
    return std::nullopt;
}

ApiServer::ApiServer(asio::any_io_executor executor, ApiOptions options, ViewFn view, LogFn log)
    : m_executor(std::move(executor))
    , m_options(std::move(options))
    , m_view(std::move(view))
    , m_log(std::move(log)) {}

ApiServer::~ApiServer() = default;

std::optional<std::string> CheckApiOptions(const ApiOptions& options) {
    auto http_ep = ParseBindAddress(options.bind);
    if (!http_ep) {
        return "--api-bind " + http_ep.error();
    }
    if (!options.token.empty()) {
        if (auto bad = CheckToken(options.token)) {
            return "--api-token " + *bad;
        }
    }
    for (const std::string& host : options.allowed_hosts) {
        if (host != "*" && !HostAllowlist::HostName(host)) {
            return "--api-allow-host '" + host + "': expected a host name or IP address, or *";
        }
    }
    if (!http_ep->address().is_loopback() && options.token.empty()) {
        return "--api-bind " + options.bind +
               " is not a loopback address: it needs --api-token TOKEN";
    }
    if (!options.cgminer_bind.empty()) {
        auto ep = ParseBindAddress(options.cgminer_bind);
        if (!ep) {
            return "--api-cgminer " + ep.error();
        }
        if (!ep->address().is_loopback() && !options.cgminer_remote) {
            return "--api-cgminer " + options.cgminer_bind +
                   " is not a loopback address, and the cgminer API has no authentication: add "
                   "--api-cgminer-remote to expose it anyway";
        }
    }
    return std::nullopt;
}

core::Expected<bool, std::string> ApiServer::Start() {
    // Configuration first: nothing is bound when any of it is wrong.
    if (auto bad = CheckApiOptions(m_options)) {
        return core::MakeUnexpected(*bad);
    }
    auto http_ep = ParseBindAddress(m_options.bind);
    std::optional<tcp::endpoint> cg_ep;
    if (!m_options.cgminer_bind.empty()) {
        cg_ep = *ParseBindAddress(m_options.cgminer_bind);
    }

    AccessRules rules{HostAllowlist(http_ep->address(), m_options.allowed_hosts), m_options.token};
    const auto warn = [this](const std::string& text) { m_log(core::LogLevel::Warn, text); };
    m_http = std::make_unique<HttpServer>(
        m_executor, m_options.limits, std::move(rules),
        [this](std::string_view target) { return Handle(target); }, warn);
    if (auto port = m_http->Start(*http_ep)) {
        m_http_port = *port;
        m_log(core::LogLevel::Info,
              "API: dashboard and JSON at http://" +
                  (http_ep->address().is_v6() ? "[" + http_ep->address().to_string() + "]"
                                              : http_ep->address().to_string()) +
                  ":" + std::to_string(m_http_port) + "/, Prometheus at /metrics" +
                  (m_options.token.empty() ? "" : " (bearer token required)"));
    } else {
        m_log(core::LogLevel::Warn, "API: cannot listen on " + m_options.bind + ": " +
                                        port.error() + "; mining without the HTTP API");
        m_http.reset();
    }
    if (cg_ep) {
        m_cgminer = std::make_unique<CgminerServer>(
            m_executor, m_options.limits,
            [this](std::string_view request) { return CgminerReply(m_view(0), request); }, warn);
        if (auto port = m_cgminer->Start(*cg_ep)) {
            m_cgminer_port = *port;
            m_log(core::LogLevel::Info,
                  "API: cgminer-compatible API on port " + std::to_string(m_cgminer_port));
        } else {
            m_log(core::LogLevel::Warn, "API: cannot listen on " + m_options.cgminer_bind + ": " +
                                            port.error() + "; mining without the cgminer API");
            m_cgminer.reset();
        }
    }
    if (m_options.on_listening) {
        m_options.on_listening(m_http_port, m_cgminer_port);
    }
    return true;
}

void ApiServer::Stop() {
    if (m_http) {
        m_http->Stop();
    }
    if (m_cgminer) {
        m_cgminer->Stop();
    }
}

HttpReply ApiServer::Handle(std::string_view target) const {
    return Route(target, m_view, m_options.share_history);
}

} // namespace nonceforge::miner::api
