#include "pool_session.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "nonceforge/core/hex.hpp"
#include "nonceforge/core/stratum_fields.hpp"
#include "nonceforge/core/target.hpp"

namespace nonceforge::stratum::server {

using nlohmann::json;

namespace {

// One line of JSON. Parsed input is valid UTF-8 already; `replace` keeps dump() from throwing
// should any text ever not be.
std::string Line(const json& message) {
    return message.dump(-1, ' ', false, json::error_handler_t::replace) + '\n';
}

std::string FormatDifficulty(double d) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.6g", d);
    return buf;
}

// A difficulty as clients send it: a JSON number, or a number in a string.
std::optional<double> ReadDifficulty(const json& v) {
    double d = 0;
    if (v.is_number()) {
        d = v.get<double>();
    } else if (v.is_string()) {
        const std::string s = v.get<std::string>();
        char* end = nullptr;
        d = std::strtod(s.c_str(), &end);
        if (s.empty() || end != s.c_str() + s.size()) {
            return std::nullopt;
        }
    } else {
        return std::nullopt;
    }
    if (!std::isfinite(d) || !(d > 0)) {
        return std::nullopt;
    }
    return d;
}

} // namespace

PoolSession::PoolSession(PoolContext& ctx, std::string peer, SendFn send)
    : m_ctx(ctx)
    , m_peer(std::move(peer))
    , m_send(std::move(send)) {
    ApplyDifficulty(ctx.difficulty);
}

void PoolSession::HandleLine(std::string_view line) {
    json msg = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (msg.is_discarded() || !msg.is_object()) {
        m_ctx.stats.Update([](PoolCounters& c) { ++c.protocol_errors; });
        m_ctx.Log(LogLevel::Warn, m_peer + ": unparsable line (" + std::to_string(line.size()) +
                                      " bytes), answered");
        m_send(Line(
            json{{"id", nullptr}, {"result", nullptr}, {"error", {20, "Parse error", nullptr}}}));
        return;
    }
    const json id = msg.contains("id") ? msg["id"] : json(nullptr);
    const auto method_it = msg.find("method");
    if (method_it == msg.end() || !method_it->is_string()) {
        m_ctx.stats.Update([](PoolCounters& c) { ++c.protocol_errors; });
        m_ctx.Log(LogLevel::Warn, m_peer + ": request without a method");
        ReplyError(id, PoolErrorCode::Other, "Invalid request: no method");
        return;
    }
    const std::string method = method_it->get<std::string>();
    const auto params_it = msg.find("params");
    const json params = params_it == msg.end() ? json::array() : *params_it;

    if (method == "mining.subscribe") {
        OnSubscribe(id);
    } else if (method == "mining.authorize") {
        OnAuthorize(id, params);
    } else if (method == "mining.configure") {
        OnConfigure(id, params);
    } else if (method == "mining.suggest_difficulty") {
        OnSuggestDifficulty(id, params);
    } else if (method == "mining.extranonce.subscribe") {
        m_extranonce_subscribed = true;
        Reply(id, true);
    } else if (method == "mining.submit") {
        OnSubmit(id, params);
    } else {
        m_ctx.Log(LogLevel::Info, m_peer + ": unknown method " + method);
        ReplyError(id, PoolErrorCode::Other, "Method not found: " + method);
    }
}

void PoolSession::Reply(const json& id, json result) {
    if (id.is_null()) {
        return; // a notification: JSON-RPC answers nothing
    }
    m_send(Line(json{{"id", id}, {"result", std::move(result)}, {"error", nullptr}}));
}

void PoolSession::ReplyError(const json& id, PoolErrorCode code, const std::string& message) {
    if (id.is_null()) {
        return;
    }
    m_send(Line(json{{"id", id}, {"result", nullptr}, {"error", {int(code), message, nullptr}}}));
}

void PoolSession::ReplyReject(const json& id, const Reject& reject, const std::string& worker) {
    m_ctx.stats.AddRejected(reject.code);
    m_ctx.Log(LogLevel::Info, "share rejected from worker " + worker + " (" + m_peer +
                                  "): " + std::to_string(int(reject.code)) + " " + reject.message);
    if (m_ctx.config.reject_style == RejectStyle::Ckpool && !id.is_null()) {
        m_send(Line(json{
            {"id", id}, {"result", false}, {"error", nullptr}, {"reject-reason", reject.reason}}));
        return;
    }
    ReplyError(id, reject.code, reject.message);
}

void PoolSession::SendNotification(const char* method, json params) {
    m_send(Line(json{{"id", nullptr}, {"method", method}, {"params", std::move(params)}}));
}

void PoolSession::OnSubscribe(const json& id) {
    if (!m_subscribed) {
        m_subscribed = true;
        m_extranonce1 = m_ctx.NewExtranonce1();
        m_ctx.stats.Update([](PoolCounters& c) { ++c.subscribed; });
    }
    const std::string session_id = core::HexEncode(m_extranonce1);
    Reply(id, json::array({json::array({json::array({"mining.set_difficulty", session_id}),
                                        json::array({"mining.notify", session_id})}),
                           session_id, m_ctx.config.extranonce2_size}));
    StartWorkIfReady();
}

void PoolSession::OnAuthorize(const json& id, const json& params) {
    if (!params.is_array() || params.empty() || !params[0].is_string() ||
        params[0].get<std::string>().empty()) {
        m_ctx.stats.Update([](PoolCounters& c) { ++c.protocol_errors; });
        ReplyError(id, PoolErrorCode::Other, "mining.authorize needs a user name");
        return;
    }
    const std::string user = params[0].get<std::string>();
    const auto& refused = m_ctx.config.rejected_users;
    if (std::find(refused.begin(), refused.end(), user) != refused.end()) {
        m_ctx.Log(LogLevel::Info, "worker " + user + " refused (" + m_peer + ")");
        if (m_ctx.config.reject_style == RejectStyle::Ckpool) {
            Reply(id, false);
        } else {
            ReplyError(id, PoolErrorCode::Unauthorized, "Unauthorized worker");
        }
        return;
    }
    if (std::find(m_workers.begin(), m_workers.end(), user) == m_workers.end()) {
        m_workers.push_back(user);
        m_ctx.stats.Update([](PoolCounters& c) { ++c.authorized; });
        m_ctx.Log(LogLevel::Info, "worker " + user + " authorized (" + m_peer + ")");
    }
    Reply(id, true);
    StartWorkIfReady();
}

// BIP 310: answer every extension asked for; version rolling gets requested & granted.
void PoolSession::OnConfigure(const json& id, const json& params) {
    if (!params.is_array() || params.empty() || !params[0].is_array()) {
        m_ctx.stats.Update([](PoolCounters& c) { ++c.protocol_errors; });
        ReplyError(id, PoolErrorCode::Other, "mining.configure needs a list of extensions");
        return;
    }
    const json options = params.size() > 1 && params[1].is_object() ? params[1] : json::object();
    json result = json::object();
    for (const json& ext : params[0]) {
        if (!ext.is_string()) {
            continue;
        }
        const std::string name = ext.get<std::string>();
        if (name == "version-rolling") {
            uint32_t requested = 0xffffffffu; // BIP 310: the full mask when none is given
            if (auto it = options.find("version-rolling.mask"); it != options.end()) {
                auto mask = it->is_string() ? core::ParseHexU32BE(it->get<std::string>())
                                            : core::ParseHexU32BE("");
                if (!mask) {
                    ReplyError(id, PoolErrorCode::Other, "Invalid version-rolling.mask");
                    return;
                }
                requested = *mask;
            }
            m_version_mask = requested & m_ctx.config.version_mask;
            result["version-rolling"] = m_version_mask != 0;
            result["version-rolling.mask"] = core::FormatHexU32BE(m_version_mask);
        } else if (name == "minimum-difficulty") {
            auto it = options.find("minimum-difficulty.value");
            std::optional<double> d = it == options.end() ? std::nullopt : ReadDifficulty(*it);
            result["minimum-difficulty"] = d.has_value();
            if (d) {
                ApplyDifficulty(ClampToBounds(*d));
            }
        } else {
            result[name] = false;
        }
    }
    Reply(id, std::move(result));
}

void PoolSession::OnSuggestDifficulty(const json& id, const json& params) {
    std::optional<double> d;
    if (params.is_array() && !params.empty()) {
        d = ReadDifficulty(params[0]);
    }
    if (!d) {
        m_ctx.stats.Update([](PoolCounters& c) { ++c.protocol_errors; });
        ReplyError(id, PoolErrorCode::Other, "mining.suggest_difficulty needs a positive number");
        return;
    }
    Reply(id, true);
    ApplyDifficulty(ClampToBounds(*d));
}

// What a client asks for is kept within the configured bounds; the operator's own settings
// (PoolServerConfig::difficulty, PoolServer::SetDifficulty) are not.
double PoolSession::ClampToBounds(double difficulty) const {
    return std::clamp(difficulty, m_ctx.config.min_difficulty, m_ctx.config.max_difficulty);
}

// Once working, announces it at once. It applies to the jobs sent from now on, and to those
// sent before only when it is lower: some clients apply a new difficulty to the work in hand,
// others from the next mining.notify, and neither should see a share rejected for it. The
// current job is not resent: a client that restarts a job on every notify would mine the same
// shares again (duplicates), and ckpool does not resend either.
void PoolSession::ApplyDifficulty(double difficulty) {
    auto target = core::DifficultyToTarget(difficulty);
    if (!target) {
        m_ctx.Log(LogLevel::Warn, m_peer + ": difficulty " + FormatDifficulty(difficulty) +
                                      " ignored: " + core::ToString(target.error()));
        return;
    }
    m_difficulty = difficulty;
    m_target = *target;
    if (!m_working || m_announced_difficulty == m_difficulty) {
        return;
    }
    SendNotification("mining.set_difficulty", json::array({m_difficulty}));
    m_announced_difficulty = m_difficulty;
    for (auto& [job_id, sent] : m_sent_jobs) {
        if (m_difficulty < sent.difficulty) {
            sent.difficulty = m_difficulty;
            sent.target = m_target;
        }
    }
}

void PoolSession::SetDifficulty(double difficulty) {
    ApplyDifficulty(difficulty);
}

void PoolSession::SetExtranonce() {
    if (!m_subscribed || !m_extranonce_subscribed) {
        return;
    }
    m_extranonce1 = m_ctx.NewExtranonce1(); // jobs already sent keep theirs in m_sent_jobs
    m_ctx.Log(LogLevel::Info,
              m_peer + ": new extranonce1 " + core::HexEncode(m_extranonce1) + " from next job");
    SendNotification("mining.set_extranonce",
                     json::array({core::HexEncode(m_extranonce1), m_ctx.config.extranonce2_size}));
}

void PoolSession::StartWorkIfReady() {
    if (m_working || !Ready()) {
        return;
    }
    m_working = true;
    if (auto job = m_ctx.jobs.Newest()) {
        SendJobAs(*job, true); // the client has no work yet: whatever it had is stale
    }
}

void PoolSession::SendJob(const PoolJob& job) {
    if (m_working) {
        SendJobAs(job, job.job.clean_jobs);
    }
}

// mining.set_difficulty (when it changed) always before the mining.notify it applies to.
void PoolSession::SendJobAs(const PoolJob& job, bool clean_jobs) {
    if (m_announced_difficulty != m_difficulty) {
        SendNotification("mining.set_difficulty", json::array({m_difficulty}));
        m_announced_difficulty = m_difficulty;
    }
    std::erase_if(m_sent_jobs, [this](const auto& entry) {
        return m_ctx.jobs.State(entry.first) != JobState::Current;
    });
    m_sent_jobs.insert_or_assign(job.job.job_id, JobAsSent{m_difficulty, m_target, m_extranonce1});
    SendNotification("mining.notify", job.NotifyParams(clean_jobs));
}

void PoolSession::OnSubmit(const json& id, const json& params) {
    const std::string claimed = params.is_array() && !params.empty() && params[0].is_string()
                                    ? params[0].get<std::string>()
                                    : std::string("?");
    if (m_workers.empty()) {
        ReplyReject(id, MakeReject(PoolErrorCode::Unauthorized, "Unauthorized worker"), claimed);
        return;
    }
    if (!m_subscribed) {
        ReplyReject(id, MakeReject(PoolErrorCode::NotSubscribed, "Not subscribed"), claimed);
        return;
    }
    auto request = ParseSubmit(params);
    if (!request) {
        m_ctx.stats.Update([](PoolCounters& c) { ++c.protocol_errors; });
        ReplyReject(id, request.error(), claimed);
        return;
    }
    const std::string& worker = request->worker;
    if (std::find(m_workers.begin(), m_workers.end(), worker) == m_workers.end()) {
        ReplyReject(id, MakeReject(PoolErrorCode::Unauthorized, "Unauthorized worker"), worker);
        return;
    }
    const JobState state = m_ctx.jobs.State(request->job_id);
    const auto sent = m_sent_jobs.find(request->job_id);
    if (state == JobState::Stale) {
        ReplyReject(id, MakeReject(PoolErrorCode::JobNotFound, "Stale job"), worker);
        return;
    }
    PoolJob* job = m_ctx.jobs.Find(request->job_id);
    if (state != JobState::Current || sent == m_sent_jobs.end() || job == nullptr) {
        ReplyReject(id, MakeReject(PoolErrorCode::JobNotFound, "Job not found"), worker);
        return;
    }
    const ShareLimits limits{m_ctx.config.extranonce2_size, m_version_mask,
                             m_ctx.config.ntime_forward};
    auto share = CheckShare(*request, job->job, sent->second, limits);
    if (!share) {
        ReplyReject(id, share.error(), worker);
        return;
    }
    if (job->shares.contains(share->key)) {
        ReplyReject(id, MakeReject(PoolErrorCode::DuplicateShare, "Duplicate share"), worker);
        return;
    }
    if (!share->meets_share_target) {
        ReplyReject(id, MakeReject(PoolErrorCode::LowDifficulty, "Low difficulty share"), worker);
        return;
    }
    if (m_ctx.config.refuse_shares &&
        ++m_valid_shares % std::max(m_ctx.config.refuse_every, 1u) == 0) {
        ReplyReject(id, MakeReject(PoolErrorCode::LowDifficulty, *m_ctx.config.refuse_shares),
                    worker);
        return;
    }
    job->shares.insert(share->key);

    AcceptedShare accepted;
    accepted.worker = worker;
    accepted.job_id = request->job_id;
    accepted.extranonce1 = core::HexEncode(sent->second.extranonce1);
    accepted.extranonce2 = core::HexEncode(share->extranonce2);
    accepted.ntime = share->ntime;
    accepted.nonce = share->nonce;
    accepted.version = share->version;
    accepted.hash = share->hash;
    accepted.share_difficulty = sent->second.difficulty;
    accepted.hash_difficulty = core::HashDifficulty(share->hash);
    accepted.block = share->meets_network_target;
    m_ctx.Log(LogLevel::Info, "share accepted from worker " + worker + " diff " +
                                  FormatDifficulty(accepted.share_difficulty) + " (hash diff " +
                                  FormatDifficulty(accepted.hash_difficulty) + ", job " +
                                  accepted.job_id + ")");
    if (accepted.block) {
        m_ctx.Log(LogLevel::Info, "block found by worker " + worker + " at height " +
                                      std::to_string(job->height) + ": " +
                                      share->hash.ToDisplayHex());
    }
    m_ctx.stats.AddAccepted(std::move(accepted));
    Reply(id, true);
}

} // namespace nonceforge::stratum::server
