// The CPU hashing backend: the registry of scan implementations compiled into this binary,
// runtime selection by CPU features and self-test, and the HashBackend that drives one of them.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "miner/cpu/cpu_features.hpp"
#include "miner/cpu/scan_impls.hpp"
#include "miner/hash_backend.hpp"

namespace nonceforge::miner::cpu {

struct CpuImpl {
    std::string_view name;      // "avx512-16way-x2": instruction set, lanes, interleave
    std::string_view requires_; // the CPU feature it needs, for messages
    uint32_t lanes;             // nonces per step
    bool (*supported)(const CpuFeatures&);
    ScanChunkFn scan;
};

// Every implementation compiled in, fastest first.
std::span<const CpuImpl> AllCpuImpls();
const CpuImpl* FindCpuImpl(std::string_view name);

// The shared backend self-test (miner/backend_self_test.hpp) through a CpuBackend on this
// implementation. Used at start-up and by the benchmark.
miner::SelfTestResult SelfTestCpuImpl(const CpuImpl& impl);

struct CpuSelection {
    const CpuImpl* chosen = nullptr;      // the best usable one (generic at worst)
    std::vector<std::string> usable;      // supported and passed the self-test
    std::vector<std::string> unsupported; // "avx512-16way: needs avx512"
    std::vector<std::string> failed;      // "name: reason" for failed self-tests
    // The quick measurement behind `chosen` when several paths were usable: hashes per second
    // of each usable path on one thread, in `usable` order (empty when nothing was measured).
    std::vector<double> measured_rate;
};

// Detects, self-tests and picks. With `forced` set, that implementation is chosen when it is
// usable, and `chosen` is null with the reason in `failed`/`unsupported` otherwise. Without it,
// when several paths are usable and `race` is set, each is timed on this thread (a warm-up
// round, then five rounds of 12 ms interleaved across the paths, about 65 ms each) and picked
// by its median round (PickBySustainedRate); a path listed earlier (AllCpuImpls order) keeps the
// place unless a later one is more than 3 % faster, so noise does not flip the choice.
CpuSelection SelectCpuImpl(const CpuFeatures& features, std::string_view forced = {},
                           bool race = true);

// The median of a path's round rates (0 for none).
double MedianRate(std::vector<double> rounds);

struct RaceOutcome {
    std::size_t chosen = 0;    // index into the paths
    std::vector<double> rates; // each path's median rate, in path order
};
// The race's decision over measured rounds (rounds_per_path[i]: path i's rates, any unit): each
// path's sustained rate is the median of its rounds, and a later path replaces the best so far
// only when its median is more than `margin` times it. A burst in one round changes no median.
RaceOutcome PickBySustainedRate(std::span<const std::vector<double>> rounds_per_path,
                                double margin);

class CpuBackend final : public miner::HashBackend {
public:
    // `index` distinguishes the threads of one machine: "cpu0/avx2-8way", "cpu1/avx2-8way".
    explicit CpuBackend(const CpuImpl& impl, int index = -1)
        : m_impl(impl)
        , m_name((index >= 0 ? "cpu" + std::to_string(index) : std::string("cpu")) + "/" +
                 std::string(impl.name)) {}
    std::string Name() const override { return m_name; }
    miner::SelfTestResult SelfTest() override; // miner::SelfTestBackend
    miner::ScanResult Scan(const core::WorkUnit& work, std::stop_token stop) override;
    const CpuImpl& Impl() const { return m_impl; }

private:
    const CpuImpl& m_impl;
    std::string m_name;
};

} // namespace nonceforge::miner::cpu
