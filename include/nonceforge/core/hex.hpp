// Hex text <-> bytes. Decoding rejects odd lengths and non-hex characters and reports the
// offending position, because every byte from a pool arrives as hex text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nonceforge/core/expected.hpp"

namespace nonceforge::core {

enum class HexErrorKind {
    OddLength,        // the text has an odd number of digits
    InvalidCharacter, // position names the first character that is not [0-9a-fA-F]
    WrongLength,      // a fixed-size field got a different number of bytes
};

struct HexError {
    HexErrorKind kind;
    std::size_t position = 0; // offending character (InvalidCharacter) or text length
    std::size_t expected_bytes = 0;

    std::string Message() const {
        switch (kind) {
        case HexErrorKind::OddLength:
            return "odd number of hex digits (" + std::to_string(position) + ")";
        case HexErrorKind::InvalidCharacter:
            return "invalid hex character at position " + std::to_string(position);
        case HexErrorKind::WrongLength:
            return "expected " + std::to_string(expected_bytes) + " bytes (" +
                   std::to_string(expected_bytes * 2) + " hex digits), got " +
                   std::to_string(position) + " digits";
        }
        return "hex error";
    }
};

constexpr int HexDigitValue(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

// Checks that `text` is even-length hex without decoding it.
inline std::optional<HexError> ValidateHex(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (HexDigitValue(text[i]) < 0) {
            return HexError{HexErrorKind::InvalidCharacter, i};
        }
    }
    if (text.size() % 2 != 0) {
        return HexError{HexErrorKind::OddLength, text.size()};
    }
    return std::nullopt;
}

// Decodes into exactly out.size() bytes.
inline std::optional<HexError> HexDecodeInto(std::string_view text, std::span<uint8_t> out) {
    if (auto err = ValidateHex(text)) {
        return err;
    }
    if (text.size() != out.size() * 2) {
        return HexError{HexErrorKind::WrongLength, text.size(), out.size()};
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i] = uint8_t(HexDigitValue(text[2 * i]) << 4 | HexDigitValue(text[2 * i + 1]));
    }
    return std::nullopt;
}

inline Expected<std::vector<uint8_t>, HexError> HexDecode(std::string_view text) {
    if (auto err = ValidateHex(text)) {
        return MakeUnexpected(*err);
    }
    std::vector<uint8_t> out(text.size() / 2);
    HexDecodeInto(text, out);
    return out;
}

inline std::string HexEncode(std::span<const uint8_t> bytes) {
    static constexpr char DIGITS[] = "0123456789abcdef";
    std::string out(bytes.size() * 2, '0');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        out[2 * i] = DIGITS[bytes[i] >> 4];
        out[2 * i + 1] = DIGITS[bytes[i] & 0xf];
    }
    return out;
}

} // namespace nonceforge::core
