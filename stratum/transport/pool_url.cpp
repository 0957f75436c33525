#include "nonceforge/stratum/pool_url.hpp"

#include <cctype>
#include <charconv>

namespace nonceforge::stratum {

namespace {

using core::MakeUnexpected;

constexpr std::size_t MAX_URL_LENGTH = 2048;

bool ValidHostChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_';
}

} // namespace

// The URL as typed, for error messages, with the password of user:password@ replaced by ***:
// an error line must not leak the credential into a log.
std::string RedactUrlPassword(std::string_view text) {
    const auto scheme_end = text.find("://");
    const std::size_t start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
    const auto at = text.rfind('@'); // the last one: a password may hold '@' or '/'
    if (at == std::string_view::npos || at < start) {
        return std::string(text);
    }
    const auto colon = text.substr(start, at - start).find(':');
    if (colon == std::string_view::npos) {
        return std::string(text);
    }
    return std::string(text.substr(0, start + colon + 1)) + "***" + std::string(text.substr(at));
}

std::string PoolUrl::ToString() const {
    const bool v6 = host.find(':') != std::string::npos;
    return std::string(tls ? "stratum+ssl://" : "stratum+tcp://") + (v6 ? "[" : "") + host +
           (v6 ? "]" : "") + ":" + std::to_string(port);
}

core::Expected<PoolUrl, std::string> ParsePoolUrl(std::string_view text) {
    if (text.size() > MAX_URL_LENGTH) {
        return MakeUnexpected(std::string("pool URL longer than 2048 characters"));
    }
    PoolUrl url;
    const auto scheme_end = text.find("://");
    if (scheme_end == std::string_view::npos) {
        return MakeUnexpected("pool URL '" + RedactUrlPassword(text) +
                              "' has no scheme: use stratum+tcp://host:port or "
                              "stratum+ssl://host:port");
    }
    const std::string_view scheme = text.substr(0, scheme_end);
    if (scheme == "stratum+tcp" || scheme == "stratum") {
        url.tls = false;
    } else if (scheme == "stratum+ssl" || scheme == "stratum+tls" || scheme == "stratum+tcps") {
        url.tls = true;
    } else {
        return MakeUnexpected("unsupported pool URL scheme '" + std::string(scheme) +
                              "': use stratum+tcp, stratum+ssl or stratum+tls");
    }
    std::string_view rest = text.substr(scheme_end + 3);
    if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
        if (rest.substr(slash).find_first_not_of('/') != std::string_view::npos) {
            return MakeUnexpected("pool URL must not have a path: '" + RedactUrlPassword(text) +
                                  "'");
        }
        rest = rest.substr(0, slash);
    }
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
        const std::string_view cred = rest.substr(0, at);
        rest = rest.substr(at + 1);
        const auto colon = cred.find(':');
        url.user = std::string(cred.substr(0, colon));
        if (colon != std::string_view::npos) {
            url.password = std::string(cred.substr(colon + 1));
        }
    }
    std::string_view host, port;
    if (!rest.empty() && rest.front() == '[') {
        const auto close = rest.find(']');
        if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':') {
            return MakeUnexpected("pool URL: bad IPv6 address, write [addr]:port");
        }
        host = rest.substr(1, close - 1);
        port = rest.substr(close + 2);
        for (char c : host) {
            if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.')) {
                return MakeUnexpected("pool URL: bad IPv6 address '" + std::string(host) + "'");
            }
        }
    } else {
        const auto colon = rest.rfind(':');
        if (colon == std::string_view::npos) {
            return MakeUnexpected("pool URL '" + RedactUrlPassword(text) + "' has no port");
        }
        host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
        for (char c : host) {
            if (!ValidHostChar(c)) {
                return MakeUnexpected("pool URL: invalid character in host '" + std::string(host) +
                                      "'");
            }
        }
    }
    if (host.empty() || host.size() > 253) {
        return MakeUnexpected(std::string("pool URL: missing or too long host name"));
    }
    const auto value = ParseUrlPort(port);
    if (!value) {
        return MakeUnexpected("pool URL: port must be 1..65535, got '" + std::string(port) + "'");
    }
    url.host = std::string(host);
    url.port = *value;
    return url;
}

std::optional<uint16_t> ParseUrlPort(std::string_view text) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value == 0 ||
        value > 65535) {
        return std::nullopt;
    }
    return uint16_t(value);
}

} // namespace nonceforge::stratum
