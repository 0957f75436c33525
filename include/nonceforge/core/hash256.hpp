// Hash256: 32 opaque bytes in wire (internal) order, exactly as sha256d produces them and as
// they sit in a block header. Block explorers display hashes byte-reversed; the names below
// say which form a function reads or writes. Arithmetic on targets uses U256 instead.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "nonceforge/core/expected.hpp"
#include "nonceforge/core/hex.hpp"
#include "nonceforge/core/sha256.hpp"

namespace nonceforge::core {

struct Hash256 {
    std::array<uint8_t, 32> bytes{};

    // Display form: the bytes reversed, as block explorers and Bitcoin Core's RPC print them.
    std::string ToDisplayHex() const {
        std::array<uint8_t, 32> rev = bytes;
        std::reverse(rev.begin(), rev.end());
        return HexEncode(rev);
    }
    // Wire form: the bytes in order (merkle branch entries, coinbase txid inside a header).
    std::string ToWireHex() const { return HexEncode(bytes); }

    static Expected<Hash256, HexError> FromWireHex(std::string_view hex) {
        Hash256 h;
        if (auto err = HexDecodeInto(hex, h.bytes)) {
            return MakeUnexpected(*err);
        }
        return h;
    }
    static Expected<Hash256, HexError> FromDisplayHex(std::string_view hex) {
        auto h = FromWireHex(hex);
        if (h) {
            std::reverse(h->bytes.begin(), h->bytes.end());
        }
        return h;
    }

    bool IsZero() const {
        return std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; });
    }
    friend bool operator==(const Hash256&, const Hash256&) = default;
};

inline Hash256 Sha256d(std::span<const uint8_t> data) {
    Hash256 h;
    sha256::Sha256d(data.data(), data.size(), h.bytes.data());
    return h;
}

} // namespace nonceforge::core
