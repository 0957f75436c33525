// The Stratum V1 client session as a sans-I/O state machine: events in, actions out
// (session_events.hpp). It owns everything a connection negotiates (extranonces, difficulty,
// version mask), turns each mining.notify into an immutable core::Job, submits shares and
// matches each reply to its request through the pending table. It never blocks, reads a clock
// or touches a socket, so tests drive it with literal lines and fixed time points.
//
// Handshake, one request at a time, each waiting for its reply:
//   mining.configure (when version rolling or minimum difficulty is configured)
//   -> mining.subscribe -> mining.authorize
//   -> mining.suggest_difficulty and mining.extranonce.subscribe (when configured).
// suggest_difficulty goes after authorize because ckpool ignores it before.
// Jobs received before authorization are held; the latest is delivered once authorized.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "nonceforge/stratum/encoder.hpp"
#include "nonceforge/stratum/fields.hpp"
#include "nonceforge/stratum/messages.hpp"
#include "nonceforge/stratum/pending_requests.hpp"
#include "nonceforge/stratum/session_events.hpp"

namespace nonceforge::stratum {

// Per-pool settings. Every extension can be switched off, because some pools close the
// connection on methods they do not know.
struct SessionConfig {
    std::string user; // "address.worker"; also the worker name in mining.submit
    std::string password = "x";
    std::string user_agent = DefaultUserAgent();
    // Ask the pool to resume the previous session id on reconnect (mining.subscribe 2nd param).
    bool resume_session = true;
    // mining.configure "version-rolling" with the mask we may roll (BIP 310); nullopt: off.
    std::optional<ConfigureRequest::VersionRolling> version_rolling =
        ConfigureRequest::VersionRolling{};
    // mining.configure "minimum-difficulty"; nullopt: not requested.
    std::optional<double> minimum_difficulty;
    // mining.suggest_difficulty after authorize; nullopt: not sent.
    std::optional<double> suggest_difficulty;
    // mining.extranonce.subscribe after authorize (NiceHash-style pools).
    bool extranonce_subscribe = false;
    // Follow client.reconnect to another host; when false, reconnect to the same pool.
    bool follow_redirects = true;
    // A request unanswered for this long expires: a share becomes lost, a handshake step
    // reconnects (an unanswered mining.configure just continues without it).
    std::chrono::milliseconds response_timeout{30'000};
    // Bound of the pending-request table (at least 4, so the handshake always fits); a share
    // that does not fit is lost.
    std::size_t max_pending_requests = 256;
    // This many malformed lines in a row mean the stream is not Stratum: reconnect.
    std::size_t max_consecutive_bad_lines = 16;
};

enum class SessionState {
    Disconnected,
    Configuring, // mining.configure sent
    Subscribing, // mining.subscribe sent
    Authorizing, // mining.authorize sent
    Ready,       // authorized: jobs flow, shares are submitted
};
std::string_view ToString(SessionState state);

class Session {
public:
    explicit Session(SessionConfig config);

    // Feeds one event; returns the actions to perform, in order.
    std::vector<Action> Handle(const Event& event);

    // When the earliest pending request expires (feed event::Tick then); nullopt when none.
    std::optional<TimePoint> NextDeadline() const;

    SessionState State() const { return m_state; }
    const SessionConfig& Config() const { return m_config; }
    const Difficulty& CurrentDifficulty() const { return m_difficulty; }
    uint32_t VersionMask() const { return m_version_mask; }
    const std::optional<std::string>& SessionId() const { return m_session_id; }
    std::size_t OutstandingShares() const { return m_pending.Count(ClientMethod::Submit); }
    // The next connection subscribes afresh instead of resuming this session (after a reject
    // storm, the pool's state for the session id is what we want to leave behind).
    void ForgetSessionId() { m_session_id.reset(); }

private:
    // session.cpp: the event loop and the server's requests
    void OnConnected(const event::Connected& e);
    void OnDisconnected(const event::Disconnected& e);
    void OnLine(const event::LineReceived& e);
    void OnTick(const event::Tick& e);
    void OnMessage(Response&& m, TimePoint now);
    void OnMessage(Notify&& m, TimePoint now);
    void OnMessage(SetDifficulty&& m, TimePoint now);
    void OnMessage(SetExtranonce&& m, TimePoint now);
    void OnMessage(SetVersionMask&& m, TimePoint now);
    void OnMessage(ClientReconnect&& m, TimePoint now);
    void OnMessage(ShowMessage&& m, TimePoint now);
    void OnMessage(GetVersion&& m, TimePoint now);
    void OnMessage(Ping&& m, TimePoint now);
    void OnMessage(UnknownMethod&& m, TimePoint now);
    void OnExpired(const PendingRequest& request, TimePoint now);

    // session_handshake.cpp
    void SendConfigure(TimePoint now);
    void SendSubscribe(TimePoint now);
    void SendAuthorize(TimePoint now);
    void SendExtensionsAfterAuthorize(TimePoint now);
    void OnConfigureReply(const Response& r, TimePoint now);
    void OnSubscribeReply(const Response& r, TimePoint now);
    void OnAuthorizeReply(const Response& r, TimePoint now);
    void OnAcknowledgementReply(ClientMethod method, const Response& r);

    // session_jobs.cpp: OnMessage for Notify, SetDifficulty, SetExtranonce, SetVersionMask
    void DeliverOrHold(core::Job job);

    // session_shares.cpp
    void OnShareFound(const event::ShareFound& e);
    void OnSubmitReply(const Response& r, const core::Share& share, Clock::duration latency);
    void Verdict(const core::Share& share, VerdictKind kind, std::string reason,
                 std::optional<Clock::duration> latency = std::nullopt);
    void LoseAllOutstanding(const std::string& reason);

    // helpers (session.cpp)
    uint64_t NextId() { return m_next_id++; }
    // Records the request as pending and emits its line; false (nothing sent) when the table
    // is full.
    bool SendRequest(uint64_t id, PendingRequest request, std::string line);
    template <class A>
    void Emit(A&& action) {
        m_out.emplace_back(std::in_place_type<std::decay_t<A>>, std::forward<A>(action));
    }
    void Log(LogLevel level, std::string text);
    void ReconnectSamePool(std::string reason);
    void ResetConnectionState();

    SessionConfig m_config;
    SessionState m_state = SessionState::Disconnected;
    PendingRequests m_pending;
    uint64_t m_next_id = 1;
    std::vector<Action> m_out;
    std::size_t m_bad_lines = 0;

    // Negotiated on this connection.
    std::optional<Extranonce1> m_extranonce1;
    std::optional<Extranonce2Size> m_extranonce2_size;
    Difficulty m_difficulty = Difficulty::One();
    uint32_t m_version_mask = 0;
    // How this pool reads mining.submit's version bits when the job's version has bits inside
    // the mask: BIP 310 until a share of such a job is refused as low difficulty, then as
    // version ^ job version (public-pool); settled by the first verdict on such a job.
    bool m_xor_version_bits = false;
    bool m_version_bits_settled = false;
    std::optional<std::string> m_session_id; // kept across connections for resume
    bool m_subscribe_sent_session_id = false;

    // Job building.
    std::optional<core::Hash256> m_last_prev_hash;
    bool m_force_clean = true; // first job of a connection, or after mining.set_extranonce
    std::optional<core::Job> m_held_job; // built before authorization
    const uint64_t m_source; // stamped on every job, unique among the process's sessions
    uint64_t m_next_sequence = 1;
    uint64_t m_connection_first_sequence = 1; // jobs below this are from an earlier connection
    uint64_t m_valid_from_sequence = 1;       // jobs below this were replaced by a new block

    // The connection before this one, for resuming its jobs (see OnSubscribeReply).
    struct PreviousConnection {
        std::vector<uint8_t> extranonce1;
        std::size_t extranonce2_size = 0;
        std::optional<core::Hash256> prev_hash;
        uint64_t first_sequence = 1;
    };
    std::optional<PreviousConnection> m_previous;
};

// `text` with `secret` replaced by ***: everywhere when the secret has 4 or more characters,
// only where it stands as a whole word when shorter (a placeholder password like "x" would
// otherwise mangle ordinary text). The session applies it to everything it reports; the
// transport to the lines of a protocol dump.
std::string RedactSecret(std::string text, const std::string& secret);

} // namespace nonceforge::stratum
