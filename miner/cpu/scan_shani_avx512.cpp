// SHA-NI with AVX-512VL beside it, sixteen nonces per step. Every round of both hashes runs on
// the SHA unit (sha256rnds2, two rounds each), and the vector unit computes the message
// schedules, 16 lanes at a time, into memory: each sha256rnds2 then loads its K + W pair, so
// only ABEF and CDGH live in registers per nonce (G nonces interleaved hide the instruction's
// latency; no sha256msg1/msg2, no spills).
//
// The vector side uses 256-bit vprord, vpxor, shifts and adds only: measured on AMD Zen 5,
// 512-bit vprord and vpternlogd (256-bit too) share a pipe with sha256rnds2 and slow it down
// far more than their count, while these run beside it at full rate.
//
// Software-pipelined over steps k: the SHA unit's first-hash rounds of step k run beside the
// second hash's schedule of step k - 1, and its second-hash rounds of step k - 1 beside the
// first hash's schedule of step k + 1.
// Compiled with -msha -mavx512f -mavx512bw -mavx512vl; chosen only where CPUID has both.
#include <immintrin.h>

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized" // see scan_avx512.cpp
#endif

#include "scan_impls.hpp"
#include "scan_kernel.hpp"

namespace {

using kernel::IV;
using kernel::K;
using Y = __m256i;

// Nonces per SHA-NI group: G states of ABEF/CDGH in flight hide sha256rnds2's latency.
constexpr int G = 4;
constexpr int LANES = 16;
constexpr int GROUPS = LANES / G;

// 256-bit lanes for the schedules: rotates with vprord, XORs with vpxor (no vpternlogd).
struct VlXorOps {
    using V = __m256i;
    static constexpr int LANES = 8;
    static NF_ALWAYS_INLINE V Set1(uint32_t x) { return _mm256_set1_epi32(int(x)); }
    static NF_ALWAYS_INLINE V Add(V a, V b) { return _mm256_add_epi32(a, b); }
    static NF_ALWAYS_INLINE V Xor3(V a, V b, V c) {
        return _mm256_xor_si256(_mm256_xor_si256(a, b), c);
    }
    static NF_ALWAYS_INLINE V sigma0(V x) {
        return Xor3(_mm256_ror_epi32(x, 7), _mm256_ror_epi32(x, 18), _mm256_srli_epi32(x, 3));
    }
    static NF_ALWAYS_INLINE V sigma1(V x) {
        return Xor3(_mm256_ror_epi32(x, 17), _mm256_ror_epi32(x, 19), _mm256_srli_epi32(x, 10));
    }
};
using Ops = kernel::Interleaved2<VlXorOps>; // lanes 0..7 in .a, 8..15 in .b
using V = Ops::V;

// The message word W3 of nonces base..base+15: the byte-swapped nonce.
NF_ALWAYS_INLINE V NonceWords(uint32_t base) {
    const Y swap = _mm256_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12, 3, 2, 1,
                                    0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
    const Y lo =
        _mm256_add_epi32(_mm256_set1_epi32(int(base)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    const Y hi = _mm256_add_epi32(lo, _mm256_set1_epi32(8));
    return {_mm256_shuffle_epi8(lo, swap), _mm256_shuffle_epi8(hi, swap)};
}

// Stores (x[n], y[n]) of 8 lanes as the 64-bit pair out[n].
NF_ALWAYS_INLINE void StorePairs8(Y x, Y y, uint64_t* out) {
    const Y lo = _mm256_unpacklo_epi32(x, y); // pairs of lanes 0, 1 | 4, 5
    const Y hi = _mm256_unpackhi_epi32(x, y); // 2, 3 | 6, 7
    _mm256_store_si256(reinterpret_cast<Y*>(out), _mm256_permute2x128_si256(lo, hi, 0x20));
    _mm256_store_si256(reinterpret_cast<Y*>(out + 4), _mm256_permute2x128_si256(lo, hi, 0x31));
}
NF_ALWAYS_INLINE void StorePairs(V x, V y, uint64_t* out) {
    StorePairs8(x.a, y.a, out);
    StorePairs8(x.b, y.b, out + 8);
}

// The row of nonce n = 8h + 4m + k in a first-hash array: 8h + 2k + m, so that one 32-byte
// load holds nonces k and 4 + k of a half and Transpose8 gives the lanes in nonce order.
constexpr int Row(int n) {
    return (n & 8) | ((n & 3) << 1) | ((n >> 2) & 1);
}

// Four words of the 8 rows of a half -> four 8-lane vectors (lane n = nonce 8h + n).
NF_ALWAYS_INLINE void Transpose8(const uint32_t (*rows)[4], Y out[4]) {
    Y a[4];
    for (int k = 0; k < 4; ++k) {
        a[k] = _mm256_load_si256(reinterpret_cast<const Y*>(rows[2 * k]));
    }
    const Y t0 = _mm256_unpacklo_epi32(a[0], a[1]);
    const Y t1 = _mm256_unpackhi_epi32(a[0], a[1]);
    const Y t2 = _mm256_unpacklo_epi32(a[2], a[3]);
    const Y t3 = _mm256_unpackhi_epi32(a[2], a[3]);
    out[0] = _mm256_unpacklo_epi64(t0, t2);
    out[1] = _mm256_unpackhi_epi64(t0, t2);
    out[2] = _mm256_unpacklo_epi64(t1, t3);
    out[3] = _mm256_unpackhi_epi64(t1, t3);
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

// K + W pairs of one step: pair P (rounds 2P, 2P + 1) of nonce n at kwN[P][n].
struct alignas(64) Buffers {
    uint64_t kw1[32][16];    // first hash, block 2: P = 1 and 9..31 (the others are constants)
    uint64_t kw2[31][16];    // second hash: P = 0..3 and 8..30 (pair 30: round 60 only)
    uint32_t abcd[2][16][4]; // first hashes by row (Row), double-buffered by step parity
    uint32_t efgh[2][16][4];
};

struct Constants {
    __m128i kw1[9]; // first hash, P = 2..8: rounds 4..15 (padding) and 16..17
    __m128i kw2[8]; // second hash, P = 4..7: rounds 8..15 (padding)
    __m128i st2_abef, st2_cdgh, mid_abef, mid_cdgh, iv_abef, iv_cdgh;
};

// Rounds 2..63 of the first hash's block 2 and the feed-forward for nonces j0..j0+G-1.
NF_ALWAYS_INLINE void FirstRounds(const Buffers& b, int j0, const Constants& c, uint32_t (*abcd)[4],
                                  uint32_t (*efgh)[4]) {
    __m128i x[G], y[G]; // x: ABEF, y: CDGH
    for (int j = 0; j < G; ++j) {
        x[j] = c.st2_abef;
        y[j] = c.st2_cdgh;
    }
    kernel::Unroll<1, 32>([&](auto pair) NF_LAMBDA_INLINE {
        constexpr int P = pair.value;
        for (int j = 0; j < G; ++j) {
            __m128i kw;
            if constexpr (P >= 2 && P <= 8) {
                kw = c.kw1[P];
            } else {
                kw = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(&b.kw1[P][j0 + j]));
            }
            const __m128i next = _mm_sha256rnds2_epu32(y[j], x[j], kw);
            y[j] = x[j];
            x[j] = next;
        }
    });
    for (int j = 0; j < G; ++j) {
        __m128i lo, hi;
        FromAbef(_mm_add_epi32(x[j], c.mid_abef), _mm_add_epi32(y[j], c.mid_cdgh), lo, hi);
        _mm_store_si128(reinterpret_cast<__m128i*>(abcd[Row(j0 + j)]), lo);
        _mm_store_si128(reinterpret_cast<__m128i*>(efgh[Row(j0 + j)]), hi);
    }
}

// Rounds 0..61 of the second hash for nonces j0..j0+G-1; bit j of the result: nonce j0 + j
// passes the top-word check (H7 = IV7 + e after round 60, lane 0 after the last rnds2).
NF_ALWAYS_INLINE uint32_t SecondRounds(const Buffers& b, int j0, const Constants& c,
                                       uint32_t target_top) {
    __m128i x[G], y[G];
    for (int j = 0; j < G; ++j) {
        x[j] = c.iv_abef;
        y[j] = c.iv_cdgh;
    }
    kernel::Unroll<0, 31>([&](auto pair) NF_LAMBDA_INLINE {
        constexpr int P = pair.value;
        for (int j = 0; j < G; ++j) {
            __m128i kw;
            if constexpr (P >= 4 && P <= 7) {
                kw = c.kw2[P];
            } else {
                kw = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(&b.kw2[P][j0 + j]));
            }
            const __m128i next = _mm_sha256rnds2_epu32(y[j], x[j], kw);
            y[j] = x[j];
            x[j] = next;
        }
    });
    uint32_t pass = 0;
    for (int j = 0; j < G; ++j) {
        const uint32_t h7 = uint32_t(_mm_cvtsi128_si32(x[j])) + IV[7];
        pass |= uint32_t(__builtin_bswap32(h7) <= target_top) << j;
    }
    return pass;
}

// The first hash's schedule of one step (W3 and W18..W63, with K, paired), in GROUPS pieces.
struct FirstSchedule {
    V nonce;
    V w[64];
};
template <int PIECE>
NF_ALWAYS_INLINE void FirstSchedulePiece(const nonceforge::core::ScanPrecomp& p, FirstSchedule& f,
                                         uint32_t base, Buffers& b) {
    if constexpr (PIECE == 0) {
        f.nonce = NonceWords(base);
        StorePairs(Ops::Set1(K[2] + p.w2), Ops::Add(f.nonce, Ops::Set1(K[3])), b.kw1[1]);
        f.w[16] = Ops::Set1(p.w16);
        f.w[17] = Ops::Set1(p.w17);
    }
    constexpr int BEGIN = 18 + 46 * PIECE / GROUPS;
    constexpr int END = 18 + 46 * (PIECE + 1) / GROUPS;
    kernel::Unroll<BEGIN, END>([&](auto t) NF_LAMBDA_INLINE {
        constexpr int i = t.value;
        f.w[i] = kernel::FirstHashW<Ops, i>(p, f.nonce, f.w);
        if constexpr (i % 2 == 1) {
            StorePairs(Ops::Add(f.w[i - 1], Ops::Set1(K[i - 1])), Ops::Add(f.w[i], Ops::Set1(K[i])),
                       b.kw1[i / 2]);
        }
    });
}

// The second hash's schedule of one step from its first hashes (W0..W7, W16..W60, with K,
// paired), in GROUPS pieces.
struct SecondSchedule {
    V w[61];
};
template <int PIECE>
NF_ALWAYS_INLINE void SecondSchedulePiece(SecondSchedule& s, const uint32_t (*abcd)[4],
                                          const uint32_t (*efgh)[4], Buffers& b) {
    if constexpr (PIECE == 0) {
        Y lo[2][4], hi[2][4];
        for (int h = 0; h < 2; ++h) {
            Transpose8(abcd + 8 * h, lo[h]);
            Transpose8(efgh + 8 * h, hi[h]);
        }
        for (int i = 0; i < 4; ++i) {
            s.w[i] = {lo[0][i], lo[1][i]};
            s.w[4 + i] = {hi[0][i], hi[1][i]};
        }
        for (int q = 0; q < 4; ++q) {
            StorePairs(Ops::Add(s.w[2 * q], Ops::Set1(K[2 * q])),
                       Ops::Add(s.w[2 * q + 1], Ops::Set1(K[2 * q + 1])), b.kw2[q]);
        }
    }
    constexpr int BEGIN = 16 + 45 * PIECE / GROUPS;
    constexpr int END = 16 + 45 * (PIECE + 1) / GROUPS;
    kernel::Unroll<BEGIN, END>([&](auto t) NF_LAMBDA_INLINE {
        constexpr int i = t.value;
        s.w[i] = kernel::SecondHashW<Ops, i>(s.w);
        if constexpr (i % 2 == 1) {
            StorePairs(Ops::Add(s.w[i - 1], Ops::Set1(K[i - 1])), Ops::Add(s.w[i], Ops::Set1(K[i])),
                       b.kw2[i / 2]);
        } else if constexpr (i == 60) {
            StorePairs(Ops::Add(s.w[60], Ops::Set1(K[60])), Ops::Set1(0), b.kw2[30]);
        }
    });
}

NF_ALWAYS_INLINE uint32_t ScanShaNiAvx512(const nonceforge::core::ScanPrecomp& p, uint32_t first,
                                          uint32_t count, uint32_t* out) {
    if (count == 0) {
        return 0;
    }
    Constants c;
    ToAbef(Load4(p.midstate), Load4(p.midstate + 4), c.mid_abef, c.mid_cdgh);
    ToAbef(Load4(p.state2), Load4(p.state2 + 4), c.st2_abef, c.st2_cdgh);
    ToAbef(Load4(IV), Load4(IV + 4), c.iv_abef, c.iv_cdgh);
    for (int q = 2; q <= 7; ++q) {
        c.kw1[q] = _mm_setr_epi32(int(K[2 * q] + kernel::FIRST_PAD(2 * q)),
                                  int(K[2 * q + 1] + kernel::FIRST_PAD(2 * q + 1)), 0, 0);
    }
    c.kw1[8] = _mm_setr_epi32(int(p.kw16), int(p.kw17), 0, 0);
    for (int q = 4; q <= 7; ++q) {
        c.kw2[q] = _mm_setr_epi32(int(K[2 * q] + kernel::SECOND_PAD(2 * q)),
                                  int(K[2 * q + 1] + kernel::SECOND_PAD(2 * q + 1)), 0, 0);
    }

    alignas(64) Buffers b;
    uint32_t found = 0;
    const uint64_t steps = (uint64_t(count) + LANES - 1) / LANES;
    {
        FirstSchedule f;
        kernel::Unroll<0, GROUPS>(
            [&](auto piece) NF_LAMBDA_INLINE { FirstSchedulePiece<piece.value>(p, f, first, b); });
    }
    // Iteration k: the first hash's rounds of step k beside the second hash's schedule of step
    // k - 1, then the second hash's rounds of step k - 1 beside the first hash's schedule of
    // step k + 1.
    for (uint64_t k = 0; k <= steps; ++k) {
        const bool first_rounds = k < steps;
        const bool second = k >= 1;
        const bool next_schedule = k + 1 < steps;
        uint32_t(*abcd_now)[4] = b.abcd[k & 1];
        uint32_t(*efgh_now)[4] = b.efgh[k & 1];
        const uint32_t(*abcd_prev)[4] = b.abcd[(k + 1) & 1];
        const uint32_t(*efgh_prev)[4] = b.efgh[(k + 1) & 1];
        {
            SecondSchedule s;
            kernel::Unroll<0, GROUPS>([&](auto g) NF_LAMBDA_INLINE {
                if (first_rounds) {
                    FirstRounds(b, g.value * G, c, abcd_now, efgh_now);
                }
                if (second) {
                    SecondSchedulePiece<g.value>(s, abcd_prev, efgh_prev, b);
                }
            });
        }
        {
            FirstSchedule f;
            const uint32_t next_base = first + uint32_t((k + 1) * LANES);
            const uint64_t prev_done = (k - 1) * LANES;
            kernel::Unroll<0, GROUPS>([&](auto g) NF_LAMBDA_INLINE {
                if (second) {
                    uint32_t pass = SecondRounds(b, g.value * G, c, p.target_top);
                    while (pass != 0) {
                        const uint64_t idx =
                            prev_done + uint64_t(g.value * G) + uint64_t(__builtin_ctz(pass));
                        if (idx < count) {
                            out[found++] = first + uint32_t(idx);
                        }
                        pass &= pass - 1;
                    }
                }
                if (next_schedule) {
                    FirstSchedulePiece<g.value>(p, f, next_base, b);
                }
            });
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
