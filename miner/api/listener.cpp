#include "miner/api/listener.hpp"

#include <algorithm>
#include <exception>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace nonceforge::miner::api {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr auto AS_TUPLE = asio::as_tuple(asio::use_awaitable);

std::string ExceptionText(const std::exception_ptr& e) {
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        return ex.what();
    } catch (...) {
        return "an exception of unknown type";
    }
}

} // namespace

AcceptBackoff::Step AcceptBackoff::OnError(const boost::system::error_code& ec) {
    const Step step{m_next, m_logged != ec};
    m_logged = ec;
    m_next = std::min(m_next * 2, MAX);
    return step;
}

void AcceptBackoff::OnAccepted() {
    m_next = FIRST;
    m_logged.reset();
}

Listener::Listener(asio::any_io_executor executor, std::size_t max_connections,
                   std::size_t max_per_client, Session session, LogFn log)
    : m_executor(std::move(executor))
    , m_max_connections(max_connections)
    , m_max_per_client(max_per_client)
    , m_session(std::move(session))
    , m_log(std::move(log))
    , m_acceptor(m_executor)
    , m_retry(m_executor)
    , m_joined(m_executor, asio::steady_timer::time_point::max()) {}

Listener::~Listener() = default;

void Listener::Log(const std::string& text) const {
    if (m_log) {
        m_log(text);
    }
}

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
    Spawn(AcceptLoop(), "accept loop");
    return port;
}

void Listener::Stop() {
    m_stopped = true;
    boost::system::error_code ignored;
    m_acceptor.close(ignored);
    m_retry.cancel();
    for (tcp::socket* s : m_sockets) {
        s->close(ignored);
    }
    if (m_running == 0) {
        m_joined.cancel();
    }
}

asio::awaitable<void> Listener::Join() {
    while (!m_stopped || m_running > 0) {
        co_await m_joined.async_wait(AS_TUPLE);
    }
}

void Listener::Spawn(asio::awaitable<void> coroutine, std::string what) {
    ++m_running;
    asio::co_spawn(m_executor, std::move(coroutine),
                   [this, what = std::move(what)](std::exception_ptr e) {
                       if (e) {
                           Log("API: " + what + " failed: " + ExceptionText(e));
                       }
                       if (--m_running == 0 && m_stopped) {
                           m_joined.cancel();
                       }
                   });
}

asio::awaitable<void> Listener::AcceptLoop() {
    AcceptBackoff backoff;
    while (!m_stopped) {
        auto [ec, socket] = co_await m_acceptor.async_accept(AS_TUPLE);
        if (m_stopped || ec == asio::error::operation_aborted) {
            co_return;
        }
        if (!ec) {
            backoff.OnAccepted();
            Admit(std::move(socket));
            continue;
        }
        // Out of file descriptors, for example: retrying at once would spin on the error.
        ++m_accept_errors;
        const AcceptBackoff::Step step = backoff.OnError(ec);
        if (step.log) {
            Log("API: accept failed: " + ec.message() + "; retrying in " +
                std::to_string(step.delay.count()) + " ms, backing off to " +
                std::to_string(AcceptBackoff::MAX.count()) +
                " ms (not logged again while it repeats)");
        }
        m_retry.expires_after(step.delay);
        co_await m_retry.async_wait(AS_TUPLE);
    }
}

void Listener::Admit(tcp::socket socket) {
    boost::system::error_code rec;
    const asio::ip::address client = socket.remote_endpoint(rec).address();
    if (rec || m_open >= m_max_connections || m_per_client[client] >= m_max_per_client) {
        if (!rec && m_per_client[client] == 0) {
            m_per_client.erase(client);
        }
        boost::system::error_code ignored;
        socket.close(ignored); // over a cap: closed at once, the miner is unaffected
        return;
    }
    ++m_open;
    ++m_per_client[client];
    Spawn(Serve(std::move(socket), client), "connection from " + client.to_string());
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
