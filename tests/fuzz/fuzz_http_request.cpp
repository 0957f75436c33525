// libFuzzer target: the monitoring API's request path on arbitrary bytes, as a client would
// send them before closing: HTTP parsing under the limits, the bearer token, the method check,
// the routes (with a synthetic miner snapshot) and the reply. The first byte picks whether a
// token is required and whether the limits are the defaults or tiny. What comes back must be
// a sequence of complete, well-formed HTTP responses with a status the server documents, and
// no 200 without the token when one is required.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "miner/api/api_routes.hpp"
#include "miner/api/http_exchange.hpp"
#include "miner/api/sample_view.hpp"

namespace {

using namespace nonceforge::miner::api;
namespace http = boost::beast::http;

constexpr std::string_view TOKEN = "fuzz-token-0123456789";

bool Documented(unsigned status) {
    switch (status) {
    case 200:
    case 400:
    case 401:
    case 403:
    case 404:
    case 405:
    case 413:
    case 431:
        return true;
    default:
        return false;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const bool with_token = (data[0] & 1) != 0;
    HttpLimits limits;
    if ((data[0] & 2) != 0) {
        limits.max_header_bytes = 64;
        limits.max_body_bytes = 8;
    }
    const std::string_view request(reinterpret_cast<const char*>(data + 1), size - 1);
    static const ApiView view = nonceforge::test::SampleView();
    AccessRules rules;
    rules.token = with_token ? std::string(TOKEN) : std::string();
    const std::string out = ServeBytes(request, limits, rules, [](std::string_view target) {
        return Route(
            target, [](std::size_t) { return view; }, 256);
    });

    std::string_view rest = out;
    while (!rest.empty()) {
        http::response_parser<http::string_body> parser;
        parser.eager(true);
        parser.body_limit(64 * 1024 * 1024);
        boost::system::error_code ec;
        while (!parser.is_done()) {
            const std::size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
            if (ec || used == 0) {
                __builtin_trap(); // an incomplete or malformed response
            }
            rest.remove_prefix(used);
        }
        const unsigned status = parser.get().result_int();
        if (!Documented(status)) {
            __builtin_trap();
        }
        if (status == 200 && with_token && request.find(TOKEN) == std::string_view::npos) {
            __builtin_trap(); // served without the token
        }
    }
    return 0;
}
