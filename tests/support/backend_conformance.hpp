// The one conformance suite every hashing backend passes
// (tests/miner/backend_conformance_test.cpp): each CPU implementation, the tuned GPU rounds run on
// the host, and on a machine with a GPU the CUDA backend and the plain and tuned kernels. A binary
// instantiates it with its factories:
//
//   INSTANTIATE_TEST_SUITE_P(Cpu, BackendConformance, ValuesIn(factories), FactoryName);
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "miner/hash_backend.hpp"

namespace nonceforge::test {

using BackendList = std::vector<std::unique_ptr<miner::HashBackend>>;

struct BackendFactory {
    std::string name; // the test-name suffix: [A-Za-z0-9_]
    // Every backend of this kind on this machine (every CUDA device, say). None, with `skip`
    // set, when the machine cannot run it (a CPU without AVX-512, no CUDA device).
    std::function<BackendList(std::string& skip)> make;
    // A stopped scan counts the nonces it hashed before the stop. A GPU drops its interrupted
    // launches instead (their hashes and survivors do not count), so it may report none.
    bool counts_work_before_a_stop = true;
};

// Test names and failure messages show the factory's name, not its bytes.
inline void PrintTo(const BackendFactory& factory, std::ostream* os) {
    *os << factory.name;
}

inline std::string FactoryName(const ::testing::TestParamInfo<BackendFactory>& info) {
    return info.param.name;
}

class BackendConformance : public ::testing::TestWithParam<BackendFactory> {
protected:
    void SetUp() override {
        std::string skip;
        backends = GetParam().make(skip);
        if (backends.empty()) {
            GTEST_SKIP() << skip;
        }
    }
    BackendList backends;
};

} // namespace nonceforge::test
