// One HTTP request -> one reply, decided without I/O: the part of the monitoring server that
// sees untrusted bytes. HttpServer reads a request with these limits and answers it with
// Answer(); ServeBytes() runs the same steps over bytes in memory (tests, the fuzz target).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/error_code.hpp>

#include "miner/api/api_options.hpp"
#include "miner/api/host_check.hpp"

namespace nonceforge::miner::api {

struct HttpReply {
    unsigned status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers; // extra response headers
};

// target: the request target ("/api/v1/shares?limit=5"); called for authorised GETs only.
using HttpHandler = std::function<HttpReply(std::string_view target)>;
using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

// Equal strings, in time that depends only on the length of `expected`.
bool ConstantTimeEquals(std::string_view given, std::string_view expected);

// Whether an Authorization header value carries `token` with the Bearer scheme. RFC 7235
// section 2.1: the scheme is case-insensitive and one or more spaces follow it. The token
// itself is compared in constant time.
bool BearerMatches(std::string_view authorization, std::string_view token);

// Who may be answered: the Host header rule (every request) and the bearer token (when set).
struct AccessRules {
    HostAllowlist hosts;
    std::string token; // empty: no token required
};

// A parser for the next request on a connection, with the header and body limits set.
void ApplyLimits(RequestParser& parser, const HttpLimits& limits);
// The read buffer a connection keeps: room for the largest request the limits allow.
std::size_t ReadBufferBytes(const HttpLimits& limits);

struct Exchange {
    HttpReply reply;
    unsigned version = 11;
    bool keep_alive = false; // read the next request on this connection after the reply
    bool linger = false;     // an error reply: drain what the client still sends, then close
};

// The answer to one read that ended with `read_ec` into `parser`; nothing when the connection
// just ends (the client closed, reset or was too slow). 431 and 413 for requests over the
// limits, 400 for malformed ones (and HTTP/1.1 without exactly one Host header), 403 for a
// Host the rules do not allow, 401 without the right bearer token (when one is set), 405 for
// anything but GET, else what `handler` says.
std::optional<Exchange> Answer(const boost::system::error_code& read_ec,
                               const RequestParser& parser, const AccessRules& rules,
                               const HttpHandler& handler);

// The response written for an exchange, with the headers every reply carries.
Response MakeResponse(const Exchange& exchange);

// The bytes the server writes back to a client that sends `request` and then closes: one reply
// per request (pipelined requests too) until one is not keep-alive or errs.
std::string ServeBytes(std::string_view request, const HttpLimits& limits, const AccessRules& rules,
                       const HttpHandler& handler);

} // namespace nonceforge::miner::api
