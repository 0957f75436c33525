#include "miner/api/cgminer_server.hpp"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <nlohmann/json.hpp>

namespace nonceforge::miner::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

constexpr auto AS_TUPLE = asio::as_tuple(asio::use_awaitable);

// cgminer answers after one recv(). Here a JSON request is read on while it is a valid prefix
// (a client may split it); a plain-text one ends with the first read, a newline or a NUL.
bool Complete(std::string_view data) {
    if (data.find('\n') != std::string_view::npos || data.find('\0') != std::string_view::npos) {
        return true;
    }
    const std::size_t first = data.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || data[first] != '{') {
        return first != std::string_view::npos;
    }
    try {
        [[maybe_unused]] const auto parsed = nlohmann::json::parse(data.substr(first));
        return true;
    } catch (const nlohmann::json::parse_error& e) {
        // An error before the last byte can never be repaired by more input.
        return e.byte < data.size() - first;
    }
}

} // namespace

CgminerServer::CgminerServer(asio::any_io_executor executor, HttpLimits limits, Handler handler,
                             Listener::LogFn log)
    : m_limits(limits)
    , m_handler(std::move(handler))
    , m_listener(
          std::move(executor), limits.max_connections, limits.max_connections_per_client,
          [this](beast::tcp_stream& stream) { return Serve(stream); }, std::move(log)) {}

CgminerServer::~CgminerServer() = default;

asio::awaitable<void> CgminerServer::Serve(beast::tcp_stream& stream) {
    std::string request;
    char buf[1024];
    // A cgminer request is all header: the shorter deadline applies.
    stream.expires_after(std::min(m_limits.header_timeout, m_limits.request_timeout));
    while (request.size() < MAX_REQUEST_BYTES) {
        auto [ec, n] = co_await stream.async_read_some(asio::buffer(buf), AS_TUPLE);
        request.append(buf, n);
        if (ec || Complete(request)) {
            break; // answer what came, as cgminer does; a timed-out client has been closed
        }
    }
    if (stream.socket().is_open() && !request.empty() && !m_listener.Stopped()) {
        std::string reply = m_handler(request);
        reply.push_back('\0');
        stream.expires_after(m_limits.write_timeout);
        co_await asio::async_write(stream, asio::buffer(reply), AS_TUPLE);
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
}

} // namespace nonceforge::miner::api
