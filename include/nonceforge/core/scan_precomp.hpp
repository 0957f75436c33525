// The nonce-independent part of a sha256d header scan, computed once per work unit and shared
// by every scan: the CPU implementations (miner/cpu), the tuned CUDA kernel (kernels/), and
// their host-side tests (DESIGN.md, STYLE.md: "the fixed shape of the input is exploited").
//
// The first SHA-256 of an 80-byte header compresses two blocks. Block 1 (bytes 0..63) gives the
// midstate. Block 2 holds W0 = merkle root bytes 28..31, W1 = ntime, W2 = nbits, W3 = nonce and
// constant padding (W4 = 0x80000000, W5..W14 = 0, W15 = 640). So:
//   - rounds 0..2 do not depend on the nonce and are done here;
//   - round 3 adds the nonce to constants: a4 = A4_BASE + nonce, e4 = E4_BASE + nonce;
//   - message words W16, W17 are constants; W18 = W18_BASE + sigma0(nonce),
//     W19 = W19_BASE + nonce, and the constant parts of W30..W33 are folded here too.
// The second SHA-256 (of the 32-byte first hash) has constant padding folded into constants in
// the scan kernels themselves and stops after round 60, when the most significant word of the
// result is known.
//
// Plain data, passed by value to a CUDA kernel (it sits in the launch's constant bank). The CPU
// instruction-set files include this header for the struct only and never call
// MakeScanPrecomp, so no inline code from here is compiled with their -m flags.
#pragma once

#include <cstdint>

#include "nonceforge/core/bytes.hpp"
#include "nonceforge/core/hd.hpp"
#include "nonceforge/core/sha256.hpp"

namespace nonceforge::core {

struct ScanPrecomp {
    uint32_t midstate[8]; // added to the block-2 state to form the first hash
    uint32_t state2[8];   // a..h after rounds 0..1 of block 2 (SHA-NI works in round pairs)
    uint32_t state3[8];   // a..h after rounds 0..2 of block 2
    uint32_t a4_base;     // a after round 3, minus the nonce
    uint32_t e4_base;     // e after round 3, minus the nonce
    uint32_t kw16, kw17;  // K[t] + W[t] for the constant words W16, W17
    uint32_t w16, w17;    // the constant words themselves (used by later words)
    uint32_t w18_base;    // W18 = w18_base + sigma0(nonce)
    uint32_t w19_base;    // W19 = w19_base + nonce
    uint32_t w31_const;   // sigma0(W16) + W15
    uint32_t w32_const;   // sigma0(W17) + W16
    uint32_t w0, w1, w2;  // block-2 words: merkle root bytes 28..31, ntime, nbits
    uint32_t target_top;  // most significant 32 bits of the share target
};

namespace scan_detail {

// Rounds 0..3 of block 2: state2, state3 and the nonce-free bases of a4 and e4.
NF_HD constexpr void PrecomputeRounds(ScanPrecomp& p) {
    namespace sha = sha256;
    uint32_t s[8] = {};
    for (int i = 0; i < 8; ++i) {
        s[i] = p.midstate[i];
    }
    // Rounds 0..2 (same role rotation as sha::TransformWords).
    sha::Round(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], sha::K(0) + p.w0);
    sha::Round(s[7], s[0], s[1], s[2], s[3], s[4], s[5], s[6], sha::K(1) + p.w1);
    // After two rounds: a = s[6], b = s[7], c = s[0], d = s[1], e = s[2], f = s[3], ...
    const uint32_t st2[8] = {s[6], s[7], s[0], s[1], s[2], s[3], s[4], s[5]};
    sha::Round(s[6], s[7], s[0], s[1], s[2], s[3], s[4], s[5], sha::K(2) + p.w2);
    // After three rounds the roles are: a = s[5], b = s[6], c = s[7], d = s[0], e = s[1],
    // f = s[2], g = s[3], h = s[4].
    const uint32_t st3[8] = {s[5], s[6], s[7], s[0], s[1], s[2], s[3], s[4]};
    for (int i = 0; i < 8; ++i) {
        p.state2[i] = st2[i];
        p.state3[i] = st3[i];
    }
    // Round 3 with W3 = nonce: t1 = h + S1(e) + Ch(e,f,g) + K3 + nonce, t2 = S0(a) + Maj(a,b,c).
    const uint32_t a = st3[0], b = st3[1], c = st3[2], d = st3[3];
    const uint32_t e = st3[4], f = st3[5], g = st3[6], h = st3[7];
    const uint32_t t1_base = h + sha::Sigma1(e) + sha::Ch(e, f, g) + sha::K(3);
    const uint32_t t2 = sha::Sigma0(a) + sha::Maj(a, b, c);
    p.a4_base = t1_base + t2;
    p.e4_base = d + t1_base;
}

// The constant message words W16, W17 and the constant parts of W18, W19, W31, W32.
NF_HD constexpr void PrecomputeMessageWords(ScanPrecomp& p) {
    namespace sha = sha256;
    constexpr uint32_t W4 = 0x80000000u, W15 = 640;
    p.w16 = sha::sigma0(p.w1) + p.w0;                    // sigma1(W14 = 0) + W9 = 0
    p.w17 = sha::sigma1(W15) + sha::sigma0(p.w2) + p.w1; // W10 = 0
    p.kw16 = sha::K(16) + p.w16;
    p.kw17 = sha::K(17) + p.w17;
    p.w18_base = sha::sigma1(p.w16) + p.w2;            // + sigma0(nonce); W11 = 0
    p.w19_base = sha::sigma1(p.w17) + sha::sigma0(W4); // + nonce; W12 = 0
    p.w31_const = sha::sigma0(p.w16) + W15;
    p.w32_const = sha::sigma0(p.w17) + p.w16;
}

} // namespace scan_detail

// Builds the scan inputs from a midstate and the 16-byte header tail (nonce field ignored).
NF_HD constexpr ScanPrecomp MakeScanPrecomp(const uint32_t midstate[8], const uint8_t tail16[16],
                                            uint32_t target_top) {
    ScanPrecomp p{};
    for (int i = 0; i < 8; ++i) {
        p.midstate[i] = midstate[i];
    }
    p.w0 = ReadBE32(tail16);     // merkle root bytes 28..31
    p.w1 = ReadBE32(tail16 + 4); // ntime
    p.w2 = ReadBE32(tail16 + 8); // nbits
    p.target_top = target_top;
    scan_detail::PrecomputeRounds(p);
    scan_detail::PrecomputeMessageWords(p);
    return p;
}

} // namespace nonceforge::core
