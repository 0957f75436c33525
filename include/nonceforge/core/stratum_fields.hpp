// The byte-order conventions of Stratum V1 fields, in one place (see docs/byte-order.md).
//
// - version, nbits, ntime, nonce: 8 hex digits = the u32 as big-endian text; in the header
//   they are little-endian.
// - prevhash: the internal-order hash with each 4-byte word byte-reversed.
// - coinb1/coinb2/extranonces/merkle branch entries: raw bytes, never reversed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "nonceforge/core/bytes.hpp"
#include "nonceforge/core/expected.hpp"
#include "nonceforge/core/hash256.hpp"
#include "nonceforge/core/hex.hpp"

namespace nonceforge::core {

// "20000000" -> 0x20000000. Exactly 8 hex digits.
inline Expected<uint32_t, HexError> ParseHexU32BE(std::string_view text) {
    uint8_t b[4];
    if (auto err = HexDecodeInto(text, b)) {
        return MakeUnexpected(*err);
    }
    return ReadBE32(b);
}

inline std::string FormatHexU32BE(uint32_t v) {
    uint8_t b[4];
    WriteBE32(b, v);
    return HexEncode(b);
}

// Reverses the bytes inside each 4-byte word; its own inverse.
inline Hash256 SwapWords(const Hash256& in) {
    Hash256 out;
    for (int w = 0; w < 8; ++w) {
        for (int i = 0; i < 4; ++i) {
            out.bytes[4 * w + i] = in.bytes[4 * w + 3 - i];
        }
    }
    return out;
}

// mining.notify prevhash -> previous block hash in internal (header) order.
inline Expected<Hash256, HexError> DecodeStratumPrevHash(std::string_view text) {
    auto raw = Hash256::FromWireHex(text);
    if (!raw) {
        return raw;
    }
    return SwapWords(*raw);
}

inline std::string EncodeStratumPrevHash(const Hash256& prev_internal) {
    return SwapWords(prev_internal).ToWireHex();
}

} // namespace nonceforge::core
