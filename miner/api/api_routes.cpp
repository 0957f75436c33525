#include "miner/api/api_routes.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>

namespace nonceforge::miner::api {

namespace {

constexpr std::size_t DEFAULT_SHARE_LIMIT = 50;

// Bytes that are not UTF-8 (a path, a pool's error text) become U+FFFD instead of throwing.
std::string Dump(const nlohmann::json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

HttpReply Json(const nlohmann::json& j) {
    return {200, "application/json", Dump(j), {}};
}

HttpReply NotFound(std::string_view path) {
    return {404,
            "application/json",
            Dump({{"error", "not found: " + std::string(path)}, {"status", 404}}),
            {}};
}

HttpReply BadRequest(const std::string& why) {
    return {400, "application/json", Dump({{"error", why}, {"status", 400}}), {}};
}

// The dashboard loads nothing from elsewhere and talks only to this server.
constexpr const char* DASHBOARD_CSP = "default-src 'none'; script-src 'unsafe-inline'; "
                                      "style-src 'unsafe-inline'; connect-src 'self'; "
                                      "img-src data:; base-uri 'none'; form-action 'none'; "
                                      "frame-ancestors 'none'";

// The value of `key` in a query string "a=1&limit=5", if present.
std::optional<std::string_view> QueryValue(std::string_view query, std::string_view key) {
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        const std::size_t eq = pair.find('=');
        if (pair.substr(0, eq) == key) {
            return eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
        }
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    }
    return std::nullopt;
}

} // namespace

HttpReply Route(std::string_view target, const ViewFn& view, std::size_t share_history) {
    const std::size_t q = target.find('?');
    const std::string_view path = target.substr(0, q);
    const std::string_view query =
        q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
    if (path == "/" || path == "/index.html") {
        return {200,
                "text/html; charset=utf-8",
                std::string(DashboardHtml()),
                {{"Content-Security-Policy", DASHBOARD_CSP}}};
    }
    if (path == "/metrics") {
        return {200, "text/plain; version=0.0.4; charset=utf-8", PrometheusText(view(0)), {}};
    }
    if (path == "/api/v1/summary") {
        return Json(SummaryJson(view(0)));
    }
    if (path == "/api/v1/devices") {
        return Json(DevicesJson(view(0)));
    }
    if (path == "/api/v1/pools") {
        return Json(PoolsJson(view(0)));
    }
    if (path == "/api/v1/history") {
        return Json(HistoryJson(view(0)));
    }
    if (path == "/api/v1/shares") {
        std::size_t limit = DEFAULT_SHARE_LIMIT;
        if (auto text = QueryValue(query, "limit")) {
            const auto [end, ec] =
                std::from_chars(text->data(), text->data() + text->size(), limit);
            if (ec != std::errc() || end != text->data() + text->size() || text->empty()) {
                return BadRequest("limit must be a whole number from 0 to " +
                                  std::to_string(share_history));
            }
        }
        return Json(SharesJson(view(std::min(limit, share_history))));
    }
    return NotFound(path);
}

} // namespace nonceforge::miner::api
