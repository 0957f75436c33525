#include "miner/api/listener.hpp"

#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace nonceforge::miner::api {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

Listener::Listener(asio::any_io_executor executor, std::size_t max_connections,
                   std::size_t max_per_client, Session session)
    : m_executor(std::move(executor))
    , m_max_connections(max_connections)
    , m_max_per_client(max_per_client)
    , m_session(std::move(session))
    , m_acceptor(m_executor) {}

Listener::~Listener() = default;

core::Expected<uint16_t, std::string> Listener::Start(const tcp::endpoint& endpoint) {
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

void Listener::Stop() {
    m_stopped = true;
    boost::system::error_code ignored;
    m_acceptor.close(ignored);
    for (tcp::socket* s : m_sockets) {
        s->close(ignored);
    }
}

asio::awaitable<void> Listener::AcceptLoop() {
    while (!m_stopped) {
        auto [ec, socket] = co_await m_acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
        if (ec) {
            if (m_stopped || ec == asio::error::operation_aborted) {
                co_return;
            }
            continue; // e.g. the peer reset before accept, or out of file descriptors
        }
        boost::system::error_code rec;
        const asio::ip::address client = socket.remote_endpoint(rec).address();
        if (rec || m_open >= m_max_connections || m_per_client[client] >= m_max_per_client) {
            if (!rec && m_per_client[client] == 0) {
                m_per_client.erase(client);
            }
            boost::system::error_code ignored;
            socket.close(ignored); // over a cap: closed at once, the miner is unaffected
            continue;
        }
        ++m_open;
        ++m_per_client[client];
        asio::co_spawn(m_executor, Serve(std::move(socket), client), asio::detached);
    }
}

asio::awaitable<void> Listener::Serve(tcp::socket socket, asio::ip::address client) {
    boost::beast::tcp_stream stream(std::move(socket));
    m_sockets.insert(&stream.socket());
    struct Unregister {
        Listener* self;
        tcp::socket* s;
        asio::ip::address client;
        ~Unregister() {
            self->m_sockets.erase(s);
            --self->m_open;
            if (--self->m_per_client[client] == 0) {
                self->m_per_client.erase(client);
            }
        }
    } unregister{this, &stream.socket(), client};
    co_await m_session(stream);
    boost::system::error_code ignored;
    stream.socket().close(ignored);
}

} // namespace nonceforge::miner::api
