// What this CPU can run: CPUID feature bits combined with the register state the operating
// system saves (XGETBV), since an AVX instruction on an OS that does not save YMM/ZMM state
// faults even when CPUID advertises it.
#pragma once

#include <string>

namespace nonceforge::miner::cpu {

struct CpuFeatures {
    bool sse41 = false;
    bool avx2 = false;   // CPUID AVX2 and OS-enabled YMM state
    bool avx512 = false; // AVX-512 F, BW and VL, and OS-enabled ZMM/opmask state
    bool sha_ni = false; // SHA extensions (with SSE4.1)
    std::string brand;   // "Intel(R) Xeon(R) ..." from CPUID 0x80000002..4, or /proc/cpuinfo
    std::string Summary() const;
};

// Detected once per call; cheap enough to call at start-up.
CpuFeatures DetectCpuFeatures();

} // namespace nonceforge::miner::cpu
