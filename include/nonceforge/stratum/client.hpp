// The Stratum V1 client transport: Boost.Asio C++20 coroutines around the sans-I/O Session.
// It resolves, connects (TCP or TLS), reads bounded lines, writes queued lines, watches for an
// idle pool, reconnects with backoff, fails over along the pool list and returns to the
// primary. It runs on one executor (one thread); Submit and Stop may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "nonceforge/core/expected.hpp"
#include "nonceforge/core/work.hpp"
#include "nonceforge/stratum/pool_url.hpp"
#include "nonceforge/stratum/proxy.hpp"
#include "nonceforge/stratum/reconnect_policy.hpp"
#include "nonceforge/stratum/reject_storm.hpp"
#include "nonceforge/stratum/session.hpp"

namespace nonceforge::stratum {

struct TlsOptions {
    std::string ca_file;            // verify against this CA bundle instead of the system store
    std::string fingerprint_sha256; // accept exactly this leaf certificate (hex, ':' allowed)
    bool insecure = false;          // no verification at all (warned about at every connect)
};

// Start-up check of the TLS options, before anything connects. `any_tls_url`: some pool URL
// (primary or backup) uses TLS (stratum+ssl://, stratum+tls://, stratum+tcps://). Errors,
// each naming the option: a fingerprint that is not 64 hex digits (':' and spaces allowed);
// a --tls-ca file that cannot be read or holds no PEM certificate; --tls-insecure with
// --tls-fingerprint or with --tls-ca (insecure would drop them); any TLS option when no pool
// URL uses TLS. The value is always true.
core::Expected<bool, std::string> ValidateTlsOptions(const TlsOptions& options, bool any_tls_url);

// Every deadline of the transport, in one place. Request/response deadlines (subscribe,
// authorize, submit) are SessionConfig::response_timeout.
struct TransportTimeouts {
    std::chrono::milliseconds resolve{10'000};
    std::chrono::milliseconds connect{10'000};
    std::chrono::milliseconds tls_handshake{10'000};
    std::chrono::milliseconds proxy_handshake{10'000}; // SOCKS5 or HTTP CONNECT, after connect
    // No line from the pool for this long: reconnect. This is cpuminer's -T/--timeout.
    std::chrono::milliseconds idle{180'000};
    std::chrono::milliseconds write{10'000};     // one line must be written within this
    std::chrono::seconds tcp_keepalive_idle{30}; // TCP keep-alive probes for quiet connections
};

struct PoolConfig {
    PoolUrl url;
    SessionConfig session; // user, password, extensions for this pool
};

struct ClientConfig {
    std::vector<PoolConfig> pools; // in order of preference: pools[0] is the primary
    TlsOptions tls;
    TransportTimeouts timeouts;
    ReconnectConfig reconnect;
    // Every pool connection (and every probe of the primary) goes through this proxy; the
    // pool's host name is resolved by the proxy, not here.
    std::optional<ProxyConfig> proxy;
    // Log every line sent to and received from the pool, at LogLevel::Protocol:
    //   "pool> {json}"  a line sent to the pool
    //   "pool< {json}"  a line received from the pool
    // with the pool password (and the password field of mining.authorize) replaced by ***.
    bool protocol_dump = false;
    bool allow_redirect = false; // follow client.reconnect to another host
    std::size_t max_line_bytes = 64 * 1024;
    // Reject storms (reject_storm.hpp): this many shares in a row, each verified locally,
    // rejected by the pool for a reason other than stale (or a whole minute of nothing but such
    // rejects, at least 3) end the session; a second storm without an accepted share moves to
    // the next pool, or backs off when there is none. 0: off.
    unsigned reject_storm = 10;
    std::size_t max_held_shares = 256; // shares found while disconnected, sent after reconnect
    // Lines waiting to be written. The line that would be one more ends the connection
    // ("the pool does not read what we send (N lines queued)"); the shares whose submits were
    // queued or refused become lost with that reason.
    std::size_t max_queued_lines = 1024;
};

struct PoolStatus {
    std::size_t pool_index = 0;
    std::string url;
    bool connected = false;
    SessionState state = SessionState::Disconnected;
    double difficulty = 0;
    uint32_t version_mask = 0;
    bool extranonce_subscribed = false;
    std::size_t outstanding_shares = 0; // submitted, no verdict yet
    uint64_t connects = 0;              // successful TCP/TLS connections
    uint64_t failovers = 0;
    uint64_t reject_storms = 0; // sessions left because the pool refused every share
    std::chrono::steady_clock::time_point connected_since{};
    std::string last_error;
    // Run() ended because ReconnectConfig::max_retries consecutive attempts failed;
    // last_error then says so, with the last failure's reason.
    bool gave_up = false;
};

class StratumClient {
public:
    struct Handlers {
        std::function<void(std::shared_ptr<const core::Job>)> on_job;
        std::function<void(const action::ShareVerdict&)> on_verdict;
        std::function<void(LogLevel, const std::string&)> on_log;
    };

    StratumClient(boost::asio::any_io_executor executor, ClientConfig config, Handlers handlers);
    ~StratumClient();
    StratumClient(const StratumClient&) = delete;
    StratumClient& operator=(const StratumClient&) = delete;

    // Runs until Stop(), or until ReconnectConfig::max_retries failed attempts in a row have
    // used up the retries (then Status().gave_up is set and last_error says why). Spawn it
    // with co_spawn; failures inside are handled, not thrown.
    boost::asio::awaitable<void> Run();

    // Thread-safe. Every share ends in exactly one on_verdict call.
    void Submit(core::Share share);
    // Thread-safe. Ends Run() soon; outstanding shares become lost ("client stopped").
    void Stop();

    PoolStatus Status() const; // thread-safe snapshot

private:
    struct Connection;
    // One attempt: connect to the pool the policy chose and serve the session until it ends.
    boost::asio::awaitable<AttemptOutcome> Attempt(const next::Connect& target);
    boost::asio::awaitable<AttemptOutcome> RunOnce(const PoolConfig& pool);
    template <class Stream>
    boost::asio::awaitable<AttemptOutcome> Serve(Stream& stream, Connection& conn);
    template <class Stream>
    boost::asio::awaitable<void> ReadLoop(Stream& stream, Connection& conn);
    template <class Stream>
    boost::asio::awaitable<void> WriteLoop(Stream& stream, Connection& conn);
    boost::asio::awaitable<void> Watchdog(Connection& conn);
    boost::asio::awaitable<void> WaitEnd(Connection& conn);
    boost::asio::awaitable<void> WaitStop(); // returns when Stop() is called
    boost::asio::awaitable<void> ProbePrimary(Connection& conn);
    // Logs the policy's decision after an attempt that began on pool `pool_before`.
    void Report(const AttemptOutcome& outcome, const NextStep& step, std::size_t pool_before);
    void End(const next::GiveUp& give_up); // Run() is about to return
    PoolUrl TargetUrl(const next::Connect& target) const;
    void Perform(std::vector<Action> actions);
    void PerformReconnect(const action::Reconnect& reconnect);
    void QueueLine(std::string line);
    void FeedShare(core::Share share);
    void WatchVerdict(const action::ShareVerdict& verdict);
    void Log(LogLevel level, const std::string& text);
    void Dump(std::string_view arrow, std::string_view line); // protocol_dump
    void UpdateStatus();

    boost::asio::any_io_executor m_executor;
    ClientConfig m_config;
    Handlers m_handlers;
    ReconnectPolicy m_policy; // decides every next attempt; Run() carries it out
    std::vector<std::unique_ptr<Session>> m_sessions; // one per pool, created on first use
    Session* m_session = nullptr;                     // the current pool's
    std::deque<core::Share> m_held;                   // found while not ready
    std::atomic<bool> m_stopping{false};
    boost::asio::steady_timer m_sleep;       // backoff sleeps; cancelled by Stop
    boost::asio::steady_timer m_stop_signal; // never expires; cancelled by Stop

    // State of the live connection (only on the executor's thread).
    Connection* m_conn = nullptr;
    std::optional<std::chrono::steady_clock::time_point> m_ready_at;
    RejectStormDetector m_storms;

    mutable std::mutex m_status_mutex;
    PoolStatus m_status;
};

} // namespace nonceforge::stratum
