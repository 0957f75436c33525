// The tuned GPU scan's round and schedule code, written once for the host and the device so
// the unit suite runs exactly this math on the CPU against the reference (core::sha256).
//
// What the device gets from it (sm_75..sm_90):
//   - every round and message word fully unrolled through templates: the round index is a
//     compile-time constant, K[t] is an immediate, no array is indexed at run time, and the
//     eight working variables never move (the role of a..h rotates with the round index);
//   - rotations as one funnel shift (SHF.R.W) each, Ch and Maj as single three-input logic
//     expressions (one LOP3 each), the nonce byte swap as one PRMT;
//   - the nonce-independent work from core::ScanPrecomp (midstate, rounds 0..2, the bases of
//     round 3 and of W16..W19, the constant parts of W31/W32): computed once per work unit on
//     the host and passed by value as a kernel parameter, so it sits in the constant bank of
//     each launch (no mutable __constant__ globals shared across devices or streams);
//   - the second hash with its padding folded into immediates, stopped after round 60, when
//     H7 (the hash's most significant word) is known; the dead `a` values of rounds 57..59 are
//     removed by the compiler.
//
// Byte order: the header stores the nonce little-endian and SHA-256 reads big-endian words,
// so message word W3 is the byte-swapped nonce. H7 is the big-endian word of hash bytes
// 28..31; the hash's top 32 bits as a little-endian number are ByteSwap(H7).
#pragma once

#include <cstdint>

#include "nonceforge/core/hd.hpp"
#include "nonceforge/core/scan_precomp.hpp"
#include "nonceforge/core/sha256_constants.hpp"

#if defined(__CUDACC__)
#define NF_HD_INLINE __host__ __device__ __forceinline__
#else
#define NF_HD_INLINE inline __attribute__((always_inline))
#endif

namespace nonceforge::kernels::rounds {

// The core's round constants K(t) and initial hash IV(i): every index below is a compile-time
// constant (a template argument), so device code sees immediates and no table.
using core::sha256::IV;
using core::sha256::K;

template <int N>
NF_HD_INLINE uint32_t Rotr(uint32_t x) {
#if defined(__CUDA_ARCH__)
    return __funnelshift_r(x, x, N); // one SHF.R.W
#else
    return (x >> N) | (x << (32 - N));
#endif
}

NF_HD_INLINE uint32_t ByteSwap(uint32_t x) {
#if defined(__CUDA_ARCH__)
    return __byte_perm(x, 0, 0x0123); // one PRMT
#else
    return (x >> 24) | ((x >> 8) & 0xff00u) | ((x << 8) & 0xff0000u) | (x << 24);
#endif
}

// Three inputs, one output, no intermediate that escapes: each compiles to one LOP3.
NF_HD_INLINE constexpr uint32_t Ch(uint32_t e, uint32_t f, uint32_t g) {
    return (e & f) ^ (~e & g);
}
NF_HD_INLINE constexpr uint32_t Maj(uint32_t a, uint32_t b, uint32_t c) {
    return (a & b) ^ (a & c) ^ (b & c);
}
// Three funnel shifts (or shifts) and one three-input XOR (LOP3) each.
NF_HD_INLINE uint32_t Sigma0(uint32_t x) {
    return Rotr<2>(x) ^ Rotr<13>(x) ^ Rotr<22>(x);
}
NF_HD_INLINE uint32_t Sigma1(uint32_t x) {
    return Rotr<6>(x) ^ Rotr<11>(x) ^ Rotr<25>(x);
}
NF_HD_INLINE uint32_t SmallSigma0(uint32_t x) {
    return Rotr<7>(x) ^ Rotr<18>(x) ^ (x >> 3);
}
NF_HD_INLINE uint32_t SmallSigma1(uint32_t x) {
    return Rotr<17>(x) ^ Rotr<19>(x) ^ (x >> 10);
}

// Constant message words: W4..W15 of the first hash's second block (80-byte message) and
// W8..W15 of the second hash's block (32-byte message).
NF_HD constexpr uint32_t FirstPad(int t) {
    return t == 4 ? 0x80000000u : t == 15 ? 640u : 0u;
}
NF_HD constexpr uint32_t SecondPad(int t) {
    return t == 8 ? 0x80000000u : t == 15 ? 256u : 0u;
}

// Round 0 of the second hash starts from the IV: a and e after it are constants plus W0.
NF_HD constexpr uint32_t SecondRound0T1() {
    const uint32_t e = IV(4), f = IV(5), g = IV(6);
    const uint32_t sigma1 =
        ((e >> 6) | (e << 26)) ^ ((e >> 11) | (e << 21)) ^ ((e >> 25) | (e << 7));
    return IV(7) + sigma1 + ((e & f) ^ (~e & g)) + K(0);
}
NF_HD constexpr uint32_t SecondRound0A() {
    const uint32_t a = IV(0), b = IV(1), c = IV(2);
    const uint32_t sigma0 =
        ((a >> 2) | (a << 30)) ^ ((a >> 13) | (a << 19)) ^ ((a >> 22) | (a << 10));
    return SecondRound0T1() + sigma0 + ((a & b) ^ (a & c) ^ (b & c));
}
NF_HD constexpr uint32_t SecondRound0E() {
    return IV(3) + SecondRound0T1();
}

template <int N>
struct Index {
    static constexpr int value = N;
};

template <int BEGIN, int END, class F>
NF_HD_INLINE void Unroll(F& f) {
    if constexpr (BEGIN < END) {
        f(Index<BEGIN>{});
        Unroll<BEGIN + 1, END>(f);
    }
}

// Slot of a working variable in s[8] at round T: a = s[(8 - T) % 8], b = s[(9 - T) % 8], ...
template <int T, int ROLE>
NF_HD constexpr int Slot() {
    return (8 + ROLE - T % 8) % 8;
}

// x + y, issued on the multiply-add pipe: `one` is 1 at run time (a kernel parameter), so
// ptxas cannot fold the multiply and emits IMAD, which the FMA pipe executes. The integer
// pipe (SHF, LOP3, IADD3) is the limit of a sha256d scan; every addition moved to IMAD frees
// a slot there (issue 6: about 6.8 GH/s on an H200 with every addition on the integer pipe,
// about 9.3 GH/s with the additions moved). On the host it is an ordinary addition.
// Inline PTX on the device: in plain C++, NVVM would factor x * one + y * one + z into
// (x + y) * one + z and leave ordinary additions.
NF_HD_INLINE uint32_t MadAdd(uint32_t x, uint32_t one, uint32_t y) {
#if defined(__CUDA_ARCH__)
    uint32_t r;
    asm("mad.lo.u32 %0, %1, %2, %3;" : "=r"(r) : "r"(x), "r"(one), "r"(y));
    return r;
#else
    return x * one + y;
#endif
}

// Round T with kw = K[T] + W[T]: the new a is written over h, the new e over d. h + W + K is
// one IADD3 with an immediate; the other five additions are IMADs.
template <int T>
NF_HD_INLINE void Round(uint32_t s[8], uint32_t kw, uint32_t one) {
    uint32_t& a = s[Slot<T, 0>()];
    uint32_t& b = s[Slot<T, 1>()];
    uint32_t& c = s[Slot<T, 2>()];
    uint32_t& d = s[Slot<T, 3>()];
    uint32_t& e = s[Slot<T, 4>()];
    uint32_t& f = s[Slot<T, 5>()];
    uint32_t& g = s[Slot<T, 6>()];
    uint32_t& h = s[Slot<T, 7>()];
    const uint32_t t1 = MadAdd(Ch(e, f, g), one, MadAdd(Sigma1(e), one, h + kw));
    d = MadAdd(t1, one, d);
    h = MadAdd(Maj(a, b, c), one, MadAdd(Sigma0(a), one, t1));
}

// Rounds 4..63 of the first hash's second block and the feed-forward: `out` is the first
// hash as eight big-endian words. `w3` is message word W3 (the byte-swapped nonce); `one` is 1
// (see MadAdd).
NF_HD_INLINE void FirstHash(const core::ScanPrecomp& p, uint32_t w3, uint32_t one,
                            uint32_t out[8]) {
    uint32_t s[8];
    s[Slot<4, 0>()] = p.a4_base + w3;
    s[Slot<4, 1>()] = p.state3[0];
    s[Slot<4, 2>()] = p.state3[1];
    s[Slot<4, 3>()] = p.state3[2];
    s[Slot<4, 4>()] = p.e4_base + w3;
    s[Slot<4, 5>()] = p.state3[4];
    s[Slot<4, 6>()] = p.state3[5];
    s[Slot<4, 7>()] = p.state3[6];

    auto padded = [&](auto t) { // W4..W15 are padding: K + W is one immediate
        constexpr int T = decltype(t)::value;
        Round<T>(s, K(T) + FirstPad(T), one);
    };
    Unroll<4, 16>(padded);
    Round<16>(s, p.kw16, one);
    Round<17>(s, p.kw17, one);

    uint32_t w[64]; // only W16..W63 are used; W0..W15 are constants or W3
    w[16] = p.w16;
    w[17] = p.w17;
    auto scheduled = [&](auto t) {
        constexpr int I = decltype(t)::value;
        if constexpr (I == 18) {
            w[I] = p.w18_base + SmallSigma0(w3);
        } else if constexpr (I == 19) {
            w[I] = p.w19_base + w3;
        } else {
            // W[i] = sigma1(W[i-2]) + W[i-7] + sigma0(W[i-15]) + W[i-16], padding folded.
            uint32_t x = SmallSigma1(w[I - 2]);
            if constexpr (I - 7 >= 16) {
                x = MadAdd(w[I - 7], one, x);
            } else if constexpr (FirstPad(I - 7) != 0) {
                x += FirstPad(I - 7);
            }
            if constexpr (I == 31) {
                x += p.w31_const; // sigma0(W16) + W15
            } else if constexpr (I == 32) {
                x += p.w32_const; // sigma0(W17) + W16
            } else {
                if constexpr (I - 15 >= 16) {
                    x = MadAdd(SmallSigma0(w[I - 15]), one, x);
                } else if constexpr (I - 15 == 3) {
                    x += SmallSigma0(w3);
                } else if constexpr (FirstPad(I - 15) != 0) {
                    constexpr uint32_t pad = FirstPad(I - 15);
                    x += ((pad >> 7) | (pad << 25)) ^ ((pad >> 18) | (pad << 14)) ^ (pad >> 3);
                }
                if constexpr (I - 16 >= 16) {
                    x = MadAdd(w[I - 16], one, x);
                } else if constexpr (I - 16 == 3) {
                    x += w3;
                } else if constexpr (FirstPad(I - 16) != 0) {
                    x += FirstPad(I - 16);
                }
            }
            w[I] = x;
        }
        Round<I>(s, w[I] + K(I), one);
    };
    Unroll<18, 64>(scheduled);

    // After 64 rounds the roles are back in place: a = s[0] ... h = s[7].
    for (int i = 0; i < 8; ++i) {
        out[i] = s[i] + p.midstate[i];
    }
}

// The second SHA-256 over the 32-byte first hash `in`, stopped once H7 is known:
// H7 = IV7 + e after round 60 (e61 = d60 + t1_60, and d60 is the a of round 57).
NF_HD_INLINE uint32_t SecondHashH7(const uint32_t in[8], uint32_t one) {
    uint32_t w[61];
    for (int i = 0; i < 8; ++i) {
        w[i] = in[i];
    }
    uint32_t s[8];
    s[Slot<1, 0>()] = SecondRound0A() + w[0];
    s[Slot<1, 1>()] = IV(0);
    s[Slot<1, 2>()] = IV(1);
    s[Slot<1, 3>()] = IV(2);
    s[Slot<1, 4>()] = SecondRound0E() + w[0];
    s[Slot<1, 5>()] = IV(4);
    s[Slot<1, 6>()] = IV(5);
    s[Slot<1, 7>()] = IV(6);

    auto data = [&](auto t) {
        constexpr int T = decltype(t)::value;
        Round<T>(s, w[T] + K(T), one);
    };
    Unroll<1, 8>(data);
    auto padded = [&](auto t) {
        constexpr int T = decltype(t)::value;
        Round<T>(s, K(T) + SecondPad(T), one);
    };
    Unroll<8, 16>(padded);

    // W[i] for i = 16..60, with W8..W15 constants (W16, W17 read W14 = 0, W15 = 256 as W[i-2]).
    auto word = [&](auto t) {
        constexpr int I = decltype(t)::value;
        uint32_t x;
        if constexpr (I - 2 < 16) {
            x = w[I - 16];
            if constexpr (SecondPad(I - 2) != 0) {
                constexpr uint32_t pad = SecondPad(I - 2);
                x += ((pad >> 17) | (pad << 15)) ^ ((pad >> 19) | (pad << 13)) ^ (pad >> 10);
            }
        } else {
            x = SmallSigma1(w[I - 2]);
        }
        if constexpr (I - 7 >= 8 && I - 7 < 16) {
            if constexpr (SecondPad(I - 7) != 0) {
                x += SecondPad(I - 7);
            }
        } else {
            x = MadAdd(w[I - 7], one, x);
        }
        if constexpr (I - 15 >= 8 && I - 15 < 16) {
            if constexpr (SecondPad(I - 15) != 0) {
                constexpr uint32_t pad = SecondPad(I - 15);
                x += ((pad >> 7) | (pad << 25)) ^ ((pad >> 18) | (pad << 14)) ^ (pad >> 3);
            }
        } else {
            x = MadAdd(SmallSigma0(w[I - 15]), one, x);
        }
        if constexpr (I - 16 >= 8 && I - 16 < 16) {
            if constexpr (SecondPad(I - 16) != 0) {
                x += SecondPad(I - 16);
            }
        } else if constexpr (I - 2 >= 16) { // otherwise W[i-16] already started x
            x = MadAdd(w[I - 16], one, x);
        }
        w[I] = x;
    };
    auto scheduled = [&](auto t) {
        constexpr int T = decltype(t)::value;
        word(t);
        Round<T>(s, w[T] + K(T), one);
    };
    Unroll<16, 60>(scheduled);

    // Round 60, e only.
    word(Index<60>{});
    const uint32_t d = s[Slot<60, 3>()], e = s[Slot<60, 4>()], f = s[Slot<60, 5>()];
    const uint32_t g = s[Slot<60, 6>()], h = s[Slot<60, 7>()];
    const uint32_t t1 = MadAdd(Ch(e, f, g), one, MadAdd(Sigma1(e), one, h + w[60] + K(60)));
    return MadAdd(t1, one, d) + IV(7);
}

// H7 of sha256d(header with `nonce`), the header given by its precomputed scan inputs.
NF_HD_INLINE uint32_t ScanH7(const core::ScanPrecomp& p, uint32_t nonce, uint32_t one = 1) {
    uint32_t first[8];
    FirstHash(p, ByteSwap(nonce), one, first);
    return SecondHashH7(first, one);
}

// The top-word pre-filter: the hash's most significant 32 bits (as a little-endian 256-bit
// number) against the target's. Survivors still need the full 256-bit compare.
NF_HD_INLINE bool PassesTopWord(uint32_t h7, uint32_t target_top) {
    return ByteSwap(h7) <= target_top;
}

} // namespace nonceforge::kernels::rounds
