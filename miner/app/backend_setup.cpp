#include "miner/app/backend_setup.hpp"

#include <algorithm>
#include <thread>

#include "miner/benchmark.hpp"
#include "miner/cpu/cpu_backend.hpp"
#if NF_HAVE_CUDA
#include "miner/cuda/cuda_backend.hpp"
#endif

namespace nonceforge::miner::app {

namespace {

using core::LogLevel;

// The usable paths with their start-up measurement (one thread), and the chosen one's rate.
std::string MeasuredPaths(const miner::cpu::CpuSelection& sel, double& chosen_rate) {
    std::string usable;
    for (std::size_t i = 0; i < sel.usable.size(); ++i) {
        usable += (usable.empty() ? "" : ", ") + sel.usable[i];
        if (i < sel.measured_rate.size()) {
            usable += " " + miner::FormatHashrate(sel.measured_rate[i]);
            if (sel.usable[i] == sel.chosen->name) {
                chosen_rate = sel.measured_rate[i];
            }
        }
    }
    return usable;
}

std::string AddCpuBackends(const BackendOptions& o, miner::Dispatcher& d, const LogFn& log) {
    const miner::cpu::CpuFeatures features = miner::cpu::DetectCpuFeatures();
    const miner::cpu::CpuSelection sel = miner::cpu::SelectCpuImpl(features, o.cpu_impl);
    for (const auto& f : sel.failed) {
        log(LogLevel::Warn, "CPU path disabled: " + f);
    }
    if (!sel.chosen) {
        std::string why = o.cpu_impl.empty()
                              ? "no CPU scan path passed its self-test"
                              : "--cpu-impl " + o.cpu_impl + " is not usable on this CPU";
        for (const auto& u : sel.unsupported) {
            why += "; " + u;
        }
        return why;
    }
    double chosen_rate = 2e6;
    const std::string usable = MeasuredPaths(sel, chosen_rate);
    const unsigned threads =
        o.threads ? o.threads : std::max(1u, std::thread::hardware_concurrency());
    log(LogLevel::Info, "CPU: " + features.brand + " (" + features.Summary() + "); mining with " +
                            std::string(sel.chosen->name) + " on " + std::to_string(threads) +
                            " thread(s)");
    log(LogLevel::Info, "CPU paths measured at start-up (1 thread): " + usable);
    for (unsigned i = 0; i < threads; ++i) {
        d.AddBackend(std::make_unique<miner::cpu::CpuBackend>(*sel.chosen, int(i)), chosen_rate);
    }
    return {};
}

#if NF_HAVE_CUDA
// Each device is self-tested; one that fails is reported and the rest mine. GPUs get ranges of
// about a second (several launches each) instead of the CPU's few ms.
void AddCudaBackends(const BackendOptions& o, miner::Dispatcher& d, const LogFn& log) {
    miner::cuda::CudaBackendSet gpus = miner::cuda::CreateCudaBackends(o.cuda_devices);
    for (const auto& p : gpus.problems) {
        log(LogLevel::Warn, p + (gpus.backends.empty() ? "; mining without a GPU" : ""));
    }
    for (const auto& n : gpus.notes) {
        log(LogLevel::Info, n);
    }
    for (auto& b : gpus.backends) {
        const double rate = b->Rate();
        d.AddBackend(std::move(b), rate, miner::cuda::CudaBackend::RANGE_TIME);
    }
}
#endif

} // namespace

std::string AddBackends(const BackendOptions& o, miner::Dispatcher& dispatcher, const LogFn& log) {
    if (!o.no_cpu) {
        if (std::string why = AddCpuBackends(o, dispatcher, log); !why.empty()) {
            return why;
        }
    }
#if NF_HAVE_CUDA
    if (o.use_cuda) {
        AddCudaBackends(o, dispatcher, log);
    }
#endif
    if (dispatcher.WorkerCount() == 0) {
        return "no hashing backend: --no-cpu was given and no GPU backend is available";
    }
    return {};
}

} // namespace nonceforge::miner::app
