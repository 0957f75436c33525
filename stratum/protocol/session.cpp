// The session's event loop, connection lifecycle, timeouts and the server's own requests.
#include "nonceforge/stratum/session.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <type_traits>
#include <utility>

#include "nonceforge/stratum/parser.hpp"

namespace nonceforge::stratum {

namespace {

constexpr std::size_t MIN_PENDING_REQUESTS = 4;

std::string Millis(std::chrono::milliseconds d) {
    return std::to_string(d.count()) + " ms";
}

// A password of at least this many characters is redacted wherever it appears; a shorter one
// (often a placeholder like "x" or "123") only where it stands as a whole word, for example
// quoted in an echoed mining.authorize, so that ordinary text is not mangled.
constexpr std::size_t MIN_ANYWHERE_SECRET = 4;

bool WordCharacter(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
}

// Credentials are never logged: a pool may quote our mining.authorize back in an error, and
// pool text reaches log lines, verdict reasons (stats, API) and reconnect reasons. The lines
// sent to the pool are left alone.
void RedactActions(std::vector<Action>& actions, const std::string& secret) {
    if (secret.empty()) {
        return;
    }
    auto redact = [&](std::string& text) { text = RedactSecret(std::move(text), secret); };
    for (Action& a : actions) {
        std::visit(
            [&](auto& act) {
                using A = std::decay_t<decltype(act)>;
                if constexpr (std::is_same_v<A, action::Log>) {
                    redact(act.text);
                } else if constexpr (std::is_same_v<A, action::ShareVerdict> ||
                                     std::is_same_v<A, action::Reconnect> ||
                                     std::is_same_v<A, action::Close>) {
                    redact(act.reason);
                }
            },
            a);
    }
}

} // namespace

std::string RedactSecret(std::string text, const std::string& secret) {
    if (secret.empty()) {
        return text;
    }
    const bool anywhere = secret.size() >= MIN_ANYWHERE_SECRET;
    for (auto at = text.find(secret); at != std::string::npos;) {
        const std::size_t end = at + secret.size();
        const bool whole_word = (at == 0 || !WordCharacter(text[at - 1])) &&
                                (end == text.size() || !WordCharacter(text[end]));
        if (anywhere || whole_word) {
            text.replace(at, secret.size(), "***");
            at = text.find(secret, at + 3);
        } else {
            at = text.find(secret, at + 1);
        }
    }
    return text;
}

std::string_view ToString(SessionState state) {
    switch (state) {
    case SessionState::Disconnected:
        return "disconnected";
    case SessionState::Configuring:
        return "configuring";
    case SessionState::Subscribing:
        return "subscribing";
    case SessionState::Authorizing:
        return "authorizing";
    case SessionState::Ready:
        return "ready";
    }
    return "?";
}

namespace {
std::atomic<uint64_t> g_next_source{1};
} // namespace

Session::Session(SessionConfig config)
    : m_config(std::move(config))
    , m_pending(std::max(m_config.max_pending_requests, MIN_PENDING_REQUESTS))
    , m_source(g_next_source.fetch_add(1, std::memory_order_relaxed)) {}

std::vector<Action> Session::Handle(const Event& event) {
    std::visit(
        [this](const auto& e) {
            using E = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<E, event::Connected>) {
                OnConnected(e);
            } else if constexpr (std::is_same_v<E, event::LineReceived>) {
                OnLine(e);
            } else if constexpr (std::is_same_v<E, event::Disconnected>) {
                OnDisconnected(e);
            } else if constexpr (std::is_same_v<E, event::ShareFound>) {
                OnShareFound(e);
            } else {
                OnTick(e);
            }
        },
        event);
    RedactActions(m_out, m_config.password);
    return std::exchange(m_out, {});
}

std::optional<TimePoint> Session::NextDeadline() const {
    auto oldest = m_pending.OldestSentAt();
    if (!oldest) {
        return std::nullopt;
    }
    return *oldest + m_config.response_timeout;
}

void Session::OnConnected(const event::Connected& e) {
    if (m_state != SessionState::Disconnected) {
        OnDisconnected({"connected again without a disconnect"});
    }
    if (m_extranonce1 && m_extranonce2_size) {
        m_previous = PreviousConnection{m_extranonce1->Bytes(), m_extranonce2_size->Value(),
                                        m_last_prev_hash, m_connection_first_sequence};
    } else {
        m_previous.reset();
    }
    ResetConnectionState();
    m_connection_first_sequence = m_next_sequence;
    if (m_config.version_rolling || m_config.minimum_difficulty) {
        SendConfigure(e.now);
    } else {
        SendSubscribe(e.now);
    }
}

void Session::OnDisconnected(const event::Disconnected& e) {
    if (m_state == SessionState::Disconnected) {
        return;
    }
    LoseAllOutstanding("connection closed before reply (" + e.reason + ")");
    m_state = SessionState::Disconnected;
    Log(LogLevel::Info, "disconnected: " + e.reason);
}

void Session::ResetConnectionState() {
    m_pending.TakeAll();
    m_bad_lines = 0;
    m_extranonce1.reset();
    m_extranonce2_size.reset();
    m_difficulty = Difficulty::One();
    m_version_mask = 0;
    m_subscribe_sent_session_id = false;
    m_last_prev_hash.reset();
    m_force_clean = true;
    m_held_job.reset();
}

void Session::OnLine(const event::LineReceived& e) {
    if (m_state == SessionState::Disconnected) {
        Log(LogLevel::Debug, "line received while disconnected, ignored");
        return;
    }
    auto message = ParseServerLine(e.line);
    if (!message) {
        if (message.error().code == ErrorCode::EmptyLine) {
            return; // some pools send blank keep-alive lines
        }
        Log(LogLevel::Warn, "ignored malformed line: " + message.error().Message());
        if (++m_bad_lines >= m_config.max_consecutive_bad_lines) {
            m_bad_lines = 0;
            ReconnectSamePool(std::to_string(m_config.max_consecutive_bad_lines) +
                              " malformed lines in a row");
        }
        return;
    }
    m_bad_lines = 0;
    std::visit([this, &e](auto&& m) { OnMessage(std::move(m), e.now); }, std::move(*message));
}

void Session::OnTick(const event::Tick& e) {
    for (const auto& entry : m_pending.TakeExpired(e.now, m_config.response_timeout)) {
        OnExpired(entry.second, e.now);
    }
}

void Session::OnExpired(const PendingRequest& request, TimePoint now) {
    const std::string what = "no reply to " + std::string(MethodName(request.method)) + " within " +
                             Millis(m_config.response_timeout);
    switch (request.method) {
    case ClientMethod::Configure:
        Log(LogLevel::Warn, what + "; continuing without extensions");
        if (m_state == SessionState::Configuring) {
            SendSubscribe(now);
        }
        break;
    case ClientMethod::Subscribe:
    case ClientMethod::Authorize:
        ReconnectSamePool(what);
        break;
    case ClientMethod::SuggestDifficulty:
    case ClientMethod::ExtranonceSubscribe:
        Log(LogLevel::Debug, what + " (many pools never answer it)");
        break;
    case ClientMethod::Submit:
        Verdict(*request.share, VerdictKind::Lost, what);
        break;
    }
}

void Session::OnMessage(Response&& r, TimePoint now) {
    const auto id = r.id.AsClientId();
    auto pending = id ? m_pending.Take(*id) : std::nullopt;
    if (!pending) {
        Log(LogLevel::Warn, "reply to id " + r.id.ToString() +
                                ", which is not awaiting one, ignored" +
                                (r.error ? ": " + r.error->ToString() : std::string()));
        return;
    }
    switch (pending->method) {
    case ClientMethod::Configure:
        OnConfigureReply(r, now);
        break;
    case ClientMethod::Subscribe:
        OnSubscribeReply(r, now);
        break;
    case ClientMethod::Authorize:
        OnAuthorizeReply(r, now);
        break;
    case ClientMethod::SuggestDifficulty:
    case ClientMethod::ExtranonceSubscribe:
        OnAcknowledgementReply(pending->method, r);
        break;
    case ClientMethod::Submit:
        OnSubmitReply(r, *pending->share, now - pending->sent_at);
        break;
    }
}

void Session::OnMessage(ClientReconnect&& m, TimePoint) {
    action::Reconnect a{"pool sent client.reconnect", std::nullopt, std::nullopt, m.wait, true};
    if (m.host || m.port) {
        const std::string target = m.host.value_or("same host") + ":" +
                                   (m.port ? std::to_string(*m.port) : std::string("same port"));
        if (m_config.follow_redirects) {
            a.host = std::move(m.host);
            a.port = m.port;
            a.reason += " to " + target;
        } else {
            Log(LogLevel::Warn,
                "client.reconnect to " + target + " not followed (redirects are off)");
        }
    }
    Emit(std::move(a));
}

void Session::OnMessage(ShowMessage&& m, TimePoint) {
    Log(LogLevel::Info, "message from pool: " + m.text);
}

void Session::OnMessage(GetVersion&& m, TimePoint) {
    if (m.id.IsNull()) {
        Log(LogLevel::Debug, "client.get_version without an id: nothing to reply to");
        return;
    }
    Emit(action::SendLine{EncodeResultReply(m.id, m_config.user_agent)});
}

void Session::OnMessage(Ping&& m, TimePoint) {
    if (m.id.IsNull()) {
        Log(LogLevel::Debug, "mining.ping without an id: nothing to reply to");
        return;
    }
    Emit(action::SendLine{EncodeResultReply(m.id, "pong")});
}

void Session::OnMessage(UnknownMethod&& m, TimePoint) {
    Log(LogLevel::Debug, "unknown method from pool: " + m.method +
                             (m.id.IsNull() ? std::string() : ", replying with an error"));
    if (!m.id.IsNull()) {
        Emit(action::SendLine{EncodeErrorReply(m.id, STRATUM_ERROR_UNKNOWN, "Method not found")});
    }
}

bool Session::SendRequest(uint64_t id, PendingRequest request, std::string line) {
    if (!m_pending.Insert(id, std::move(request))) {
        return false;
    }
    Emit(action::SendLine{std::move(line)});
    return true;
}

void Session::Log(LogLevel level, std::string text) {
    Emit(action::Log{level, std::move(text)});
}

void Session::ReconnectSamePool(std::string reason) {
    Emit(action::Reconnect{std::move(reason), std::nullopt, std::nullopt, std::chrono::seconds(0),
                           false});
}

} // namespace nonceforge::stratum
