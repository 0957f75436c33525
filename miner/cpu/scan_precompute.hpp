// The nonce-independent part of a sha256d header scan, computed once per work unit and shared
// by every CPU implementation (DESIGN.md, STYLE.md: "the fixed shape of the input is exploited").
//
// The first SHA-256 of an 80-byte header compresses two blocks. Block 1 (bytes 0..63) gives the
// midstate. Block 2 holds W0 = merkle root bytes 28..31, W1 = ntime, W2 = nbits, W3 = nonce and
// constant padding (W4 = 0x80000000, W5..W14 = 0, W15 = 640). So:
//   - rounds 0..2 do not depend on the nonce and are done here;
//   - round 3 adds the nonce to constants: a4 = A4_BASE + nonce, e4 = E4_BASE + nonce;
//   - message words W16, W17 are constants; W18 = W18_BASE + sigma0(nonce),
//     W19 = W19_BASE + nonce, and the constant parts of W30..W33 are folded here too.
// The second SHA-256 (of the 32-byte first hash) has constant padding folded into constants in
// the scan kernel itself and stops after round 60, when the most significant word of the
// result is known.
#pragma once

#include <cstdint>

// This header is included by the instruction-set files, so it holds plain data and a
// declaration only: nothing inline that could be compiled with AVX-512 flags and then shared.

namespace nonceforge::cpu {

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

// Builds the scan inputs from a midstate and the 16-byte header tail (nonce field ignored).
ScanPrecomp MakeScanPrecomp(const uint32_t midstate[8], const uint8_t tail16[16],
                            uint32_t target_top);

} // namespace nonceforge::cpu
