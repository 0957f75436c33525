// The word layout of the SHA extensions, shared by the SHA-NI scan paths. Included only by
// translation units compiled with -msha and at least -msse4.1. Internal linkage on purpose:
// each such unit gets its own copy, compiled with its own -m flags, so the linker can never
// hand one unit's instructions (AVX encodings, say) to another.
#pragma once

#include <immintrin.h>

#include <cstdint>

namespace nonceforge::miner::cpu::sha_ni {
namespace {

// Four words from memory into a vector, w[0] in lane 0.
inline __attribute__((always_inline)) __m128i Load4(const uint32_t* w) {
    return _mm_setr_epi32(int(w[0]), int(w[1]), int(w[2]), int(w[3]));
}

// (a,b,c,d), (e,f,g,h) word vectors <-> the ABEF / CDGH layout of sha256rnds2.
inline __attribute__((always_inline)) void ToAbef(__m128i abcd, __m128i efgh, __m128i& abef,
                                                  __m128i& cdgh) {
    const __m128i t1 = _mm_shuffle_epi32(abcd, 0xB1);
    const __m128i t2 = _mm_shuffle_epi32(efgh, 0x1B);
    abef = _mm_alignr_epi8(t1, t2, 0x08);
    cdgh = _mm_blend_epi16(t2, t1, 0xF0);
}
inline __attribute__((always_inline)) void FromAbef(__m128i abef, __m128i cdgh, __m128i& abcd,
                                                    __m128i& efgh) {
    const __m128i t1 = _mm_shuffle_epi32(abef, 0x1B);
    const __m128i t2 = _mm_shuffle_epi32(cdgh, 0xB1);
    abcd = _mm_blend_epi16(t1, t2, 0xF0);
    efgh = _mm_alignr_epi8(t2, t1, 0x08);
}

} // namespace
} // namespace nonceforge::miner::cpu::sha_ni
