// SHA-NI and AVX-512 together, sixteen nonces per step: the two run on separate units on cores
// that have both, so each does the part it is best at.
//
//   1. AVX-512, 16 lanes: the first hash's message words W18..W63 (the kernel's FirstHashW),
//      plus K, paired (t, t+1) per nonce with vpunpck{l,h}dq and stored: one 64-bit load per
//      sha256rnds2 then feeds it (rounds 4..17 have constant K + W).
//   2. SHA-NI, G nonces interleaved: rounds 2..63 of the first hash's block 2 from
//      ScanPrecomp::state2, only ABEF, CDGH and the loaded K + W live per nonce (no register
//      spills, no sha256msg1/msg2), then the feed-forward; the 8 words of each first hash are
//      stored in an order that one 4x4 transpose per 128-bit lane turns into 16-lane vectors.
//   3. AVX-512: the second hash to H7 (the kernel's SecondHashTop) and the top-word check.
// Compiled with -msha -mavx512f -mavx512bw -mavx512vl; chosen only where CPUID has both.
#include <immintrin.h>

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized" // see scan_avx512.cpp
#endif

#include "avx512_ops.hpp"
#include "scan_impls.hpp"
#include "scan_kernel.hpp"

namespace {

using kernel::K;
using V = __m512i;

// Nonces per SHA-NI group: G states of ABEF/CDGH in flight hide sha256rnds2's latency.
constexpr int G = 4;

// K + W for one step of 16 nonces: pair p holds (K + W)[2p], (K + W)[2p + 1] of nonce n at
// pairs[p][n] (only the variable pairs: p = 1 for rounds 2..3 and p = 9..31 for 18..63).
struct alignas(64) Step {
    uint64_t pairs[32][16];
    uint32_t first_hash[16][8]; // row pos(n): a..h of nonce n's first hash
};

// Stores the pairs (x[n], y[n]) of 16 lanes so that pair n lands at out[n].
NF_ALWAYS_INLINE void StorePairs(V x, V y, uint64_t* out) {
    // Per 128-bit lane L: unpacklo = nonces 4L, 4L+1; unpackhi = nonces 4L+2, 4L+3.
    const V lo = _mm512_unpacklo_epi32(x, y);
    const V hi = _mm512_unpackhi_epi32(x, y);
    // Put them back in nonce order: 128-bit lanes lo0 hi0 lo1 hi1 ...
    const V idx_a = _mm512_setr_epi64(0, 1, 8, 9, 2, 3, 10, 11);
    const V idx_b = _mm512_setr_epi64(4, 5, 12, 13, 6, 7, 14, 15);
    _mm512_store_si512(reinterpret_cast<V*>(out), _mm512_permutex2var_epi64(lo, idx_a, hi));
    _mm512_store_si512(reinterpret_cast<V*>(out + 8), _mm512_permutex2var_epi64(lo, idx_b, hi));
}

// The row of nonce n's first hash in Step::first_hash, so that Transpose gives lane n = nonce n.
constexpr int Row(int n) {
    return ((n & 3) << 2) | (n >> 2);
}

// Words 0..3 (or 4..7) of rows 0..15 -> four 16-lane vectors. a[k] holds rows 4k..4k+3, one per
// 128-bit lane; after the 4x4 transpose inside each 128-bit lane, lane 4L + k of word i holds
// row 4k + L, which Row() made nonce 4L + k.
NF_ALWAYS_INLINE void Transpose(const V a[4], V out[4]) {
    const V t0 = _mm512_unpacklo_epi32(a[0], a[1]);
    const V t1 = _mm512_unpackhi_epi32(a[0], a[1]);
    const V t2 = _mm512_unpacklo_epi32(a[2], a[3]);
    const V t3 = _mm512_unpackhi_epi32(a[2], a[3]);
    out[0] = _mm512_unpacklo_epi64(t0, t2);
    out[1] = _mm512_unpackhi_epi64(t0, t2);
    out[2] = _mm512_unpacklo_epi64(t1, t3);
    out[3] = _mm512_unpackhi_epi64(t1, t3);
}

NF_ALWAYS_INLINE __m128i Load4(const uint32_t* w) {
    return _mm_setr_epi32(int(w[0]), int(w[1]), int(w[2]), int(w[3]));
}

// (a,b,c,d), (e,f,g,h) <-> the ABEF / CDGH layout of sha256rnds2.
NF_ALWAYS_INLINE void ToAbef(__m128i abcd, __m128i efgh, __m128i& abef, __m128i& cdgh) {
    const __m128i t1 = _mm_shuffle_epi32(abcd, 0xB1);
    const __m128i t2 = _mm_shuffle_epi32(efgh, 0x1B);
    abef = _mm_alignr_epi8(t1, t2, 0x08);
    cdgh = _mm_blend_epi16(t2, t1, 0xF0);
}
NF_ALWAYS_INLINE void FromAbef(__m128i abef, __m128i cdgh, __m128i& abcd, __m128i& efgh) {
    const __m128i t1 = _mm_shuffle_epi32(abef, 0x1B);
    const __m128i t2 = _mm_shuffle_epi32(cdgh, 0xB1);
    abcd = _mm_blend_epi16(t1, t2, 0xF0);
    efgh = _mm_alignr_epi8(t2, t1, 0x08);
}

// K + W of the constant pairs of the first hash's block 2: rounds 4..15 (padding) and 16..17.
struct ConstPairs {
    __m128i kw[9]; // pair p = 2..8 (rounds 4..17) at kw[p]
};

// Rounds 2..63 of G nonces, j0..j0+G-1 of the step.
NF_ALWAYS_INLINE void FirstHashRounds(const Step& s, int j0, const ConstPairs& c, __m128i st2_abef,
                                      __m128i st2_cdgh, __m128i mid_abef, __m128i mid_cdgh,
                                      uint32_t (*first_hash)[8]) {
    __m128i x[G], y[G]; // x: ABEF, y: CDGH
    for (int j = 0; j < G; ++j) {
        x[j] = st2_abef;
        y[j] = st2_cdgh;
    }
    kernel::Unroll<1, 32>([&](auto pair) NF_LAMBDA_INLINE {
        constexpr int P = pair.value;
        for (int j = 0; j < G; ++j) {
            __m128i kw;
            if constexpr (P >= 2 && P <= 8) {
                kw = c.kw[P];
            } else {
                kw = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(&s.pairs[P][j0 + j]));
            }
            const __m128i next = _mm_sha256rnds2_epu32(y[j], x[j], kw);
            y[j] = x[j];
            x[j] = next;
        }
    });
    for (int j = 0; j < G; ++j) {
        __m128i abcd, efgh;
        FromAbef(_mm_add_epi32(x[j], mid_abef), _mm_add_epi32(y[j], mid_cdgh), abcd, efgh);
        uint32_t* row = first_hash[Row(j0 + j)];
        _mm_store_si128(reinterpret_cast<__m128i*>(row), abcd);
        _mm_store_si128(reinterpret_cast<__m128i*>(row + 4), efgh);
    }
}

NF_ALWAYS_INLINE uint32_t ScanShaNiAvx512(const nonceforge::core::ScanPrecomp& p, uint32_t first,
                                          uint32_t count, uint32_t* out) {
    constexpr int LANES = 16;
    __m128i mid_abef, mid_cdgh, st2_abef, st2_cdgh;
    ToAbef(Load4(p.midstate), Load4(p.midstate + 4), mid_abef, mid_cdgh);
    ToAbef(Load4(p.state2), Load4(p.state2 + 4), st2_abef, st2_cdgh);
    ConstPairs c;
    for (int q = 2; q <= 7; ++q) {
        const int t = 2 * q;
        c.kw[q] = _mm_setr_epi32(int(K[t] + kernel::FIRST_PAD(t)),
                                 int(K[t + 1] + kernel::FIRST_PAD(t + 1)), 0, 0);
    }
    c.kw[8] = _mm_setr_epi32(int(p.kw16), int(p.kw17), 0, 0);
    const V k2w2 = Avx512Ops::Set1(K[2] + p.w2);

    alignas(64) Step s;
    uint32_t found = 0;
    for (uint64_t done = 0; done < count; done += LANES) {
        const uint32_t base = first + uint32_t(done);
        // 1. The variable message words of 16 nonces, with K, paired.
        const V nonce = Avx512Ops::ByteSwap(Avx512Ops::Nonces(base));
        StorePairs(k2w2, _mm512_add_epi32(nonce, Avx512Ops::Set1(K[3])), s.pairs[1]);
        V w[64];
        w[16] = Avx512Ops::Set1(p.w16);
        w[17] = Avx512Ops::Set1(p.w17);
        kernel::Unroll<18, 64>([&](auto t) NF_LAMBDA_INLINE {
            constexpr int i = t.value;
            w[i] = kernel::FirstHashW<Avx512Ops, i>(p, nonce, w);
            if constexpr (i % 2 == 1) {
                StorePairs(_mm512_add_epi32(w[i - 1], Avx512Ops::Set1(K[i - 1])),
                           _mm512_add_epi32(w[i], Avx512Ops::Set1(K[i])), s.pairs[i / 2]);
            }
        });
        // 2. The first hash's rounds on the SHA unit.
        kernel::Unroll<0, LANES / G>([&](auto group) NF_LAMBDA_INLINE {
            FirstHashRounds(s, group.value * G, c, st2_abef, st2_cdgh, mid_abef, mid_cdgh,
                            s.first_hash);
        });
        // 3. The second hash, 16 lanes.
        V rows[8], h1[8];
        const V words_lo =
            _mm512_setr_epi32(0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
        const V words_hi =
            _mm512_setr_epi32(4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
        for (int k = 0; k < 4; ++k) {
            // Rows 4k..4k+3 (128 bytes): words 0..3 of each into rows[k], 4..7 into rows[4 + k].
            const V r01 = _mm512_load_si512(&s.first_hash[4 * k][0]);
            const V r23 = _mm512_load_si512(&s.first_hash[4 * k + 2][0]);
            rows[k] = _mm512_permutex2var_epi32(r01, words_lo, r23);
            rows[4 + k] = _mm512_permutex2var_epi32(r01, words_hi, r23);
        }
        Transpose(rows, h1);
        Transpose(rows + 4, h1 + 4);
        const V h7 = kernel::SecondHashTop<Avx512Ops>(h1);
        uint64_t mask = Avx512Ops::PassMask(h7, p.target_top);
        const uint64_t left = count - done;
        if (left < LANES) {
            mask &= (uint64_t(1) << left) - 1;
        }
        while (mask != 0) {
            const int lane = __builtin_ctzll(mask);
            out[found++] = base + uint32_t(lane);
            mask &= mask - 1;
        }
    }
    return found;
}

} // namespace

namespace nonceforge::miner::cpu::shani_avx512 {

uint32_t ScanChunk_16way(const core::ScanPrecomp& p, uint32_t first, uint32_t count,
                         uint32_t* out) {
    return ScanShaNiAvx512(p, first, count, out);
}

} // namespace nonceforge::miner::cpu::shani_avx512
