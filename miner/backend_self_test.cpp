#include "miner/backend_self_test.hpp"

#include <algorithm>
#include <optional>
#include <random>
#include <span>
#include <string>

#include "nonceforge/core/header.hpp"
#include "nonceforge/core/hex.hpp"
#include "nonceforge/core/sha256.hpp"
#include "nonceforge/core/target.hpp"

namespace nonceforge::miner {

namespace {

constexpr uint64_t NONCE_SPACE = 0x100000000ull;
constexpr char GENESIS_HEADER[] =
    "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b2"
    "7ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c";
constexpr char GENESIS_HASH[] = "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";

SelfTestResult Mismatch(std::string detail) {
    return {make_error_code(HashError::self_test_mismatch), std::move(detail)};
}

// Scans `w` and compares survivors and hashes counted with the reference; nullopt when equal.
std::optional<SelfTestResult> Differs(HashBackend& backend, const core::WorkUnit& w,
                                      ScanResult& r) {
    r = backend.Scan(w, std::stop_token());
    if (r.fault) {
        return SelfTestResult{r.fault, r.fault_detail};
    }
    const std::vector<uint32_t> want = ReferenceSurvivors(w);
    if (r.survivors != want || r.hashes_done != w.nonce_count) {
        return Mismatch(
            "survivors differ from the reference (" + std::to_string(r.survivors.size()) + " vs " +
            std::to_string(want.size()) + ", " + std::to_string(r.hashes_done) + " hashed) for " +
            std::to_string(w.nonce_count) + " nonces from " + std::to_string(w.nonce_first));
    }
    return std::nullopt;
}

std::optional<SelfTestResult> CheckGenesis(HashBackend& backend) {
    const auto bytes = core::HexDecode(GENESIS_HEADER);
    // Deliberately unaligned input for the header parse and the midstate.
    alignas(64) uint8_t storage[96] = {};
    uint8_t* odd = storage + 3;
    std::copy(bytes->begin(), bytes->end(), odd);
    const auto header = core::BlockHeader::Deserialize(std::span<const uint8_t, 80>(odd, 80));
    core::WorkUnit w = core::WorkUnit::FromHeader(header, core::DecodeCompact(header.bits).target);
    core::sha256::HeaderMidstate(odd, w.midstate.data());
    w.nonce_first = header.nonce - 1000;
    w.nonce_count = 2001;
    ScanResult r;
    if (auto failed = Differs(backend, w, r)) {
        failed->detail = "genesis: " + failed->detail;
        return failed;
    }
    std::vector<uint32_t> hits;
    std::copy_if(r.survivors.begin(), r.survivors.end(), std::back_inserter(hits), [&](uint32_t n) {
        return core::HashMeetsTarget(w.HashWithNonce(n), w.share_target);
    });
    if (hits.size() != 1 || hits[0] != header.nonce ||
        w.HashWithNonce(hits[0]).ToDisplayHex() != GENESIS_HASH) {
        return Mismatch("genesis: the winning nonce was not found exactly once");
    }
    return std::nullopt;
}

core::WorkUnit RandomWork(std::mt19937& rng, uint32_t target_top, uint64_t first, uint32_t count) {
    core::BlockHeader h;
    h.version = rng();
    for (auto& b : h.merkle_root.bytes) {
        b = uint8_t(rng());
    }
    h.time = rng();
    h.bits = 0x207fffff;
    core::U256 target = core::U256::Max();
    target.SetLimb(7, target_top);
    core::WorkUnit w = core::WorkUnit::FromHeader(h, target);
    w.nonce_first = uint32_t(first);
    w.nonce_count = count;
    return w;
}

std::optional<SelfTestResult> CheckRandomRanges(HashBackend& backend) {
    std::mt19937 rng(20260101);
    std::vector<core::WorkUnit> cases;
    for (uint32_t len : {1u, 7u, 33u, 203u}) { // a loose target: many lanes pass
        cases.push_back(RandomWork(rng, 0x1fffffff, rng() & 0x7fffffffu, len));
    }
    for (uint32_t len : {1u, 7u, 33u, 203u, 3001u}) { // ending at 2^32 - 1
        cases.push_back(RandomWork(rng, 0x0fffffff, NONCE_SPACE - len, len));
    }
    // A regtest-like target: its top word is not zero, so survivors need the full compare.
    cases.push_back(RandomWork(rng, 0x7fffff00, NONCE_SPACE - 3001, 3001));
    for (const core::WorkUnit& w : cases) {
        ScanResult r;
        if (auto failed = Differs(backend, w, r)) {
            return failed;
        }
    }
    return std::nullopt;
}

} // namespace

std::vector<uint32_t> ReferenceSurvivors(const core::WorkUnit& work) {
    std::vector<uint32_t> survivors;
    const uint64_t end = std::min(uint64_t(work.nonce_first) + work.nonce_count, NONCE_SPACE);
    for (uint64_t n = work.nonce_first; n < end; ++n) {
        if (core::HashPassesTopWord(work.HashWithNonce(uint32_t(n)), work.share_target)) {
            survivors.push_back(uint32_t(n));
        }
    }
    return survivors;
}

SelfTestResult SelfTestBackend(HashBackend& backend) {
    if (auto failed = CheckGenesis(backend)) {
        return *failed;
    }
    if (auto failed = CheckRandomRanges(backend)) {
        return *failed;
    }
    return {{}, "genesis nonce found; survivors match the reference"};
}

} // namespace nonceforge::miner
