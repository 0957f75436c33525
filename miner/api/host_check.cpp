#include "miner/api/host_check.hpp"

#include <algorithm>
#include <cctype>

namespace nonceforge::miner::api {

namespace asio = boost::asio;

namespace {

bool AllDigits(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

std::optional<asio::ip::address> AsAddress(const std::string& host) {
    boost::system::error_code ec;
    const auto a = asio::ip::make_address(host, ec);
    if (ec) {
        return std::nullopt;
    }
    return a;
}

} // namespace

std::optional<std::string> HostAllowlist::HostName(std::string_view value) {
    std::string_view host;
    std::string_view port;
    if (!value.empty() && value.front() == '[') {
        const std::size_t close = value.find(']');
        if (close == std::string_view::npos) {
            return std::nullopt;
        }
        host = value.substr(1, close - 1);
        const std::string_view rest = value.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') {
                return std::nullopt;
            }
            port = rest.substr(1);
        }
    } else {
        const std::size_t colon = value.find(':');
        host = value.substr(0, colon);
        if (colon != std::string_view::npos) {
            port = value.substr(colon + 1);
            if (port.find(':') != std::string_view::npos) {
                return std::nullopt; // an IPv6 literal without brackets, or junk
            }
        }
    }
    if (!AllDigits(port) || port.size() > 5) {
        return std::nullopt;
    }
    if (!host.empty() && host.back() == '.') {
        host.remove_suffix(1);
    }
    if (host.empty()) {
        return std::nullopt;
    }
    std::string out;
    out.reserve(host.size());
    for (char c : host) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f || c == '/' || c == '@' || c == '\\') {
            return std::nullopt;
        }
        out.push_back(static_cast<char>(std::tolower(u)));
    }
    return out;
}

HostAllowlist::HostAllowlist(const asio::ip::address& bind, const std::vector<std::string>& extra)
    : m_bind(bind)
    , m_any_ip(bind.is_unspecified()) {
    for (const std::string& name : extra) {
        if (name == "*") {
            m_any = true;
        } else if (auto host = HostName(name)) {
            m_names.push_back(std::move(*host));
        }
    }
}

bool HostAllowlist::Allows(std::string_view host_header) const {
    if (m_any) {
        return true;
    }
    const auto host = HostName(host_header);
    if (!host) {
        return false;
    }
    // RFC 6761: localhost and its subdomains are loopback; browsers never ask DNS for them.
    constexpr std::string_view LOCALHOST = "localhost";
    if (*host == LOCALHOST ||
        (host->size() > LOCALHOST.size() + 1 && host->ends_with(".localhost"))) {
        return true;
    }
    if (const auto address = AsAddress(*host)) {
        if (address->is_loopback()) {
            return true; // 127.0.0.0/8 and ::1
        }
        if (m_any_ip || (m_bind && *address == *m_bind)) {
            return true;
        }
    }
    return std::find(m_names.begin(), m_names.end(), *host) != m_names.end();
}

} // namespace nonceforge::miner::api
