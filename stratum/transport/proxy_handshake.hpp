// The proxy handshakes (SOCKS5, HTTP CONNECT) over a TCP socket already connected to the
// proxy. The caller bounds them with TransportTimeouts::proxy_handshake.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "nonceforge/stratum/proxy.hpp"

namespace nonceforge::stratum {

// Asks the proxy for a tunnel to host:port. A host name goes to the proxy as it is (SOCKS5
// ATYP 0x03, or the CONNECT target), never resolved here; an IP literal goes as an address.
// On success the socket carries the tunnel and nothing of the proxy's reply is left unread.
// nullopt on success, else the reason ("SOCKS5 reply 0x05: connection refused", ...), without
// the proxy's name and never with its password.
boost::asio::awaitable<std::optional<std::string>>
ProxyHandshake(boost::asio::ip::tcp::socket& socket, const ProxyConfig& proxy,
               const std::string& host, uint16_t port);

} // namespace nonceforge::stratum
