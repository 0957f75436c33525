#include "miner/cpu/throughput_probe.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "miner/cpu/scan_kernel.hpp"

namespace nonceforge::miner::cpu {

namespace {

constexpr int Occurrences(std::string_view text, std::string_view word) {
    int n = 0;
    for (std::size_t at = text.find(word); at != std::string_view::npos;
         at = text.find(word, at + 1)) {
        ++n;
    }
    return n;
}
constexpr int Lines(std::string_view text) {
    return Occurrences(text, "\n");
}

// A unit's instructions by class, as ScanOpMix counts a path's (the SHA-NI paths' 128-bit
// adds are `other`).
constexpr OpMix CountUnit(std::string_view u) {
    OpMix m;
    m.add = Occurrences(u, "vpaddd");
    m.logic = Occurrences(u, "vpternlogd");
    m.rot = Occurrences(u, "vprord");
    m.shift = Occurrences(u, "vpsrld");
    m.other = Occurrences(u, "vpunpckldq") + Occurrences(u, "vpshufd") + Occurrences(u, "vpalignr");
    m.rnds2 = Occurrences(u, "sha256rnds2");
    m.msg1 = Occurrences(u, "sha256msg1");
    m.msg2 = Occurrences(u, "sha256msg2");
    return m;
}

// ---- The probe ---------------------------------------------------------------------------

#if defined(__x86_64__)
// One loop iteration: 8 x 12 = 96 instructions of the class on registers 0..11 (12 independent
// chains; register 12 or 13 is the other operand). Written with the assembler's .rept/.irp, so
// the compiler needs no -m flag: the code runs only when CPUID says the CPU has it.
#define NF_PROBE_BODY(insn)                                                                        \
    "1:\n"                                                                                         \
    ".rept 8\n"                                                                                    \
    ".irp r,0,1,2,3,4,5,6,7,8,9,10,11\n" insn "\n"                                                 \
    ".endr\n"                                                                                      \
    ".endr\n"                                                                                      \
    "dec %[n]\n"                                                                                   \
    "jnz 1b\n"
#define NF_PROBE_CLOBBERS                                                                          \
    "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", \
        "xmm11", "xmm12", "xmm13", "xmm14", "xmm15"
// Alternating two instructions on the even and odd chains (a mix of two classes).
#define NF_PROBE_BODY2(insn_even, insn_odd)                                                        \
    "1:\n"                                                                                         \
    ".rept 8\n"                                                                                    \
    ".irp r,0,2,4,6,8,10\n" insn_even "\n"                                                         \
    ".endr\n"                                                                                      \
    ".irp r,1,3,5,7,9,11\n" insn_odd "\n"                                                          \
    ".endr\n"                                                                                      \
    ".endr\n"                                                                                      \
    "dec %[n]\n"                                                                                   \
    "jnz 1b\n"

constexpr double INSNS_PER_ITER = 96;

#define NF_PROBE_FN(name, body, tail)                                                              \
    void name(uint64_t n) {                                                                        \
        asm volatile(body tail : [n] "+r"(n) : : NF_PROBE_CLOBBERS);                               \
    }

NF_PROBE_FN(Add512, NF_PROBE_BODY("vpaddd %%zmm12, %%zmm\\r, %%zmm\\r"), "vzeroupper\n")
NF_PROBE_FN(Tern512, NF_PROBE_BODY("vpternlogd $0x96, %%zmm12, %%zmm13, %%zmm\\r"), "vzeroupper\n")
NF_PROBE_FN(Ror512, NF_PROBE_BODY("vprord $7, %%zmm\\r, %%zmm\\r"), "vzeroupper\n")
NF_PROBE_FN(Shift512, NF_PROBE_BODY("vpsrld $3, %%zmm\\r, %%zmm\\r"), "vzeroupper\n")
NF_PROBE_FN(RorShift512,
            NF_PROBE_BODY2("vprord $7, %%zmm\\r, %%zmm\\r", "vpsrld $3, %%zmm\\r, %%zmm\\r"),
            "vzeroupper\n")
NF_PROBE_FN(Add256, NF_PROBE_BODY("vpaddd %%ymm12, %%ymm\\r, %%ymm\\r"), "vzeroupper\n")
NF_PROBE_FN(Xor256, NF_PROBE_BODY("vpxor %%ymm12, %%ymm\\r, %%ymm\\r"), "vzeroupper\n")
NF_PROBE_FN(Shift256, NF_PROBE_BODY("vpsrld $3, %%ymm\\r, %%ymm\\r"), "vzeroupper\n")
NF_PROBE_FN(Ror256, NF_PROBE_BODY("vprord $7, %%ymm\\r, %%ymm\\r"), "vzeroupper\n")
NF_PROBE_FN(Tern256, NF_PROBE_BODY("vpternlogd $0x96, %%ymm12, %%ymm13, %%ymm\\r"), "vzeroupper\n")
NF_PROBE_FN(RorShift256,
            NF_PROBE_BODY2("vprord $7, %%ymm\\r, %%ymm\\r", "vpsrld $3, %%ymm\\r, %%ymm\\r"),
            "vzeroupper\n")
// sha256rnds2 reads xmm0 implicitly: the chains are xmm1..xmm12 (`r + 1` is not expressible
// in .irp, so the list is written out).
#define NF_SHA_BODY(insn)                                                                          \
    "1:\n"                                                                                         \
    ".rept 8\n"                                                                                    \
    ".irp r,1,2,3,4,5,6,7,8,9,10,11,12\n" insn "\n"                                                \
    ".endr\n"                                                                                      \
    ".endr\n"                                                                                      \
    "dec %[n]\n"                                                                                   \
    "jnz 1b\n"
NF_PROBE_FN(Rnds2, NF_SHA_BODY("sha256rnds2 %%xmm0, %%xmm13, %%xmm\\r"), "")
NF_PROBE_FN(Msg1, NF_SHA_BODY("sha256msg1 %%xmm13, %%xmm\\r"), "")
NF_PROBE_FN(Msg2, NF_SHA_BODY("sha256msg2 %%xmm13, %%xmm\\r"), "")
NF_PROBE_FN(Add128, NF_PROBE_BODY("paddd %%xmm12, %%xmm\\r"), "")
// sha256rnds2 and sha256msg2 mixed 10:4, about the 62:24 of the SHA-NI scan paths, on 14
// chains: the instructions per cycle of the mix (on a core where both share the SHA unit, far
// below either alone).
#define NF_SHA_MIX_BODY                                                                            \
    "1:\n"                                                                                         \
    ".rept 8\n"                                                                                    \
    ".irp r,1,2,3,4,5\n"                                                                           \
    "sha256rnds2 %%xmm0, %%xmm15, %%xmm\\r\n"                                                      \
    ".endr\n"                                                                                      \
    "sha256msg2 %%xmm15, %%xmm11\n"                                                                \
    "sha256msg2 %%xmm15, %%xmm12\n"                                                                \
    ".irp r,6,7,8,9,10\n"                                                                          \
    "sha256rnds2 %%xmm0, %%xmm15, %%xmm\\r\n"                                                      \
    ".endr\n"                                                                                      \
    "sha256msg2 %%xmm15, %%xmm13\n"                                                                \
    "sha256msg2 %%xmm15, %%xmm14\n"                                                                \
    ".endr\n"                                                                                      \
    "dec %[n]\n"                                                                                   \
    "jnz 1b\n"
NF_PROBE_FN(Rnds2Msg2, NF_SHA_MIX_BODY, "")
constexpr double SHA_MIX_INSNS_PER_ITER = 8 * 14;

// The scan paths' own mixes: their instruction classes in the proportions of the compiled
// loops (bench/count_scan_ops.py), interleaved evenly, each instruction on its own register
// chain. On a core where classes share pipes, or where the scheduler does not spread them
// over the pipes as a model would, the mix runs slower than the per-class limits say; its
// rate is what the core allows for that mix. The AVX-512 mixes' chains are on registers 16..31
// (EVEX), so they never meet the SHA chains on 1..12. xmm16..31 are not named as clobbered:
// the file is compiled without AVX-512, so the compiler never keeps a value in them.
#define NF_MIX_OP(insn, width, r) insn " %%" width #r ", %%" width #r "\n"
#define NF_ADDZ(r) "vpaddd %%zmm14, " NF_MIX_OP("", "zmm", r)
#define NF_TERNZ(r) "vpternlogd $0x96, %%zmm14, %%zmm15, %%zmm" #r "\n"
#define NF_RORZ(r) NF_MIX_OP("vprord $7,", "zmm", r)
#define NF_SHRZ(r) NF_MIX_OP("vpsrld $3,", "zmm", r)
#define NF_ADDY(r) "vpaddd %%ymm14, " NF_MIX_OP("", "ymm", r)
#define NF_TERNY(r) "vpternlogd $0x96, %%ymm14, %%ymm15, %%ymm" #r "\n"
#define NF_RORY(r) NF_MIX_OP("vprord $7,", "ymm", r)
#define NF_SHRY(r) NF_MIX_OP("vpsrld $3,", "ymm", r)
#define NF_UNPY(r) "vpunpckldq %%ymm14, " NF_MIX_OP("", "ymm", r)
#define NF_RNDS2(r) "sha256rnds2 %%xmm0, %%xmm15, %%xmm" #r "\n"
#define NF_MSG1(r) "sha256msg1 %%xmm15, %%xmm" #r "\n"
#define NF_MSG2(r) "sha256msg2 %%xmm15, %%xmm" #r "\n"

// clang-format off
// The AVX-512 scans (per 16 nonces 1,046 vpaddd, 628 vpternlogd, 1,020 vprord, 156 vpsrld) as
// 64 operations: 23 adds, 14 ternary logic, 23 rotates, 4 shifts.
#define NF_MIX_AVX512_UNIT(ADD, TERN, ROR, SHR)                                                    \
    ADD(16) ROR(17) TERN(18) ADD(19) ROR(20) SHR(21) TERN(22) ADD(23)                              \
    ROR(24) ADD(25) ROR(26) TERN(27) ADD(28) ROR(29) ADD(30) ROR(31)                               \
    TERN(16) ADD(17) ROR(18) TERN(19) ADD(20) ROR(21) SHR(22) ADD(23)                              \
    ROR(24) TERN(25) ADD(26) ROR(27) ADD(28) ROR(29) TERN(30) ADD(31)                              \
    ROR(16) TERN(17) ADD(18) ROR(19) SHR(20) ADD(21) ROR(22) TERN(23)                              \
    ADD(24) ROR(25) ADD(26) ROR(27) TERN(28) ADD(29) ROR(30) TERN(31)                              \
    ADD(16) ROR(17) ADD(18) ROR(19) TERN(20) ADD(21) ROR(22) SHR(23)                               \
    ADD(24) ROR(25) TERN(26) ADD(27) ROR(28) TERN(29) ADD(30) ROR(31)
// sha-ni-vl-8way (per nonce 62 sha256rnds2; 43 vpaddd, 19.5 vpternlogd, 39 vprord, 19.5
// vpsrld, 20 unpacks, 256-bit) as 16 sha256rnds2 on 12 chains and 36 vector operations: 11
// adds, 5 ternary logic, 10 rotates, 5 shifts, 5 unpacks. Other orders (the rounds in blocks of
// 4 or 8, the vector operations first) ran within 5 % of this one on Zen 5.
#define NF_MIX_SHANI_VL_UNIT                                                                       \
    NF_RNDS2(1) NF_ADDY(16) NF_RORY(17) NF_RNDS2(2) NF_TERNY(18) NF_SHRY(19)                       \
    NF_RNDS2(3) NF_UNPY(20) NF_ADDY(21) NF_RNDS2(4) NF_RORY(22) NF_ADDY(23) NF_RORY(24)            \
    NF_RNDS2(5) NF_TERNY(25) NF_SHRY(26) NF_RNDS2(6) NF_UNPY(27) NF_ADDY(28)                       \
    NF_RNDS2(7) NF_RORY(29) NF_ADDY(30) NF_RNDS2(8) NF_RORY(31) NF_TERNY(16) NF_ADDY(17)           \
    NF_RNDS2(9) NF_SHRY(18) NF_UNPY(19) NF_RNDS2(10) NF_RORY(20) NF_ADDY(21)                       \
    NF_RNDS2(11) NF_RORY(22) NF_TERNY(23) NF_RNDS2(12) NF_ADDY(24) NF_SHRY(25) NF_UNPY(26)         \
    NF_RNDS2(1) NF_RORY(27) NF_ADDY(28) NF_RNDS2(2) NF_RORY(29) NF_ADDY(30)                        \
    NF_RNDS2(3) NF_TERNY(31) NF_SHRY(16) NF_RNDS2(4) NF_UNPY(17) NF_RORY(18) NF_ADDY(19)
// The SHA-NI scans (per nonce 62 sha256rnds2, 22.5 sha256msg1, 24 sha256msg2, and about 107
// 128-bit paddd, pshufd and palignr, about 7:4:3) as 8 sha256rnds2, 3 sha256msg1, 3
// sha256msg2, 7 vpaddd, 4 vpshufd, 3 vpalignr. The last three write their register without
// reading it (VEX, three operands), so the sha256msg1/msg2 chains stay short.
#define NF_OTHER_ADD(r) "vpaddd %%xmm15, %%xmm0, %%xmm" #r "\n"
#define NF_OTHER_SHUF(r) "vpshufd $0x1b, %%xmm15, %%xmm" #r "\n"
#define NF_OTHER_ALIGN(r) "vpalignr $4, %%xmm15, %%xmm0, %%xmm" #r "\n"
#define NF_MIX_SHANI_UNIT                                                                          \
    NF_RNDS2(1) NF_OTHER_ADD(9) NF_OTHER_SHUF(10) NF_RNDS2(2) NF_MSG1(9) NF_OTHER_ALIGN(11)        \
    NF_MSG2(12) NF_RNDS2(3) NF_OTHER_ADD(13) NF_OTHER_ADD(14) NF_RNDS2(4) NF_MSG1(10)              \
    NF_OTHER_SHUF(12) NF_MSG2(13) NF_RNDS2(5) NF_OTHER_ADD(9) NF_OTHER_ALIGN(11) NF_RNDS2(6)       \
    NF_MSG1(11) NF_OTHER_ADD(10) NF_MSG2(14) NF_RNDS2(7) NF_OTHER_SHUF(12) NF_OTHER_ADD(13)        \
    NF_OTHER_ALIGN(9) NF_RNDS2(8) NF_OTHER_SHUF(14) NF_OTHER_ADD(10)
// clang-format on

constexpr std::string_view MIX512_UNIT = NF_MIX_AVX512_UNIT(NF_ADDZ, NF_TERNZ, NF_RORZ, NF_SHRZ);
constexpr std::string_view MIX256_UNIT = NF_MIX_AVX512_UNIT(NF_ADDY, NF_TERNY, NF_RORY, NF_SHRY);
constexpr std::string_view MIX_SHANI_VL_UNIT = NF_MIX_SHANI_VL_UNIT;
constexpr std::string_view MIX_SHANI_UNIT = NF_MIX_SHANI_UNIT;

static_assert(CountUnit(MIX512_UNIT).Total() == Lines(MIX512_UNIT), "one instruction a line");
static_assert(CountUnit(MIX256_UNIT).Total() == Lines(MIX256_UNIT));
static_assert(CountUnit(MIX_SHANI_VL_UNIT).Total() == Lines(MIX_SHANI_VL_UNIT));
static_assert(CountUnit(MIX_SHANI_UNIT).Total() == Lines(MIX_SHANI_UNIT));

#define NF_MIX_BODY(unit, reps)                                                                    \
    "1:\n"                                                                                         \
    ".rept " #reps "\n" unit ".endr\n"                                                             \
    "dec %[n]\n"                                                                                   \
    "jnz 1b\n"
NF_PROBE_FN(Mix512, NF_MIX_BODY(NF_MIX_AVX512_UNIT(NF_ADDZ, NF_TERNZ, NF_RORZ, NF_SHRZ), 16),
            "vzeroupper\n")
NF_PROBE_FN(Mix256, NF_MIX_BODY(NF_MIX_AVX512_UNIT(NF_ADDY, NF_TERNY, NF_RORY, NF_SHRY), 16),
            "vzeroupper\n")
NF_PROBE_FN(MixShaNiVl, NF_MIX_BODY(NF_MIX_SHANI_VL_UNIT, 24), "vzeroupper\n")
NF_PROBE_FN(MixShaNi, NF_MIX_BODY(NF_MIX_SHANI_UNIT, 40), "")
constexpr double MIX512_PER_ITER = 16.0 * Lines(MIX512_UNIT);
constexpr double MIX256_PER_ITER = 16.0 * Lines(MIX256_UNIT);
constexpr double MIX_SHANI_VL_PER_ITER = 24.0 * Lines(MIX_SHANI_VL_UNIT);
constexpr double MIX_SHANI_PER_ITER = 40.0 * Lines(MIX_SHANI_UNIT);

// 1,000 dependent register adds per iteration: 1,000 cycles.
void AddChain(uint64_t n) {
    uint64_t x = 0;
    const uint64_t one = 1;
    asm volatile("1:\n"
                 ".rept 1000\n"
                 "add %[one], %[x]\n"
                 ".endr\n"
                 "dec %[n]\n"
                 "jnz 1b\n"
                 : [n] "+r"(n), [x] "+r"(x)
                 : [one] "r"(one)
                 : "cc");
}
constexpr double ADDS_PER_ITER = 1000;
#endif

using Clock = std::chrono::steady_clock;

double TimeIt(void (*fn)(uint64_t), uint64_t n) {
    const auto t0 = Clock::now();
    fn(n);
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Operations per second of `fn` (ops_per_iter each iteration): iterations doubled until a run
// takes `seconds`, then the fastest of five runs: short runs, so that some escape preemption.
double OpsPerSecond(void (*fn)(uint64_t), double ops_per_iter, double seconds) {
    uint64_t n = 16;
    double t = TimeIt(fn, n);
    while (t < seconds / 2 && n < (uint64_t(1) << 40)) {
        n *= 2;
        t = TimeIt(fn, n);
    }
    double best = t;
    for (int i = 0; i < 5; ++i) {
        best = std::min(best, TimeIt(fn, n));
    }
    return double(n) * ops_per_iter / best;
}

// ---- The op mix from the kernel's source -----------------------------------------------------

enum class Op : uint8_t { Add, BigSigma, SmallSigma, Ch, Maj, Other };

struct Node {
    Op op;
    int in[3];
};

// A lane type whose values are nodes of an expression graph (constants are folded: an
// operation on constants only is a constant, as the compiler folds it).
struct Graph {
    std::vector<Node> nodes;
    int h7 = -1;
};
Graph* g_graph = nullptr; // set while CountKernelOps runs, under its mutex

struct CountOps {
    struct V {
        int id; // -1: a constant
    };
    static constexpr V CONST{-1};
    static constexpr int LANES = 1;

    static V Make(Op op, V a, V b = CONST, V c = CONST) {
        if (a.id < 0 && b.id < 0 && c.id < 0) {
            return CONST;
        }
        g_graph->nodes.push_back({op, {a.id, b.id, c.id}});
        return {int(g_graph->nodes.size()) - 1};
    }
    static V Set1(uint32_t) { return CONST; }
    static V Add(V a, V b) { return Make(Op::Add, a, b); }
    static V Sigma0(V x) { return Make(Op::BigSigma, x); }
    static V Sigma1(V x) { return Make(Op::BigSigma, x); }
    static V sigma0(V x) { return Make(Op::SmallSigma, x); }
    static V sigma1(V x) { return Make(Op::SmallSigma, x); }
    static V Ch(V e, V f, V g) { return Make(Op::Ch, e, f, g); }
    static V Maj(V a, V b, V c) { return Make(Op::Maj, a, b, c); }
    static V Nonces(uint32_t) {
        g_graph->nodes.push_back({Op::Other, {-1, -1, -1}});
        return {int(g_graph->nodes.size()) - 1};
    }
    static V ByteSwap(V x) { return Make(Op::Other, x); }
    static uint64_t PassMask(V h7, uint32_t) {
        g_graph->h7 = h7.id;
        return 0;
    }
};

struct KernelCounts {
    double add = 0, big_sigma = 0, small_sigma = 0, ch = 0, maj = 0, other = 0;
};

// The operations `roots` read, transitively (work whose result is never read is dropped, as
// the compiler drops it).
KernelCounts CountLive(const Graph& graph, const std::vector<int>& roots) {
    KernelCounts c;
    std::vector<bool> live(graph.nodes.size(), false);
    std::vector<int> stack(roots);
    while (!stack.empty()) {
        const int id = stack.back();
        stack.pop_back();
        if (id < 0 || live[std::size_t(id)]) {
            continue;
        }
        live[std::size_t(id)] = true;
        for (int in : graph.nodes[std::size_t(id)].in) {
            stack.push_back(in);
        }
    }
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
        if (!live[i]) {
            continue;
        }
        switch (graph.nodes[i].op) {
        case Op::Add:
            c.add += 1;
            break;
        case Op::BigSigma:
            c.big_sigma += 1;
            break;
        case Op::SmallSigma:
            c.small_sigma += 1;
            break;
        case Op::Ch:
            c.ch += 1;
            break;
        case Op::Maj:
            c.maj += 1;
            break;
        case Op::Other:
            c.other += 1;
            break;
        }
    }
    return c;
}

std::mutex g_count_mutex;

// One nonce of scan_kernel.hpp's ScanChunk: what the top-word check reads.
KernelCounts CountKernelOps() {
    std::lock_guard lock(g_count_mutex);
    static std::optional<KernelCounts> cached;
    if (!cached) {
        Graph graph;
        g_graph = &graph;
        nonceforge::core::ScanPrecomp p{};
        uint32_t out[1];
        kernel::ScanChunk<CountOps>(p, 0, 1, out);
        g_graph = nullptr;
        cached = CountLive(graph, {graph.h7});
        cached->other += 2; // the pass mask: byte swap and compare
    }
    return *cached;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

// Which of the probe's mixes bounds a path (by name prefix, longest first), and its rate.
struct PathMix {
    std::string_view prefix;
    std::string_view unit;
    double ThroughputProbe::*rate;
};
#if defined(__x86_64__)
constexpr PathMix PATH_MIXES[] = {
    {"avx512vl", MIX256_UNIT, &ThroughputProbe::mix256},
    {"avx512", MIX512_UNIT, &ThroughputProbe::mix512},
    {"sha-ni-vl", MIX_SHANI_VL_UNIT, &ThroughputProbe::mix_shani_vl},
    {"sha-ni", MIX_SHANI_UNIT, &ThroughputProbe::mix_shani},
};
#else
constexpr std::array<PathMix, 0> PATH_MIXES{};
#endif

const PathMix* FindPathMix(std::string_view impl) {
    for (const PathMix& m : PATH_MIXES) {
        if (StartsWith(impl, m.prefix)) {
            return &m;
        }
    }
    return nullptr;
}

} // namespace

ThroughputProbe MeasureThroughput(const CpuFeatures& f, double seconds_per_class) {
    ThroughputProbe r;
#if defined(__x86_64__)
    const auto t0 = Clock::now();
    // The clock before and after the vector runs; the mean of the two (a clock change in
    // between shows as a difference, which the caller may report).
    const double clock_before = OpsPerSecond(AddChain, ADDS_PER_ITER, seconds_per_class);
    auto per_cycle = [&](void (*fn)(uint64_t)) {
        return OpsPerSecond(fn, INSNS_PER_ITER, seconds_per_class);
    };
    if (f.avx512) {
        r.add512 = per_cycle(Add512);
        r.tern512 = per_cycle(Tern512);
        r.ror512 = per_cycle(Ror512);
        r.shift512 = per_cycle(Shift512);
        r.rorshift512 = per_cycle(RorShift512);
        r.ror256 = per_cycle(Ror256);
        r.tern256 = per_cycle(Tern256);
        r.rorshift256 = per_cycle(RorShift256);
        r.mix512 = OpsPerSecond(Mix512, MIX512_PER_ITER, seconds_per_class);
        r.mix256 = OpsPerSecond(Mix256, MIX256_PER_ITER, seconds_per_class);
    }
    if (f.avx2) {
        r.add256 = per_cycle(Add256);
        r.xor256 = per_cycle(Xor256);
        r.shift256 = per_cycle(Shift256);
    }
    if (f.sha_ni) {
        r.rnds2 = per_cycle(Rnds2);
        r.msg1 = per_cycle(Msg1);
        r.msg2 = per_cycle(Msg2);
        r.rnds2_msg2 = OpsPerSecond(Rnds2Msg2, SHA_MIX_INSNS_PER_ITER, seconds_per_class);
        r.add128 = per_cycle(Add128);
        if (f.avx2) { // VEX forms
            r.mix_shani = OpsPerSecond(MixShaNi, MIX_SHANI_PER_ITER, seconds_per_class);
        }
        if (f.avx512) {
            r.mix_shani_vl = OpsPerSecond(MixShaNiVl, MIX_SHANI_VL_PER_ITER, seconds_per_class);
        }
    }
    const double clock_after = OpsPerSecond(AddChain, ADDS_PER_ITER, seconds_per_class);
    r.clock_hz = (clock_before + clock_after) / 2;
    for (double* x : {&r.add512,      &r.tern512, &r.ror512,   &r.shift512,     &r.rorshift512,
                      &r.add256,      &r.xor256,  &r.shift256, &r.ror256,       &r.tern256,
                      &r.rorshift256, &r.rnds2,   &r.msg1,     &r.msg2,         &r.rnds2_msg2,
                      &r.add128,      &r.mix512,  &r.mix256,   &r.mix_shani_vl, &r.mix_shani}) {
        *x /= r.clock_hz;
    }
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
#else
    (void)f;
    (void)seconds_per_class;
#endif
    return r;
}

// Nonces per vector operation of a vector path.
double VectorLanes(std::string_view impl) {
    return StartsWith(impl, "avx512vl") || StartsWith(impl, "avx2") ? 8
           : StartsWith(impl, "avx512")                             ? 16
                                                                    : 1;
}

OpMix PerNonce(OpMix m, double lanes) {
    m.add /= lanes;
    m.logic /= lanes;
    m.rot /= lanes;
    m.shift /= lanes;
    m.other /= lanes;
    return m;
}

std::optional<OpMix> ScanOpMix(std::string_view impl) {
    OpMix m;
    if (StartsWith(impl, "avx512")) {
        // vprord rotates; vpternlogd for Ch, Maj and each sigma's three-way XOR.
        const KernelCounts k = CountKernelOps();
        m.add = k.add;
        m.rot = 3 * k.big_sigma + 2 * k.small_sigma;
        m.shift = k.small_sigma;
        m.logic = k.big_sigma + k.small_sigma + k.ch + k.maj;
        m.other = k.other;
        return PerNonce(m, VectorLanes(impl));
    }
    if (StartsWith(impl, "avx2")) {
        // A rotate is two shifts and an OR; XOR3 two XORs; Ch three and Maj four logic ops.
        const KernelCounts k = CountKernelOps();
        m.add = k.add;
        m.shift = 6 * k.big_sigma + 5 * k.small_sigma;
        m.logic = (3 + 2) * k.big_sigma + (2 + 2) * k.small_sigma + 3 * k.ch + 4 * k.maj;
        m.other = k.other + 1; // the compare is min + cmpeq
        return PerNonce(m, VectorLanes(impl));
    }
    if (StartsWith(impl, "sha-ni-vl")) {
        // scan_shani_vl.cpp: the same 62 sha256rnds2, no sha256msg1/msg2; the schedules of
        // both hashes on 256-bit vectors (vprord, vpsrld, vpternlogd, vpaddd), their K + W
        // pairs unpacked and the first hashes transposed (`other`). Per nonce, as
        // bench/count_scan_ops.py counts them in the compiled loop.
        m.rnds2 = 31 + 31;
        m.add = 686.0 / 16;
        m.logic = 312.0 / 16;
        m.rot = 624.0 / 16;
        m.shift = 312.0 / 16;
        m.other = 320.0 / 16;
        return m;
    }
    if (StartsWith(impl, "sha-ni")) {
        // scan_shani.cpp: rounds 2..63 of the first hash and 0..61 of the second, two rounds
        // per sha256rnds2; the schedule of each hash's words 16.. by sha256msg1/msg2 (about
        // twelve each per hash, fewer where words are constant: bench/count_scan_ops.py shows
        // 22.5 and 24 per nonce); the adds, shuffles and aligns around them are `other`.
        m.rnds2 = 31 + 31;
        m.msg1 = 22.5;
        m.msg2 = 24;
        m.other = 107;
        return m;
    }
    return std::nullopt;
}

std::optional<OpMix> ProbeMixUnit(std::string_view impl) {
    const PathMix* m = FindPathMix(impl);
    return m ? std::optional(CountUnit(m->unit)) : std::nullopt;
}

std::optional<ScanBoundResult> ScanBound(std::string_view impl, const ThroughputProbe& p) {
    const std::optional<OpMix> mix = ScanOpMix(impl);
    if (!mix || p.clock_hz <= 0) {
        return std::nullopt;
    }
    ScanBoundResult best;
    auto consider = [&](double ops, double per_cycle, const char* what) {
        if (ops <= 0) {
            return true;
        }
        if (per_cycle <= 0) {
            return false; // a class the probe did not measure: no bound
        }
        if (ops / per_cycle > best.cycles_per_nonce) {
            best.cycles_per_nonce = ops / per_cycle;
            best.limit = what;
        }
        return true;
    };
    const OpMix& m = *mix;
    bool ok = true;
    const double alu = m.add + m.logic + m.rot + m.shift + m.other;
    if (StartsWith(impl, "avx512vl")) {
        const double widest = std::max({p.add256, p.tern256, p.ror256, p.shift256});
        ok = consider(alu, widest, "all ALU") && consider(m.add, p.add256, "adds") &&
             consider(m.logic, p.tern256, "ternary logic") &&
             consider(m.rot, p.ror256, "rotates") && consider(m.shift, p.shift256, "shifts") &&
             consider((m.rot + m.shift), p.rorshift256, "rotates+shifts");
    } else if (StartsWith(impl, "avx512")) {
        const double widest = std::max({p.add512, p.tern512, p.ror512, p.shift512});
        ok = consider(alu, widest, "all ALU") && consider(m.add, p.add512, "adds") &&
             consider(m.logic, p.tern512, "ternary logic") &&
             consider(m.rot, p.ror512, "rotates") && consider(m.shift, p.shift512, "shifts") &&
             consider((m.rot + m.shift), p.rorshift512, "rotates+shifts");
    } else if (StartsWith(impl, "avx2")) {
        const double widest = std::max({p.add256, p.xor256, p.shift256});
        ok = consider(alu, widest, "all ALU") && consider(m.add, p.add256, "adds") &&
             consider(m.logic, p.xor256, "logic") && consider(m.shift, p.shift256, "shifts");
    } else if (StartsWith(impl, "sha-ni-vl")) {
        // sha256rnds2 issues on one of the vector pipes, so it counts among all ALU operations.
        const double widest = std::max({p.add256, p.tern256, p.ror256, p.shift256});
        ok = consider(m.rnds2, p.rnds2, "sha256rnds2") &&
             consider(alu + m.rnds2, widest, "all ALU") && consider(m.add, p.add256, "adds") &&
             consider(m.logic, p.tern256, "ternary logic") &&
             consider(m.rot, p.ror256, "rotates") && consider(m.shift, p.shift256, "shifts") &&
             consider((m.rot + m.shift), p.rorshift256, "rotates+shifts");
    } else { // sha-ni
        // sha256rnds2 and sha256msg2 together at their mixed rate (measured in about the
        // scan's proportion): where they share the SHA unit, this sets the bound.
        ok = consider(m.rnds2, p.rnds2, "sha256rnds2") && consider(m.msg1, p.msg1, "sha256msg1") &&
             consider(m.msg2, p.msg2, "sha256msg2") && consider(m.other, p.add128, "128-bit ALU") &&
             consider(m.rnds2 + m.msg2, p.rnds2_msg2, "sha256rnds2+msg2");
    }
    // The path's own mix, where the probe measured it: every operation at the mix's rate.
    if (const PathMix* pm = FindPathMix(impl); pm && p.*pm->rate > 0) {
        consider(m.Total(), p.*pm->rate, "the scan's mix");
    }
    if (!ok || best.cycles_per_nonce <= 0) {
        return std::nullopt;
    }
    best.hashes_per_second = p.clock_hz / best.cycles_per_nonce;
    return best;
}

} // namespace nonceforge::miner::cpu
