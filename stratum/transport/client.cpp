#include "nonceforge/stratum/client.hpp"

#include <algorithm>
#include <string_view>

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <nlohmann/json.hpp>

#include "proxy_handshake.hpp"
#include "tls.hpp"

namespace nonceforge::stratum {

namespace asio = boost::asio;
using asio::awaitable;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr auto AS_TUPLE = asio::as_tuple(asio::use_awaitable);
using SteadyClock = std::chrono::steady_clock;

std::string Seconds(std::chrono::milliseconds d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", double(d.count()) / 1000.0);
    return buf;
}

// Stratum traffic is a few small lines a second, so a fixed 64 KiB send buffer is ample. It
// also keeps the kernel from auto-tuning the buffer to megabytes: a pool that stops reading
// then backs up into the client's own bounded queue after about a thousand lines, whatever
// the host's TCP settings, instead of after tens of thousands.
constexpr int SOCKET_SEND_BUFFER = 64 * 1024;

void TuneSocket(tcp::socket& socket, std::chrono::seconds idle) {
    boost::system::error_code ignored;
    socket.set_option(asio::socket_base::keep_alive(true), ignored);
    socket.set_option(tcp::no_delay(true), ignored);
    socket.set_option(asio::socket_base::send_buffer_size(SOCKET_SEND_BUFFER), ignored);
#if defined(TCP_KEEPIDLE)
    const int secs = int(idle.count());
    const int interval = 10, count = 3;
    ::setsockopt(socket.native_handle(), IPPROTO_TCP, TCP_KEEPIDLE, &secs, sizeof secs);
    ::setsockopt(socket.native_handle(), IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
    ::setsockopt(socket.native_handle(), IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
#endif
}

// Resolve and connect within the configured deadlines; the error text says which step failed.
// `what` names the peer in it: "stratum+tcp://host:port" or "proxy socks5://host:port".
awaitable<std::optional<std::string>> ConnectTcp(tcp::socket& socket, const std::string& host,
                                                 uint16_t port, const std::string& what,
                                                 const TransportTimeouts& t) {
    auto ex = co_await asio::this_coro::executor;
    tcp::resolver resolver(ex);
    asio::steady_timer timer(ex, t.resolve);
    auto resolved = co_await (resolver.async_resolve(host, std::to_string(port), AS_TUPLE) ||
                              timer.async_wait(AS_TUPLE));
    if (resolved.index() == 1) {
        co_return "resolving " + host + " (" + what + ") timed out";
    }
    auto [rec, endpoints] = std::get<0>(resolved);
    if (rec) {
        co_return "cannot resolve " + host + " (" + what + "): " + rec.message();
    }
    timer.expires_after(t.connect);
    auto connected =
        co_await (asio::async_connect(socket, endpoints, AS_TUPLE) || timer.async_wait(AS_TUPLE));
    if (connected.index() == 1) {
        co_return "connecting to " + what + " timed out";
    }
    if (auto [cec, ep] = std::get<0>(connected); cec) {
        co_return "cannot connect to " + what + ": " + cec.message();
    }
    co_return std::nullopt;
}

// A TCP connection to the pool: direct, or a tunnel through the proxy. Without a proxy the
// pool's host is resolved here; with one, only the proxy's host is, and the pool's name goes
// to the proxy.
awaitable<std::optional<std::string>> OpenTunnel(tcp::socket& socket, const PoolUrl& url,
                                                 const std::optional<ProxyConfig>& proxy,
                                                 const TransportTimeouts& t) {
    if (!proxy) {
        co_return co_await ConnectTcp(socket, url.host, url.port, url.ToString(), t);
    }
    const std::string name = "proxy " + proxy->ToString();
    if (auto err = co_await ConnectTcp(socket, proxy->host, proxy->port, name, t)) {
        co_return *err;
    }
    asio::steady_timer timer(co_await asio::this_coro::executor, t.proxy_handshake);
    auto hs =
        co_await (ProxyHandshake(socket, *proxy, url.host, url.port) || timer.async_wait(AS_TUPLE));
    if (hs.index() == 1) {
        co_return name + ": no tunnel to " + url.ToString() + " within " +
            Seconds(t.proxy_handshake);
    }
    if (auto err = std::get<0>(hs)) {
        co_return name + ": " + *err;
    }
    co_return std::nullopt;
}

// An attempt that ended before the session started.
AttemptOutcome Failed(std::string reason) {
    return AttemptOutcome{ended::Closed{}, std::move(reason), std::nullopt};
}

} // namespace

struct StratumClient::Connection {
    explicit Connection(asio::any_io_executor ex)
        : wake(ex, SteadyClock::time_point::max())
        , end(ex, SteadyClock::time_point::max()) {}

    // Ends the connection: every loop returns at its next step. The first call gives the
    // reason and the cause that the reconnect policy decides on.
    void Finish(std::string reason, EndCause why = ended::Closed{}) {
        if (!end_reason) {
            end_reason = std::move(reason);
            cause = std::move(why);
        }
        end.cancel();
        wake.cancel();
    }

    std::deque<std::string> out;
    asio::steady_timer wake; // the writer sleeps on it until a line is queued
    asio::steady_timer end;
    std::optional<std::string> end_reason;
    EndCause cause;
    SteadyClock::time_point last_line = SteadyClock::now();
};

StratumClient::StratumClient(asio::any_io_executor executor, ClientConfig config, Handlers handlers)
    : m_executor(std::move(executor))
    , m_config(std::move(config))
    , m_handlers(std::move(handlers))
    , m_policy(m_config.reconnect, m_config.pools.size())
    , m_sessions(m_config.pools.size())
    , m_sleep(m_executor)
    , m_stop_signal(m_executor, SteadyClock::time_point::max())
    , m_storms(RejectStormConfig{.consecutive = m_config.reject_storm}) {}

StratumClient::~StratumClient() = default;

void StratumClient::Log(LogLevel level, const std::string& text) {
    if (m_handlers.on_log) {
        m_handlers.on_log(level, text);
    }
}

void StratumClient::Dump(std::string_view arrow, std::string_view line) {
    if (!line.empty() && line.back() == '\n') {
        line.remove_suffix(1);
    }
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    const std::string& secret = m_session ? m_session->Config().password : std::string();
    std::string text(line);
    // The password is a JSON string in mining.authorize: escaped there, so a plain search for
    // it could miss it. Replace the field itself; the text search below catches any echo.
    if (text.find("mining.authorize") != std::string::npos) {
        // ordered_json: the dumped line keeps the key order of the wire.
        auto json = nlohmann::ordered_json::parse(text, nullptr, false);
        if (!json.is_discarded() && json.is_object() &&
            json.value("method", "") == "mining.authorize") {
            auto params = json.find("params");
            if (params != json.end() && params->is_array() && params->size() >= 2) {
                (*params)[1] = "***";
                text = json.dump();
            }
        }
    }
    Log(LogLevel::Protocol, std::string(arrow) + RedactSecret(std::move(text), secret));
}

PoolStatus StratumClient::Status() const {
    std::lock_guard lock(m_status_mutex);
    return m_status;
}

void StratumClient::UpdateStatus() {
    std::lock_guard lock(m_status_mutex);
    m_status.pool_index = m_policy.CurrentPool();
    m_status.url =
        m_config.pools.empty() ? "" : m_config.pools[m_policy.CurrentPool()].url.ToString();
    m_status.connected = m_conn != nullptr;
    m_status.failovers = m_policy.Failovers();
    if (m_session) {
        m_status.state = m_session->State();
        m_status.difficulty = m_session->CurrentDifficulty().Value();
        m_status.version_mask = m_session->VersionMask();
        m_status.extranonce_subscribed = m_session->Config().extranonce_subscribe;
        m_status.outstanding_shares = m_session->OutstandingShares();
    }
}

void StratumClient::Submit(core::Share share) {
    asio::post(m_executor,
               [this, share = std::move(share)]() mutable { FeedShare(std::move(share)); });
}

void StratumClient::Stop() {
    m_stopping = true;
    asio::post(m_executor, [this] {
        m_sleep.cancel();
        m_stop_signal.cancel(); // ends a resolve or connect in progress
        if (m_conn) {
            m_conn->Finish("client stopped", ended::Stopped{});
        }
    });
}

void StratumClient::FeedShare(core::Share share) {
    if (m_conn && m_session && m_session->State() == SessionState::Ready) {
        Perform(m_session->Handle(event::ShareFound{std::move(share), SteadyClock::now()}));
        return;
    }
    if (m_stopping || m_held.size() >= m_config.max_held_shares) {
        action::ShareVerdict v{std::move(share), VerdictKind::Lost,
                               m_stopping ? "client stopped"
                                          : "disconnected and too many shares held"};
        if (m_handlers.on_verdict) {
            m_handlers.on_verdict(v);
        }
        return;
    }
    Log(LogLevel::Info, "share held until the pool connection is back");
    m_held.push_back(std::move(share));
}

// Every share that reaches the session was re-verified by the dispatcher, so a pool that
// refuses them all is refusing good work: leave the session (see Run for where to go next).
void StratumClient::WatchVerdict(const action::ShareVerdict& verdict) {
    if (!m_conn || m_conn->end_reason) {
        return; // the connection is ending anyway: its last verdicts decide nothing
    }
    if (verdict.kind == VerdictKind::Accepted) {
        m_policy.OnShareAccepted();
    }
    auto storm =
        m_storms.OnVerdict(verdict.kind, verdict.reason, verdict.share.hash, SteadyClock::now());
    if (!storm) {
        return;
    }
    const std::string& url = m_config.pools[m_policy.CurrentPool()].url.ToString();
    const bool alone = m_config.pools.size() < 2;
    const std::string next = storm->action == StormAction::FreshSession
                                 ? "reconnecting with a fresh session"
                             : alone ? "second storm without an accepted share: backing off"
                                     : "second storm without an accepted share: failing over";
    Log(LogLevel::Warn, "reject storm on " + url + ": " + std::to_string(storm->rejects) +
                            " verified shares rejected with no accepted share between (" +
                            storm->ReasonsText() + "); last rejected share hash " +
                            storm->last_hash.ToDisplayHex() + "; " + next);
    {
        std::lock_guard lock(m_status_mutex);
        ++m_status.reject_storms;
    }
    m_conn->Finish("reject storm: " + std::to_string(storm->rejects) + " shares rejected (" +
                       storm->ReasonsText() + ")",
                   ended::RejectStorm{storm->action});
}

void StratumClient::QueueLine(std::string line) {
    if (!m_conn) {
        return;
    }
    if (m_conn->out.size() >= m_config.max_queued_lines) {
        // A pool that sends requests but never reads our replies would otherwise grow this
        // queue without bound. A submit refused here, like those queued, is lost on the
        // disconnect, with this reason.
        m_conn->Finish("the pool does not read what we send (" +
                       std::to_string(m_conn->out.size()) + " lines queued)");
        return;
    }
    m_conn->out.push_back(std::move(line));
    m_conn->wake.cancel();
}

// client.reconnect, or the session's own reconnect: end the connection, and tell the policy
// what the pool asked for (a redirect only where --allow-redirect permits it).
void StratumClient::PerformReconnect(const action::Reconnect& rec) {
    if (!m_conn) {
        return;
    }
    if (!rec.requested_by_pool) {
        m_conn->Finish("reconnect: " + rec.reason);
        return;
    }
    ended::PoolAskedToReconnect ask{rec.delay, std::nullopt, std::nullopt};
    const PoolUrl& current = m_config.pools[m_policy.CurrentPool()].url;
    if (rec.host && *rec.host != current.host && !m_config.allow_redirect) {
        Log(LogLevel::Warn, "pool asked to reconnect to " + *rec.host +
                                "; not followed (another host needs --allow-redirect)");
    } else {
        ask.host = rec.host;
        ask.port = rec.port;
    }
    m_conn->Finish("reconnect: " + rec.reason, std::move(ask));
}

void StratumClient::Perform(std::vector<Action> actions) {
    for (Action& a : actions) {
        if (auto* send = std::get_if<action::SendLine>(&a)) {
            QueueLine(std::move(send->line));
        } else if (auto* job = std::get_if<action::DeliverJob>(&a)) {
            if (m_handlers.on_job) {
                m_handlers.on_job(job->job);
            }
        } else if (auto* verdict = std::get_if<action::ShareVerdict>(&a)) {
            if (m_handlers.on_verdict) {
                m_handlers.on_verdict(*verdict);
            }
            WatchVerdict(*verdict);
        } else if (auto* log = std::get_if<action::Log>(&a)) {
            Log(log->level, log->text);
        } else if (auto* rec = std::get_if<action::Reconnect>(&a)) {
            PerformReconnect(*rec);
        } else if (auto* close = std::get_if<action::Close>(&a)) {
            if (m_conn) {
                m_conn->Finish("giving up on this pool: " + close->reason, ended::RefusedByPool{});
            }
        }
    }
    if (m_session && m_session->State() == SessionState::Ready) {
        if (!m_ready_at) {
            m_ready_at = SteadyClock::now();
        }
        // Shares found while the connection was down: the session decides whether their job
        // is still valid here, and gives each a verdict either way.
        while (!m_held.empty() && m_conn && !m_conn->end_reason) {
            core::Share share = std::move(m_held.front());
            m_held.pop_front();
            Perform(m_session->Handle(event::ShareFound{std::move(share), SteadyClock::now()}));
        }
    }
    UpdateStatus();
}

// Carries out the reconnect policy's decisions, one attempt after another, until it gives up
// (or Stop() is called).
awaitable<void> StratumClient::Run() {
    NextStep step = m_policy.Start();
    while (std::holds_alternative<next::Connect>(step)) {
        const next::Connect target = std::get<next::Connect>(step);
        if (target.delay.count() > 0) {
            m_sleep.expires_after(target.delay);
            co_await m_sleep.async_wait(AS_TUPLE);
        }
        const std::size_t pool_before = m_policy.CurrentPool();
        const AttemptOutcome outcome = co_await Attempt(target);
        step = m_policy.Decide(outcome, SteadyClock::now());
        Report(outcome, step, pool_before);
    }
    End(std::get<next::GiveUp>(step));
}

PoolUrl StratumClient::TargetUrl(const next::Connect& target) const {
    PoolUrl url = m_config.pools[target.pool].url;
    url.host = target.host.value_or(url.host);
    url.port = target.port.value_or(url.port);
    return url;
}

awaitable<AttemptOutcome> StratumClient::Attempt(const next::Connect& target) {
    if (m_stopping) {
        co_return AttemptOutcome{ended::Stopped{}, "client stopped", std::nullopt};
    }
    PoolConfig pool = m_config.pools[target.pool];
    pool.url = TargetUrl(target);
    // One session per pool, kept across reconnects so that it can resume its session id.
    auto& session = m_sessions[target.pool];
    if (!session) {
        session = std::make_unique<Session>(pool.session);
    }
    if (target.fresh_session) {
        session->ForgetSessionId(); // after a reject storm: a new mining.subscribe
    }
    m_session = session.get();
    m_ready_at.reset();
    AttemptOutcome outcome = co_await RunOnce(pool);
    if (m_stopping) {
        outcome.cause = ended::Stopped{};
    }
    std::lock_guard lock(m_status_mutex);
    m_status.last_error = outcome.reason;
    co_return outcome;
}

void StratumClient::Report(const AttemptOutcome& outcome, const NextStep& step,
                           std::size_t pool_before) {
    if (m_policy.CurrentPool() != pool_before) {
        m_storms.OnPoolChanged(); // a failover, or back to the primary
    } else {
        m_storms.OnDisconnected();
    }
    UpdateStatus();
    if (const auto* target = std::get_if<next::Connect>(&step)) {
        Log(LogLevel::Warn, "disconnected (" + outcome.reason + "); " +
                                (target->failover ? "failing over to " : "reconnecting to ") +
                                TargetUrl(*target).ToString() + " in " + Seconds(target->delay));
    }
}

void StratumClient::End(const next::GiveUp& give_up) {
    using Why = next::GiveUp::Why;
    if (give_up.why != Why::Stopped) {
        Log(LogLevel::Error, give_up.reason);
    }
    if (give_up.why == Why::RetriesUsedUp) {
        m_stopping = true; // a share submitted from now on is lost at once, not held
        std::lock_guard lock(m_status_mutex);
        m_status.last_error = give_up.reason;
        m_status.gave_up = true;
    }
    const bool gave_up = give_up.why == Why::RetriesUsedUp;
    while (!m_held.empty()) {
        action::ShareVerdict v{std::move(m_held.front()), VerdictKind::Lost,
                               gave_up ? "gave up on the pools" : "client stopped"};
        m_held.pop_front();
        if (m_handlers.on_verdict) {
            m_handlers.on_verdict(v);
        }
    }
    if (give_up.why != Why::NoPool) {
        UpdateStatus();
    }
}

awaitable<AttemptOutcome> StratumClient::RunOnce(const PoolConfig& pool) {
    auto ex = co_await asio::this_coro::executor;
    tcp::socket socket(ex);
    auto connected =
        co_await (OpenTunnel(socket, pool.url, m_config.proxy, m_config.timeouts) || WaitStop());
    if (connected.index() == 1 || m_stopping) {
        co_return AttemptOutcome{ended::Stopped{}, "client stopped", std::nullopt};
    }
    if (auto err = std::get<0>(connected)) {
        co_return Failed(*err);
    }
    TuneSocket(socket, m_config.timeouts.tcp_keepalive_idle);
    {
        std::lock_guard lock(m_status_mutex);
        ++m_status.connects;
        m_status.connected_since = SteadyClock::now();
    }
    Connection conn(ex);
    const std::string via = m_config.proxy ? " via proxy " + m_config.proxy->ToString() : "";
    if (!pool.url.tls) {
        Log(LogLevel::Info, "connected to " + pool.url.ToString() + via);
        co_return co_await Serve(socket, conn);
    }
    auto ctx = MakeTlsContext(m_config.tls, pool.url.host);
    if (!ctx) {
        co_return Failed(ctx.error());
    }
    if (m_config.tls.insecure) {
        Log(LogLevel::Warn, "TLS certificate verification is OFF for " + pool.url.host +
                                " (--tls-insecure): the connection can be intercepted");
    }
    asio::ssl::stream<tcp::socket> tls(std::move(socket), **ctx);
    std::string presented; // the fingerprint of the certificate the pool showed, if refused
    if (auto err = PrepareTlsStream(tls, m_config.tls, pool.url.host, &presented)) {
        co_return Failed(*err);
    }
    asio::steady_timer timer(ex, m_config.timeouts.tls_handshake);
    auto hs = co_await (tls.async_handshake(asio::ssl::stream_base::client, AS_TUPLE) ||
                        timer.async_wait(AS_TUPLE));
    if (hs.index() == 1) {
        co_return Failed("TLS handshake with " + pool.url.ToString() + " timed out");
    }
    if (auto [ec] = std::get<0>(hs); ec) {
        co_return Failed("TLS handshake with " + pool.url.ToString() +
                         " failed: " + TlsErrorText(ec, presented));
    }
    Log(LogLevel::Info, "connected to " + pool.url.ToString() + " (TLS)" + via);
    // No close_notify on the way out: a pool connection carries no data that a truncation
    // attack could cut short, and a stalled peer must not hold the shutdown.
    co_return co_await Serve(tls, conn);
}

template <class Stream>
awaitable<AttemptOutcome> StratumClient::Serve(Stream& stream, Connection& conn) {
    m_conn = &conn;
    if (m_stopping) { // Stop() came during the TLS handshake
        conn.Finish("client stopped", ended::Stopped{});
    }
    Perform(m_session->Handle(event::Connected{SteadyClock::now()}));
    if (m_policy.ShouldProbePrimary()) {
        co_await (ReadLoop(stream, conn) || WriteLoop(stream, conn) || Watchdog(conn) ||
                  WaitEnd(conn) || ProbePrimary(conn));
    } else {
        co_await (ReadLoop(stream, conn) || WriteLoop(stream, conn) || Watchdog(conn) ||
                  WaitEnd(conn));
    }
    const std::string reason = conn.end_reason.value_or("connection ended");
    boost::system::error_code ignored;
    stream.lowest_layer().close(ignored);
    m_conn = nullptr;
    Perform(m_session->Handle(event::Disconnected{reason}));
    co_return AttemptOutcome{std::move(conn.cause), reason, m_ready_at};
}

template <class Stream>
awaitable<void> StratumClient::ReadLoop(Stream& stream, Connection& conn) {
    std::string buf;
    for (;;) {
        auto [ec, n] = co_await asio::async_read_until(
            stream, asio::dynamic_buffer(buf, m_config.max_line_bytes), '\n', AS_TUPLE);
        if (ec) {
            if (ec == asio::error::not_found) {
                conn.Finish("line longer than " + std::to_string(m_config.max_line_bytes) +
                            " bytes from the pool");
            } else if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) {
                conn.Finish("the pool closed the connection");
            } else {
                conn.Finish("read failed: " + ec.message());
            }
            co_return;
        }
        std::string line = buf.substr(0, n);
        buf.erase(0, n);
        conn.last_line = SteadyClock::now();
        if (m_config.protocol_dump) {
            Dump("pool< ", line);
        }
        Perform(m_session->Handle(event::LineReceived{std::move(line), conn.last_line}));
        if (conn.end_reason) {
            co_return;
        }
    }
}

template <class Stream>
awaitable<void> StratumClient::WriteLoop(Stream& stream, Connection& conn) {
    asio::steady_timer deadline(co_await asio::this_coro::executor);
    for (;;) {
        while (!conn.out.empty() && !conn.end_reason) {
            const std::string line = std::move(conn.out.front());
            conn.out.pop_front();
            if (m_config.protocol_dump) {
                Dump("pool> ", line);
            }
            deadline.expires_after(m_config.timeouts.write);
            auto r = co_await (asio::async_write(stream, asio::buffer(line), AS_TUPLE) ||
                               deadline.async_wait(AS_TUPLE));
            if (r.index() == 1) {
                conn.Finish("writing to the pool timed out");
                co_return;
            }
            if (auto [ec, n] = std::get<0>(r); ec) {
                conn.Finish("write failed: " + ec.message());
                co_return;
            }
        }
        if (conn.end_reason) {
            co_return;
        }
        conn.wake.expires_at(SteadyClock::time_point::max());
        co_await conn.wake.async_wait(AS_TUPLE);
    }
}

awaitable<void> StratumClient::Watchdog(Connection& conn) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    const auto idle = m_config.timeouts.idle;
    for (;;) {
        auto deadline = conn.last_line + idle;
        if (auto d = m_session->NextDeadline()) {
            deadline = std::min(deadline, *d);
        }
        timer.expires_at(deadline);
        co_await timer.async_wait(AS_TUPLE);
        if (conn.end_reason) {
            co_return;
        }
        const auto now = SteadyClock::now();
        if (now - conn.last_line >= idle) {
            conn.Finish("no line from the pool for " +
                        Seconds(std::chrono::duration_cast<std::chrono::milliseconds>(idle)));
            co_return;
        }
        Perform(m_session->Handle(event::Tick{now}));
        if (conn.end_reason) {
            co_return;
        }
    }
}

awaitable<void> StratumClient::WaitStop() {
    if (!m_stopping) {
        co_await m_stop_signal.async_wait(AS_TUPLE);
    }
}

awaitable<void> StratumClient::WaitEnd(Connection& conn) {
    while (!conn.end_reason) {
        co_await conn.end.async_wait(AS_TUPLE);
        conn.end.expires_at(SteadyClock::time_point::max());
    }
}

awaitable<void> StratumClient::ProbePrimary(Connection& conn) {
    auto ex = co_await asio::this_coro::executor;
    asio::steady_timer timer(ex);
    const PoolUrl primary = m_config.pools.front().url;
    for (;;) {
        timer.expires_after(m_config.reconnect.primary_probe_interval);
        co_await timer.async_wait(AS_TUPLE);
        if (conn.end_reason) {
            co_return;
        }
        tcp::socket probe(ex);
        const bool ok = !(co_await OpenTunnel(probe, primary, m_config.proxy, m_config.timeouts));
        boost::system::error_code ignored;
        probe.close(ignored);
        Log(LogLevel::Debug,
            "primary pool " + primary.ToString() + (ok ? " reachable" : " unreachable"));
        if (m_policy.OnPrimaryProbe(ok)) {
            conn.Finish("the primary pool " + primary.ToString() + " is healthy again: returning",
                        ended::PrimaryHealthy{});
            co_return;
        }
    }
}

} // namespace nonceforge::stratum
