// Fixed-width reads and writes in a named byte order. All functions take raw pointers so that
// they compile for CUDA devices too; callers own the bounds.
#pragma once

#include <cstdint>

#include "nonceforge/core/hd.hpp"

namespace nonceforge::core {

NF_HD constexpr uint32_t ByteSwap32(uint32_t x) {
    return (x >> 24) | ((x >> 8) & 0x0000ff00u) | ((x << 8) & 0x00ff0000u) | (x << 24);
}

NF_HD constexpr uint32_t ReadLE32(const uint8_t* p) {
    return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
}

NF_HD constexpr uint32_t ReadBE32(const uint8_t* p) {
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

NF_HD constexpr uint64_t ReadLE64(const uint8_t* p) {
    return uint64_t(ReadLE32(p)) | (uint64_t(ReadLE32(p + 4)) << 32);
}

NF_HD constexpr uint64_t ReadBE64(const uint8_t* p) {
    return (uint64_t(ReadBE32(p)) << 32) | uint64_t(ReadBE32(p + 4));
}

NF_HD constexpr void WriteLE32(uint8_t* p, uint32_t v) {
    p[0] = uint8_t(v);
    p[1] = uint8_t(v >> 8);
    p[2] = uint8_t(v >> 16);
    p[3] = uint8_t(v >> 24);
}

NF_HD constexpr void WriteBE32(uint8_t* p, uint32_t v) {
    p[0] = uint8_t(v >> 24);
    p[1] = uint8_t(v >> 16);
    p[2] = uint8_t(v >> 8);
    p[3] = uint8_t(v);
}

NF_HD constexpr void WriteLE64(uint8_t* p, uint64_t v) {
    WriteLE32(p, uint32_t(v));
    WriteLE32(p + 4, uint32_t(v >> 32));
}

NF_HD constexpr void WriteBE64(uint8_t* p, uint64_t v) {
    WriteBE32(p, uint32_t(v >> 32));
    WriteBE32(p + 4, uint32_t(v));
}

} // namespace nonceforge::core
