// Encoding of client requests and of replies to server requests. Every function returns one
// compact JSON object followed by "\n", ready to write to the socket. Strings from the
// configuration are written with invalid UTF-8 replaced, so encoding cannot fail.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "nonceforge/core/work.hpp"
#include "nonceforge/stratum/messages.hpp"

namespace nonceforge::stratum {

// "nonceforge/<project version>"
std::string DefaultUserAgent();

// BIP 310 version rolling and the "minimum-difficulty" extension of mining.configure.
struct ConfigureRequest {
    struct VersionRolling {
        uint32_t mask = 0x1fffe000;
        unsigned min_bit_count = 2;
    };
    std::optional<VersionRolling> version_rolling;
    std::optional<double> minimum_difficulty;
};

// mining.subscribe [user_agent] or [user_agent, session_id] to resume a session.
std::string EncodeSubscribe(uint64_t id, std::string_view user_agent,
                            std::optional<std::string_view> session_id = std::nullopt);
// mining.authorize [user, password]
std::string EncodeAuthorize(uint64_t id, std::string_view user, std::string_view password);
// mining.configure [[extensions...], {parameters}]
std::string EncodeConfigure(uint64_t id, const ConfigureRequest& request);
// mining.suggest_difficulty [difficulty]; integral values are written as JSON integers.
std::string EncodeSuggestDifficulty(uint64_t id, double difficulty);
// mining.extranonce.subscribe []
std::string EncodeExtranonceSubscribe(uint64_t id);
// mining.submit [worker, job_id, extranonce2, ntime, nonce] plus version_bits when present.
std::string EncodeSubmit(uint64_t id, std::string_view worker, const core::SubmitFields& fields);

// {"id": id, "result": result, "error": null}
std::string EncodeResultReply(const RequestId& id, const nlohmann::json& result);
// {"id": id, "result": null, "error": [code, message, null]}
std::string EncodeErrorReply(const RequestId& id, int code, std::string_view message);

// Stratum error code for a method the client does not implement ("Other/Unknown").
constexpr int STRATUM_ERROR_UNKNOWN = 20;

} // namespace nonceforge::stratum
