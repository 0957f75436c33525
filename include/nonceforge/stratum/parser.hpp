// Parsing of server lines. ParseServerLine reads one line (without or with its "\n") into a
// typed message; the readers below turn a Response into the result of the request it answers,
// once the caller has looked the id up in its pending table.
#pragma once

#include <cstddef>
#include <string_view>

#include "nonceforge/stratum/error.hpp"
#include "nonceforge/stratum/messages.hpp"

namespace nonceforge::stratum {

// A notify with two 64 KiB coinbase halves and a full branch fits well below this.
constexpr std::size_t MAX_LINE_BYTES = 256 * 1024;
// Stratum V1 needs four levels (subscribe result); deeper nesting is garbage.
constexpr std::size_t MAX_JSON_DEPTH = 8;

Result<ServerMessage> ParseServerLine(std::string_view line);

// mining.subscribe: the result must be [subscriptions, extranonce1, extranonce2_size].
// The caller checks Response::error first.
Result<SubscribeResult> ParseSubscribeResult(const Response& r);

// mining.configure: the result must be an object; unknown members are ignored. A granted
// "version-rolling" needs a valid "version-rolling.mask".
Result<ConfigureResult> ParseConfigureResult(const Response& r);

// mining.authorize: true when the pool accepted the worker; false when it refused it by result
// or by error. A result that is neither a boolean nor accompanied by an error is malformed.
Result<bool> ParseAuthorizeResult(const Response& r);

// mining.suggest_difficulty and mining.extranonce.subscribe: true unless refused (an error or a
// false result). Pools often answer null; that counts as no objection.
bool ParseAcknowledgement(const Response& r);

// mining.submit: accepted on a true result without error; otherwise rejected with the pool's
// reason ("reject-reason" as ckpool sends it, else the error), which is classified as stale
// when IsStaleReason says so. A result that is neither boolean nor explained by an error is
// malformed.
Result<SubmitOutcome> ParseSubmitResult(const Response& r);

// Whether a reject means the job was stale: Stratum error code 21 ("Job not found"), or a
// message containing "stale", "job not found" or "unknown job" (any case).
bool IsStaleReason(const std::optional<int64_t>& code, std::string_view message);

} // namespace nonceforge::stratum
