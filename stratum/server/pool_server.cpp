// PoolServer: the io_context, its thread, the listener, the job timers, and the calls other
// threads make into the server thread.
#include "nonceforge/stratum/pool_server.hpp"

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <utility>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "nonceforge/core/target.hpp"
#include "pool_connection.hpp"
#include "pool_context.hpp"

namespace nonceforge::stratum {

namespace asio = boost::asio;
using asio::ip::tcp;
using server::PoolConnection;
using server::PoolContext;

namespace {

constexpr auto TUPLE = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t MAX_TAG_SIZE = 40; // keeps the coinbase scriptSig within 100 bytes

std::optional<std::string> ValidateConfig(const PoolServerConfig& c) {
    if (c.extranonce1_size < 2 || c.extranonce1_size > 8) {
        return "extranonce1 size must be 2..8 bytes";
    }
    if (c.extranonce2_size < 1 || c.extranonce2_size > 16) {
        return "extranonce2 size must be 1..16 bytes";
    }
    if (!(c.min_difficulty > 0) || !(c.min_difficulty <= c.max_difficulty)) {
        return "difficulty bounds must satisfy 0 < min <= max";
    }
    for (double d : {c.difficulty, c.min_difficulty, c.max_difficulty}) {
        if (auto t = core::DifficultyToTarget(d); !t) {
            return "difficulty " + std::to_string(d) + ": " + core::ToString(t.error());
        }
    }
    if (!core::DecodeCompact(c.nbits).IsValidPow()) {
        return "nbits does not encode a valid target";
    }
    if (c.coinbase_tag.size() > MAX_TAG_SIZE) {
        return "coinbase tag longer than 40 bytes";
    }
    if (c.max_line_length < 1024) {
        return "max line length below 1024 bytes";
    }
    if (c.max_connections == 0 || c.max_queued_lines == 0 || c.jobs_kept == 0) {
        return "max connections, queued lines and jobs kept must be positive";
    }
    using std::chrono::milliseconds;
    if (c.idle_timeout <= milliseconds(0) || c.write_timeout <= milliseconds(0) ||
        c.handshake_timeout <= milliseconds(0) || c.stop_timeout <= milliseconds(0)) {
        return "timeouts must be positive";
    }
    return std::nullopt;
}

uint32_t UnixNow() {
    using namespace std::chrono;
    return uint32_t(duration_cast<seconds>(system_clock::now().time_since_epoch()).count());
}

uint64_t Seed(const PoolServerConfig& c) {
    if (c.seed != 0) {
        return c.seed;
    }
    std::random_device device;
    return uint64_t(device()) << 32 | device();
}

std::string Peer(const tcp::socket& socket) {
    boost::system::error_code ec;
    const auto ep = socket.remote_endpoint(ec);
    return ec ? std::string("?") : ep.address().to_string() + ':' + std::to_string(ep.port());
}

} // namespace

class PoolServer::Impl {
public:
    explicit Impl(PoolServerConfig config)
        : m_config(std::move(config))
        , m_ctx(std::make_unique<PoolContext>(m_config, Seed(m_config))) {}

    core::Expected<uint16_t, std::string> Start();
    void Stop();
    // Runs `f` on the server thread and waits for it; false when the server is not running.
    template <class F>
    bool Call(F&& f);

    // Server thread only.
    void NewJob(bool clean_jobs);
    void SetExtranonce();
    void SetDifficulty(double difficulty);

    PoolServerConfig m_config;
    std::unique_ptr<PoolContext> m_ctx;
    std::optional<asio::ssl::context> m_tls;
    std::atomic<bool> m_running{false};
    std::atomic<uint16_t> m_port{0};
    std::mutex m_lifecycle; // Start, Stop and Call
    bool m_started = false;

    // Declared after m_ctx and m_tls: destroyed first. Sockets and timers before m_io.
    asio::io_context m_io{1};
    std::optional<tcp::acceptor> m_acceptor;
    asio::steady_timer m_job_timer{m_io};
    asio::steady_timer m_block_timer{m_io};
    asio::steady_timer m_accept_retry{m_io};
    std::map<uint64_t, std::shared_ptr<PoolConnection>> m_connections;
    uint64_t m_next_connection = 0;
    bool m_stopping = false;
    std::thread m_thread;
    std::future<void> m_finished;

private:
    std::optional<std::string> SetUpTls();
    std::optional<std::string> Listen();
    asio::awaitable<void> AcceptLoop();
    asio::awaitable<void> Ticker(asio::steady_timer& timer, std::chrono::milliseconds interval,
                                 bool clean_jobs);
    void OnAccepted(tcp::socket socket);
    void Shutdown();
    void Spawn(asio::awaitable<void> task, const char* what);
};

std::optional<std::string> PoolServer::Impl::SetUpTls() {
    if (!m_config.tls) {
        return std::nullopt;
    }
    m_tls.emplace(asio::ssl::context::tls_server);
    m_tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                       asio::ssl::context::no_tlsv1_1);
    boost::system::error_code ec;
    m_tls->use_certificate_chain_file(m_config.tls->certificate_chain_file, ec);
    if (ec) {
        return "TLS certificate " + m_config.tls->certificate_chain_file + ": " + ec.message();
    }
    m_tls->use_private_key_file(m_config.tls->private_key_file, asio::ssl::context::pem, ec);
    if (ec) {
        return "TLS key " + m_config.tls->private_key_file + ": " + ec.message();
    }
    return std::nullopt;
}

std::optional<std::string> PoolServer::Impl::Listen() {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(m_config.bind_address, ec);
    if (ec) {
        return "bad bind address " + m_config.bind_address + ": " + ec.message();
    }
    const tcp::endpoint endpoint(address, m_config.port);
    m_acceptor.emplace(m_io);
    if (m_acceptor->open(endpoint.protocol(), ec) ||
        m_acceptor->set_option(tcp::acceptor::reuse_address(true), ec) ||
        m_acceptor->bind(endpoint, ec) ||
        m_acceptor->listen(asio::socket_base::max_listen_connections, ec)) {
        const std::string why = "cannot listen on " + m_config.bind_address + ':' +
                                std::to_string(m_config.port) + ": " + ec.message();
        m_acceptor.reset();
        return why;
    }
    m_port = m_acceptor->local_endpoint(ec).port();
    return std::nullopt;
}

core::Expected<uint16_t, std::string> PoolServer::Impl::Start() {
    std::lock_guard lock(m_lifecycle);
    if (m_started) {
        return core::MakeUnexpected(std::string("a pool server starts only once"));
    }
    if (auto err = ValidateConfig(m_config)) {
        return core::MakeUnexpected(*err);
    }
    if (auto err = SetUpTls()) {
        return core::MakeUnexpected(*err);
    }
    if (auto err = Listen()) {
        return core::MakeUnexpected(*err);
    }
    m_started = true;
    NewJob(true);

    Spawn(AcceptLoop(), "listener");
    if (m_config.job_interval.count() > 0) {
        Spawn(Ticker(m_job_timer, m_config.job_interval, false), "job timer");
    }
    if (m_config.block_interval.count() > 0) {
        Spawn(Ticker(m_block_timer, m_config.block_interval, true), "block timer");
    }
    std::promise<void> finished;
    m_finished = finished.get_future();
    m_running = true;
    m_thread = std::thread([this, done = std::move(finished)]() mutable {
        try {
            m_io.run();
        } catch (const std::exception& e) {
            m_ctx->Log(LogLevel::Warn, std::string("pool server thread failed: ") + e.what());
        }
        done.set_value();
    });
    m_ctx->Log(LogLevel::Info, std::string("pool listening on ") +
                                   (m_tls ? "stratum+ssl://" : "stratum+tcp://") +
                                   m_config.bind_address + ':' + std::to_string(m_port));
    if (m_config.refuse_shares) {
        m_ctx->Log(LogLevel::Warn,
                   "refusing " +
                       (m_config.refuse_every > 1
                            ? "one valid share in " + std::to_string(m_config.refuse_every)
                            : std::string("every valid share")) +
                       " with [23, \"" + *m_config.refuse_shares + "\", null]");
    }
    return uint16_t(m_port);
}

void PoolServer::Impl::Stop() {
    std::lock_guard lock(m_lifecycle);
    if (!m_thread.joinable()) {
        return;
    }
    m_running = false;
    asio::post(m_io, [this] { Shutdown(); });
    if (m_finished.wait_for(m_config.stop_timeout) != std::future_status::ready) {
        m_ctx->Log(LogLevel::Warn, "pool server did not stop in time; stopping it hard");
        m_io.stop();
    }
    m_thread.join();
    m_connections.clear();
    m_ctx->Log(LogLevel::Info, "pool stopped");
}

template <class F>
bool PoolServer::Impl::Call(F&& f) {
    std::lock_guard lock(m_lifecycle);
    if (!m_running) {
        return false;
    }
    auto done = std::make_shared<std::promise<void>>();
    auto future = done->get_future();
    asio::post(m_io, [done, f = std::forward<F>(f)]() mutable {
        f();
        done->set_value();
    });
    return future.wait_for(m_config.stop_timeout) == std::future_status::ready;
}

void PoolServer::Impl::Spawn(asio::awaitable<void> task, const char* what) {
    asio::co_spawn(m_io, std::move(task), [this, what](std::exception_ptr e) {
        if (!e) {
            return;
        }
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            m_ctx->Log(LogLevel::Warn, std::string(what) + " failed: " + ex.what());
        }
    });
}

// No deadline on accept: the listener waits for clients as long as the pool runs; Stop()
// closes it.
asio::awaitable<void> PoolServer::Impl::AcceptLoop() {
    while (!m_stopping) {
        auto [ec, socket] = co_await m_acceptor->async_accept(TUPLE);
        if (m_stopping || !m_acceptor->is_open()) {
            co_return;
        }
        if (ec) { // e.g. out of file descriptors: say so and retry shortly
            m_ctx->Log(LogLevel::Warn, "accept failed: " + ec.message());
            m_accept_retry.expires_after(std::chrono::milliseconds(100));
            co_await m_accept_retry.async_wait(TUPLE);
            continue;
        }
        OnAccepted(std::move(socket));
    }
}

void PoolServer::Impl::OnAccepted(tcp::socket socket) {
    const std::string peer = Peer(socket);
    m_ctx->stats.Update([](PoolCounters& c) { ++c.connections; });
    if (m_connections.size() >= m_config.max_connections) {
        m_ctx->stats.Update([](PoolCounters& c) { ++c.refused_connections; });
        m_ctx->Log(LogLevel::Warn, peer + ": refused, " + std::to_string(m_config.max_connections) +
                                       " connections already open");
        boost::system::error_code ignored;
        socket.close(ignored);
        return;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto connection = std::make_shared<PoolConnection>(std::move(socket), m_tls ? &*m_tls : nullptr,
                                                       *m_ctx, peer);
    const uint64_t id = ++m_next_connection;
    m_connections.emplace(id, connection);
    m_ctx->stats.Update([](PoolCounters& c) { ++c.open_connections; });
    m_ctx->Log(LogLevel::Debug, peer + ": connected");
    asio::co_spawn(m_io, connection->Run(), [this, id, peer](std::exception_ptr e) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                m_ctx->Log(LogLevel::Warn, peer + ": connection failed: " + ex.what());
            }
        }
        if (auto it = m_connections.find(id); it != m_connections.end()) {
            it->second->Close(""); // after an exception the sockets may still be open
            m_connections.erase(it);
        }
        m_ctx->stats.Update([](PoolCounters& c) { --c.open_connections; });
    });
}

asio::awaitable<void> PoolServer::Impl::Ticker(asio::steady_timer& timer,
                                               std::chrono::milliseconds interval,
                                               bool clean_jobs) {
    while (!m_stopping) {
        timer.expires_after(interval);
        auto [ec] = co_await timer.async_wait(TUPLE);
        if (ec || m_stopping) {
            co_return;
        }
        NewJob(clean_jobs);
    }
}

void PoolServer::Impl::Shutdown() {
    m_stopping = true;
    boost::system::error_code ignored;
    if (m_acceptor) {
        m_acceptor->close(ignored);
    }
    m_job_timer.cancel();
    m_block_timer.cancel();
    m_accept_retry.cancel();
    for (auto& [id, connection] : m_connections) {
        connection->Close("pool stopping");
    }
}

void PoolServer::Impl::NewJob(bool clean_jobs) {
    auto job = m_ctx->maker.Next(clean_jobs, UnixNow());
    m_ctx->jobs.Add(job);
    m_ctx->stats.Update([](PoolCounters& c) { ++c.jobs; });
    m_ctx->Log(LogLevel::Debug, "job " + job->job.job_id + " height " +
                                    std::to_string(job->height) + ", " +
                                    std::to_string(job->job.merkle_branch.size()) +
                                    " branch entries" + (job->job.clean_jobs ? ", clean" : ""));
    for (auto& [id, connection] : m_connections) {
        connection->Session().SendJob(*job);
    }
}

void PoolServer::Impl::SetExtranonce() {
    for (auto& [id, connection] : m_connections) {
        connection->Session().SetExtranonce();
    }
}

void PoolServer::Impl::SetDifficulty(double difficulty) {
    m_ctx->difficulty = difficulty;
    for (auto& [id, connection] : m_connections) {
        connection->Session().SetDifficulty(difficulty);
    }
}

PoolServer::PoolServer(PoolServerConfig config)
    : m_impl(std::make_unique<Impl>(std::move(config))) {}

PoolServer::~PoolServer() {
    Stop();
}

core::Expected<uint16_t, std::string> PoolServer::Start() {
    return m_impl->Start();
}

void PoolServer::Stop() {
    m_impl->Stop();
}

bool PoolServer::Running() const {
    return m_impl->m_running;
}

uint16_t PoolServer::Port() const {
    return m_impl->m_port;
}

std::string PoolServer::Url() const {
    const std::string& host = m_impl->m_config.bind_address;
    const bool v6 = host.find(':') != std::string::npos;
    return std::string(m_impl->m_config.tls ? "stratum+ssl://" : "stratum+tcp://") +
           (v6 ? "[" + host + "]" : host) + ':' + std::to_string(Port());
}

bool PoolServer::PushJob(bool clean_jobs) {
    return m_impl->Call([this, clean_jobs] { m_impl->NewJob(clean_jobs); });
}

bool PoolServer::SetExtranonce() {
    return m_impl->Call([this] { m_impl->SetExtranonce(); });
}

bool PoolServer::SetDifficulty(double difficulty) {
    if (!core::DifficultyToTarget(difficulty)) {
        return false;
    }
    return m_impl->Call([this, difficulty] { m_impl->SetDifficulty(difficulty); });
}

PoolCounters PoolServer::Counters() const {
    return m_impl->m_ctx->stats.Counters();
}

std::vector<AcceptedShare> PoolServer::AcceptedShares() const {
    return m_impl->m_ctx->stats.Shares();
}

} // namespace nonceforge::stratum
