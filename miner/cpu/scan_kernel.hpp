// The sha256d header scan written once over a lane type. Each instruction-set file includes
// this header and instantiates it with its own lane operations (scalar uint32_t, AVX2 8-lane,
// AVX-512 16-lane, two interleaved AVX-512 streams), compiled with only its own -m flags.
//
// Everything here has internal linkage (anonymous namespace). From core it takes the plain
// ScanPrecomp struct and the SHA-256 constants, the latter only in constant expressions: inline
// functions compiled with AVX-512 flags must never be shared with baseline code through the
// linker, so nothing here calls a core function at run time.
//
// Steps, named as in DESIGN.md / STYLE.md:
//   FirstHashBlock2  rounds 4..63 of the first hash's second block (rounds 0..3 are in
//                    ScanPrecomp), nonce-independent message words folded in;
//   SecondHashTop    the second hash, padding folded into constants, stopped after round 60
//                    with only the most significant word (H7) computed;
//   the caller turns H7 into a pass mask (top-word pre-filter); survivors get the full
//   256-bit compare against the reference hash in baseline code.
#pragma once

#include <cstdint>
#include <utility>

#include "nonceforge/core/scan_precomp.hpp"
#include "nonceforge/core/sha256_constants.hpp"

#define NF_ALWAYS_INLINE inline __attribute__((always_inline))
#define NF_LAMBDA_INLINE __attribute__((always_inline))

namespace {

namespace kernel {

// The core's one table of round constants and IV, copied into plain arrays at compile time:
// code built with this file's -m flags reads them as constants and never calls into core (nor
// into a std:: member function, which would be shared across translation units too).
struct ConstantTables {
    uint32_t k[64];
    uint32_t iv[8];
};
constexpr ConstantTables TABLES = [] {
    ConstantTables t{};
    for (int i = 0; i < 64; ++i) {
        t.k[i] = nonceforge::core::sha256::K(i);
    }
    for (int i = 0; i < 8; ++i) {
        t.iv[i] = nonceforge::core::sha256::IV(i);
    }
    return t;
}();
constexpr const uint32_t (&K)[64] = TABLES.k;
constexpr const uint32_t (&IV)[8] = TABLES.iv;

constexpr uint32_t Rotr(uint32_t x, int n) {
    return (x >> n) | (x << (32 - n));
}
constexpr uint32_t S0(uint32_t x) {
    return Rotr(x, 2) ^ Rotr(x, 13) ^ Rotr(x, 22);
}
constexpr uint32_t S1(uint32_t x) {
    return Rotr(x, 6) ^ Rotr(x, 11) ^ Rotr(x, 25);
}
constexpr uint32_t s0(uint32_t x) {
    return Rotr(x, 7) ^ Rotr(x, 18) ^ (x >> 3);
}
constexpr uint32_t s1(uint32_t x) {
    return Rotr(x, 17) ^ Rotr(x, 19) ^ (x >> 10);
}
constexpr uint32_t Ch(uint32_t x, uint32_t y, uint32_t z) {
    return z ^ (x & (y ^ z));
}
constexpr uint32_t Maj(uint32_t x, uint32_t y, uint32_t z) {
    return (x & y) | (z & (x | y));
}

// Constant message words of the first hash's block 2 (W4..W15) and of the second hash's block
// (W8..W15), folded with K.
constexpr uint32_t FIRST_PAD(int t) {
    return t == 4 ? 0x80000000u : t == 15 ? 640u : 0u;
}
constexpr uint32_t SECOND_PAD(int t) {
    return t == 8 ? 0x80000000u : t == 15 ? 256u : 0u;
}

// Round 0 of the second hash starts from the IV, so it is a constant plus W0.
constexpr uint32_t SECOND_R0_T1 = IV[7] + S1(IV[4]) + Ch(IV[4], IV[5], IV[6]) + K[0];
constexpr uint32_t SECOND_R0_A = SECOND_R0_T1 + S0(IV[0]) + Maj(IV[0], IV[1], IV[2]);
constexpr uint32_t SECOND_R0_E = IV[3] + SECOND_R0_T1;

template <int BEGIN, int END, class F>
NF_ALWAYS_INLINE void Unroll(F&& f) {
    if constexpr (BEGIN < END) {
        f(std::integral_constant<int, BEGIN>{});
        Unroll<BEGIN + 1, END>(f);
    }
}

// Two independent vectors of lane type O per step: the rounds of one stream fill the latency
// of the other. LANES doubles; the first stream holds the lower nonces.
template <class O>
struct Interleaved2 {
    struct V {
        typename O::V a, b;
    };
    static constexpr int LANES = 2 * O::LANES;

    static NF_ALWAYS_INLINE V Set1(uint32_t x) { return {O::Set1(x), O::Set1(x)}; }
    static NF_ALWAYS_INLINE V Add(V x, V y) { return {O::Add(x.a, y.a), O::Add(x.b, y.b)}; }
    static NF_ALWAYS_INLINE V Sigma0(V x) { return {O::Sigma0(x.a), O::Sigma0(x.b)}; }
    static NF_ALWAYS_INLINE V Sigma1(V x) { return {O::Sigma1(x.a), O::Sigma1(x.b)}; }
    static NF_ALWAYS_INLINE V sigma0(V x) { return {O::sigma0(x.a), O::sigma0(x.b)}; }
    static NF_ALWAYS_INLINE V sigma1(V x) { return {O::sigma1(x.a), O::sigma1(x.b)}; }
    static NF_ALWAYS_INLINE V Ch(V e, V f, V g) {
        return {O::Ch(e.a, f.a, g.a), O::Ch(e.b, f.b, g.b)};
    }
    static NF_ALWAYS_INLINE V Maj(V x, V y, V z) {
        return {O::Maj(x.a, y.a, z.a), O::Maj(x.b, y.b, z.b)};
    }
    static NF_ALWAYS_INLINE V Nonces(uint32_t base) {
        return {O::Nonces(base), O::Nonces(base + uint32_t(O::LANES))};
    }
    static NF_ALWAYS_INLINE V ByteSwap(V x) { return {O::ByteSwap(x.a), O::ByteSwap(x.b)}; }
    static NF_ALWAYS_INLINE uint64_t PassMask(V h7, uint32_t target_top) {
        return O::PassMask(h7.a, target_top) | (O::PassMask(h7.b, target_top) << O::LANES);
    }
};

// The eight working variables live in s[]; round t reads a = s[(0 - t) & 7] ... h = s[(7 - t) & 7]
// and writes the new a over h and the new e over d, so nothing is moved between rounds.
template <class O, int T>
NF_ALWAYS_INLINE void Round(typename O::V* s, typename O::V kw) {
    using V = typename O::V;
    V& a = s[(8 - T % 8) % 8];
    V& b = s[(9 - T % 8) % 8];
    V& c = s[(10 - T % 8) % 8];
    V& d = s[(11 - T % 8) % 8];
    V& e = s[(12 - T % 8) % 8];
    V& f = s[(13 - T % 8) % 8];
    V& g = s[(14 - T % 8) % 8];
    V& h = s[(15 - T % 8) % 8];
    V t1 = O::Add(O::Add(h, O::Sigma1(e)), O::Add(O::Ch(e, f, g), kw));
    V t2 = O::Add(O::Sigma0(a), O::Maj(a, b, c));
    d = O::Add(d, t1);
    h = O::Add(t1, t2);
}

// Message word W[I] (18 <= I < 64) of the first hash's block 2 for the nonce word `nonce` (W3),
// from the words before it in w[16..I-1]; W4..W15 are padding, folded at compile time.
template <class O, int I>
NF_ALWAYS_INLINE typename O::V FirstHashW(const nonceforge::core::ScanPrecomp& p,
                                          typename O::V nonce, const typename O::V* w) {
    using V = typename O::V;
    constexpr int i = I;
    if constexpr (i == 18) {
        return O::Add(O::Set1(p.w18_base), O::sigma0(nonce));
    } else if constexpr (i == 19) {
        return O::Add(O::Set1(p.w19_base), nonce);
    } else {
        // W[i] = sigma1(W[i-2]) + W[i-7] + sigma0(W[i-15]) + W[i-16]
        V x = O::sigma1(w[i - 2]);
        if constexpr (i - 7 >= 16) {
            x = O::Add(x, w[i - 7]);
        } else if constexpr (FIRST_PAD(i - 7) != 0) {
            x = O::Add(x, O::Set1(FIRST_PAD(i - 7)));
        }
        if constexpr (i == 31) {
            x = O::Add(x, O::Set1(p.w31_const));
        } else if constexpr (i == 32) {
            x = O::Add(x, O::Set1(p.w32_const));
        } else {
            if constexpr (i - 15 >= 16) {
                x = O::Add(x, O::sigma0(w[i - 15]));
            } else if constexpr (FIRST_PAD(i - 15) != 0) {
                x = O::Add(x, O::Set1(s0(FIRST_PAD(i - 15))));
            }
            if constexpr (i - 16 >= 16) {
                x = O::Add(x, w[i - 16]);
            } else if constexpr (FIRST_PAD(i - 16) != 0) {
                x = O::Add(x, O::Set1(FIRST_PAD(i - 16)));
            }
        }
        return x;
    }
}

// Rounds 4..63 of the first hash's block 2, then the feed-forward: out[i] = midstate + state.
// `nonce` is the message word W3, i.e. the byte-swapped header nonce.
template <class O>
NF_ALWAYS_INLINE void FirstHashBlock2(const nonceforge::core::ScanPrecomp& p, typename O::V nonce,
                                      typename O::V out[8]) {
    using V = typename O::V;
    // Roles after round 3 (t = 4 reads a from s[4]): place a4..h4 accordingly.
    V s[8];
    s[(8 - 4) % 8] = O::Add(O::Set1(p.a4_base), nonce);  // a
    s[(9 - 4) % 8] = O::Set1(p.state3[0]);               // b = old a
    s[(10 - 4) % 8] = O::Set1(p.state3[1]);              // c
    s[(11 - 4) % 8] = O::Set1(p.state3[2]);              // d
    s[(12 - 4) % 8] = O::Add(O::Set1(p.e4_base), nonce); // e
    s[(13 - 4) % 8] = O::Set1(p.state3[4]);              // f = old e
    s[(14 - 4) % 8] = O::Set1(p.state3[5]);              // g
    s[(15 - 4) % 8] = O::Set1(p.state3[6]);              // h

    Unroll<4, 16>([&](auto t) NF_LAMBDA_INLINE {
        Round<O, t.value>(s, O::Set1(K[t.value] + FIRST_PAD(t.value)));
    });
    Round<O, 16>(s, O::Set1(p.kw16));
    Round<O, 17>(s, O::Set1(p.kw17));

    // W[16..63]. W16 and W17 are constants; W4..W15 are padding, folded at compile time.
    V w[64];
    w[16] = O::Set1(p.w16);
    w[17] = O::Set1(p.w17);
    Unroll<18, 64>([&](auto t) NF_LAMBDA_INLINE {
        constexpr int i = t.value;
        w[i] = FirstHashW<O, i>(p, nonce, w);
        Round<O, i>(s, O::Add(w[i], O::Set1(K[i])));
    });

    // After 64 rounds the roles are back where they started: a = s[0] ... h = s[7].
    for (int i = 0; i < 8; ++i) {
        out[i] = O::Add(s[i], O::Set1(p.midstate[i]));
    }
}

// The second SHA-256 over the 32-byte first hash, stopped as soon as H7 (the hash's most
// significant word, bytes 28..31) is known: H7 = IV7 + e after round 60. In steps, so that a
// caller can interleave it with other work: SecondHashBegin (round 0), SecondHashRound<T> for
// T = 1..59 in order, SecondHashEnd (round 60, H7); SecondHashTop does all of them.
template <class O>
struct SecondHashState {
    typename O::V s[8];
    typename O::V w[61];
};

template <class O>
NF_ALWAYS_INLINE void SecondHashBegin(const typename O::V in[8], SecondHashState<O>& st) {
    auto& w = st.w;
    auto& s = st.s;
    for (int i = 0; i < 8; ++i) {
        w[i] = in[i];
    }
    // Round 0 from the IV: a1 = const + W0, e1 = const + W0; roles for t = 1.
    s[(8 - 1) % 8] = O::Add(O::Set1(SECOND_R0_A), w[0]);
    s[(9 - 1) % 8] = O::Set1(IV[0]);
    s[(10 - 1) % 8] = O::Set1(IV[1]);
    s[(11 - 1) % 8] = O::Set1(IV[2]);
    s[(12 - 1) % 8] = O::Add(O::Set1(SECOND_R0_E), w[0]);
    s[(13 - 1) % 8] = O::Set1(IV[4]);
    s[(14 - 1) % 8] = O::Set1(IV[5]);
    s[(15 - 1) % 8] = O::Set1(IV[6]);
}

// Message word W[I] (16 <= I <= 60) of the second hash from w[0..7] (the first hash) and
// w[16..I-1]; W8..W15 are padding, folded at compile time.
template <class O, int I>
NF_ALWAYS_INLINE typename O::V SecondHashW(const typename O::V* w) {
    using V = typename O::V;
    constexpr int i = I;
    // W[i] = sigma1(W[i-2]) + W[i-7] + sigma0(W[i-15]) + W[i-16], with W8..W15 constant
    // (W16 and W17 still read W14 = 0 and W15 = 256 as their W[i-2]).
    V x;
    if constexpr (i - 2 < 16) {
        x = w[i - 16];
        if constexpr (SECOND_PAD(i - 2) != 0) {
            x = O::Add(x, O::Set1(s1(SECOND_PAD(i - 2))));
        }
    } else {
        x = O::sigma1(w[i - 2]);
    }
    if constexpr (i - 7 >= 8 && i - 7 < 16) {
        if constexpr (SECOND_PAD(i - 7) != 0) {
            x = O::Add(x, O::Set1(SECOND_PAD(i - 7)));
        }
    } else {
        x = O::Add(x, w[i - 7]);
    }
    if constexpr (i - 15 >= 8 && i - 15 < 16) {
        if constexpr (SECOND_PAD(i - 15) != 0) {
            x = O::Add(x, O::Set1(s0(SECOND_PAD(i - 15))));
        }
    } else {
        x = O::Add(x, O::sigma0(w[i - 15]));
    }
    if constexpr (i - 16 >= 8 && i - 16 < 16) {
        if constexpr (SECOND_PAD(i - 16) != 0) {
            x = O::Add(x, O::Set1(SECOND_PAD(i - 16)));
        }
    } else if constexpr (i - 2 >= 16) { // else W[i-16] already started x
        x = O::Add(x, w[i - 16]);
    }
    return x;
}

template <class O, int T>
NF_ALWAYS_INLINE void SecondHashRound(SecondHashState<O>& st) {
    auto& w = st.w;
    constexpr int i = T;
    if constexpr (i < 8) {
        Round<O, i>(st.s, O::Add(w[i], O::Set1(K[i])));
    } else if constexpr (i < 16) {
        Round<O, i>(st.s, O::Set1(K[i] + SECOND_PAD(i)));
    } else {
        w[i] = SecondHashW<O, i>(w);
        Round<O, i>(st.s, O::Add(w[i], O::Set1(K[i])));
    }
}

template <class O>
NF_ALWAYS_INLINE typename O::V SecondHashEnd(SecondHashState<O>& st) {
    using V = typename O::V;
    auto& w = st.w;
    auto& s = st.s;
    // Round 60: only e matters. Roles for t = 60: d = s[(11 - 4) % 8], e = s[(12 - 4) % 8] ...
    constexpr int T = 60;
    V w60 = O::Add(O::Add(O::sigma1(w[58]), w[53]), O::Add(O::sigma0(w[45]), w[44]));
    V& d = s[(11 - T % 8) % 8];
    V& e = s[(12 - T % 8) % 8];
    V& f = s[(13 - T % 8) % 8];
    V& g = s[(14 - T % 8) % 8];
    V& h = s[(15 - T % 8) % 8];
    V t1 = O::Add(O::Add(h, O::Sigma1(e)), O::Add(O::Ch(e, f, g), O::Add(w60, O::Set1(K[60]))));
    return O::Add(O::Add(d, t1), O::Set1(IV[7]));
}

template <class O>
NF_ALWAYS_INLINE typename O::V SecondHashTop(const typename O::V in[8]) {
    SecondHashState<O> st;
    SecondHashBegin<O>(in, st);
    Unroll<1, 60>([&](auto t) NF_LAMBDA_INLINE { SecondHashRound<O, t.value>(st); });
    return SecondHashEnd<O>(st);
}

// Scans [first, first + count) and writes the nonces whose H7 passes the top-word filter to
// `out` in increasing order; returns how many. Lanes past `count` in the last batch are
// computed but never reported.
template <class O>
NF_ALWAYS_INLINE uint32_t ScanChunk(const nonceforge::core::ScanPrecomp& p, uint32_t first,
                                    uint32_t count, uint32_t* out) {
    using V = typename O::V;
    uint32_t found = 0;
    for (uint64_t done = 0; done < count; done += O::LANES) {
        const uint32_t base = first + uint32_t(done);
        // The header stores the nonce little-endian and SHA-256 reads big-endian words, so
        // the message word W3 is the byte-swapped nonce.
        V w3 = O::ByteSwap(O::Nonces(base));
        V h1[8];
        FirstHashBlock2<O>(p, w3, h1);
        V h7 = SecondHashTop<O>(h1);
        uint64_t mask = O::PassMask(h7, p.target_top);
        const uint64_t left = count - done;
        if (left < O::LANES) {
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

} // namespace kernel

} // namespace
