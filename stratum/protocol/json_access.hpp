// Helpers shared by the parsers: typed access to nlohmann::json values that reports a
// ProtocolError naming the field instead of throwing. Private to stratum/protocol.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "nonceforge/stratum/error.hpp"

namespace nonceforge::stratum::detail {

using nlohmann::json;

// A JSON value as compact text for an error message (bounded, printable).
std::string Echo(const json& j);

// "expected <what>, got <json type>", keeping the value as the input.
ProtocolError WrongType(std::string_view field, std::string_view expected, const json& got);

// "<base> params[<index>] (<name>)"
std::string ParamField(std::string_view base, std::size_t index, std::string_view name);

// A string of at most max_chars characters.
Result<std::string_view> AsString(const json& j, std::string_view field, std::size_t max_chars);

// An integer (signed or unsigned JSON integer, not a float) within [min, max].
Result<int64_t> AsInteger(const json& j, std::string_view field, int64_t min, int64_t max);

// Serializes without throwing: invalid UTF-8 in strings is replaced.
std::string Dump(const json& j);

} // namespace nonceforge::stratum::detail
