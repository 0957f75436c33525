#include "scan_precompute.hpp"

#include "nonceforge/core/bytes.hpp"
#include "nonceforge/core/sha256.hpp"

namespace nonceforge::cpu {

namespace sha = core::sha256;

ScanPrecomp MakeScanPrecomp(const uint32_t midstate[8], const uint8_t tail16[16],
                            uint32_t target_top) {
    ScanPrecomp p{};
    const uint32_t w0 = core::ReadBE32(tail16);     // merkle root bytes 28..31
    const uint32_t w1 = core::ReadBE32(tail16 + 4); // ntime
    const uint32_t w2 = core::ReadBE32(tail16 + 8); // nbits
    for (int i = 0; i < 8; ++i) {
        p.midstate[i] = midstate[i];
    }

    uint32_t s[8];
    for (int i = 0; i < 8; ++i) {
        s[i] = midstate[i];
    }
    // Rounds 0..2 (same role rotation as sha::TransformWords).
    sha::Round(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], sha::K[0] + w0);
    sha::Round(s[7], s[0], s[1], s[2], s[3], s[4], s[5], s[6], sha::K[1] + w1);
    // After two rounds: a = s[6], b = s[7], c = s[0], d = s[1], e = s[2], f = s[3], ...
    const uint32_t st2[8] = {s[6], s[7], s[0], s[1], s[2], s[3], s[4], s[5]};
    for (int i = 0; i < 8; ++i) {
        p.state2[i] = st2[i];
    }
    sha::Round(s[6], s[7], s[0], s[1], s[2], s[3], s[4], s[5], sha::K[2] + w2);
    // After three rounds the roles are: a = s[5], b = s[6], c = s[7], d = s[0], e = s[1],
    // f = s[2], g = s[3], h = s[4].
    const uint32_t a = s[5], b = s[6], c = s[7], d = s[0], e = s[1], f = s[2], g = s[3], h = s[4];
    const uint32_t st[8] = {a, b, c, d, e, f, g, h};
    for (int i = 0; i < 8; ++i) {
        p.state3[i] = st[i];
    }
    // Round 3 with W3 = nonce: t1 = h + S1(e) + Ch(e,f,g) + K3 + nonce, t2 = S0(a) + Maj(a,b,c).
    const uint32_t t1_base = h + sha::Sigma1(e) + sha::Ch(e, f, g) + sha::K[3];
    const uint32_t t2 = sha::Sigma0(a) + sha::Maj(a, b, c);
    p.a4_base = t1_base + t2;
    p.e4_base = d + t1_base;

    constexpr uint32_t W4 = 0x80000000u, W15 = 640;
    p.w16 = sha::sigma0(w1) + w0;                    // sigma1(W14 = 0) + W9 = 0
    p.w17 = sha::sigma1(W15) + sha::sigma0(w2) + w1; // W10 = 0
    p.kw16 = sha::K[16] + p.w16;
    p.kw17 = sha::K[17] + p.w17;
    p.w18_base = sha::sigma1(p.w16) + w2;              // + sigma0(nonce); W11 = 0
    p.w19_base = sha::sigma1(p.w17) + sha::sigma0(W4); // + nonce; W12 = 0
    p.w31_const = sha::sigma0(p.w16) + W15;
    p.w32_const = sha::sigma0(p.w17) + p.w16;
    p.w0 = w0;
    p.w1 = w1;
    p.w2 = w2;
    p.target_top = target_top;
    return p;
}

} // namespace nonceforge::cpu
