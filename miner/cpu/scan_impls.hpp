// The instruction-set-specific scan functions, one per translation unit, each compiled with
// only its own -m flags. Plain declarations only (see scan_kernel.hpp for why).
//
// Contract shared by all of them: scan the nonces [first, first + count) of the header
// described by `p` (first + count <= 2^32, count <= the caller's buffer) and write every nonce
// whose hash's most significant 32 bits, byte-swapped to a number, are <= p.target_top into
// `out`, in increasing order. Returns how many were written.
#pragma once

#include <cstdint>

#include "nonceforge/core/scan_precomp.hpp"

namespace nonceforge::miner::cpu {

using ScanChunkFn = uint32_t (*)(const core::ScanPrecomp& p, uint32_t first, uint32_t count,
                                 uint32_t* out);

namespace generic {
uint32_t ScanChunk_1way(const core::ScanPrecomp& p, uint32_t first, uint32_t count, uint32_t* out);
} // namespace generic

#if defined(__x86_64__)
namespace sse41 {
uint32_t ScanChunk_4way(const core::ScanPrecomp& p, uint32_t first, uint32_t count, uint32_t* out);
} // namespace sse41
namespace avx2 {
uint32_t ScanChunk_8way(const core::ScanPrecomp& p, uint32_t first, uint32_t count, uint32_t* out);
uint32_t ScanChunk_8way_x2(const core::ScanPrecomp& p, uint32_t first, uint32_t count,
                           uint32_t* out);
} // namespace avx2
namespace avx512 {
uint32_t ScanChunk_8way_vl(const core::ScanPrecomp& p, uint32_t first, uint32_t count,
                           uint32_t* out);
uint32_t ScanChunk_16way(const core::ScanPrecomp& p, uint32_t first, uint32_t count, uint32_t* out);
uint32_t ScanChunk_16way_x2(const core::ScanPrecomp& p, uint32_t first, uint32_t count,
                            uint32_t* out);
} // namespace avx512
namespace shani {
uint32_t ScanChunk_2way(const core::ScanPrecomp& p, uint32_t first, uint32_t count, uint32_t* out);
uint32_t ScanChunk_4way(const core::ScanPrecomp& p, uint32_t first, uint32_t count, uint32_t* out);
uint32_t ScanChunk_8way(const core::ScanPrecomp& p, uint32_t first, uint32_t count, uint32_t* out);
} // namespace shani
namespace shani_vl {
uint32_t ScanChunk_8way(const core::ScanPrecomp& p, uint32_t first, uint32_t count, uint32_t* out);
} // namespace shani_vl
#endif

} // namespace nonceforge::miner::cpu
