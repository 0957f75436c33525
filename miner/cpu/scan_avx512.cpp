// AVX-512 scan: sixteen nonces per 512-bit vector, rotations with vprord and Ch, Maj and the
// three-way XORs of the sigma functions each as one vpternlogd. The _x2 variant interleaves
// two independent streams (32 nonces per step). Compiled with -mavx512f -mavx512bw -mavx512vl.
#include <immintrin.h>

// GCC 12's avx512fintrin.h builds _mm512_ror_epi32 on _mm512_undefined_epi32(), a
// self-initialised variable, and -Wmaybe-uninitialized reports it once inlined here. The value
// is never read (the unmasked rotate overwrites every lane).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include "avx512_ops.hpp"
#include "scan_impls.hpp"
#include "scan_kernel.hpp"

namespace {

// AVX-512VL on 256-bit registers: the same rotate and ternary-logic instructions, eight lanes.
// On CPUs that run 512-bit rotates on one port only, two 256-bit ports can match or beat it.
struct Avx512VlOps {
    using V = __m256i;
    static constexpr int LANES = 8;

    static NF_ALWAYS_INLINE V Set1(uint32_t x) { return _mm256_set1_epi32(int(x)); }
    static NF_ALWAYS_INLINE V Add(V a, V b) { return _mm256_add_epi32(a, b); }
    static NF_ALWAYS_INLINE V Xor3(V a, V b, V c) {
        return _mm256_ternarylogic_epi32(a, b, c, TERN_XOR3);
    }
    static NF_ALWAYS_INLINE V Sigma0(V x) {
        return Xor3(_mm256_ror_epi32(x, 2), _mm256_ror_epi32(x, 13), _mm256_ror_epi32(x, 22));
    }
    static NF_ALWAYS_INLINE V Sigma1(V x) {
        return Xor3(_mm256_ror_epi32(x, 6), _mm256_ror_epi32(x, 11), _mm256_ror_epi32(x, 25));
    }
    static NF_ALWAYS_INLINE V sigma0(V x) {
        return Xor3(_mm256_ror_epi32(x, 7), _mm256_ror_epi32(x, 18), _mm256_srli_epi32(x, 3));
    }
    static NF_ALWAYS_INLINE V sigma1(V x) {
        return Xor3(_mm256_ror_epi32(x, 17), _mm256_ror_epi32(x, 19), _mm256_srli_epi32(x, 10));
    }
    static NF_ALWAYS_INLINE V Ch(V e, V f, V g) {
        return _mm256_ternarylogic_epi32(e, f, g, TERN_CH);
    }
    static NF_ALWAYS_INLINE V Maj(V a, V b, V c) {
        return _mm256_ternarylogic_epi32(a, b, c, TERN_MAJ);
    }
    static NF_ALWAYS_INLINE V Nonces(uint32_t base) {
        return _mm256_add_epi32(_mm256_set1_epi32(int(base)),
                                _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    }
    static NF_ALWAYS_INLINE V ByteSwap(V x) {
        return _mm256_shuffle_epi8(
            x, _mm256_set_m128i(_mm_set_epi32(0x0c0d0e0f, 0x08090a0b, 0x04050607, 0x00010203),
                                _mm_set_epi32(0x0c0d0e0f, 0x08090a0b, 0x04050607, 0x00010203)));
    }
    static NF_ALWAYS_INLINE uint64_t PassMask(V h7, uint32_t target_top) {
        return uint64_t(_mm256_cmple_epu32_mask(ByteSwap(h7), Set1(target_top)));
    }
};

} // namespace

namespace nonceforge::miner::cpu::avx512 {

uint32_t ScanChunk_8way_vl(const core::ScanPrecomp& p, uint32_t first, uint32_t count,
                           uint32_t* out) {
    return kernel::ScanChunk<Avx512VlOps>(p, first, count, out);
}

uint32_t ScanChunk_16way(const core::ScanPrecomp& p, uint32_t first, uint32_t count,
                         uint32_t* out) {
    return kernel::ScanChunk<Avx512Ops>(p, first, count, out);
}

uint32_t ScanChunk_16way_x2(const core::ScanPrecomp& p, uint32_t first, uint32_t count,
                            uint32_t* out) {
    return kernel::ScanChunk<kernel::Interleaved2<Avx512Ops>>(p, first, count, out);
}

} // namespace nonceforge::miner::cpu::avx512
