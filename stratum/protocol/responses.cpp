// Responses: the envelope types and the typed readers for each request we send.
#include <algorithm>
#include <cctype>

#include "json_access.hpp"
#include "nonceforge/stratum/parser.hpp"

namespace nonceforge::stratum {

using core::MakeUnexpected;
using detail::json;

std::optional<uint64_t> RequestId::AsClientId() const {
    if (const auto* v = std::get_if<int64_t>(&value); v && *v >= 0) {
        return static_cast<uint64_t>(*v);
    }
    return std::nullopt;
}

json RequestId::ToJson() const {
    if (const auto* v = std::get_if<int64_t>(&value)) {
        return *v;
    }
    if (const auto* s = std::get_if<std::string>(&value)) {
        return *s;
    }
    return nullptr;
}

std::string RequestId::ToString() const {
    if (const auto* v = std::get_if<int64_t>(&value)) {
        return std::to_string(*v);
    }
    if (const auto* s = std::get_if<std::string>(&value)) {
        return Quote(SanitizeText(*s, MAX_STRING));
    }
    return "null";
}

std::string PoolError::ToString() const {
    std::string out = message.empty() ? std::string("error") : message;
    if (code) {
        out += " (code " + std::to_string(*code) + ")";
    }
    return out;
}

std::string_view MethodName(ClientMethod m) {
    switch (m) {
    case ClientMethod::Configure:
        return "mining.configure";
    case ClientMethod::Subscribe:
        return "mining.subscribe";
    case ClientMethod::Authorize:
        return "mining.authorize";
    case ClientMethod::SuggestDifficulty:
        return "mining.suggest_difficulty";
    case ClientMethod::ExtranonceSubscribe:
        return "mining.extranonce.subscribe";
    case ClientMethod::Submit:
        return "mining.submit";
    }
    return "?";
}

namespace {

bool IsPrintableId(const std::string& s) {
    return !s.empty() && s.size() <= SubscribeResult::MAX_SESSION_ID &&
           std::all_of(s.begin(), s.end(), [](char c) {
               return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f;
           });
}

// Subscriptions come as [[method, id], ...], as a single [method, id] pair, or as something
// else entirely; only a usable session id is taken from them, never an error.
std::optional<std::string> SessionIdFromSubscriptions(const json& subs) {
    if (!subs.is_array()) {
        return std::nullopt;
    }
    std::vector<const json*> pairs;
    if (subs.size() >= 2 && subs[0].is_string()) {
        pairs.push_back(&subs);
    } else {
        for (const json& p : subs) {
            pairs.push_back(&p);
        }
    }
    std::optional<std::string> first;
    for (const json* p : pairs) {
        if (!p->is_array() || p->size() < 2 || !(*p)[0].is_string() || !(*p)[1].is_string()) {
            continue;
        }
        const auto& id = (*p)[1].get_ref<const std::string&>();
        if (!IsPrintableId(id)) {
            continue;
        }
        if ((*p)[0] == "mining.notify") {
            return id;
        }
        if (!first) {
            first = id;
        }
    }
    return first;
}

// ckpool: "version-rolling": true/false; some servers put an error string where the boolean
// goes, which is a refusal too.
Result<bool> Granted(const json& result, const char* key) {
    auto it = result.find(key);
    if (it == result.end() || it->is_string()) {
        return false;
    }
    if (!it->is_boolean()) {
        return MakeUnexpected(
            detail::WrongType(std::string("mining.configure result.") + key, "a boolean", *it));
    }
    return it->get<bool>();
}

} // namespace

Result<SubscribeResult> ParseSubscribeResult(const Response& r) {
    constexpr std::string_view F = "mining.subscribe result";
    if (!r.result.is_array()) {
        return MakeUnexpected(detail::WrongType(F, "an array", r.result));
    }
    if (r.result.size() != 3) {
        ProtocolError e = MakeError(ErrorCode::WrongCount, std::string(F),
                                    "expected 3, got " + std::to_string(r.result.size()));
        e.input = detail::Echo(r.result);
        return MakeUnexpected(std::move(e));
    }
    auto en1 = Extranonce1::FromJson(r.result[1], std::string(F) + "[1] (extranonce1)");
    if (!en1) {
        return MakeUnexpected(en1.error());
    }
    auto size = Extranonce2Size::FromJson(r.result[2], std::string(F) + "[2] (extranonce2_size)");
    if (!size) {
        return MakeUnexpected(size.error());
    }
    return SubscribeResult{SessionIdFromSubscriptions(r.result[0]), std::move(*en1), *size};
}

Result<ConfigureResult> ParseConfigureResult(const Response& r) {
    if (!r.result.is_object()) {
        return MakeUnexpected(detail::WrongType("mining.configure result", "an object", r.result));
    }
    ConfigureResult out;
    auto rolling = Granted(r.result, "version-rolling");
    if (!rolling) {
        return MakeUnexpected(rolling.error());
    }
    if (*rolling) {
        auto it = r.result.find("version-rolling.mask");
        if (it == r.result.end()) {
            return MakeUnexpected(MakeError(ErrorCode::MissingField,
                                            "mining.configure result.version-rolling.mask",
                                            "version rolling granted without a mask"));
        }
        auto mask = HexU32::FromJson(*it, "mining.configure result.version-rolling.mask");
        if (!mask) {
            return MakeUnexpected(mask.error());
        }
        out.version_mask = mask->Value();
    }
    if (r.result.contains("minimum-difficulty")) {
        auto min_diff = Granted(r.result, "minimum-difficulty");
        if (!min_diff) {
            return MakeUnexpected(min_diff.error());
        }
        out.minimum_difficulty = *min_diff;
    }
    return out;
}

Result<bool> ParseAuthorizeResult(const Response& r) {
    if (r.error) {
        return false;
    }
    if (!r.result.is_boolean()) {
        return MakeUnexpected(detail::WrongType("mining.authorize result", "a boolean", r.result));
    }
    return r.result.get<bool>();
}

bool ParseAcknowledgement(const Response& r) {
    return !r.error && !(r.result.is_boolean() && !r.result.get<bool>());
}

Result<SubmitOutcome> ParseSubmitResult(const Response& r) {
    using Kind = SubmitOutcome::Kind;
    if (!r.error && r.result.is_boolean() && r.result.get<bool>()) {
        return SubmitOutcome{Kind::Accepted, {}};
    }
    std::string reason;
    std::optional<int64_t> code;
    if (r.error) {
        code = r.error->code;
        reason = r.reject_reason ? *r.reject_reason + " (" + r.error->ToString() + ")"
                                 : r.error->ToString();
    } else if (r.reject_reason) {
        reason = *r.reject_reason;
    } else if (r.result.is_boolean()) {
        reason = "rejected without a reason";
    } else {
        return MakeUnexpected(detail::WrongType("mining.submit result", "a boolean", r.result));
    }
    const Kind kind = IsStaleReason(code, reason) ? Kind::Stale : Kind::Rejected;
    return SubmitOutcome{kind, std::move(reason)};
}

bool IsStaleReason(const std::optional<int64_t>& code, std::string_view message) {
    constexpr int64_t STRATUM_JOB_NOT_FOUND = 21;
    if (code == STRATUM_JOB_NOT_FOUND) {
        return true;
    }
    std::string lower(message);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (std::string_view marker : {"stale", "job not found", "unknown job"}) {
        if (lower.find(marker) != std::string::npos) {
            return true;
        }
    }
    return false;
}

} // namespace nonceforge::stratum
