// The plain CUDA kernel (the readable one on the core's host/device SHA-256) through the shared
// backend conformance suite on every device. Each case skips itself, saying so, when no CUDA
// device is present (the build machines have the toolkit but no GPU).
#include <gtest/gtest.h>

#include "kernels/sha256d_launcher.hpp"
#include "support/backend_conformance.hpp"
#include "support/kernel_backend.hpp"

using namespace nonceforge;
using nonceforge::test::BackendConformance;

namespace {

kernels::GpuScanResult PlainScan(int device, const core::WorkUnit& w, uint32_t first,
                                 uint64_t count) {
    kernels::GpuScanParams p{};
    std::copy(w.midstate.begin(), w.midstate.end(), p.midstate);
    std::copy(w.Tail().begin(), w.Tail().end(), p.tail);
    p.target_top = w.share_target.TopWord();
    p.nonce_first = first;
    p.nonce_count = count;
    return kernels::ScanPlain(device, p);
}

} // namespace

INSTANTIATE_TEST_SUITE_P(Plain, BackendConformance,
                         ::testing::Values(test::KernelFactory("plain_kernel", PlainScan)),
                         test::FactoryName);
