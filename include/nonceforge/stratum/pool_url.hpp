// Pool addresses as miners write them: stratum+tcp://host:port, stratum+ssl:// or
// stratum+tls:// (the same thing: TLS), optionally with user[:password]@ before the host.
// IPv6 literals go in brackets: stratum+tcp://[::1]:3333.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "nonceforge/core/expected.hpp"

namespace nonceforge::stratum {

struct PoolUrl {
    bool tls = false;
    std::string host;
    uint16_t port = 0;
    std::optional<std::string> user; // from user[:password]@host, when present
    std::optional<std::string> password;

    // stratum+tcp://host:port (credentials never included).
    std::string ToString() const;
};

// The error says what is wrong and quotes the offending part.
core::Expected<PoolUrl, std::string> ParsePoolUrl(std::string_view text);

// A TCP port as written in a URL: digits only, 1..65535.
std::optional<uint16_t> ParseUrlPort(std::string_view text);

// A URL as typed, with the password of scheme://user:password@host replaced by ***, for
// error messages: a log line must not leak the credential.
std::string RedactUrlPassword(std::string_view text);

} // namespace nonceforge::stratum
