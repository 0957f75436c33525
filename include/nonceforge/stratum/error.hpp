// Errors of the Stratum V1 protocol layer. Every error names the field it is about (as a path
// into the message, e.g. "mining.notify params[1] (prevhash)") and keeps a printable, truncated
// copy of the offending input, so a log line alone says what the pool sent.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include "nonceforge/core/expected.hpp"

namespace nonceforge::stratum {

enum class ErrorCode {
    EmptyLine,     // the line holds nothing but whitespace
    LineTooLong,   // the line exceeds MAX_LINE_BYTES
    NotJson,       // not valid JSON (this includes invalid UTF-8 inside strings)
    TooDeep,       // arrays/objects nested deeper than MAX_JSON_DEPTH
    NotAnObject,   // the top-level value (or a field that must be one) is not a JSON object
    MissingField,  // a required member or parameter is absent
    WrongType,     // a member has the wrong JSON type
    WrongCount,    // an array has the wrong number of elements
    BadHex,        // odd-length hex, a non-hex character, or the wrong number of bytes
    TooLong,       // a string or array exceeds its bound
    OutOfRange,    // a number is outside its allowed range
    BadDifficulty, // not a positive finite number that a share target can represent
    BadText,       // a string holds characters not allowed there (control characters, spaces)
};

std::string_view ToString(ErrorCode code);

struct ProtocolError {
    ErrorCode code;
    std::string field;  // where: a path into the message
    std::string detail; // what is wrong, in words
    std::string input;  // the offending input, sanitized and truncated (may be empty)

    // "<field>: <detail> (got <input>)"
    std::string Message() const;
};

std::ostream& operator<<(std::ostream& os, const ProtocolError& e);

template <class T>
using Result = core::Expected<T, ProtocolError>;

// Builds an error, keeping at most MAX_ECHO_CHARS of `input` with control characters escaped.
ProtocolError MakeError(ErrorCode code, std::string field, std::string detail,
                        std::string_view input = {});

// Printable text from untrusted input: control and non-ASCII bytes become "\xNN", and the result
// is cut at `max_chars` with "..." appended. Used for every pool string that reaches a log.
std::string SanitizeText(std::string_view text, std::size_t max_chars);

// `text` in double quotes, as echoed inputs are printed.
std::string Quote(std::string_view text);

constexpr std::size_t MAX_ECHO_CHARS = 80;

} // namespace nonceforge::stratum
