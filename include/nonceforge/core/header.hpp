// The 80-byte Bitcoin block header. Integers are little-endian in the serialization; the two
// hashes are stored in internal (wire) order.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "nonceforge/core/bytes.hpp"
#include "nonceforge/core/hash256.hpp"
#include "nonceforge/core/sha256.hpp"

namespace nonceforge::core {

constexpr std::size_t HEADER_SIZE = 80;
// Offsets of the fields inside the serialized header.
constexpr std::size_t HEADER_VERSION_OFFSET = 0;
constexpr std::size_t HEADER_PREV_OFFSET = 4;
constexpr std::size_t HEADER_MERKLE_OFFSET = 36;
constexpr std::size_t HEADER_TIME_OFFSET = 68;
constexpr std::size_t HEADER_BITS_OFFSET = 72;
constexpr std::size_t HEADER_NONCE_OFFSET = 76;

struct BlockHeader {
    uint32_t version = 0;
    Hash256 prev_hash;
    Hash256 merkle_root;
    uint32_t time = 0;
    uint32_t bits = 0;
    uint32_t nonce = 0;

    std::array<uint8_t, HEADER_SIZE> Serialize() const {
        std::array<uint8_t, HEADER_SIZE> out{};
        WriteLE32(out.data() + HEADER_VERSION_OFFSET, version);
        std::copy(prev_hash.bytes.begin(), prev_hash.bytes.end(), out.begin() + HEADER_PREV_OFFSET);
        std::copy(merkle_root.bytes.begin(), merkle_root.bytes.end(),
                  out.begin() + HEADER_MERKLE_OFFSET);
        WriteLE32(out.data() + HEADER_TIME_OFFSET, time);
        WriteLE32(out.data() + HEADER_BITS_OFFSET, bits);
        WriteLE32(out.data() + HEADER_NONCE_OFFSET, nonce);
        return out;
    }

    static BlockHeader Deserialize(std::span<const uint8_t, HEADER_SIZE> in) {
        BlockHeader h;
        h.version = ReadLE32(in.data() + HEADER_VERSION_OFFSET);
        std::copy_n(in.begin() + HEADER_PREV_OFFSET, 32, h.prev_hash.bytes.begin());
        std::copy_n(in.begin() + HEADER_MERKLE_OFFSET, 32, h.merkle_root.bytes.begin());
        h.time = ReadLE32(in.data() + HEADER_TIME_OFFSET);
        h.bits = ReadLE32(in.data() + HEADER_BITS_OFFSET);
        h.nonce = ReadLE32(in.data() + HEADER_NONCE_OFFSET);
        return h;
    }

    // sha256d of the serialization, in wire order (display it with ToDisplayHex).
    Hash256 Hash() const {
        auto bytes = Serialize();
        return Sha256d(bytes);
    }

    friend bool operator==(const BlockHeader&, const BlockHeader&) = default;
};

} // namespace nonceforge::core
