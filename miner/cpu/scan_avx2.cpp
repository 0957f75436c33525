// AVX2 scan: eight nonces per 256-bit vector; the _x2 variant interleaves two independent
// vectors so that the rounds of one fill the latency of the other. Compiled with -mavx2 only.
#include <immintrin.h>

#include "scan_impls.hpp"
#include "scan_kernel.hpp"

namespace {

struct Avx2Ops {
    using V = __m256i;
    static constexpr int LANES = 8;

    static NF_ALWAYS_INLINE V Set1(uint32_t x) { return _mm256_set1_epi32(int(x)); }
    static NF_ALWAYS_INLINE V Add(V a, V b) { return _mm256_add_epi32(a, b); }
    template <int N>
    static NF_ALWAYS_INLINE V Rotr(V x) {
        return _mm256_or_si256(_mm256_srli_epi32(x, N), _mm256_slli_epi32(x, 32 - N));
    }
    static NF_ALWAYS_INLINE V Xor3(V a, V b, V c) {
        return _mm256_xor_si256(_mm256_xor_si256(a, b), c);
    }
    static NF_ALWAYS_INLINE V Sigma0(V x) { return Xor3(Rotr<2>(x), Rotr<13>(x), Rotr<22>(x)); }
    static NF_ALWAYS_INLINE V Sigma1(V x) { return Xor3(Rotr<6>(x), Rotr<11>(x), Rotr<25>(x)); }
    static NF_ALWAYS_INLINE V sigma0(V x) {
        return Xor3(Rotr<7>(x), Rotr<18>(x), _mm256_srli_epi32(x, 3));
    }
    static NF_ALWAYS_INLINE V sigma1(V x) {
        return Xor3(Rotr<17>(x), Rotr<19>(x), _mm256_srli_epi32(x, 10));
    }
    static NF_ALWAYS_INLINE V Ch(V e, V f, V g) {
        return _mm256_xor_si256(g, _mm256_and_si256(e, _mm256_xor_si256(f, g)));
    }
    static NF_ALWAYS_INLINE V Maj(V a, V b, V c) {
        return _mm256_or_si256(_mm256_and_si256(a, b), _mm256_and_si256(c, _mm256_or_si256(a, b)));
    }
    static NF_ALWAYS_INLINE V Nonces(uint32_t base) {
        return _mm256_add_epi32(_mm256_set1_epi32(int(base)),
                                _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    }
    // Lanes whose byte-swapped H7 is <= target_top (unsigned): min(x, t) == x.
    static NF_ALWAYS_INLINE V ByteSwap(V x) {
        return _mm256_shuffle_epi8(x, _mm256_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14,
                                                       13, 12, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8,
                                                       15, 14, 13, 12));
    }
    static NF_ALWAYS_INLINE uint64_t PassMask(V h7, uint32_t target_top) {
        const V x = ByteSwap(h7);
        const V le = _mm256_cmpeq_epi32(_mm256_min_epu32(x, Set1(target_top)), x);
        return uint64_t(uint32_t(_mm256_movemask_ps(_mm256_castsi256_ps(le))));
    }
};

} // namespace

namespace nonceforge::miner::cpu::avx2 {

uint32_t ScanChunk_8way(const core::ScanPrecomp& p, uint32_t first, uint32_t count, uint32_t* out) {
    return kernel::ScanChunk<Avx2Ops>(p, first, count, out);
}

uint32_t ScanChunk_8way_x2(const core::ScanPrecomp& p, uint32_t first, uint32_t count,
                           uint32_t* out) {
    return kernel::ScanChunk<kernel::Interleaved2<Avx2Ops>>(p, first, count, out);
}

} // namespace nonceforge::miner::cpu::avx2
