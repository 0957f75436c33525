// SSE4.1 scan: four nonces per 128-bit vector, for x86-64 CPUs without AVX2. Compiled with
// -msse4.1 only (SSSE3 byte shuffle and unsigned min come with it).
#include <immintrin.h>

#include "scan_impls.hpp"
#include "scan_kernel.hpp"

namespace {

struct Sse41Ops {
    using V = __m128i;
    static constexpr int LANES = 4;

    static NF_ALWAYS_INLINE V Set1(uint32_t x) { return _mm_set1_epi32(int(x)); }
    static NF_ALWAYS_INLINE V Add(V a, V b) { return _mm_add_epi32(a, b); }
    template <int N>
    static NF_ALWAYS_INLINE V Rotr(V x) {
        return _mm_or_si128(_mm_srli_epi32(x, N), _mm_slli_epi32(x, 32 - N));
    }
    static NF_ALWAYS_INLINE V Xor3(V a, V b, V c) { return _mm_xor_si128(_mm_xor_si128(a, b), c); }
    static NF_ALWAYS_INLINE V Sigma0(V x) { return Xor3(Rotr<2>(x), Rotr<13>(x), Rotr<22>(x)); }
    static NF_ALWAYS_INLINE V Sigma1(V x) { return Xor3(Rotr<6>(x), Rotr<11>(x), Rotr<25>(x)); }
    static NF_ALWAYS_INLINE V sigma0(V x) {
        return Xor3(Rotr<7>(x), Rotr<18>(x), _mm_srli_epi32(x, 3));
    }
    static NF_ALWAYS_INLINE V sigma1(V x) {
        return Xor3(Rotr<17>(x), Rotr<19>(x), _mm_srli_epi32(x, 10));
    }
    static NF_ALWAYS_INLINE V Ch(V e, V f, V g) {
        return _mm_xor_si128(g, _mm_and_si128(e, _mm_xor_si128(f, g)));
    }
    static NF_ALWAYS_INLINE V Maj(V a, V b, V c) {
        return _mm_or_si128(_mm_and_si128(a, b), _mm_and_si128(c, _mm_or_si128(a, b)));
    }
    static NF_ALWAYS_INLINE V Nonces(uint32_t base) {
        return _mm_add_epi32(_mm_set1_epi32(int(base)), _mm_setr_epi32(0, 1, 2, 3));
    }
    static NF_ALWAYS_INLINE V ByteSwap(V x) {
        return _mm_shuffle_epi8(
            x, _mm_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12));
    }
    static NF_ALWAYS_INLINE uint64_t PassMask(V h7, uint32_t target_top) {
        const V x = ByteSwap(h7);
        const V le = _mm_cmpeq_epi32(_mm_min_epu32(x, Set1(target_top)), x);
        return uint64_t(uint32_t(_mm_movemask_ps(_mm_castsi128_ps(le))));
    }
};

} // namespace

namespace nonceforge::miner::cpu::sse41 {

uint32_t ScanChunk_4way(const core::ScanPrecomp& p, uint32_t first, uint32_t count, uint32_t* out) {
    return kernel::ScanChunk<Sse41Ops>(p, first, count, out);
}

} // namespace nonceforge::miner::cpu::sse41
