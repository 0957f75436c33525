// The tuned GPU kernel's round and schedule code (kernels/sha256d_rounds.hpp), compiled as
// plain C++ and run on the CPU against the reference sha256d: its steps one by one here, and
// as a whole scan through the shared backend conformance suite (every case the CPU paths and
// the CUDA backend pass: awkward lengths, the end of the nonce space, top-word survivors, easy
// and regtest targets, the real blocks, stop requests).
#include <random>

#include <gtest/gtest.h>

#include "kernels/sha256d_rounds.hpp"
#include "miner/backend_self_test.hpp"
#include "nonceforge/core/scan_precomp.hpp"
#include "nonceforge/core/stratum_fields.hpp"
#include "nonceforge/core/work.hpp"
#include "support/backend_conformance.hpp"
#include "support/scan_reference.hpp"

using namespace nonceforge;
using namespace nonceforge::core;
namespace rounds = nonceforge::kernels::rounds;

using nonceforge::test::BackendConformance;
using nonceforge::test::RandomWork;

namespace {

core::ScanPrecomp PrecompFor(const WorkUnit& w) {
    return core::MakeScanPrecomp(w.midstate.data(), w.Tail().data(), w.share_target.TopWord());
}

// The tuned kernel's per-thread work run on the host as a HashBackend, so the device math goes
// through the whole conformance suite on every machine: H7 through the tuned rounds and the
// top-word pre-filter for each nonce, in chunks with the stop token checked between them.
class TunedRoundsOnHost final : public miner::HashBackend {
public:
    std::string Name() const override { return "tuned-rounds-on-host"; }
    miner::SelfTestResult SelfTest() override { return miner::SelfTestBackend(*this); }
    miner::ScanResult Scan(const WorkUnit& w, std::stop_token stop) override {
        miner::ScanResult r;
        const core::ScanPrecomp p = PrecompFor(w);
        const uint64_t end =
            std::min<uint64_t>(uint64_t(w.nonce_first) + w.nonce_count, 1ull << 32);
        for (uint64_t n = w.nonce_first; n < end; ++n, ++r.hashes_done) {
            if (r.hashes_done % 4096 == 0 && stop.stop_requested()) {
                r.stopped = true;
                break;
            }
            if (rounds::PassesTopWord(rounds::ScanH7(p, uint32_t(n)), p.target_top)) {
                r.survivors.push_back(uint32_t(n));
            }
        }
        return r;
    }
};

} // namespace

TEST(TunedRounds, RotationsByteSwapAndLogicMatchTheReference) {
    std::mt19937 rng(1);
    for (int i = 0; i < 1000; ++i) {
        const uint32_t x = rng(), y = rng(), z = rng();
        EXPECT_EQ(rounds::Sigma0(x), sha256::Sigma0(x));
        EXPECT_EQ(rounds::Sigma1(x), sha256::Sigma1(x));
        EXPECT_EQ(rounds::SmallSigma0(x), sha256::sigma0(x));
        EXPECT_EQ(rounds::SmallSigma1(x), sha256::sigma1(x));
        EXPECT_EQ(rounds::Ch(x, y, z), sha256::Ch(x, y, z));
        EXPECT_EQ(rounds::Maj(x, y, z), sha256::Maj(x, y, z));
        EXPECT_EQ(rounds::ByteSwap(x), ByteSwap32(x));
    }
}

TEST(TunedRounds, FirstHashEqualsTheReferenceFirstSha256) {
    std::mt19937 rng(2);
    for (int i = 0; i < 200; ++i) {
        WorkUnit w = RandomWork(rng, U256::Max());
        const uint32_t nonce = i == 0 ? 0u : i == 1 ? 0xffffffffu : uint32_t(rng());
        auto header = w.header;
        WriteLE32(header.data() + 76, nonce);
        uint8_t want[32];
        sha256::Sha256(header.data(), header.size(), want);
        uint32_t got[8];
        rounds::FirstHash(PrecompFor(w), rounds::ByteSwap(nonce), 1, got);
        for (int k = 0; k < 8; ++k) {
            EXPECT_EQ(got[k], ReadBE32(want + 4 * k)) << "word " << k << " nonce " << nonce;
        }
    }
}

TEST(TunedRounds, H7IsTheTopWordOfTheReferenceSha256d) {
    std::mt19937 rng(3);
    for (int i = 0; i < 500; ++i) {
        WorkUnit w = RandomWork(rng, U256::Max());
        const uint32_t nonce = i == 0 ? 0u : i == 1 ? 0xffffffffu : uint32_t(rng());
        const Hash256 want = w.HashWithNonce(nonce);
        EXPECT_EQ(rounds::ScanH7(PrecompFor(w), nonce), ReadBE32(want.bytes.data() + 28))
            << "nonce " << nonce;
    }
}

INSTANTIATE_TEST_SUITE_P(Host, BackendConformance,
                         ::testing::Values(test::BackendFactory{
                             "tuned_rounds",
                             [](std::string&) {
                                 test::BackendList list;
                                 list.push_back(std::make_unique<TunedRoundsOnHost>());
                                 return list;
                             }}),
                         test::FactoryName);
