#include "miner/cuda/cuda_backend.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <thread>

#include "miner/backend_self_test.hpp"
#include "nonceforge/core/scan_precomp.hpp"

namespace nonceforge::miner::cuda {

using kernels::GpuError;

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

miner::ScanResult Faulted(miner::ScanResult r, const kernels::GpuError& e) {
    r.survivors.clear();
    r.fault = e.code;
    r.fault_detail = e.Message();
    return r;
}

} // namespace

CudaBackend::CudaBackend(std::unique_ptr<CudaContext> ctx)
    : m_ctx(std::move(ctx))
    , m_name(BackendName(m_ctx->Device())) {
    m_rate = GUESS_RATE_PER_SM * std::max(1, m_ctx->Device().multiprocessors);
    m_launch_nonces = uint64_t(m_rate * std::chrono::duration<double>(LAUNCH_TARGET).count());
}

core::Expected<std::unique_ptr<CudaBackend>, kernels::GpuError>
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

// One Scan: two launches in flight on the context's slots, overflowed launches rescanned in
// smaller pieces before anything else, a stop request turned into the device abort word.
struct CudaBackend::ScanRun {
    struct Piece {
        uint64_t first = 0, count = 0;
    };
    struct InFlight {
        unsigned slot = 0;
        Piece piece;
    };

    CudaBackend& backend;
    core::ScanPrecomp precomp;
    std::stop_token stop;
    uint64_t next = 0, end = 0;
    std::deque<Piece> redo;      // pieces of overflowed launches, rescanned smaller
    std::deque<InFlight> flight; // in launch order
    bool busy[CudaContext::SLOTS] = {};
    bool aborted = false;
    miner::ScanResult result;

    ScanRun(CudaBackend& b, const core::WorkUnit& work, std::stop_token token)
        : backend(b)
        , precomp(core::MakeScanPrecomp(work.midstate.data(), work.Tail().data(),
                                        work.share_target.TopWord()))
        , stop(std::move(token))
        , next(work.nonce_first)
        , end(std::min<uint64_t>(uint64_t(work.nonce_first) + work.nonce_count, NONCE_SPACE)) {}

    // Once a stop is requested: the running kernels end at their next nonce.
    GpuError WatchStop() {
        if (aborted || !stop.stop_requested()) {
            return {};
        }
        aborted = true;
        result.stopped = true;
        return flight.empty() ? GpuError{} : backend.m_ctx->SetAbort(true);
    }

    GpuError FillSlots() {
        while (!aborted && flight.size() < CudaContext::SLOTS && (!redo.empty() || next < end)) {
            Piece p;
            if (!redo.empty()) {
                p = redo.front();
                redo.pop_front();
            } else {
                p = {next, std::min(backend.LaunchSizeFor(precomp.target_top), end - next)};
                next += p.count;
            }
            const unsigned slot =
                unsigned(std::find(busy, busy + CudaContext::SLOTS, false) - busy);
            if (GpuError e = backend.m_ctx->Launch(slot, precomp, uint32_t(p.first), p.count)) {
                return e;
            }
            busy[slot] = true;
            flight.push_back({slot, p});
        }
        return {};
    }

    // Waits for the oldest launch, watching the stop token (HashBackend: at least every ms).
    GpuError WaitOldest() {
        for (;;) {
            GpuError error;
            const CudaContext::Poll q = backend.m_ctx->Query(flight.front().slot, &error);
            if (q == CudaContext::Poll::Done) {
                return {};
            }
            if (q == CudaContext::Poll::Failed) {
                return error;
            }
            if (GpuError e = WatchStop()) {
                return e;
            }
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
    }

    // More survivors than the buffer holds: rescan in pieces that each expect at most half a
    // buffer, in nonce order, before anything else.
    void Split(const Piece& piece, uint32_t reported) {
        const uint64_t parts =
            std::min<uint64_t>(piece.count, 2 * uint64_t(reported) / CudaContext::HIT_CAPACITY + 1);
        const uint64_t size = (piece.count + parts - 1) / parts;
        std::vector<Piece> pieces;
        for (uint64_t at = piece.first; at < piece.first + piece.count; at += size) {
            pieces.push_back({at, std::min(size, piece.first + piece.count - at)});
        }
        redo.insert(redo.begin(), pieces.begin(), pieces.end());
    }

    GpuError CollectOldest() {
        const InFlight f = flight.front();
        auto r = backend.m_ctx->Collect(f.slot);
        flight.pop_front();
        busy[f.slot] = false;
        if (!r) {
            return r.error();
        }
        if (aborted) {
            return {}; // an interrupted launch: neither its hashes nor its survivors count
        }
        if (r->Overflowed()) {
            Split(f.piece, r->reported);
            return {};
        }
        result.hashes_done += f.piece.count;
        result.survivors.insert(result.survivors.end(), r->survivors.begin(), r->survivors.end());
        backend.LearnRate(f.piece.count, r->kernel_ms);
        return {};
    }

    GpuError Run() {
        if (GpuError e = backend.m_ctx->BeginTiming()) {
            return e;
        }
        for (;;) {
            GpuError e = WatchStop();
            if (!e) {
                e = FillSlots();
            }
            if (e || flight.empty()) {
                if (!e && aborted) {
                    e = backend.m_ctx->SetAbort(false);
                }
                return e;
            }
            if ((e = WaitOldest()) || (e = CollectOldest())) {
                return e;
            }
        }
    }
};

miner::ScanResult CudaBackend::Scan(const core::WorkUnit& work, std::stop_token stop) {
    if (m_fault) {
        return Faulted({}, m_fault);
    }
    ScanRun run(*this, work, std::move(stop));
    if (GpuError e = run.Run()) {
        m_fault = e; // a CUDA error disables the device for good
        return Faulted(std::move(run.result), e);
    }
    // Launches complete in order but write their survivors in any order.
    std::sort(run.result.survivors.begin(), run.result.survivors.end());
    return std::move(run.result);
}

miner::SelfTestResult CudaBackend::SelfTest() {
    return miner::SelfTestBackend(*this);
}

CudaBackendSet CreateCudaBackends(const std::vector<int>& ids) {
    CudaBackendSet set;
    const auto listed = kernels::ListGpuDevices();
    if (!listed) {
        set.problems.push_back("no CUDA GPU found (" + listed.error().Message() + ")");
        return set;
    }
    const std::vector<kernels::GpuDeviceInfo>& devices = *listed;
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
            set.problems.push_back(DeviceLabel(d) + " disabled: " + backend.error().Message());
            continue;
        }
        const miner::SelfTestResult st = (*backend)->SelfTest();
        if (!st.ok()) {
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

} // namespace nonceforge::miner::cuda
