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
