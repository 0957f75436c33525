#include "json_access.hpp"

namespace nonceforge::stratum::detail {

std::string Echo(const json& j) {
    if (j.is_string()) {
        // Not through Dump: a 64 KiB string is not serialized only to be cut.
        return Quote(SanitizeText(j.get_ref<const std::string&>(), MAX_ECHO_CHARS));
    }
    if ((j.is_array() || j.is_object()) && j.size() > 8) {
        return std::string(j.type_name()) + " of " + std::to_string(j.size()) + " elements";
    }
    return SanitizeText(Dump(j), MAX_ECHO_CHARS);
}

ProtocolError WrongType(std::string_view field, std::string_view expected, const json& got) {
    ProtocolError e = MakeError(ErrorCode::WrongType, std::string(field),
                                "expected " + std::string(expected) + ", got " + got.type_name());
    e.input = Echo(got);
    return e;
}

std::string ParamField(std::string_view base, std::size_t index, std::string_view name) {
    return std::string(base) + " params[" + std::to_string(index) + "] (" + std::string(name) + ")";
}

Result<std::string_view> AsString(const json& j, std::string_view field, std::size_t max_chars) {
    if (!j.is_string()) {
        return core::MakeUnexpected(WrongType(field, "a string", j));
    }
    const auto& s = j.get_ref<const std::string&>();
    if (s.size() > max_chars) {
        return core::MakeUnexpected(MakeError(
            ErrorCode::TooLong, std::string(field),
            std::to_string(s.size()) + " characters, at most " + std::to_string(max_chars), s));
    }
    return std::string_view(s);
}

Result<int64_t> AsInteger(const json& j, std::string_view field, int64_t min, int64_t max) {
    if (!j.is_number_integer()) {
        return core::MakeUnexpected(WrongType(field, "an integer", j));
    }
    int64_t value = 0;
    bool in_range = true;
    if (j.is_number_unsigned()) {
        const uint64_t u = j.get<uint64_t>();
        in_range = u <= static_cast<uint64_t>(INT64_MAX);
        value = in_range ? static_cast<int64_t>(u) : 0;
    } else {
        value = j.get<int64_t>();
    }
    if (!in_range || value < min || value > max) {
        ProtocolError e = MakeError(ErrorCode::OutOfRange, std::string(field),
                                    "must be " + std::to_string(min) + ".." + std::to_string(max));
        e.input = Echo(j);
        return core::MakeUnexpected(std::move(e));
    }
    return value;
}

std::string Dump(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace nonceforge::stratum::detail
