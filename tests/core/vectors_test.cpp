// Every real block in tests/data/vectors, rebuilt from its Stratum fields the way a miner
// does: coinbase, merkle root, header, hash, submit parameters; plus each deliberate byte-order
// mistake, which must miss the network target.
#include <gtest/gtest.h>

#include "nonceforge/core/coinbase.hpp"
#include "nonceforge/core/header.hpp"
#include "nonceforge/core/merkle.hpp"
#include "nonceforge/core/stratum_fields.hpp"
#include "nonceforge/core/target.hpp"
#include "nonceforge/core/work.hpp"
#include "support/test_data.hpp"

using namespace nonceforge;
using namespace nonceforge::core;
using nlohmann::json;

namespace {

uint32_t U32(const json& j) {
    return *ParseHexU32BE(j.get<std::string>());
}

// The job a pool would send for this vector: subscribe result + notify params.
Job JobFromStratum(const json& subscribe_result, const json& notify) {
    Job job;
    job.extranonce1 = test::Unhex(subscribe_result.at(1).get<std::string>());
    job.extranonce2_size = subscribe_result.at(2).get<std::size_t>();
    job.job_id = notify.at(0).get<std::string>();
    job.prev_hash = *DecodeStratumPrevHash(notify.at(1).get<std::string>());
    job.coinb1 = test::Unhex(notify.at(2).get<std::string>());
    job.coinb2 = test::Unhex(notify.at(3).get<std::string>());
    for (const auto& b : notify.at(4)) {
        job.merkle_branch.push_back(*Hash256::FromWireHex(b.get<std::string>()));
    }
    job.version = U32(notify.at(5));
    job.nbits = U32(notify.at(6));
    job.ntime = U32(notify.at(7));
    job.clean_jobs = notify.at(8).get<bool>();
    job.share_target = Diff1Target();
    return job;
}

class FullVector : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        v = test::LoadVector(GetParam());
        s = v.at("stratum");
        job = JobFromStratum(s.at("subscribe_result"), s.at("notify_params"));
        en2 = test::Unhex(s.at("extranonce2").get<std::string>());
    }
    json v, s;
    Job job;
    std::vector<uint8_t> en2;
};

} // namespace

TEST_P(FullVector, CoinbaseAndMerkleRoot) {
    const json& e = s.at("expected");
    ASSERT_EQ(en2.size(), job.extranonce2_size);
    EXPECT_EQ(HexEncode(job.Coinbase(en2)), e.at("coinbase_nonwitness_hex"));
    EXPECT_EQ(Sha256d(job.Coinbase(en2)).ToWireHex(), e.at("coinbase_txid_internal"));
    EXPECT_EQ(job.MerkleRoot(en2).ToWireHex(), e.at("merkle_root_internal"));
    EXPECT_EQ(job.MerkleRoot(en2).ToDisplayHex(), e.at("merkle_root_display"));
}

TEST_P(FullVector, HeaderAndBlockHash) {
    const json& e = s.at("expected");
    BlockHeader h = job.Header(en2, U32(s.at("ntime")), U32(s.at("nonce")), job.version);
    EXPECT_EQ(HexEncode(h.Serialize()), e.at("header_hex"));
    EXPECT_EQ(HexEncode(h.Serialize()), v.at("header").at("hex"));
    EXPECT_EQ(h.Hash().ToWireHex(), e.at("sha256d_header_raw"));
    EXPECT_EQ(h.Hash().ToDisplayHex(), v.at("block_hash"));
    EXPECT_EQ(h.nonce, v.at("header").at("nonce").get<uint32_t>());
}

TEST_P(FullVector, MeetsItsOwnNetworkTarget) {
    const json& e = s.at("expected");
    BlockHeader h = job.Header(en2, U32(s.at("ntime")), U32(s.at("nonce")), job.version);
    EXPECT_EQ(job.NetworkTarget().ToHex(), e.at("network_target_hex"));
    EXPECT_TRUE(HashMeetsTarget(h.Hash(), job.NetworkTarget()));
    EXPECT_TRUE(HashMeetsTarget(h.Hash(), Diff1Target()));
    EXPECT_NEAR(HashDifficulty(h.Hash()) / e.at("hash_difficulty").get<double>(), 1.0, 1e-9);
}

TEST_P(FullVector, MidstateScanPathAgrees) {
    BlockHeader h = job.Header(en2, U32(s.at("ntime")), U32(s.at("nonce")), job.version);
    WorkUnit w = WorkUnit::FromHeader(h, Diff1Target());
    EXPECT_EQ(w.HashWithNonce(h.nonce), h.Hash());
    uint8_t tail[16];
    std::copy(w.Tail().begin(), w.Tail().end(), tail);
    WriteLE32(tail + 12, h.nonce);
    Hash256 fast;
    sha256::Sha256dFromMidstate(w.midstate.data(), tail, fast.bytes.data());
    EXPECT_EQ(fast, h.Hash());
}

TEST_P(FullVector, SubmitParameters) {
    auto shared_job = std::make_shared<Job>(job);
    Share share;
    share.job = shared_job;
    share.extranonce2 = en2;
    share.ntime = U32(s.at("ntime"));
    share.nonce = U32(s.at("nonce"));
    share.version = job.version;
    SubmitFields f = share.ToSubmitFields();
    const json& p = s.at("submit_params");
    ASSERT_EQ(p.size(), 5u);
    EXPECT_EQ(f.job_id, p.at(1));
    EXPECT_EQ(f.extranonce2, p.at(2));
    EXPECT_EQ(f.ntime, p.at(3));
    EXPECT_EQ(f.nonce, p.at(4));
    EXPECT_FALSE(f.version_bits);
}

TEST_P(FullVector, MerkleBranchFromAllTxids) {
    std::vector<Hash256> txids;
    for (const auto& t : v.at("txids_internal")) {
        txids.push_back(*Hash256::FromWireHex(t.get<std::string>()));
    }
    ASSERT_EQ(txids.size(), v.at("tx_count").get<std::size_t>());
    EXPECT_EQ(MerkleRootOfTxids(txids).ToWireHex(), v.at("header").at("merkle_root_internal"));
    auto branch = MerkleBranchForCoinbase(txids);
    ASSERT_EQ(branch.size(), job.merkle_branch.size());
    for (std::size_t i = 0; i < branch.size(); ++i) {
        EXPECT_EQ(branch[i], job.merkle_branch[i]) << "level " << i;
    }
}

// Each mutation a buggy miner makes yields the recorded header and hash, and misses the target.
TEST_P(FullVector, NegativeCasesMissTheTarget) {
    const json& cases = v.at("negative_cases");
    ASSERT_FALSE(cases.empty());
    for (const auto& c : cases) {
        Job mutated = job;
        std::vector<uint8_t> m_en2 = en2;
        uint32_t ntime = U32(s.at("ntime"));
        uint32_t nonce = U32(s.at("nonce"));
        const json& ch = c.at("changed");
        if (ch.contains("nonce_hex")) {
            nonce = U32(ch.at("nonce_hex"));
        }
        if (ch.contains("ntime_hex")) {
            ntime = U32(ch.at("ntime_hex"));
        }
        if (ch.contains("en2")) {
            m_en2 = test::Unhex(ch.at("en2").get<std::string>());
        }
        if (ch.contains("prevhash_hex")) {
            // The mistake: the notify prevhash text copied into the header without the swap.
            const std::string wire = s.at("notify_params").at(1).get<std::string>();
            mutated.prev_hash = *Hash256::FromWireHex(wire);
        }
        if (ch.contains("branch_hex")) {
            mutated.merkle_branch.clear();
            for (const auto& b : ch.at("branch_hex")) {
                mutated.merkle_branch.push_back(*Hash256::FromWireHex(b.get<std::string>()));
            }
        }
        BlockHeader h = mutated.Header(m_en2, ntime, nonce, mutated.version);
        const std::string what = c.at("description").get<std::string>();
        EXPECT_EQ(HexEncode(h.Serialize()), c.at("header_hex")) << what;
        EXPECT_EQ(h.Hash().ToDisplayHex(), c.at("hash_display")) << what;
        EXPECT_FALSE(HashMeetsTarget(h.Hash(), mutated.NetworkTarget())) << what;
        EXPECT_EQ(c.at("meets_network_target").get<bool>(), false) << what;
    }
}

INSTANTIATE_TEST_SUITE_P(RealBlocks, FullVector, ::testing::ValuesIn(test::FullVectorFiles()),
                         [](const auto& p) { return test::ParamName(p.param); });

TEST(VersionRolling, Block702861RollsToItsRealVersion) {
    json v = test::LoadVector("block702861.json");
    const json& vr = v.at("version_rolling");
    const json& s = v.at("stratum");
    Job job = JobFromStratum(s.at("subscribe_result"), vr.at("notify_params"));
    job.version_mask = U32(vr.at("mask"));
    EXPECT_EQ(job.version, U32(vr.at("job_version")));
    EXPECT_EQ(vr.at("configure_result").at("version-rolling.mask"), vr.at("mask"));

    const uint32_t bits = U32(vr.at("version_bits"));
    EXPECT_EQ(bits & ~job.version_mask, 0u);
    const uint32_t version = RollVersion(job.version, job.version_mask, bits);
    EXPECT_EQ(FormatHexU32BE(version), vr.at("expected_header_version"));

    auto en2 = test::Unhex(s.at("extranonce2").get<std::string>());
    BlockHeader h = job.Header(en2, U32(s.at("ntime")), U32(s.at("nonce")), version);
    EXPECT_EQ(h.Hash().ToDisplayHex(), v.at("block_hash"));

    Share share;
    share.job = std::make_shared<Job>(job);
    share.extranonce2 = en2;
    share.ntime = h.time;
    share.nonce = h.nonce;
    share.version = version;
    SubmitFields f = share.ToSubmitFields();
    const json& p = vr.at("submit_params");
    ASSERT_EQ(p.size(), 6u);
    EXPECT_EQ(f.job_id, p.at(1));
    EXPECT_EQ(f.extranonce2, p.at(2));
    EXPECT_EQ(f.ntime, p.at(3));
    EXPECT_EQ(f.nonce, p.at(4));
    ASSERT_TRUE(f.version_bits);
    EXPECT_EQ(*f.version_bits, p.at(5));
}

TEST(VersionRolling, BitsOutsideTheMaskAreIgnored) {
    EXPECT_EQ(RollVersion(0x20000000, 0x1fffe000, 0xffffffff), 0x3fffe000u);
    EXPECT_EQ(RollVersion(0x20000004, 0x1fffe000, 0), 0x20000004u);
    EXPECT_EQ(RollVersion(0x20000004, 0, 0x1fffe000), 0x20000004u);
}

// Header-only vectors: the Stratum text fields assemble into the real header.
class HeaderOnlyVector : public ::testing::TestWithParam<std::string> {};

TEST_P(HeaderOnlyVector, StratumFieldsAssembleTheHeader) {
    json v = test::LoadVector(GetParam());
    const json& f = v.at("stratum_fields");
    const json& hdr = v.at("header");
    BlockHeader h;
    h.version = U32(f.at("version"));
    h.prev_hash = *DecodeStratumPrevHash(f.at("prevhash").get<std::string>());
    h.merkle_root = *Hash256::FromWireHex(hdr.at("merkle_root_internal").get<std::string>());
    h.time = U32(f.at("ntime"));
    h.bits = U32(f.at("nbits"));
    h.nonce = U32(f.at("nonce"));
    EXPECT_EQ(h.prev_hash.ToWireHex(), hdr.at("prev_hash_internal"));
    EXPECT_EQ(h.prev_hash.ToDisplayHex(), hdr.at("prev_hash_display"));
    EXPECT_EQ(EncodeStratumPrevHash(h.prev_hash), f.at("prevhash"));
    EXPECT_EQ(HexEncode(h.Serialize()), hdr.at("hex"));
    EXPECT_EQ(h.Hash().ToDisplayHex(), v.at("block_hash"));
    EXPECT_EQ(DecodeCompact(h.bits).target.ToHex(), hdr.at("target_hex"));
    EXPECT_TRUE(HashMeetsTarget(h.Hash(), DecodeCompact(h.bits).target));
    EXPECT_EQ(BlockHeader::Deserialize(std::span<const uint8_t, 80>(h.Serialize())), h);
}

INSTANTIATE_TEST_SUITE_P(RealHeaders, HeaderOnlyVector,
                         ::testing::Values("header125552_wiki.json", "header800000.json"),
                         [](const auto& p) { return test::ParamName(p.param); });

TEST(Vectors, EveryFileIsExercised) {
    std::size_t full = test::FullVectorFiles().size();
    EXPECT_EQ(full + 2, test::AllVectorFiles().size());
    EXPECT_EQ(full, 7u);
}

TEST(Genesis, WellKnownHeaderFields) {
    json v = test::LoadVector("block000000_genesis.json");
    auto bytes = test::Unhex(v.at("header").at("hex").get<std::string>());
    BlockHeader h = BlockHeader::Deserialize(std::span<const uint8_t, 80>(bytes.data(), 80));
    EXPECT_EQ(h.version, 1u);
    EXPECT_TRUE(h.prev_hash.IsZero());
    EXPECT_EQ(h.time, 1231006505u);
    EXPECT_EQ(h.bits, 0x1d00ffffu);
    EXPECT_EQ(h.nonce, 2083236893u);
    EXPECT_EQ(h.merkle_root.ToDisplayHex(),
              "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b");
    EXPECT_EQ(h.Hash().ToDisplayHex(),
              "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");
}

// The coinbase of every real block: its BIP 34 height (blocks after 227,835) and its outputs.
TEST_P(FullVector, CoinbaseHeightAndValue) {
    auto info = DecodeCoinbase(job.Coinbase(en2));
    ASSERT_TRUE(info.value.has_value());
    EXPECT_GT(*info.value, 0u);
    EXPECT_GE(info.outputs, 1u);
    const uint32_t height = v.at("height").get<uint32_t>();
    if (height >= 227836) {
        ASSERT_TRUE(info.height.has_value());
        EXPECT_EQ(*info.height, height);
    }
}

TEST(Coinbase, GenesisPaysFiftyBitcoin) {
    json v = test::LoadVector("block000000_genesis.json");
    auto tx = test::Unhex(v.at("coinbase").at("nonwitness_hex").get<std::string>());
    auto info = DecodeCoinbase(tx);
    ASSERT_TRUE(info.value);
    EXPECT_EQ(*info.value, 5000000000u);
}

TEST(Coinbase, TruncatedInputIsNotRead) {
    const std::vector<uint8_t> junk = {0x01, 0x00, 0x00, 0x00, 0x01, 0x00};
    auto info = DecodeCoinbase(junk);
    EXPECT_FALSE(info.value);
    EXPECT_FALSE(info.height);
    EXPECT_FALSE(DecodeCoinbase({}).value);
}
