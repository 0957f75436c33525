#include "cpu_features.hpp"

#include <cstdint>
#include <cstring>
#include <fstream>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace nonceforge::miner::cpu {

namespace {

#if defined(__x86_64__) || defined(__i386__)
uint64_t ReadXcr0() {
    uint32_t eax = 0, edx = 0;
    // xgetbv with ecx = 0 reads XCR0; encoded as bytes so no -mxsave flag is needed.
    __asm__ volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(eax), "=d"(edx) : "c"(0));
    return (uint64_t(edx) << 32) | eax;
}
#endif

std::string Trim(std::string s) {
    const auto b = s.find_first_not_of(" \t");
    const auto e = s.find_last_not_of(" \t\n");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string BrandFromProcCpuinfo() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        for (const char* key : {"model name", "Model", "cpu model"}) {
            if (line.rfind(key, 0) == 0) {
                auto colon = line.find(':');
                if (colon != std::string::npos) {
                    return Trim(line.substr(colon + 1));
                }
            }
        }
    }
    return "unknown CPU";
}

} // namespace

std::string CpuFeatures::Summary() const {
    std::string s;
    auto add = [&](bool on, const char* name) {
        if (on) {
            s += s.empty() ? "" : " ";
            s += name;
        }
    };
    add(sse41, "sse4.1");
    add(avx2, "avx2");
    add(avx512, "avx512(f,bw,vl)");
    add(sha_ni, "sha-ni");
    return s.empty() ? "baseline" : s;
}

CpuFeatures DetectCpuFeatures() {
    CpuFeatures f;
#if defined(__x86_64__) || defined(__i386__)
    unsigned a = 0, b = 0, c = 0, d = 0;
    const unsigned max_leaf = __get_cpuid_max(0, nullptr);
    if (max_leaf >= 1 && __get_cpuid(1, &a, &b, &c, &d)) {
        f.sse41 = (c & bit_SSE4_1) != 0;
        const bool osxsave = (c & bit_OSXSAVE) != 0;
        const bool avx = (c & bit_AVX) != 0;
        const uint64_t xcr0 = osxsave ? ReadXcr0() : 0;
        const bool os_ymm = (xcr0 & 0x6) == 0x6;   // SSE and AVX state
        const bool os_zmm = (xcr0 & 0xe6) == 0xe6; // plus opmask, ZMM_Hi256, Hi16_ZMM
        if (max_leaf >= 7 && __get_cpuid_count(7, 0, &a, &b, &c, &d)) {
            f.avx2 = avx && os_ymm && (b & bit_AVX2) != 0;
            f.avx512 = os_zmm && (b & bit_AVX512F) && (b & bit_AVX512BW) && (b & bit_AVX512VL);
            f.sha_ni = f.sse41 && (b & bit_SHA) != 0;
        }
    }
    char brand[49] = {};
    if (__get_cpuid_max(0x80000000, nullptr) >= 0x80000004) {
        for (unsigned i = 0; i < 3; ++i) {
            __get_cpuid(0x80000002 + i, &a, &b, &c, &d);
            std::memcpy(brand + 16 * i, &a, 4);
            std::memcpy(brand + 16 * i + 4, &b, 4);
            std::memcpy(brand + 16 * i + 8, &c, 4);
            std::memcpy(brand + 16 * i + 12, &d, 4);
        }
        f.brand = Trim(brand);
    }
#endif
    if (f.brand.empty()) {
        f.brand = BrandFromProcCpuinfo();
    }
    return f;
}

} // namespace nonceforge::miner::cpu
