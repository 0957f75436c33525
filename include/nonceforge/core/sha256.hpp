// The reference SHA-256 (FIPS 180-4) that every fast path in nonceforge is tested against:
// a streaming hasher, the compression function, the midstate of a block header's first 64
// bytes, and double SHA-256 (sha256d). Written for clarity and for both host and device; the
// mining scans in miner/cpu and kernels/ are the fast versions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "nonceforge/core/bytes.hpp"
#include "nonceforge/core/hd.hpp"
#include "nonceforge/core/sha256_constants.hpp"

namespace nonceforge::core::sha256 {

NF_HD constexpr uint32_t Rotr(uint32_t x, int n) {
    return (x >> n) | (x << (32 - n));
}
NF_HD constexpr uint32_t Ch(uint32_t x, uint32_t y, uint32_t z) {
    return z ^ (x & (y ^ z));
}
NF_HD constexpr uint32_t Maj(uint32_t x, uint32_t y, uint32_t z) {
    return (x & y) | (z & (x | y));
}
NF_HD constexpr uint32_t Sigma0(uint32_t x) {
    return Rotr(x, 2) ^ Rotr(x, 13) ^ Rotr(x, 22);
}
NF_HD constexpr uint32_t Sigma1(uint32_t x) {
    return Rotr(x, 6) ^ Rotr(x, 11) ^ Rotr(x, 25);
}
NF_HD constexpr uint32_t sigma0(uint32_t x) {
    return Rotr(x, 7) ^ Rotr(x, 18) ^ (x >> 3);
}
NF_HD constexpr uint32_t sigma1(uint32_t x) {
    return Rotr(x, 17) ^ Rotr(x, 19) ^ (x >> 10);
}

// One round; `kw` is K[t] + W[t]. The caller rotates the roles of the eight variables.
NF_HD constexpr void Round(uint32_t a, uint32_t b, uint32_t c, uint32_t& d, uint32_t e, uint32_t f,
                           uint32_t g, uint32_t& h, uint32_t kw) {
    uint32_t t1 = h + Sigma1(e) + Ch(e, f, g) + kw;
    uint32_t t2 = Sigma0(a) + Maj(a, b, c);
    d += t1;
    h = t1 + t2;
}

// The compression function on sixteen message words (already read big-endian).
NF_HD constexpr void TransformWords(uint32_t state[8], const uint32_t block_words[16]) {
    uint32_t w[16];
    for (int i = 0; i < 16; ++i) {
        w[i] = block_words[i];
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
#if defined(__CUDA_ARCH__)
#pragma unroll
#endif
    for (int t = 0; t < 64; t += 8) {
#if defined(__CUDA_ARCH__)
#pragma unroll
#endif
        for (int j = 0; j < 8; ++j) {
            int i = t + j;
            if (i >= 16) {
                w[i & 15] += sigma1(w[(i - 2) & 15]) + w[(i - 7) & 15] + sigma0(w[(i - 15) & 15]);
            }
            uint32_t kw = K(i) + w[i & 15];
            switch (j) {
            case 0:
                Round(a, b, c, d, e, f, g, h, kw);
                break;
            case 1:
                Round(h, a, b, c, d, e, f, g, kw);
                break;
            case 2:
                Round(g, h, a, b, c, d, e, f, kw);
                break;
            case 3:
                Round(f, g, h, a, b, c, d, e, kw);
                break;
            case 4:
                Round(e, f, g, h, a, b, c, d, kw);
                break;
            case 5:
                Round(d, e, f, g, h, a, b, c, kw);
                break;
            case 6:
                Round(c, d, e, f, g, h, a, b, kw);
                break;
            default:
                Round(b, c, d, e, f, g, h, a, kw);
                break;
            }
        }
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
}

// The compression function on one 64-byte block (any alignment).
NF_HD constexpr void Transform(uint32_t state[8], const uint8_t block[64]) {
    uint32_t w[16];
    for (int i = 0; i < 16; ++i) {
        w[i] = ReadBE32(block + 4 * i);
    }
    TransformWords(state, w);
}

NF_HD constexpr void Initialize(uint32_t state[8]) {
    for (int i = 0; i < 8; ++i) {
        state[i] = IV(i);
    }
}

// Streaming SHA-256 over any number of Write calls.
class Hasher {
public:
    NF_HD constexpr Hasher() { Initialize(m_state); }

    NF_HD constexpr Hasher& Write(const uint8_t* data, std::size_t len) {
        std::size_t used = std::size_t(m_bytes % 64);
        m_bytes += len;
        if (used != 0) {
            std::size_t take = 64 - used < len ? 64 - used : len;
            for (std::size_t i = 0; i < take; ++i) {
                m_buf[used + i] = data[i];
            }
            data += take;
            len -= take;
            if (used + take < 64) {
                return *this;
            }
            Transform(m_state, m_buf);
        }
        while (len >= 64) {
            Transform(m_state, data);
            data += 64;
            len -= 64;
        }
        for (std::size_t i = 0; i < len; ++i) {
            m_buf[i] = data[i];
        }
        return *this;
    }

    NF_HD constexpr void Finalize(uint8_t out[32]) {
        const uint64_t bit_len = m_bytes * 8;
        uint8_t pad[72] = {0x80};
        std::size_t pad_len = 1 + ((119 - (m_bytes % 64)) % 64);
        uint8_t len_be[8] = {};
        WriteBE64(len_be, bit_len);
        Write(pad, pad_len);
        Write(len_be, 8);
        for (int i = 0; i < 8; ++i) {
            WriteBE32(out + 4 * i, m_state[i]);
        }
    }

private:
    uint32_t m_state[8] = {};
    uint8_t m_buf[64] = {};
    uint64_t m_bytes = 0;
};

NF_HD constexpr void Sha256(const uint8_t* data, std::size_t len, uint8_t out[32]) {
    Hasher().Write(data, len).Finalize(out);
}

// sha256d(x) = SHA-256(SHA-256(x)), Bitcoin's hash for headers, transactions and merkle nodes.
NF_HD constexpr void Sha256d(const uint8_t* data, std::size_t len, uint8_t out[32]) {
    uint8_t first[32] = {};
    Sha256(data, len, first);
    Sha256(first, 32, out);
}

// State after compressing the first 64 bytes of an 80-byte block header. Everything a nonce
// scan varies lies in the last 16 bytes, so this is computed once per header.
NF_HD constexpr void HeaderMidstate(const uint8_t header80[80], uint32_t midstate[8]) {
    Initialize(midstate);
    Transform(midstate, header80);
}

// Finishes the second SHA-256 of sha256d from the 32-byte first hash given as eight state
// words (the big-endian words of that hash): one block of 8 data words plus constant padding.
NF_HD constexpr void HashOfFirstHash(const uint32_t first_state[8], uint8_t out[32]) {
    uint32_t w[16] = {};
    for (int i = 0; i < 8; ++i) {
        w[i] = first_state[i];
    }
    w[8] = 0x80000000u; // padding bit
    w[15] = 256;        // message length in bits
    uint32_t state[8] = {};
    Initialize(state);
    TransformWords(state, w);
    for (int i = 0; i < 8; ++i) {
        WriteBE32(out + 4 * i, state[i]);
    }
}

// sha256d of an 80-byte header from its midstate and its last 16 bytes (merkle root bytes
// 28..31, ntime, nbits, nonce, as they sit in the header).
NF_HD constexpr void Sha256dFromMidstate(const uint32_t midstate[8], const uint8_t tail16[16],
                                         uint8_t out[32]) {
    uint32_t w[16] = {};
    for (int i = 0; i < 4; ++i) {
        w[i] = ReadBE32(tail16 + 4 * i);
    }
    w[4] = 0x80000000u; // padding bit after 80 bytes
    w[15] = 640;        // 80 bytes in bits
    uint32_t state[8] = {};
    for (int i = 0; i < 8; ++i) {
        state[i] = midstate[i];
    }
    TransformWords(state, w);
    HashOfFirstHash(state, out);
}

} // namespace nonceforge::core::sha256
