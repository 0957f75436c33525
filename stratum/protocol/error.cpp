#include "nonceforge/stratum/error.hpp"

#include <algorithm>
#include <ostream>

namespace nonceforge::stratum {

std::string_view ToString(ErrorCode code) {
    switch (code) {
    case ErrorCode::EmptyLine:
        return "empty line";
    case ErrorCode::LineTooLong:
        return "line too long";
    case ErrorCode::NotJson:
        return "not JSON";
    case ErrorCode::TooDeep:
        return "nested too deep";
    case ErrorCode::NotAnObject:
        return "not an object";
    case ErrorCode::MissingField:
        return "missing field";
    case ErrorCode::WrongType:
        return "wrong type";
    case ErrorCode::WrongCount:
        return "wrong number of elements";
    case ErrorCode::BadHex:
        return "bad hex";
    case ErrorCode::TooLong:
        return "too long";
    case ErrorCode::OutOfRange:
        return "out of range";
    case ErrorCode::BadDifficulty:
        return "bad difficulty";
    case ErrorCode::BadText:
        return "bad text";
    }
    return "unknown error";
}

std::string ProtocolError::Message() const {
    std::string out = field.empty() ? std::string("line") : field;
    out += ": ";
    out += ToString(code);
    if (!detail.empty()) {
        out += " (" + detail + ")";
    }
    if (!input.empty()) {
        out += ", got " + input;
    }
    return out;
}

std::ostream& operator<<(std::ostream& os, const ProtocolError& e) {
    return os << e.Message();
}

ProtocolError MakeError(ErrorCode code, std::string field, std::string detail,
                        std::string_view input) {
    std::string echo;
    if (!input.empty()) {
        echo = Quote(SanitizeText(input, MAX_ECHO_CHARS));
    }
    return ProtocolError{code, std::move(field), std::move(detail), std::move(echo)};
}

std::string Quote(std::string_view text) {
    // Built by append: GCC 12 misreports "literal" + std::string&& under -Wrestrict (PR 105329).
    std::string out;
    out.reserve(text.size() + 2);
    out.append(1, '"').append(text).append(1, '"');
    return out;
}

std::string SanitizeText(std::string_view text, std::size_t max_chars) {
    static constexpr char DIGITS[] = "0123456789abcdef";
    std::string out;
    out.reserve(std::min(text.size(), max_chars) + 3);
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        const bool printable = c >= 0x20 && c < 0x7f;
        const std::size_t width = printable ? 1 : 4;
        if (out.size() + width > max_chars) {
            out += "...";
            return out;
        }
        if (printable) {
            out += ch;
        } else {
            out += "\\x";
            out += DIGITS[c >> 4];
            out += DIGITS[c & 0xf];
        }
    }
    return out;
}

} // namespace nonceforge::stratum
