// Proxies for the pool connection (cpuminer's -x/--proxy):
//   socks5://[user:pass@]host:port   SOCKS5 (RFC 1928) with remote DNS: the pool's host name
//   socks5h://...                    is sent to the proxy (ATYP 0x03) and never resolved here;
//                                    user:pass is RFC 1929 username/password authentication.
//   http://[user:pass@]host:port     HTTP CONNECT pool-host:port, Basic auth from user:pass.
// user and pass may be percent-encoded (%40 for '@', %3A for ':').
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "nonceforge/core/expected.hpp"

namespace nonceforge::stratum {

enum class ProxyKind { Socks5, HttpConnect };

struct ProxyConfig {
    ProxyKind kind = ProxyKind::Socks5;
    std::string host; // IPv6 literals without brackets
    uint16_t port = 0;
    std::optional<std::string> user; // decoded; each at most 255 bytes (RFC 1929)
    std::optional<std::string> password;

    // socks5://host:port or http://host:port: for log lines, never with the credentials.
    std::string ToString() const;
};

// The error says what is wrong and quotes the offending part, with any password replaced by
// ***; it is meant to be shown as "--proxy: <error>".
core::Expected<ProxyConfig, std::string> ParseProxyUrl(std::string_view text);

} // namespace nonceforge::stratum
