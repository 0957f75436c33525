#include "miner/cuda/cuda_backend.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <random>
#include <thread>

#include "nonceforge/core/hex.hpp"
#include "nonceforge/core/target.hpp"

namespace nonceforge::gpu {

namespace {

constexpr uint64_t NONCE_SPACE = 0x100000000ull;

// Before the first measurement: about 40 MH/s per SM (an H100/H200 SM at ~2 GHz is near
// 50 MH/s with this kernel's ~2,400 integer operations per nonce; older SMs are slower, and
// the first launches correct the guess).
constexpr double GUESS_RATE_PER_SM = 4e7;

std::string DeviceLabel(const kernels::GpuDeviceInfo& d) {
    return "GPU " + std::to_string(d.index) + " (" + d.name + ", sm_" +
           std::to_string(d.compute_major) + std::to_string(d.compute_minor) + ", " +
           std::to_string(d.multiprocessors) + " SMs)";
}

std::string BackendName(const kernels::GpuDeviceInfo& d) {
    std::string name = "cuda" + std::to_string(d.index) + "/" + d.name;
    std::replace(name.begin(), name.end(), ' ', '-');
    return name;
}

std::vector<uint32_t> ReferenceHits(const core::WorkUnit& w) {
    std::vector<uint32_t> hits;
    for (uint64_t n = w.nonce_first; n < uint64_t(w.nonce_first) + w.nonce_count; ++n) {
        if (core::HashMeetsTarget(w.HashWithNonce(uint32_t(n)), w.share_target)) {
            hits.push_back(uint32_t(n));
        }
    }
    return hits;
}

std::string Describe(const std::vector<uint32_t>& got, const std::vector<uint32_t>& want,
                     const core::WorkUnit& w) {
    return "hits differ from the reference (" + std::to_string(got.size()) + " vs " +
           std::to_string(want.size()) + ") for " + std::to_string(w.nonce_count) +
           " nonces from " + std::to_string(w.nonce_first);
}

} // namespace

CudaBackend::CudaBackend(std::unique_ptr<CudaContext> ctx)
    : m_ctx(std::move(ctx))
    , m_name(BackendName(m_ctx->Device())) {
    m_rate = GUESS_RATE_PER_SM * std::max(1, m_ctx->Device().multiprocessors);
    m_launch_nonces = uint64_t(m_rate * std::chrono::duration<double>(LAUNCH_TARGET).count());
}

core::Expected<std::unique_ptr<CudaBackend>, std::string>
CudaBackend::Create(const kernels::GpuDeviceInfo& device) {
    auto ctx = CudaContext::Create(device);
    if (!ctx) {
        return core::MakeUnexpected(ctx.error());
    }
    return std::unique_ptr<CudaBackend>(new CudaBackend(std::move(*ctx)));
}

uint64_t CudaBackend::LaunchSizeFor(uint32_t target_top) const {
    // Keep the expected survivors of one launch at a quarter of the result buffer, so even an
    // easy target (regtest passes half the nonces) rarely overflows; an overflow is rescanned.
    const double pass = (double(target_top) + 1.0) / double(NONCE_SPACE);
    const double by_hits = double(CudaContext::HIT_CAPACITY) / 4.0 / pass;
    return std::max<uint64_t>(1, std::min<uint64_t>(m_launch_nonces, uint64_t(by_hits)));
}

void CudaBackend::LearnRate(uint64_t nonces, double kernel_ms) {
    // Launches that cannot fill the device (self-tests, the tail of a range) say nothing
    // about its throughput.
    const uint64_t full = uint64_t(m_ctx->GridBlocks()) * kernels::TUNED_THREADS_PER_BLOCK * 8;
    if (nonces < full || kernel_ms <= 0) {
        return;
    }
    const double sample = double(nonces) / (kernel_ms / 1000.0);
    m_rate = m_rate_measured ? 0.7 * m_rate + 0.3 * sample : sample;
    m_rate_measured = true;
    const double target = m_rate * std::chrono::duration<double>(LAUNCH_TARGET).count();
    m_launch_nonces = std::clamp<uint64_t>(uint64_t(target), full, NONCE_SPACE);
}

miner::ScanResult CudaBackend::Scan(const core::WorkUnit& work, std::stop_token stop) {
    miner::ScanResult result;
    if (!m_fault.empty()) {
        result.fault = m_fault;
        return result;
    }
    const uint32_t target_top = work.share_target.TopWord();
    const cpu::ScanPrecomp precomp =
        cpu::MakeScanPrecomp(work.midstate.data(), work.Tail().data(), target_top);
    const uint64_t end =
        std::min<uint64_t>(uint64_t(work.nonce_first) + work.nonce_count, NONCE_SPACE);
    struct Piece {
        uint64_t first = 0, count = 0;
    };
    std::deque<Piece> redo; // pieces of overflowed launches, rescanned smaller
    uint64_t next = work.nonce_first;
    struct InFlight {
        unsigned slot = 0;
        Piece piece;
    };
    std::deque<InFlight> flight; // in launch order
    bool busy[CudaContext::SLOTS] = {};
    bool aborted = false;
    std::vector<uint32_t> survivors;

    auto fail = [&](const std::string& error) {
        m_fault = error;
        result.fault = error;
        result.candidates.clear();
        return result;
    };
    if (std::string e = m_ctx->BeginTiming(); !e.empty()) {
        return fail(e);
    }
    auto abort = [&]() -> std::string {
        aborted = true;
        result.stopped = true;
        return flight.empty() ? std::string() : m_ctx->SetAbort(true);
    };

    for (;;) {
        if (!aborted && stop.stop_requested()) {
            if (std::string e = abort(); !e.empty()) {
                return fail(e);
            }
        }
        while (!aborted && flight.size() < CudaContext::SLOTS && (!redo.empty() || next < end)) {
            Piece p;
            if (!redo.empty()) {
                p = redo.front();
                redo.pop_front();
            } else {
                p = {next, std::min(LaunchSizeFor(target_top), end - next)};
                next += p.count;
            }
            const unsigned slot =
                unsigned(std::find(busy, busy + CudaContext::SLOTS, false) - busy);
            if (std::string e = m_ctx->Launch(slot, precomp, uint32_t(p.first), p.count);
                !e.empty()) {
                return fail(e);
            }
            busy[slot] = true;
            flight.push_back({slot, p});
        }
        if (flight.empty()) {
            break;
        }
        // The oldest launch, watching the stop token (HashBackend: at least every ms).
        const InFlight f = flight.front();
        for (;;) {
            std::string error;
            const CudaContext::Poll q = m_ctx->Query(f.slot, &error);
            if (q == CudaContext::Poll::Done) {
                break;
            }
            if (q == CudaContext::Poll::Failed) {
                return fail(error);
            }
            if (!aborted && stop.stop_requested()) {
                if (std::string e = abort(); !e.empty()) {
                    return fail(e);
                }
            }
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        auto r = m_ctx->Collect(f.slot);
        flight.pop_front();
        busy[f.slot] = false;
        if (!r) {
            return fail(r.error());
        }
        if (aborted) {
            continue; // an interrupted launch: neither its hashes nor its survivors count
        }
        if (r->Overflowed()) {
            // More survivors than the buffer holds: rescan in pieces that each expect at most
            // half a buffer, in nonce order, before anything else.
            const uint64_t parts = std::min<uint64_t>(
                f.piece.count, 2 * uint64_t(r->reported) / CudaContext::HIT_CAPACITY + 1);
            const uint64_t size = (f.piece.count + parts - 1) / parts;
            std::vector<Piece> pieces;
            for (uint64_t at = f.piece.first; at < f.piece.first + f.piece.count; at += size) {
                pieces.push_back({at, std::min(size, f.piece.first + f.piece.count - at)});
            }
            redo.insert(redo.begin(), pieces.begin(), pieces.end());
            continue;
        }
        result.hashes_done += f.piece.count;
        survivors.insert(survivors.end(), r->survivors.begin(), r->survivors.end());
        LearnRate(f.piece.count, r->kernel_ms);
    }
    if (aborted) {
        if (std::string e = m_ctx->SetAbort(false); !e.empty()) {
            return fail(e);
        }
    }

    // The full 256-bit compare of every top-word survivor, on the reference hash.
    std::sort(survivors.begin(), survivors.end());
    uint8_t tail[16];
    std::copy(work.Tail().begin(), work.Tail().end(), tail);
    for (uint32_t nonce : survivors) {
        core::WriteLE32(tail + 12, nonce);
        miner::Candidate c;
        c.nonce = nonce;
        core::sha256::Sha256dFromMidstate(work.midstate.data(), tail, c.hash.bytes.data());
        if (core::HashMeetsTarget(c.hash, work.share_target)) {
            result.candidates.push_back(c);
        }
    }
    return result;
}

miner::SelfTestResult CudaBackend::SelfTest() {
    // Known answer: the genesis header, with the network target, over a window around its
    // nonce that is not a multiple of the block size: exactly its nonce and block hash.
    const auto genesis = core::HexDecode(
        "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b2"
        "7ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c");
    const core::BlockHeader header =
        core::BlockHeader::Deserialize(std::span<const uint8_t, 80>(genesis->data(), 80));
    core::WorkUnit w = core::WorkUnit::FromHeader(header, core::DecodeCompact(header.bits).target);
    w.nonce_first = header.nonce - 1000;
    w.nonce_count = 2001;
    miner::ScanResult r = Scan(w, std::stop_token());
    if (!r.fault.empty()) {
        return {false, r.fault};
    }
    if (r.candidates.size() != 1 || r.candidates[0].nonce != header.nonce ||
        r.candidates[0].hash.ToDisplayHex() !=
            "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f" ||
        r.hashes_done != w.nonce_count) {
        return {false, "genesis: the winning nonce was not found exactly once"};
    }
    // Differential: a pseudo-random header, a loose target (about one nonce in sixteen), a
    // range ending at 2^32 - 1; and a regtest-like target whose top word is not zero.
    std::mt19937 rng(20260106);
    for (uint32_t top : {0x0fffffffu, 0x7fffff00u}) {
        core::BlockHeader h;
        h.version = rng();
        for (auto& b : h.merkle_root.bytes) {
            b = uint8_t(rng());
        }
        h.time = rng();
        h.bits = 0x207fffff;
        core::U256 target = core::U256::Max();
        target.SetLimb(7, top);
        w = core::WorkUnit::FromHeader(h, target);
        w.nonce_count = 3001;
        w.nonce_first = uint32_t(NONCE_SPACE - w.nonce_count);
        r = Scan(w, std::stop_token());
        if (!r.fault.empty()) {
            return {false, r.fault};
        }
        std::vector<uint32_t> got;
        for (const auto& c : r.candidates) {
            if (c.hash != w.HashWithNonce(c.nonce)) {
                return {false, "reported hash differs from the reference"};
            }
            got.push_back(c.nonce);
        }
        const auto want = ReferenceHits(w);
        if (got != want || r.hashes_done != w.nonce_count) {
            return {false, Describe(got, want, w)};
        }
    }
    return {true, "genesis nonce found; hits match the reference"};
}

CudaBackendSet CreateCudaBackends(const std::vector<int>& ids) {
    CudaBackendSet set;
    std::string why;
    const std::vector<kernels::GpuDeviceInfo> devices = kernels::ListGpuDevices(&why);
    if (devices.empty()) {
        set.problems.push_back("no CUDA GPU found (" + why + ")");
        return set;
    }
    std::vector<kernels::GpuDeviceInfo> chosen;
    if (ids.empty()) {
        chosen = devices;
    } else {
        for (int id : ids) {
            auto it = std::find_if(devices.begin(), devices.end(),
                                   [id](const auto& d) { return d.index == id; });
            if (it == devices.end()) {
                set.problems.push_back("GPU " + std::to_string(id) + ": no such CUDA device (" +
                                       std::to_string(devices.size()) + " found)");
            } else {
                chosen.push_back(*it);
            }
        }
    }
    for (const auto& d : chosen) {
        auto backend = CudaBackend::Create(d);
        if (!backend) {
            set.problems.push_back(DeviceLabel(d) + " disabled: " + backend.error());
            continue;
        }
        const miner::SelfTestResult st = (*backend)->SelfTest();
        if (!st.ok) {
            set.problems.push_back(DeviceLabel(d) + " disabled: self-test failed: " + st.detail);
            continue;
        }
        set.notes.push_back(DeviceLabel(d) + ": self-test passed (" + st.detail + "), " +
                            std::to_string((*backend)->GridBlocks()) + " blocks of " +
                            std::to_string(kernels::TUNED_THREADS_PER_BLOCK) + " threads");
        set.backends.push_back(std::move(*backend));
    }
    return set;
}

} // namespace nonceforge::gpu
