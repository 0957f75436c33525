#include "miner/api/cgminer_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
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

CgminerServer::CgminerServer(asio::any_io_executor executor, HttpLimits limits, Handler handler)
    : m_executor(std::move(executor))
    , m_limits(limits)
    , m_handler(std::move(handler))
    , m_acceptor(m_executor) {}

CgminerServer::~CgminerServer() = default;

core::Expected<uint16_t, std::string> CgminerServer::Start(const tcp::endpoint& endpoint) {
    boost::system::error_code ec;
    m_acceptor.open(endpoint.protocol(), ec);
    if (!ec) {
        m_acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
        m_acceptor.bind(endpoint, ec);
    }
    if (!ec) {
        m_acceptor.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        boost::system::error_code ignored;
        m_acceptor.close(ignored);
        return core::MakeUnexpected(ec.message());
    }
    const uint16_t port = m_acceptor.local_endpoint(ec).port();
    asio::co_spawn(m_executor, AcceptLoop(), asio::detached);
    return port;
}

void CgminerServer::Stop() {
    m_stopped = true;
    boost::system::error_code ignored;
    m_acceptor.close(ignored);
    for (tcp::socket* s : m_sockets) {
        s->close(ignored);
    }
}

asio::awaitable<void> CgminerServer::AcceptLoop() {
    while (!m_stopped) {
        auto [ec, socket] = co_await m_acceptor.async_accept(AS_TUPLE);
        if (ec) {
            if (m_stopped || ec == asio::error::operation_aborted) {
                co_return;
            }
            continue;
        }
        if (m_open >= m_limits.max_connections) {
            boost::system::error_code ignored;
            socket.close(ignored);
            continue;
        }
        ++m_open;
        asio::co_spawn(m_executor, Serve(std::move(socket)), asio::detached);
    }
}

asio::awaitable<void> CgminerServer::Serve(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    m_sockets.insert(&stream.socket());
    struct Unregister {
        CgminerServer* self;
        tcp::socket* s;
        ~Unregister() {
            self->m_sockets.erase(s);
            --self->m_open;
        }
    } unregister{this, &stream.socket()};

    std::string request;
    char buf[1024];
    stream.expires_after(m_limits.request_timeout);
    while (request.size() < MAX_REQUEST_BYTES) {
        auto [ec, n] = co_await stream.async_read_some(asio::buffer(buf), AS_TUPLE);
        request.append(buf, n);
        if (ec || Complete(request)) {
            break; // answer what came, as cgminer does; a timed-out client has been closed
        }
    }
    if (stream.socket().is_open() && !request.empty() && !m_stopped) {
        std::string reply = m_handler(request);
        reply.push_back('\0');
        stream.expires_after(m_limits.write_timeout);
        co_await asio::async_write(stream, asio::buffer(reply), AS_TUPLE);
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream.socket().close(ignored);
}

} // namespace nonceforge::miner::api
