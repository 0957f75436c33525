// How fast this CPU can run the scan's instruction classes, and the bound that puts on each
// scan path (cycles per nonce, hashes per second per core), for `nonceforge benchmark`'s
// "% of bound" column and bench/nf_throughput_probe.
//
// The probe (MeasureThroughput) times long unrolled runs of one instruction on 12 independent
// register chains, so each class runs at its throughput, not its latency, against a dependent
// chain of scalar register adds (one cycle per add on every x86 core since the 486) as the
// clock: the add chain's rate is the core clock in Hz, and an instruction class's rate divided
// by it is its throughput per cycle. The instructions are inline assembly in baseline code,
// run only when CPUID says the CPU has them.
//
// The model (ScanBound): a path's operations per nonce come from its source (ScanOpMix: the
// kernel of scan_kernel.hpp run on a counting lane type, constants folded and dead work
// dropped, each abstract operation mapped to the path's instructions). Each class needs
// count / rate cycles, all vector ALU operations together need total / (the fastest class's
// rate) cycles, and all of the path's operations need total / (the rate of the path's own mix,
// measured in its proportions) cycles; the bound is the largest of these: a lower bound on
// cycles per nonce that ignores latency, the front end, loads and stores. "% of bound" is the
// measured rate over the rate at that bound.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "miner/cpu/cpu_features.hpp"

namespace nonceforge::miner::cpu {

// Instructions per cycle of each class on this core (0: not measured, the CPU lacks it).
struct ThroughputProbe {
    double clock_hz = 0; // from the dependent scalar add chain
    // 512-bit (AVX-512F)
    double add512 = 0, tern512 = 0, ror512 = 0, shift512 = 0, rorshift512 = 0;
    // 256-bit (AVX2; vprord/vpternlogd with AVX-512VL)
    double add256 = 0, xor256 = 0, shift256 = 0, ror256 = 0, tern256 = 0, rorshift256 = 0;
    // SHA extensions and the 128-bit adds around them
    double rnds2 = 0, msg1 = 0, msg2 = 0, add128 = 0;
    double rnds2_msg2 = 0; // sha256rnds2 and sha256msg2 mixed 10:4
    // The paths' own mixes (ProbeMixUnit): the AVX-512 scans' four classes on 512-bit and on
    // 256-bit registers, sha-ni-vl-8way's sha256rnds2 with its 256-bit schedule operations,
    // and the SHA-NI scans' sha256rnds2, sha256msg1/msg2 and 128-bit adds.
    double mix512 = 0, mix256 = 0, mix_shani_vl = 0, mix_shani = 0;
    double seconds = 0; // how long the probe took
};

// Measures every class this CPU has; `seconds_per_class` is the time spent on each timed run
// (five runs per class, the fastest kept). About 20 classes: 2 ms each gives about 0.25 s.
ThroughputProbe MeasureThroughput(const CpuFeatures& features, double seconds_per_class = 0.002);

// Vector operations per nonce of a scan path, by class.
struct OpMix {
    double add = 0, logic = 0, rot = 0, shift = 0, other = 0; // vector ALU
    double rnds2 = 0, msg1 = 0, msg2 = 0;                     // SHA extensions
    constexpr double Total() const {
        return add + logic + rot + shift + other + rnds2 + msg1 + msg2;
    }
};

// The instructions of one unit of the probe's mix for a path ("avx512-16way", "sha-ni-vl-8way",
// ...), by class: what the mix's rate was measured on. nullopt for a path with no mix.
std::optional<OpMix> ProbeMixUnit(std::string_view impl);

// The op mix of a path by its CpuImpl name ("avx512-16way-x2", "sha-ni-8way"); nullopt for a
// path the model does not cover (sse41, generic).
std::optional<OpMix> ScanOpMix(std::string_view impl);

struct ScanBoundResult {
    double cycles_per_nonce = 0;
    double hashes_per_second = 0; // per core, at the probe's clock
    std::string limit;            // the class that sets it: "rotates+shifts", "all ALU", ...
};

// The bound of a path on the probed core; nullopt when the model does not cover the path or
// the probe did not measure its classes.
std::optional<ScanBoundResult> ScanBound(std::string_view impl, const ThroughputProbe& probe);

} // namespace nonceforge::miner::cpu
