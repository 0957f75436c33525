// SHA-NI scan: the x86 SHA extensions do two rounds per sha256rnds2; several nonces are
// interleaved so that one nonce's rounds fill the latency of another's. Compiled with
// -msha -msse4.1 only. The state is kept in the instructions' ABEF/CDGH layout throughout.
//
// Per nonce: rounds 0..1 of the first hash's block 2 come from ScanPrecomp::state2; rounds 2..3
// take nbits and the nonce; W4..W15 are padding (their K+W sums are constants); the second
// hash stops after rounds 60..61, when F of the ABEF register holds e after round 60, and
// H7 = IV7 + that value.
#include <immintrin.h>

#include "scan_impls.hpp"
#include "scan_kernel.hpp"
#include "sha_ni_layout.hpp"

namespace {

using namespace nonceforge::miner::cpu::sha_ni;
using kernel::K;

#define NF_SHA_INLINE inline __attribute__((always_inline))

NF_SHA_INLINE __m128i K4(int t) {
    return _mm_setr_epi32(int(K[t]), int(K[t + 1]), int(K[t + 2]), int(K[t + 3]));
}

// Two pairs of rounds with a message already summed with K.
NF_SHA_INLINE void QuadRoundKW(__m128i& abef, __m128i& cdgh, __m128i kw) {
    cdgh = _mm_sha256rnds2_epu32(cdgh, abef, kw);
    abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(kw, 0x0e));
}

// Message schedule steps (as in Bitcoin Core's sha256_x86_shani.cpp).
NF_SHA_INLINE void ShiftA(__m128i& m0, __m128i m1) {
    m0 = _mm_sha256msg1_epu32(m0, m1);
}
NF_SHA_INLINE void ShiftC(__m128i m0, __m128i m1, __m128i& m2) {
    m2 = _mm_sha256msg2_epu32(_mm_add_epi32(m2, _mm_alignr_epi8(m1, m0, 4)), m1);
}
NF_SHA_INLINE void ShiftB(__m128i& m0, __m128i m1, __m128i& m2) {
    ShiftC(m0, m1, m2);
    ShiftA(m0, m1);
}

// Rounds 4..59 of a compression whose message words are m0 (W0..W3, already used by the
// caller for rounds 0..3) and m1..m3; on return m3 holds W60..W63. N nonces interleaved.
template <int N>
NF_SHA_INLINE void Rounds4To59(__m128i (&abef)[N], __m128i (&cdgh)[N], __m128i (&m0)[N],
                               __m128i (&m1)[N], __m128i (&m2)[N], __m128i (&m3)[N]) {
#define NF_EACH for (int j = 0; j < N; ++j)
    NF_EACH QuadRoundKW(abef[j], cdgh[j], _mm_add_epi32(m1[j], K4(4)));
    NF_EACH ShiftA(m0[j], m1[j]);
    NF_EACH QuadRoundKW(abef[j], cdgh[j], _mm_add_epi32(m2[j], K4(8)));
    NF_EACH ShiftA(m1[j], m2[j]);
    NF_EACH QuadRoundKW(abef[j], cdgh[j], _mm_add_epi32(m3[j], K4(12)));
    NF_EACH ShiftB(m2[j], m3[j], m0[j]);
    for (int t = 16; t < 48; t += 16) {
        NF_EACH QuadRoundKW(abef[j], cdgh[j], _mm_add_epi32(m0[j], K4(t)));
        NF_EACH ShiftB(m3[j], m0[j], m1[j]);
        NF_EACH QuadRoundKW(abef[j], cdgh[j], _mm_add_epi32(m1[j], K4(t + 4)));
        NF_EACH ShiftB(m0[j], m1[j], m2[j]);
        NF_EACH QuadRoundKW(abef[j], cdgh[j], _mm_add_epi32(m2[j], K4(t + 8)));
        NF_EACH ShiftB(m1[j], m2[j], m3[j]);
        NF_EACH QuadRoundKW(abef[j], cdgh[j], _mm_add_epi32(m3[j], K4(t + 12)));
        NF_EACH ShiftB(m2[j], m3[j], m0[j]);
    }
    NF_EACH QuadRoundKW(abef[j], cdgh[j], _mm_add_epi32(m0[j], K4(48)));
    NF_EACH ShiftB(m3[j], m0[j], m1[j]);
    NF_EACH QuadRoundKW(abef[j], cdgh[j], _mm_add_epi32(m1[j], K4(52)));
    NF_EACH ShiftC(m0[j], m1[j], m2[j]);
    NF_EACH QuadRoundKW(abef[j], cdgh[j], _mm_add_epi32(m2[j], K4(56)));
    NF_EACH ShiftC(m1[j], m2[j], m3[j]);
#undef NF_EACH
}

template <int N>
NF_SHA_INLINE uint32_t ScanShaNi(const nonceforge::core::ScanPrecomp& p, uint32_t first,
                                 uint32_t count, uint32_t* out) {
    __m128i mid_abef, mid_cdgh, st2_abef, st2_cdgh, iv_abef, iv_cdgh;
    ToAbef(Load4(p.midstate), Load4(p.midstate + 4), mid_abef, mid_cdgh);
    ToAbef(Load4(p.state2), Load4(p.state2 + 4), st2_abef, st2_cdgh);
    ToAbef(Load4(kernel::IV), Load4(kernel::IV + 4), iv_abef, iv_cdgh);
    const __m128i first_m1 = _mm_setr_epi32(int(0x80000000u), 0, 0, 0);  // W4..W7
    const __m128i first_m3 = _mm_setr_epi32(0, 0, 0, 640);               // W12..W15
    const __m128i second_m2 = _mm_setr_epi32(int(0x80000000u), 0, 0, 0); // W8..W11
    const __m128i second_m3 = _mm_setr_epi32(0, 0, 0, 256);              // W12..W15

    uint32_t found = 0;
    for (uint64_t done = 0; done < count; done += N) {
        const uint32_t base = first + uint32_t(done);
        __m128i abef[N], cdgh[N], m0[N], m1[N], m2[N], m3[N];
        for (int j = 0; j < N; ++j) {
            // W3 is the byte-swapped nonce: the header stores it little-endian.
            const uint32_t nonce = __builtin_bswap32(base + uint32_t(j));
            m0[j] = _mm_setr_epi32(int(p.w0), int(p.w1), int(p.w2), int(nonce));
            m1[j] = first_m1;
            m2[j] = _mm_setzero_si128();
            m3[j] = first_m3;
            // Rounds 2..3 from the precomputed state after rounds 0..1: one sha256rnds2 with
            // K2 + nbits and K3 + nonce in the low lanes. The new ABEF comes out in place of
            // CDGH, and the old ABEF is the new CDGH.
            const __m128i kw = _mm_setr_epi32(int(K[2] + p.w2), int(K[3] + nonce), 0, 0);
            abef[j] = _mm_sha256rnds2_epu32(st2_cdgh, st2_abef, kw);
            cdgh[j] = st2_abef;
        }
        Rounds4To59<N>(abef, cdgh, m0, m1, m2, m3);
        for (int j = 0; j < N; ++j) {
            QuadRoundKW(abef[j], cdgh[j], _mm_add_epi32(m3[j], K4(60)));
            abef[j] = _mm_add_epi32(abef[j], mid_abef);
            cdgh[j] = _mm_add_epi32(cdgh[j], mid_cdgh);
            // The first hash, as words a..h, is the second hash's W0..W7.
            FromAbef(abef[j], cdgh[j], m0[j], m1[j]);
            m2[j] = second_m2;
            m3[j] = second_m3;
            abef[j] = iv_abef;
            cdgh[j] = iv_cdgh;
            QuadRoundKW(abef[j], cdgh[j], _mm_add_epi32(m0[j], K4(0)));
        }
        Rounds4To59<N>(abef, cdgh, m0, m1, m2, m3);
        for (int j = 0; j < N; ++j) {
            // Rounds 60..61 only: F (lane 0) of the new ABEF is e after round 60, and
            // H7 = IV7 + that value.
            const __m128i last =
                _mm_sha256rnds2_epu32(cdgh[j], abef[j], _mm_add_epi32(m3[j], K4(60)));
            const uint32_t h7 = uint32_t(_mm_cvtsi128_si32(last)) + kernel::IV[7];
            if (__builtin_bswap32(h7) <= p.target_top && done + uint64_t(j) < count) {
                out[found++] = base + uint32_t(j);
            }
        }
    }
    return found;
}

} // namespace

namespace nonceforge::miner::cpu::shani {

uint32_t ScanChunk_2way(const core::ScanPrecomp& p, uint32_t first, uint32_t count, uint32_t* out) {
    return ScanShaNi<2>(p, first, count, out);
}

uint32_t ScanChunk_4way(const core::ScanPrecomp& p, uint32_t first, uint32_t count, uint32_t* out) {
    return ScanShaNi<4>(p, first, count, out);
}

uint32_t ScanChunk_8way(const core::ScanPrecomp& p, uint32_t first, uint32_t count, uint32_t* out) {
    return ScanShaNi<8>(p, first, count, out);
}

} // namespace nonceforge::miner::cpu::shani
