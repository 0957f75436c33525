// nf_throughput_probe: this core's throughput per cycle of the scan's instruction classes
// (miner/cpu/throughput_probe.hpp), and the bound it puts on each CPU scan path: cycles per
// nonce and MH/s per core, with the class that sets it. `--seconds S` per timed run.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "miner/cpu/cpu_backend.hpp"
#include "miner/cpu/throughput_probe.hpp"

int main(int argc, char** argv) {
    using namespace nonceforge::miner::cpu;
    double seconds = 0.002;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
            char* end = nullptr;
            seconds = std::strtod(argv[++i], &end);
            if (end == argv[i] || *end != '\0' || !(seconds > 0 && seconds <= 10)) {
                std::fprintf(stderr, "nf_throughput_probe: --seconds '%s': not in (0, 10]\n",
                             argv[i]);
                return 2;
            }
        } else {
            std::fprintf(stderr, "usage: nf_throughput_probe [--seconds S]\n");
            return 2;
        }
    }
    const CpuFeatures f = DetectCpuFeatures();
    const ThroughputProbe p = MeasureThroughput(f, seconds);
    std::printf("CPU: %s (%s)\n", f.brand.c_str(), f.Summary().c_str());
    std::printf("clock (dependent scalar add chain): %.3f GHz; probe took %.2f s\n\n",
                p.clock_hz / 1e9, p.seconds);
    std::printf("instructions per cycle (one class: 12 independent chains; a path's mix: its\n"
                "classes in its proportions, see miner/cpu/throughput_probe.cpp):\n");
    auto row = [](const char* name, double v) {
        if (v > 0) {
            std::printf("  %-34s %5.2f\n", name, v);
        }
    };
    row("vpaddd zmm", p.add512);
    row("vpternlogd zmm", p.tern512);
    row("vprord zmm", p.ror512);
    row("vpsrld zmm", p.shift512);
    row("vprord + vpsrld zmm (mixed)", p.rorshift512);
    row("vpaddd ymm", p.add256);
    row("vpxor ymm", p.xor256);
    row("vpsrld ymm", p.shift256);
    row("vprord ymm", p.ror256);
    row("vpternlogd ymm", p.tern256);
    row("vprord + vpsrld ymm (mixed)", p.rorshift256);
    row("sha256rnds2", p.rnds2);
    row("sha256msg1", p.msg1);
    row("sha256msg2", p.msg2);
    row("sha256rnds2 + sha256msg2 10:4 (mixed)", p.rnds2_msg2);
    row("paddd xmm", p.add128);
    row("avx512 scans' mix, zmm", p.mix512);
    row("avx512 scans' mix, ymm", p.mix256);
    row("sha-ni-vl-8way's mix", p.mix_shani_vl);
    row("sha-ni scans' mix", p.mix_shani);
    std::printf("\n%-18s %8s %8s %8s %8s %8s %8s %10s %10s  %s\n", "path", "add", "logic", "rot",
                "shift", "sha", "other", "cyc/nonce", "MH/s/core", "limit");
    for (const CpuImpl& impl : AllCpuImpls()) {
        if (!impl.supported(f)) {
            continue;
        }
        const auto mix = ScanOpMix(impl.name);
        const auto bound = ScanBound(impl.name, p);
        if (!mix || !bound) {
            std::printf("%-18s (not modelled)\n", std::string(impl.name).c_str());
            continue;
        }
        // Operations per 16 nonces, as bench/count_scan_ops.py prints them.
        std::printf("%-18s %8.0f %8.0f %8.0f %8.0f %8.0f %8.0f %10.2f %10.2f  %s\n",
                    std::string(impl.name).c_str(), 16 * mix->add, 16 * mix->logic, 16 * mix->rot,
                    16 * mix->shift, 16 * (mix->rnds2 + mix->msg1 + mix->msg2), 16 * mix->other,
                    bound->cycles_per_nonce, bound->hashes_per_second / 1e6, bound->limit.c_str());
    }
    return 0;
}
