#include "nonceforge/stratum/encoder.hpp"

#include <cmath>

#include "json_access.hpp"

#ifndef NF_VERSION
#error "NF_VERSION must be defined by the build (the project version)"
#endif

namespace nonceforge::stratum {

using detail::json;

namespace {

std::string Line(const json& j) {
    return detail::Dump(j) + "\n";
}

std::string Request(uint64_t id, std::string_view method, json params) {
    return Line(json{{"id", id}, {"method", method}, {"params", std::move(params)}});
}

// Whole numbers as JSON integers ("16384", not "16384.0"): some pools read them as integers.
json Number(double v) {
    constexpr double EXACT_INTEGER_LIMIT = 9007199254740992.0; // 2^53
    if (std::isfinite(v) && std::trunc(v) == v && std::fabs(v) < EXACT_INTEGER_LIMIT) {
        return static_cast<int64_t>(v);
    }
    return v;
}

} // namespace

std::string DefaultUserAgent() {
    return std::string("nonceforge/") + NF_VERSION;
}

std::string EncodeSubscribe(uint64_t id, std::string_view user_agent,
                            std::optional<std::string_view> session_id) {
    json params = json::array({user_agent});
    if (session_id) {
        params.push_back(*session_id);
    }
    return Request(id, "mining.subscribe", std::move(params));
}

std::string EncodeAuthorize(uint64_t id, std::string_view user, std::string_view password) {
    return Request(id, "mining.authorize", json::array({user, password}));
}

std::string EncodeConfigure(uint64_t id, const ConfigureRequest& request) {
    json extensions = json::array();
    json parameters = json::object();
    if (request.version_rolling) {
        extensions.push_back("version-rolling");
        parameters["version-rolling.mask"] = core::FormatHexU32BE(request.version_rolling->mask);
        parameters["version-rolling.min-bit-count"] = request.version_rolling->min_bit_count;
    }
    if (request.minimum_difficulty) {
        extensions.push_back("minimum-difficulty");
        parameters["minimum-difficulty.value"] = Number(*request.minimum_difficulty);
    }
    return Request(id, "mining.configure", json::array({extensions, parameters}));
}

std::string EncodeSuggestDifficulty(uint64_t id, double difficulty) {
    return Request(id, "mining.suggest_difficulty", json::array({Number(difficulty)}));
}

std::string EncodeExtranonceSubscribe(uint64_t id) {
    return Request(id, "mining.extranonce.subscribe", json::array());
}

std::string EncodeSubmit(uint64_t id, std::string_view worker, const core::SubmitFields& fields) {
    json params =
        json::array({worker, fields.job_id, fields.extranonce2, fields.ntime, fields.nonce});
    if (fields.version_bits) {
        params.push_back(*fields.version_bits);
    }
    return Request(id, "mining.submit", std::move(params));
}

std::string EncodeResultReply(const RequestId& id, const json& result) {
    return Line(json{{"id", id.ToJson()}, {"result", result}, {"error", nullptr}});
}

std::string EncodeErrorReply(const RequestId& id, int code, std::string_view message) {
    return Line(json{{"id", id.ToJson()},
                     {"result", nullptr},
                     {"error", json::array({code, message, nullptr})}});
}

} // namespace nonceforge::stratum
