// The AVX-512 lane types of the scan kernel: sixteen 32-bit lanes per 512-bit vector, and eight
// per 256-bit vector with AVX-512VL; rotations with vprord, Ch, Maj and the sigmas' three-way
// XOR each one vpternlogd. Included
// only by translation units compiled with -mavx512f -mavx512bw -mavx512vl (internal linkage,
// as scan_kernel.hpp).
#pragma once

#include <immintrin.h>

#include <cstdint>

#include "scan_kernel.hpp"

namespace {

// vpternlogd truth tables: bit (a << 2 | b << 1 | c) of the immediate is the result.
constexpr int TERN_XOR3 = 0x96; // a ^ b ^ c
constexpr int TERN_CH = 0xCA;   // a ? b : c
constexpr int TERN_MAJ = 0xE8;  // majority of a, b, c

struct Avx512Ops {
    using V = __m512i;
    static constexpr int LANES = 16;

    static NF_ALWAYS_INLINE V Set1(uint32_t x) { return _mm512_set1_epi32(int(x)); }
    static NF_ALWAYS_INLINE V Add(V a, V b) { return _mm512_add_epi32(a, b); }
    static NF_ALWAYS_INLINE V Xor3(V a, V b, V c) {
        return _mm512_ternarylogic_epi32(a, b, c, TERN_XOR3);
    }
    static NF_ALWAYS_INLINE V Sigma0(V x) {
        return Xor3(_mm512_ror_epi32(x, 2), _mm512_ror_epi32(x, 13), _mm512_ror_epi32(x, 22));
    }
    static NF_ALWAYS_INLINE V Sigma1(V x) {
        return Xor3(_mm512_ror_epi32(x, 6), _mm512_ror_epi32(x, 11), _mm512_ror_epi32(x, 25));
    }
    static NF_ALWAYS_INLINE V sigma0(V x) {
        return Xor3(_mm512_ror_epi32(x, 7), _mm512_ror_epi32(x, 18), _mm512_srli_epi32(x, 3));
    }
    static NF_ALWAYS_INLINE V sigma1(V x) {
        return Xor3(_mm512_ror_epi32(x, 17), _mm512_ror_epi32(x, 19), _mm512_srli_epi32(x, 10));
    }
    static NF_ALWAYS_INLINE V Ch(V e, V f, V g) {
        return _mm512_ternarylogic_epi32(e, f, g, TERN_CH);
    }
    static NF_ALWAYS_INLINE V Maj(V a, V b, V c) {
        return _mm512_ternarylogic_epi32(a, b, c, TERN_MAJ);
    }
    static NF_ALWAYS_INLINE V Nonces(uint32_t base) {
        return _mm512_add_epi32(
            _mm512_set1_epi32(int(base)),
            _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
    }
    static NF_ALWAYS_INLINE V ByteSwap(V x) {
        return _mm512_shuffle_epi8(
            x, _mm512_set4_epi32(0x0c0d0e0f, 0x08090a0b, 0x04050607, 0x00010203));
    }
    static NF_ALWAYS_INLINE uint64_t PassMask(V h7, uint32_t target_top) {
        const V x = ByteSwap(h7);
        return uint64_t(_mm512_cmple_epu32_mask(x, Set1(target_top)));
    }
};

// AVX-512VL on 256-bit registers: the same rotate and ternary-logic instructions, eight lanes.
// On CPUs that run 512-bit rotates on one port only, two 256-bit ports can match or beat it.
struct Avx512VlOps {
    using V = __m256i;
    static constexpr int LANES = 8;

    static NF_ALWAYS_INLINE V Set1(uint32_t x) { return _mm256_set1_epi32(int(x)); }
    static NF_ALWAYS_INLINE V Add(V a, V b) { return _mm256_add_epi32(a, b); }
    static NF_ALWAYS_INLINE V Xor3(V a, V b, V c) {
        return _mm256_ternarylogic_epi32(a, b, c, TERN_XOR3);
    }
    static NF_ALWAYS_INLINE V Sigma0(V x) {
        return Xor3(_mm256_ror_epi32(x, 2), _mm256_ror_epi32(x, 13), _mm256_ror_epi32(x, 22));
    }
    static NF_ALWAYS_INLINE V Sigma1(V x) {
        return Xor3(_mm256_ror_epi32(x, 6), _mm256_ror_epi32(x, 11), _mm256_ror_epi32(x, 25));
    }
    static NF_ALWAYS_INLINE V sigma0(V x) {
        return Xor3(_mm256_ror_epi32(x, 7), _mm256_ror_epi32(x, 18), _mm256_srli_epi32(x, 3));
    }
    static NF_ALWAYS_INLINE V sigma1(V x) {
        return Xor3(_mm256_ror_epi32(x, 17), _mm256_ror_epi32(x, 19), _mm256_srli_epi32(x, 10));
    }
    static NF_ALWAYS_INLINE V Ch(V e, V f, V g) {
        return _mm256_ternarylogic_epi32(e, f, g, TERN_CH);
    }
    static NF_ALWAYS_INLINE V Maj(V a, V b, V c) {
        return _mm256_ternarylogic_epi32(a, b, c, TERN_MAJ);
    }
    static NF_ALWAYS_INLINE V Nonces(uint32_t base) {
        return _mm256_add_epi32(_mm256_set1_epi32(int(base)),
                                _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    }
    static NF_ALWAYS_INLINE V ByteSwap(V x) {
        return _mm256_shuffle_epi8(
            x, _mm256_set_m128i(_mm_set_epi32(0x0c0d0e0f, 0x08090a0b, 0x04050607, 0x00010203),
                                _mm_set_epi32(0x0c0d0e0f, 0x08090a0b, 0x04050607, 0x00010203)));
    }
    static NF_ALWAYS_INLINE uint64_t PassMask(V h7, uint32_t target_top) {
        return uint64_t(_mm256_cmple_epu32_mask(ByteSwap(h7), Set1(target_top)));
    }
};

} // namespace
