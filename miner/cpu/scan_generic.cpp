// Portable scan: one nonce at a time on plain uint32_t, built with the baseline flags. It runs
// on every architecture and is the fallback when no vector path passes its self-test.
#include "scan_impls.hpp"
#include "scan_kernel.hpp"

namespace {

struct ScalarOps {
    using V = uint32_t;
    static constexpr int LANES = 1;

    static NF_ALWAYS_INLINE V Set1(uint32_t x) { return x; }
    static NF_ALWAYS_INLINE V Add(V a, V b) { return a + b; }
    static NF_ALWAYS_INLINE V Sigma0(V x) { return kernel::S0(x); }
    static NF_ALWAYS_INLINE V Sigma1(V x) { return kernel::S1(x); }
    static NF_ALWAYS_INLINE V sigma0(V x) { return kernel::s0(x); }
    static NF_ALWAYS_INLINE V sigma1(V x) { return kernel::s1(x); }
    static NF_ALWAYS_INLINE V Ch(V e, V f, V g) { return kernel::Ch(e, f, g); }
    static NF_ALWAYS_INLINE V Maj(V a, V b, V c) { return kernel::Maj(a, b, c); }
    static NF_ALWAYS_INLINE V Nonces(uint32_t base) { return base; }
    static NF_ALWAYS_INLINE V ByteSwap(V x) { return __builtin_bswap32(x); }
    static NF_ALWAYS_INLINE uint64_t PassMask(V h7, uint32_t target_top) {
        return __builtin_bswap32(h7) <= target_top ? 1 : 0;
    }
};

} // namespace

namespace nonceforge::miner::cpu::generic {

uint32_t ScanChunk_1way(const core::ScanPrecomp& p, uint32_t first, uint32_t count, uint32_t* out) {
    return kernel::ScanChunk<ScalarOps>(p, first, count, out);
}

} // namespace nonceforge::miner::cpu::generic
