#include "miner/cpu/cpu_backend.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <random>

#include "miner/cpu/scan_precompute.hpp"
#include "nonceforge/core/bytes.hpp"
#include "nonceforge/core/header.hpp"
#include "nonceforge/core/hex.hpp"
#include "nonceforge/core/sha256.hpp"

namespace nonceforge::cpu {

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
#endif

constexpr CpuImpl IMPLS[] = {
#if defined(__x86_64__)
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

// Reference: does this nonce's hash pass the top-word pre-filter?
bool ReferencePasses(const uint32_t midstate[8], const uint8_t tail[16], uint32_t nonce,
                     uint32_t target_top) {
    uint8_t t[16];
    std::copy(tail, tail + 16, t);
    core::WriteLE32(t + 12, nonce);
    uint8_t hash[32];
    core::sha256::Sha256dFromMidstate(midstate, t, hash);
    return core::ReadLE32(hash + 28) <= target_top;
}

// Runs `impl` over [first, first + count) from a header copied to an odd address, and
// compares the survivors with the reference.
std::string DifferentialCheck(const CpuImpl& impl, const uint8_t* header80, uint32_t first,
                              uint32_t count, uint32_t target_top) {
    alignas(64) uint8_t storage[96];
    uint8_t* unaligned = storage + 3;
    std::copy(header80, header80 + 80, unaligned);
    uint32_t midstate[8];
    core::sha256::HeaderMidstate(unaligned, midstate);
    const ScanPrecomp p = MakeScanPrecomp(midstate, unaligned + 64, target_top);
    std::vector<uint32_t> got(count + impl.lanes);
    got.resize(impl.scan(p, first, count, got.data()));
    std::vector<uint32_t> want;
    for (uint64_t n = first; n < uint64_t(first) + count; ++n) {
        if (ReferencePasses(midstate, unaligned + 64, uint32_t(n), target_top)) {
            want.push_back(uint32_t(n));
        }
    }
    if (got != want) {
        return "survivors differ from the reference (" + std::to_string(got.size()) + " vs " +
               std::to_string(want.size()) + ") for " + std::to_string(count) + " nonces from " +
               std::to_string(first);
    }
    return {};
}

// Hashes per second of `impl` on this thread: the best of a few short rounds over a fixed
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
        m_precomp = MakeScanPrecomp(midstate, header + 64, 0);
    }

    // One timed round of about `budget`; keeps the best rate seen for the implementation.
    void Round(const CpuImpl& impl, std::chrono::microseconds budget, double& best) {
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
        best = std::max(best, double(hashes) / std::chrono::duration<double>(elapsed).count());
    }

private:
    ScanPrecomp m_precomp{};
    uint32_t m_next = 0;
};

constexpr int RACE_ROUNDS = 3;
constexpr std::chrono::microseconds RACE_ROUND{10'000};
constexpr double RACE_MARGIN = 1.03; // a later path must be this much faster to win

} // namespace

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
    // Known answer: the genesis block header, scanned over a window around its nonce with the
    // network target, must yield exactly its nonce.
    const auto genesis = core::HexDecode(
        "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b2"
        "7ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c");
    const uint32_t genesis_nonce = 2083236893;
    std::string err = DifferentialCheck(impl, genesis->data(), genesis_nonce - 1000 + 3, 1999, 0);
    if (!err.empty()) {
        return {false, "genesis: " + err};
    }
    {
        alignas(64) uint8_t storage[96];
        std::copy(genesis->begin(), genesis->end(), storage + 1);
        uint32_t midstate[8];
        core::sha256::HeaderMidstate(storage + 1, midstate);
        const ScanPrecomp p = MakeScanPrecomp(midstate, storage + 65, 0);
        std::vector<uint32_t> out(64 + impl.lanes);
        const uint32_t n = impl.scan(p, genesis_nonce - 17, 64, out.data());
        if (n != 1 || out[0] != genesis_nonce) {
            return {false, "genesis: the winning nonce was not found"};
        }
    }
    // Differential: pseudo-random headers, a loose top-word target so that many lanes pass,
    // lengths that are not multiples of the lane count, and a range ending at 2^32 - 1.
    std::mt19937 rng(20260101);
    uint8_t header[80];
    for (uint32_t len : {1u, 7u, 33u, 203u}) {
        for (auto& b : header) {
            b = uint8_t(rng());
        }
        err = DifferentialCheck(impl, header, uint32_t(rng()) & 0x7fffffff, len, 0x1fffffff);
        if (err.empty()) {
            err = DifferentialCheck(impl, header, uint32_t(0x100000000ull - len), len, 0x0fffffff);
        }
        if (!err.empty()) {
            return {false, err};
        }
    }
    return {true, "genesis nonce found; survivors match the reference"};
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
        if (!st.ok) {
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
    sel.measured_rate.assign(usable.size(), 0.0);
    for (int r = 0; r < RACE_ROUNDS; ++r) {
        for (std::size_t i = 0; i < usable.size(); ++i) {
            speed.Round(*usable[i], RACE_ROUND, sel.measured_rate[i]);
        }
    }
    double best = sel.measured_rate.front();
    for (std::size_t i = 1; i < usable.size(); ++i) {
        if (sel.measured_rate[i] > best * RACE_MARGIN) {
            best = sel.measured_rate[i];
            sel.chosen = usable[i];
        }
    }
    return sel;
}

miner::ScanResult CpuBackend::Scan(const core::WorkUnit& work, std::stop_token stop) {
    miner::ScanResult result;
    const ScanPrecomp p =
        MakeScanPrecomp(work.midstate.data(), work.Tail().data(), work.share_target.TopWord());
    const uint32_t chunk = ChunkFor(m_impl);
    std::vector<uint32_t> survivors(chunk);
    uint8_t tail[16];
    std::copy(work.Tail().begin(), work.Tail().end(), tail);

    uint64_t pos = work.nonce_first;
    const uint64_t end = std::min<uint64_t>(pos + work.nonce_count, 0x100000000ull);
    while (pos < end) {
        if (stop.stop_requested()) {
            result.stopped = true;
            break;
        }
        const uint32_t n = uint32_t(std::min<uint64_t>(chunk, end - pos));
        const uint32_t k = m_impl.scan(p, uint32_t(pos), n, survivors.data());
        // Survivors of the top-word filter get the full 256-bit compare on the reference hash.
        for (uint32_t i = 0; i < k; ++i) {
            core::WriteLE32(tail + 12, survivors[i]);
            miner::Candidate c;
            c.nonce = survivors[i];
            core::sha256::Sha256dFromMidstate(work.midstate.data(), tail, c.hash.bytes.data());
            if (core::HashMeetsTarget(c.hash, work.share_target)) {
                result.candidates.push_back(c);
            }
        }
        pos += n;
        result.hashes_done += n;
    }
    return result;
}

} // namespace nonceforge::cpu
