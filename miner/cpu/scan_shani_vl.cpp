// SHA-NI rounds with AVX-512VL message schedules: every round of both hashes runs on the SHA
// unit (sha256rnds2, two rounds each) and the vector unit computes the message words eight
// nonces at a time, in 256-bit registers, into memory as K + W pairs. No sha256msg1/msg2: on
// AMD Zen 5 sha256msg2 occupies the SHA unit for about two cycles, so a schedule made with it
// costs a third of the unit's time.
//
// The two sides are zipped at a fine grain. One iteration of the loop runs, on the SHA unit,
// the first hash of batch k and the second hash of batch k - 2 (four groups of four nonces,
// each group four independent sha256rnds2 chains, which covers the instruction's latency of
// four cycles), 31 round pairs a group; and on the vector unit, between those round pairs, the
// first hash's schedule of batch k + 1 and the second hash's schedule of batch k - 1 (from the
// first hashes of batch k - 1, transposed). GCC keeps the source order (it does not schedule
// before register allocation on x86), so the instruction stream interleaves a few vector
// operations with every group of sha256rnds2, and the core runs both at once.
//
// Rotates use vprord and the three-way XORs vpternlogd, on 256-bit registers (512-bit vprord
// slows sha256rnds2 several times more on Zen 5). Compiled with -msha -mavx2 -mavx512f
// -mavx512vl; chosen only where CPUID reports SHA and AVX-512 (F, BW, VL).
#include <immintrin.h>

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized" // see scan_avx512.cpp
#endif

#include "avx512_ops.hpp"
#include "scan_impls.hpp"
#include "scan_kernel.hpp"
#include "sha_ni_layout.hpp"

namespace {

using namespace nonceforge::miner::cpu::sha_ni;
using kernel::IV;
using kernel::K;
using Y = __m256i;

// The schedules use the kernel's AVX-512VL lane type: vprord, vpternlogd, eight lanes.
using Ops = Avx512VlOps;

constexpr int B = 8;      // nonces per batch: one 256-bit vector
constexpr int G = 4;      // sha256rnds2 chains per group
constexpr int NG = B / G; // groups per hash and batch

// StorePairs leaves the pair of nonce n in slot SLOT[n] (the unpack instructions work within
// 128-bit halves); the rounds read it from there.
constexpr int SLOT[B] = {0, 1, 4, 5, 2, 3, 6, 7};

// The 64-bit pairs (x[n], y[n]) of the eight lanes, to out[SLOT[n]].
NF_ALWAYS_INLINE void StorePairs(Y x, Y y, uint64_t* out) {
    _mm256_store_si256(reinterpret_cast<Y*>(out), _mm256_unpacklo_epi32(x, y));
    _mm256_store_si256(reinterpret_cast<Y*>(out + 4), _mm256_unpackhi_epi32(x, y));
}

// Double-buffered by batch parity. Pair P holds rounds 2P and 2P + 1.
struct alignas(64) Buffers {
    uint64_t kw1[2][32][B];  // first hash (block 2): P = 1 and 9..31; 2..8 are constants
    uint64_t kw2[2][31][B];  // second hash: P = 0..3 and 8..30; 4..7 are constants
    uint32_t first[2][B][8]; // first hashes, a..h, by nonce
};

// What one iteration reads (this batch parity) and writes (the other).
struct Sides {
    const uint64_t (*kw1)[B];
    const uint64_t (*kw2)[B];
    uint32_t (*first)[8];
    uint64_t (*kw1_next)[B];
    uint64_t (*kw2_next)[B];
    const uint32_t (*first_prev)[8];
};

struct Constants {
    __m128i kw1[9]; // first hash, P = 2..8: rounds 4..15 (padding) and 16..17
    __m128i kw2[8]; // second hash, P = 4..7: rounds 8..15 (padding)
    __m128i st2_abef, st2_cdgh, mid_abef, mid_cdgh, iv_abef, iv_cdgh;
};

struct Schedules {
    Y nonce;
    Y f[64]; // first hash, W16..W63
    Y s[61]; // second hash, W0..W60
};

// The vector side as a sequence of tasks: set-up and W18..W63 of the first hash, then the
// transpose and W16..W60 of the second.
constexpr int FIRST_TASKS = 1 + 46;
constexpr int SECOND_TASKS = 1 + 45;
constexpr int TASKS = FIRST_TASKS + SECOND_TASKS;

template <int T>
NF_ALWAYS_INLINE void Task(const nonceforge::core::ScanPrecomp& p, Schedules& v, uint32_t base,
                           uint64_t (*kw1)[B], uint64_t (*kw2)[B], const uint32_t (*first)[8]) {
    if constexpr (T == 0) {
        // W3 of nonces base..base+7: the byte-swapped nonce.
        v.nonce = Ops::ByteSwap(Ops::Nonces(base));
        StorePairs(Ops::Set1(K[2] + p.w2), Ops::Add(v.nonce, Ops::Set1(K[3])), kw1[1]);
        v.f[16] = Ops::Set1(p.w16);
        v.f[17] = Ops::Set1(p.w17);
    } else if constexpr (T < FIRST_TASKS) {
        constexpr int i = 17 + T;
        v.f[i] = kernel::FirstHashW<Ops, i>(p, v.nonce, v.f);
        if constexpr (i % 2 == 1) {
            StorePairs(Ops::Add(v.f[i - 1], Ops::Set1(K[i - 1])), Ops::Add(v.f[i], Ops::Set1(K[i])),
                       kw1[i / 2]);
        }
    } else if constexpr (T == FIRST_TASKS) {
        // Eight rows of a..h (one per nonce) -> W0..W7 with lane n = nonce n.
        Y r[8], t[8], u[8];
        for (int n = 0; n < 8; ++n) {
            r[n] = _mm256_load_si256(reinterpret_cast<const Y*>(first[n]));
        }
        for (int n = 0; n < 8; n += 2) {
            t[n] = _mm256_unpacklo_epi32(r[n], r[n + 1]);
            t[n + 1] = _mm256_unpackhi_epi32(r[n], r[n + 1]);
        }
        for (int h = 0; h < 8; h += 4) {
            u[h + 0] = _mm256_unpacklo_epi64(t[h + 0], t[h + 2]);
            u[h + 1] = _mm256_unpackhi_epi64(t[h + 0], t[h + 2]);
            u[h + 2] = _mm256_unpacklo_epi64(t[h + 1], t[h + 3]);
            u[h + 3] = _mm256_unpackhi_epi64(t[h + 1], t[h + 3]);
        }
        for (int w = 0; w < 4; ++w) {
            v.s[w] = _mm256_permute2x128_si256(u[w], u[4 + w], 0x20);
            v.s[w + 4] = _mm256_permute2x128_si256(u[w], u[4 + w], 0x31);
        }
        for (int q = 0; q < 4; ++q) {
            StorePairs(Ops::Add(v.s[2 * q], Ops::Set1(K[2 * q])),
                       Ops::Add(v.s[2 * q + 1], Ops::Set1(K[2 * q + 1])), kw2[q]);
        }
    } else {
        constexpr int i = 16 + (T - FIRST_TASKS - 1);
        v.s[i] = kernel::SecondHashW<Ops, i>(v.s);
        if constexpr (i % 2 == 1) {
            StorePairs(Ops::Add(v.s[i - 1], Ops::Set1(K[i - 1])), Ops::Add(v.s[i], Ops::Set1(K[i])),
                       kw2[i / 2]);
        } else if constexpr (i == 60) {
            // Pair 30 is round 60 only (its e is all H7 needs).
            StorePairs(Ops::Add(v.s[60], Ops::Set1(K[60])), Ops::Set1(0), kw2[30]);
        }
    }
}

// ABEF / CDGH of the G chains of the group in flight.
struct Chains {
    __m128i x[G], y[G];

    NF_ALWAYS_INLINE void Start(__m128i abef, __m128i cdgh) {
        for (int j = 0; j < G; ++j) {
            x[j] = abef;
            y[j] = cdgh;
        }
    }
    // One round pair of every chain. Pairs LO..HI come from `fixed[P]` (words the same for
    // every nonce), the others from chain j's slot of `pairs[P]`.
    template <int P, int LO, int HI>
    NF_ALWAYS_INLINE void RoundPair(const __m128i* fixed, const uint64_t (*pairs)[B], int n0) {
        for (int j = 0; j < G; ++j) {
            __m128i kw;
            if constexpr (P >= LO && P <= HI) {
                kw = fixed[P];
            } else {
                kw = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(&pairs[P][SLOT[n0 + j]]));
            }
            const __m128i next = _mm_sha256rnds2_epu32(y[j], x[j], kw);
            y[j] = x[j];
            x[j] = next;
        }
    }
};

// Step STEP of an iteration: one round pair of one group, then its share of the tasks. Groups
// alternate between the first hash (batch k) and the second (batch k - 2): F0, S0, F1, S1.
constexpr int STEPS = 2 * NG * 31;

template <int STEP>
NF_ALWAYS_INLINE void ZipStep(const nonceforge::core::ScanPrecomp& p, const Constants& c,
                              const Sides& b, Schedules& v, Chains& r, uint32_t next_base,
                              uint32_t& pass) {
    constexpr int GROUP = STEP / 31;
    constexpr int I = STEP % 31;
    constexpr bool FIRST = GROUP % 2 == 0;
    constexpr int N0 = (GROUP / 2) * G;
    if constexpr (FIRST) {
        constexpr int P = I + 1; // pairs 1..31: rounds 0..1 are in state2
        if constexpr (I == 0) {
            r.Start(c.st2_abef, c.st2_cdgh);
        }
        r.RoundPair<P, 2, 8>(c.kw1, b.kw1, N0);
        if constexpr (P == 31) {
            for (int j = 0; j < G; ++j) {
                __m128i lo, hi;
                FromAbef(_mm_add_epi32(r.x[j], c.mid_abef), _mm_add_epi32(r.y[j], c.mid_cdgh), lo,
                         hi);
                _mm_store_si128(reinterpret_cast<__m128i*>(&b.first[N0 + j][0]), lo);
                _mm_store_si128(reinterpret_cast<__m128i*>(&b.first[N0 + j][4]), hi);
            }
        }
    } else {
        constexpr int P = I; // pairs 0..30
        if constexpr (I == 0) {
            r.Start(c.iv_abef, c.iv_cdgh);
        }
        r.RoundPair<P, 4, 7>(c.kw2, b.kw2, N0);
        if constexpr (P == 30) {
            // Lane 0 (F) of the last ABEF is e after round 60, and H7 = IV7 + e.
            for (int j = 0; j < G; ++j) {
                // Used here, in every iteration: otherwise GCC sees that the first two
                // iterations drop these results and sinks the second hash's rounds below
                // that test, out of the zip (their K + W pairs then go through general
                // registers and the stack, read before the tasks' stores).
                asm volatile("" : : "x"(r.x[j]));
                const uint32_t h7 = uint32_t(_mm_cvtsi128_si32(r.x[j])) + IV[7];
                pass |= uint32_t(__builtin_bswap32(h7) <= p.target_top) << (N0 + j);
            }
        }
    }
    constexpr int T0 = STEP * TASKS / STEPS;
    constexpr int T1 = (STEP + 1) * TASKS / STEPS;
    kernel::Unroll<T0, T1>([&](auto t) NF_LAMBDA_INLINE {
        Task<t.value>(p, v, next_base, b.kw1_next, b.kw2_next, b.first_prev);
    });
}

NF_ALWAYS_INLINE uint32_t ScanZipped(const nonceforge::core::ScanPrecomp& p, uint32_t first,
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
    // Zeroed so that the second hashes of the two iterations before the first real one (whose
    // results are dropped) read defined values.
    alignas(64) Buffers b{};
    Schedules v;
    kernel::Unroll<0, FIRST_TASKS>([&](auto t) NF_LAMBDA_INLINE {
        Task<t.value>(p, v, first, b.kw1[0], b.kw2[0], b.first[0]);
    });
    const uint64_t batches = (uint64_t(count) + B - 1) / B;
    uint32_t found = 0;
    for (uint64_t k = 0; k < batches + 2; ++k) {
        const int cur = int(k & 1);
        Sides s{b.kw1[cur],     b.kw2[cur],     b.first[cur],
                b.kw1[cur ^ 1], b.kw2[cur ^ 1], b.first[cur ^ 1]};
        // The six bases as opaque registers: otherwise GCC folds the parity into every
        // address and copies the pairs through general registers.
        asm(""
            : "+r"(s.kw1), "+r"(s.kw2), "+r"(s.first), "+r"(s.kw1_next), "+r"(s.kw2_next),
              "+r"(s.first_prev));
        const uint32_t next_base = first + uint32_t((k + 1) * B);
        uint32_t pass = 0;
        Chains r;
        kernel::Unroll<0, STEPS>([&](auto step) NF_LAMBDA_INLINE {
            ZipStep<step.value>(p, c, s, v, r, next_base, pass);
        });
        if (k >= 2) {
            const uint64_t done = (k - 2) * B;
            while (pass != 0) {
                const uint64_t idx = done + uint64_t(__builtin_ctz(pass));
                if (idx < count) {
                    out[found++] = first + uint32_t(idx);
                }
                pass &= pass - 1;
            }
        }
    }
    return found;
}

} // namespace

namespace nonceforge::miner::cpu::shani_vl {

uint32_t ScanChunk_8way(const core::ScanPrecomp& p, uint32_t first, uint32_t count, uint32_t* out) {
    return ScanZipped(p, first, count, out);
}

} // namespace nonceforge::miner::cpu::shani_vl
