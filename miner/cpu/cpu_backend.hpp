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
// when several paths are usable and `race` is set, each is timed briefly on this thread (about
// 30 ms each) and the fastest is chosen; a path listed earlier (AllCpuImpls order) keeps the
// place unless a later one is more than 3 % faster, so noise does not flip the choice.
CpuSelection SelectCpuImpl(const CpuFeatures& features, std::string_view forced = {},
                           bool race = true);

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
