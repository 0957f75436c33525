// Which Host header values the HTTP API answers: the defence against DNS rebinding, where a
// web page on another site points its own name at 127.0.0.1 and then reads the loopback API
// with the browser's help. The browser still sends that name in Host, so a request whose Host
// is not one of ours gets 403. Pure: no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>

namespace nonceforge::miner::api {

class HostAllowlist {
public:
    // Loopback names only: localhost (and *.localhost), 127.0.0.0/8, [::1].
    HostAllowlist() = default;
    // Also the bind address (any IP literal when bound to 0.0.0.0 or ::, as an IP literal
    // cannot be a rebound name) and `extra` names (--api-allow-host; "*" accepts any Host).
    HostAllowlist(const boost::asio::ip::address& bind, const std::vector<std::string>& extra);

    // `host_header`: the value of the Host header, with or without a port.
    bool Allows(std::string_view host_header) const;

    // The host part of a Host value, lower case, without brackets, port or a final dot:
    // "[::1]:4048" -> "::1", "Miner.LAN.:80" -> "miner.lan"; nothing when it is malformed.
    static std::optional<std::string> HostName(std::string_view value);

private:
    std::optional<boost::asio::ip::address> m_bind;
    bool m_any_ip = false; // bound to a wildcard address
    bool m_any = false;    // "*" was given
    std::vector<std::string> m_names;
};

} // namespace nonceforge::miner::api
