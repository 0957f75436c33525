// The handshake: configure -> subscribe -> authorize -> suggest_difficulty and
// extranonce.subscribe, each step sent when the previous one is answered.
#include <bit>

#include "nonceforge/core/stratum_fields.hpp"
#include "nonceforge/stratum/parser.hpp"
#include "nonceforge/stratum/session.hpp"

namespace nonceforge::stratum {

using core::FormatHexU32BE;

void Session::SendConfigure(TimePoint now) {
    m_state = SessionState::Configuring;
    const uint64_t id = NextId();
    const ConfigureRequest request{m_config.version_rolling, m_config.minimum_difficulty};
    SendRequest(id, {ClientMethod::Configure, now, std::nullopt}, EncodeConfigure(id, request));
}

void Session::SendSubscribe(TimePoint now) {
    m_state = SessionState::Subscribing;
    std::optional<std::string_view> resume;
    if (m_config.resume_session && m_session_id) {
        resume = *m_session_id;
    }
    m_subscribe_sent_session_id = resume.has_value();
    const uint64_t id = NextId();
    SendRequest(id, {ClientMethod::Subscribe, now, std::nullopt},
                EncodeSubscribe(id, m_config.user_agent, resume));
}

void Session::SendAuthorize(TimePoint now) {
    m_state = SessionState::Authorizing;
    const uint64_t id = NextId();
    SendRequest(id, {ClientMethod::Authorize, now, std::nullopt},
                EncodeAuthorize(id, m_config.user, m_config.password));
}

// After authorize: ckpool ignores mining.suggest_difficulty before it.
void Session::SendExtensionsAfterAuthorize(TimePoint now) {
    if (m_config.suggest_difficulty) {
        const uint64_t id = NextId();
        SendRequest(id, {ClientMethod::SuggestDifficulty, now, std::nullopt},
                    EncodeSuggestDifficulty(id, *m_config.suggest_difficulty));
    }
    if (m_config.extranonce_subscribe) {
        const uint64_t id = NextId();
        SendRequest(id, {ClientMethod::ExtranonceSubscribe, now, std::nullopt},
                    EncodeExtranonceSubscribe(id));
    }
}

void Session::OnConfigureReply(const Response& r, TimePoint now) {
    if (r.error) {
        Log(LogLevel::Warn, "pool refused mining.configure: " + r.error->ToString() +
                                "; continuing without extensions");
    } else if (auto result = ParseConfigureResult(r); !result) {
        Log(LogLevel::Warn, "unreadable mining.configure reply: " + result.error().Message() +
                                "; continuing without extensions");
    } else {
        if (m_config.version_rolling && result->version_mask) {
            const uint32_t requested = m_config.version_rolling->mask;
            m_version_mask = *result->version_mask & requested;
            if ((*result->version_mask & ~requested) != 0) {
                Log(LogLevel::Warn, "pool granted version mask " +
                                        FormatHexU32BE(*result->version_mask) +
                                        " beyond the requested " + FormatHexU32BE(requested));
            }
            if (std::popcount(m_version_mask) < int(m_config.version_rolling->min_bit_count)) {
                Log(LogLevel::Warn, "granted version mask has fewer bits than requested");
            }
            Log(LogLevel::Info, "version rolling granted, mask " + FormatHexU32BE(m_version_mask));
        } else if (m_config.version_rolling) {
            Log(LogLevel::Info, "pool did not grant version rolling");
        }
        if (m_config.minimum_difficulty) {
            Log(LogLevel::Info,
                std::string("minimum difficulty ") +
                    (result->minimum_difficulty.value_or(false) ? "accepted" : "not accepted"));
        }
    }
    SendSubscribe(now);
}

void Session::OnSubscribeReply(const Response& r, TimePoint now) {
    if (r.error) {
        if (m_subscribe_sent_session_id) {
            Log(LogLevel::Info, "pool refused to resume session " + *m_session_id + ": " +
                                    r.error->ToString() + "; subscribing afresh");
            m_session_id.reset();
            SendSubscribe(now);
            return;
        }
        ReconnectSamePool("pool refused mining.subscribe: " + r.error->ToString());
        return;
    }
    auto result = ParseSubscribeResult(r);
    if (!result) {
        ReconnectSamePool("unreadable mining.subscribe reply: " + result.error().Message());
        return;
    }
    const bool resumed = m_subscribe_sent_session_id && result->session_id == m_session_id;
    m_session_id = result->session_id;
    m_extranonce1 = result->extranonce1;
    m_extranonce2_size = result->extranonce2_size;
    // A resumed session with the same extranonces keeps the jobs of the previous connection
    // valid (shares found while disconnected can still be submitted) until a new block.
    if (resumed && m_previous && m_previous->extranonce1 == m_extranonce1->Bytes() &&
        m_previous->extranonce2_size == m_extranonce2_size->Value()) {
        m_connection_first_sequence = m_previous->first_sequence;
        m_last_prev_hash = m_previous->prev_hash;
    }
    m_previous.reset();
    Log(LogLevel::Info, std::string(resumed ? "resumed session" : "subscribed") + ": extranonce1 " +
                            core::HexEncode(m_extranonce1->Bytes()) + ", extranonce2 size " +
                            std::to_string(m_extranonce2_size->Value()));
    SendAuthorize(now);
}

void Session::OnAuthorizeReply(const Response& r, TimePoint now) {
    auto ok = ParseAuthorizeResult(r);
    if (!ok) {
        Emit(action::Close{"unreadable mining.authorize reply: " + ok.error().Message()});
        return;
    }
    if (!*ok) {
        Emit(action::Close{"pool refused worker \"" + SanitizeText(m_config.user, 128) + "\"" +
                           (r.error ? ": " + r.error->ToString() : std::string())});
        return;
    }
    m_state = SessionState::Ready;
    Log(LogLevel::Info, "authorized as " + SanitizeText(m_config.user, 128));
    SendExtensionsAfterAuthorize(now);
    if (m_held_job) {
        core::Job job = std::move(*m_held_job);
        m_held_job.reset();
        DeliverOrHold(std::move(job));
    }
}

void Session::OnAcknowledgementReply(ClientMethod method, const Response& r) {
    if (ParseAcknowledgement(r)) {
        Log(LogLevel::Debug, "pool accepted " + std::string(MethodName(method)));
        return;
    }
    Log(LogLevel::Info, "pool refused " + std::string(MethodName(method)) +
                            (r.error ? ": " + r.error->ToString() : std::string()));
}

} // namespace nonceforge::stratum
