#include "miner/cpu/cpu_backend.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <random>

#include "miner/backend_self_test.hpp"
#include "nonceforge/core/scan_precomp.hpp"
#include "nonceforge/core/sha256.hpp"

namespace nonceforge::miner::cpu {

namespace {

bool Always(const CpuFeatures&) {
    return true;
}
#if defined(__x86_64__)
bool HasSse41(const CpuFeatures& f) {
    return f.sse41;
}
bool HasAvx2(const CpuFeatures& f) {
    return f.avx2;
}
bool HasAvx512(const CpuFeatures& f) {
    return f.avx512;
}
bool HasShaNi(const CpuFeatures& f) {
    return f.sha_ni;
}
bool HasShaNiAvx512(const CpuFeatures& f) {
    return f.sha_ni && f.avx512;
}
#endif

constexpr CpuImpl IMPLS[] = {
#if defined(__x86_64__)
    {"sha-ni-vl-8way", "sha-ni and avx512(f,bw,vl)", 8, HasShaNiAvx512, shani_vl::ScanChunk_8way},
    {"avx512-16way-x2", "avx512", 32, HasAvx512, avx512::ScanChunk_16way_x2},
    {"avx512-16way", "avx512", 16, HasAvx512, avx512::ScanChunk_16way},
    {"avx512vl-8way", "avx512", 8, HasAvx512, avx512::ScanChunk_8way_vl},
    {"sha-ni-8way", "sha-ni", 8, HasShaNi, shani::ScanChunk_8way},
    {"sha-ni-4way", "sha-ni", 4, HasShaNi, shani::ScanChunk_4way},
    {"sha-ni-2way", "sha-ni", 2, HasShaNi, shani::ScanChunk_2way},
    {"avx2-8way", "avx2", 8, HasAvx2, avx2::ScanChunk_8way},
    {"avx2-8way-x2", "avx2", 16, HasAvx2, avx2::ScanChunk_8way_x2},
    {"sse41-4way", "sse4.1", 4, HasSse41, sse41::ScanChunk_4way},
#endif
    {"generic", "nothing", 1, Always, generic::ScanChunk_1way},
};

// Nonces per call into an implementation: a few hundred steps, well under a millisecond on any
// path, so a stop request is seen promptly.
uint32_t ChunkFor(const CpuImpl& impl) {
    return impl.lanes * 256;
}

// Hashes per second of `impl` on this thread, one timed round at a time over a fixed
// header, with the target of a real share (survivors are rare, as when mining).
class SpeedRace {
public:
    SpeedRace() {
        uint8_t header[80];
        std::mt19937 rng(7);
        for (auto& b : header) {
            b = uint8_t(rng());
        }
        uint32_t midstate[8];
        core::sha256::HeaderMidstate(header, midstate);
        m_precomp = core::MakeScanPrecomp(midstate, header + 64, 0);
    }

    // One timed round of about `budget`: the rate of `impl` over it, in hashes per second.
    double Round(const CpuImpl& impl, std::chrono::microseconds budget) {
        using Clock = std::chrono::steady_clock;
        const uint32_t chunk = ChunkFor(impl);
        std::vector<uint32_t> out(chunk + impl.lanes);
        const auto start = Clock::now();
        uint64_t hashes = 0;
        Clock::duration elapsed{};
        do {
            impl.scan(m_precomp, m_next, chunk, out.data());
            m_next += chunk;
            hashes += chunk;
            elapsed = Clock::now() - start;
        } while (elapsed < budget);
        return double(hashes) / std::chrono::duration<double>(elapsed).count();
    }

private:
    core::ScanPrecomp m_precomp{};
    uint32_t m_next = 0;
};

// Each path runs one unmeasured warm-up round (caches, the vector unit's power state), then
// RACE_ROUNDS rounds interleaved across the paths; its rate is the median of those, so one burst
// (or one round slowed by other load) decides nothing.
constexpr int RACE_ROUNDS = 5;
constexpr std::chrono::microseconds RACE_WARMUP{4'000};
constexpr std::chrono::microseconds RACE_ROUND{12'000};
constexpr double RACE_MARGIN = 1.03; // a later path must be this much faster to win

} // namespace

double MedianRate(std::vector<double> rounds) {
    if (rounds.empty()) {
        return 0.0;
    }
    std::sort(rounds.begin(), rounds.end());
    const std::size_t n = rounds.size();
    return n % 2 == 1 ? rounds[n / 2] : (rounds[n / 2 - 1] + rounds[n / 2]) / 2.0;
}

RaceOutcome PickBySustainedRate(std::span<const std::vector<double>> rounds_per_path,
                                double margin) {
    RaceOutcome outcome;
    for (const auto& rounds : rounds_per_path) {
        outcome.rates.push_back(MedianRate(rounds));
    }
    if (outcome.rates.empty()) {
        return outcome;
    }
    double best = outcome.rates.front();
    for (std::size_t i = 1; i < outcome.rates.size(); ++i) {
        if (outcome.rates[i] > best * margin) {
            best = outcome.rates[i];
            outcome.chosen = i;
        }
    }
    return outcome;
}

std::span<const CpuImpl> AllCpuImpls() {
    return IMPLS;
}

const CpuImpl* FindCpuImpl(std::string_view name) {
    for (const CpuImpl& impl : IMPLS) {
        if (impl.name == name) {
            return &impl;
        }
    }
    return nullptr;
}

miner::SelfTestResult SelfTestCpuImpl(const CpuImpl& impl) {
    CpuBackend backend(impl);
    return backend.SelfTest();
}

CpuSelection SelectCpuImpl(const CpuFeatures& features, std::string_view forced, bool race) {
    CpuSelection sel;
    std::vector<const CpuImpl*> usable;
    for (const CpuImpl& impl : IMPLS) {
        if (!forced.empty() && impl.name != forced) {
            continue;
        }
        if (!impl.supported(features)) {
            sel.unsupported.push_back(std::string(impl.name) + ": needs " +
                                      std::string(impl.requires_));
            continue;
        }
        auto st = SelfTestCpuImpl(impl);
        if (!st.ok()) {
            sel.failed.push_back(std::string(impl.name) + ": self-test failed: " + st.detail);
            continue;
        }
        sel.usable.emplace_back(impl.name);
        usable.push_back(&impl);
    }
    if (usable.empty()) {
        return sel;
    }
    sel.chosen = usable.front();
    if (!race || !forced.empty() || usable.size() == 1) {
        return sel;
    }
    // Rounds interleaved across the paths, so that a burst of other load or a clock change
    // does not fall on one path only.
    SpeedRace speed;
    for (const CpuImpl* impl : usable) {
        speed.Round(*impl, RACE_WARMUP);
    }
    std::vector<std::vector<double>> rounds(usable.size());
    for (int r = 0; r < RACE_ROUNDS; ++r) {
        for (std::size_t i = 0; i < usable.size(); ++i) {
            rounds[i].push_back(speed.Round(*usable[i], RACE_ROUND));
        }
    }
    RaceOutcome outcome = PickBySustainedRate(rounds, RACE_MARGIN);
    sel.measured_rate = std::move(outcome.rates);
    sel.chosen = usable[outcome.chosen];
    return sel;
}

miner::SelfTestResult CpuBackend::SelfTest() {
    return miner::SelfTestBackend(*this);
}

miner::ScanResult CpuBackend::Scan(const core::WorkUnit& work, std::stop_token stop) {
    miner::ScanResult result;
    const core::ScanPrecomp p = core::MakeScanPrecomp(work.midstate.data(), work.Tail().data(),
                                                      work.share_target.TopWord());
    const uint32_t chunk = ChunkFor(m_impl);
    std::vector<uint32_t> survivors(chunk);
    uint64_t pos = work.nonce_first;
    const uint64_t end = std::min<uint64_t>(pos + work.nonce_count, 0x100000000ull);
    while (pos < end) {
        if (stop.stop_requested()) {
            result.stopped = true;
            break;
        }
        const uint32_t n = uint32_t(std::min<uint64_t>(chunk, end - pos));
        const uint32_t k = m_impl.scan(p, uint32_t(pos), n, survivors.data());
        result.survivors.insert(result.survivors.end(), survivors.begin(), survivors.begin() + k);
        pos += n;
        result.hashes_done += n;
    }
    return result;
}

} // namespace nonceforge::miner::cpu
