// getblocktemplate into a Job and a found share back into a block, checked against real
// mainnet blocks (482683: segwit, 12 transactions; 702861: 2500 transactions, through their
// wtxids) whose bytes nobody on this project wrote: a template rebuilt from block 482683 must
// give back its merkle root and witness commitment.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "miner/solo/address.hpp"
#include "miner/solo/block_template.hpp"
#include "miner/solo/transaction.hpp"
#include "nonceforge/core/coinbase.hpp"
#include "nonceforge/core/hex.hpp"
#include "nonceforge/core/merkle.hpp"
#include "nonceforge/core/target.hpp"

#include "block_template_support.hpp"

namespace solo = nonceforge::miner::solo;
namespace core = nonceforge::core;
using nlohmann::json;

using namespace nf_solo_test;

// ---- BIP 34 ----

TEST(Bip34, HeightEncodingsAreCoresCScriptPushInt) {
    // CScript() << height: OP_1..OP_16 up to 16, then minimal CScriptNum pushes with a sign
    // byte when the top bit is set (128 is 80 00, not 80 which would be -0).
    const std::vector<std::pair<uint32_t, std::string>> cases = {
        {1, "51"},           {16, "60"},           {17, "0111"},          {127, "017f"},
        {128, "028000"},     {255, "02ff00"},      {256, "020001"},       {32767, "02ff7f"},
        {32768, "03008000"}, {482683, "037b5d07"}, {8388607, "03ffff7f"}, {8388608, "0400008000"},
    };
    for (const auto& [height, hex] : cases) {
        EXPECT_EQ(core::HexEncode(solo::EncodeBip34Height(height)), hex) << height;
    }
}

TEST(Bip34, RealCoinbaseStartsWithTheEncodedHeight) {
    const Block b = Block482683();
    ASSERT_EQ(b.txs.size(), 12u);
    const auto enc = solo::EncodeBip34Height(482683);
    const auto& sig = b.txs[0].inputs[0].script_sig;
    ASSERT_GE(sig.size(), enc.size());
    EXPECT_TRUE(std::equal(enc.begin(), enc.end(), sig.begin()));
    // block702861's coinbase (from the vector file) too.
    const json v = json::parse(ReadText("vectors/block702861.json"));
    const auto cb = Unhex(v["coinbase"]["nonwitness_hex"].get<std::string>());
    auto tx = solo::ParseTransaction(cb);
    ASSERT_TRUE(tx) << tx.error();
    const auto enc2 = solo::EncodeBip34Height(702861);
    EXPECT_TRUE(std::equal(enc2.begin(), enc2.end(), tx->inputs[0].script_sig.begin()));
}

TEST(Bip34, EveryJobCoinbaseDecodesToItsHeight) {
    // The project's coinbase reader (core/coinbase.hpp, used by probe) reads back what the job
    // wrote, for the small regtest heights (OP_N) and across every push-length boundary.
    const Block b = Block482683();
    json j = TemplateOf(b, 482683);
    auto tmpl = solo::ParseBlockTemplate(j);
    ASSERT_TRUE(tmpl) << tmpl.error();
    for (uint32_t height : {1u, 2u, 15u, 16u, 17u, 100u, 127u, 128u, 255u, 256u, 32767u, 32768u,
                            65535u, 65536u, 8388607u, 8388608u, 16777216u, 2147483647u}) {
        tmpl->height = height;
        auto job = solo::MakeSoloJob(*tmpl, Options());
        ASSERT_TRUE(job) << job.error();
        const auto coinbase = (*job)->Coinbase(std::vector<uint8_t>(8, 0x11));
        const auto info = core::DecodeCoinbase(coinbase);
        ASSERT_TRUE(info.height.has_value()) << height;
        EXPECT_EQ(*info.height, height);
    }
}

// ---- Transactions and the witness commitment of real blocks ----

TEST(RealBlocks, Block482683ParsesAndItsTxidsGiveTheMerkleRoot) {
    const Block b = Block482683();
    ASSERT_EQ(b.txs.size(), 12u);
    EXPECT_EQ(b.header.Hash().ToDisplayHex(),
              "000000000000000000c238240ef6dcb26c37e75e16514e6ffc0aef7eee73e747");
    EXPECT_EQ(core::MerkleRootOfTxids(Txids(b)), b.header.merkle_root);
    int segwit = 0;
    for (std::size_t i = 0; i < b.txs.size(); ++i) {
        segwit += b.txs[i].HasWitness() ? 1 : 0;
        // Writing a parsed transaction gives back its bytes.
        EXPECT_EQ(solo::SerializeTransaction(b.txs[i], true), b.raw[i]) << i;
        EXPECT_EQ(b.txs[i].size, b.raw[i].size());
    }
    EXPECT_EQ(segwit, 2); // the coinbase (its reserved value) and one spend
    EXPECT_TRUE(b.txs[0].IsCoinbase());
    EXPECT_FALSE(b.txs[1].IsCoinbase());
}

TEST(RealBlocks, WitnessCommitmentOfBlock482683) {
    const Block b = Block482683();
    std::vector<core::Hash256> wtxids;
    for (std::size_t i = 1; i < b.txs.size(); ++i) {
        wtxids.push_back(b.txs[i].wtxid);
    }
    ASSERT_EQ(b.txs[0].inputs[0].witness.size(), 1u);
    core::Hash256 reserved;
    ASSERT_EQ(b.txs[0].inputs[0].witness[0].size(), 32u);
    std::copy_n(b.txs[0].inputs[0].witness[0].begin(), 32, reserved.bytes.begin());
    const auto* out = CommitmentOutput(b.txs[0]);
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(core::HexEncode(solo::WitnessCommitmentScript(wtxids, reserved)),
              core::HexEncode(out->script_pubkey));
    // A changed wtxid or reserved value changes the commitment.
    wtxids[3].bytes[0] ^= 1;
    EXPECT_NE(solo::WitnessCommitmentScript(wtxids, reserved), out->script_pubkey);
}

TEST(RealBlocks, WitnessCommitmentOfBlock702861FromItsWtxids) {
    std::istringstream lines(ReadText("blocks/block702861_wtxids.txt"));
    std::vector<core::Hash256> wtxids;
    std::string line;
    while (std::getline(lines, line)) {
        auto h = core::Hash256::FromWireHex(Trim(line));
        ASSERT_TRUE(h) << line;
        wtxids.push_back(*h);
    }
    ASSERT_EQ(wtxids.size(), 2500u);
    const json v = json::parse(ReadText("vectors/block702861.json"));
    auto coinbase = solo::ParseTransaction(Unhex(v["coinbase"]["full_hex"].get<std::string>()));
    ASSERT_TRUE(coinbase) << coinbase.error();
    // The file's first line is the coinbase's own wtxid: the hash of its full serialization.
    EXPECT_EQ(wtxids[0], coinbase->wtxid);
    const auto* out = CommitmentOutput(*coinbase);
    ASSERT_NE(out, nullptr);
    core::Hash256 reserved;
    std::copy_n(coinbase->inputs[0].witness.at(0).begin(), 32, reserved.bytes.begin());
    const std::vector<core::Hash256> rest(wtxids.begin() + 1, wtxids.end());
    EXPECT_EQ(core::HexEncode(solo::WitnessCommitmentScript(rest, reserved)),
              core::HexEncode(out->script_pubkey));
    EXPECT_EQ(core::HexEncode(out->script_pubkey).substr(12),
              v["checks"]["witness"]["commitment_hex"].get<std::string>());
}

TEST(Transaction, MalformedBytesAreErrorsNotCrashes) {
    const Block b = Block482683();
    const auto& raw = b.raw[1];
    // Every truncation of a real transaction is an error.
    for (std::size_t n = 0; n < raw.size(); ++n) {
        auto tx = solo::ParseTransaction(std::span<const uint8_t>(raw).first(n));
        EXPECT_FALSE(tx) << n;
    }
    // Trailing bytes.
    auto longer = raw;
    longer.push_back(0);
    auto tx = solo::ParseTransaction(longer);
    ASSERT_FALSE(tx);
    EXPECT_CONTAINS(tx.error(), "1 bytes after the transaction");
    // A huge input count cannot allocate: it is refused against the bytes left.
    auto huge = Unhex("02000000fe00000001");
    tx = solo::ParseTransaction(huge);
    ASSERT_FALSE(tx);
    EXPECT_CONTAINS(tx.error(), "too many inputs");
    // Non-canonical CompactSize.
    tx = solo::ParseTransaction(Unhex("02000000fd0100"));
    ASSERT_FALSE(tx);
    EXPECT_CONTAINS(tx.error(), "non-canonical");
    // Marker without flag 01.
    tx = solo::ParseTransaction(Unhex("020000000002"));
    ASSERT_FALSE(tx);
    EXPECT_CONTAINS(tx.error(), "witness flag");
}

TEST(Transaction, SigopCountingFollowsCore) {
    EXPECT_EQ(solo::CountLegacySigops(Unhex("76a91477bff20c60e522dfaa3350c39b030a5d004e839a88ac")),
              1);
    EXPECT_EQ(solo::CountLegacySigops(Unhex("0014751e76e8199196d454941c45d1b3a323f1433bd6")), 0);
    // OP_1 <33-byte key> OP_1 OP_CHECKMULTISIG
    EXPECT_EQ(solo::CountLegacySigops(Unhex("5121" + std::string(66, '2') + "51ae")), 20);
    EXPECT_EQ(solo::CountLegacySigops(Unhex("02acac")), 0);     // pushed data, not ops
    EXPECT_EQ(solo::CountLegacySigops(Unhex("4c02acacac")), 1); // PUSHDATA1 then CHECKSIG
    EXPECT_EQ(solo::CountLegacySigops(Unhex("ac4c")), 1);       // stops at a bad push
    EXPECT_EQ(solo::CountLegacySigops(Unhex("adafae")), 41);
}

TEST(Subsidy, HalvingsOfMainnetAndRegtest) {
    EXPECT_EQ(solo::BlockSubsidy(0, solo::Chain::Main), 5'000'000'000);
    EXPECT_EQ(solo::BlockSubsidy(209999, solo::Chain::Main), 5'000'000'000);
    EXPECT_EQ(solo::BlockSubsidy(210000, solo::Chain::Main), 2'500'000'000);
    EXPECT_EQ(solo::BlockSubsidy(482683, solo::Chain::Main), 1'250'000'000);
    EXPECT_EQ(solo::BlockSubsidy(840000, solo::Chain::Main), 312'500'000);
    EXPECT_EQ(solo::BlockSubsidy(840000, solo::Chain::Testnet4), 312'500'000);
    EXPECT_EQ(solo::BlockSubsidy(149, solo::Chain::Regtest), 5'000'000'000);
    EXPECT_EQ(solo::BlockSubsidy(150, solo::Chain::Regtest), 2'500'000'000);
    EXPECT_EQ(solo::BlockSubsidy(64 * 210000, solo::Chain::Main), 0);
    EXPECT_EQ(solo::BlockSubsidy(33 * 210000, solo::Chain::Main), 0); // 5e9 >> 33 rounds to 0
    EXPECT_EQ(solo::BlockSubsidy(32 * 210000, solo::Chain::Main), 1);
}

// ---- The template ----

TEST(BlockTemplate, ParsesEveryFieldOfATemplateForBlock482683) {
    const Block b = Block482683();
    auto t = solo::ParseBlockTemplate(TemplateOf(b, 482683));
    ASSERT_TRUE(t) << t.error();
    EXPECT_EQ(t->version, 0x20000002u);
    EXPECT_EQ(t->rules, (std::vector<std::string>{"csv", "!segwit"}));
    EXPECT_TRUE(t->segwit);
    EXPECT_EQ(t->previous_block_hash, b.header.prev_hash);
    ASSERT_EQ(t->transactions.size(), 11u);
    for (std::size_t i = 0; i < 11; ++i) {
        EXPECT_EQ(t->transactions[i].txid, b.txs[i + 1].txid);
        EXPECT_EQ(t->transactions[i].wtxid, b.txs[i + 1].wtxid);
        EXPECT_EQ(t->transactions[i].data, b.raw[i + 1]);
        EXPECT_EQ(t->transactions[i].weight, b.txs[i + 1].Weight());
        EXPECT_EQ(t->transactions[i].sigops, 4);
    }
    EXPECT_EQ(t->coinbase_value, 1256817877); // the block's coinbase output: 12.5 BTC + fees
    EXPECT_EQ(t->bits, 0x18013ce9u);
    EXPECT_EQ(t->target, core::DecodeCompact(0x18013ce9).target);
    EXPECT_EQ(t->height, 482683u);
    EXPECT_EQ(t->curtime, b.header.time);
    EXPECT_EQ(t->mintime, b.header.time - 600);
    EXPECT_EQ(t->sigop_limit, 80000);
    EXPECT_EQ(t->size_limit, 4000000);
    EXPECT_EQ(t->weight_limit, 4000000);
    EXPECT_EQ(t->longpollid, b.header.prev_hash.ToDisplayHex() + "5");
    EXPECT_EQ(core::HexEncode(t->default_witness_commitment),
              "6a24aa21a9ed0f8b0182863aa4713e94bb72c47c57dcbae7de8f3df2af23453f60f1965dab77");
    EXPECT_TRUE(t->coinbase_aux.empty());
}

TEST(BlockTemplate, JobBranchWithTheBlocksOwnCoinbaseGivesItsMerkleRoot) {
    const Block b = Block482683();
    auto t = solo::ParseBlockTemplate(TemplateOf(b, 482683));
    ASSERT_TRUE(t) << t.error();
    auto job = solo::MakeSoloJob(*t, Options());
    ASSERT_TRUE(job) << job.error();
    EXPECT_EQ((*job)->merkle_branch.size(), 4u); // 12 leaves: 4 levels
    EXPECT_EQ(core::MerkleRootFromBranch(b.txs[0].txid, (*job)->merkle_branch),
              b.header.merkle_root);
    EXPECT_EQ((*job)->prev_hash, b.header.prev_hash);
    EXPECT_EQ((*job)->version, b.header.version);
    EXPECT_EQ((*job)->nbits, b.header.bits);
    EXPECT_EQ((*job)->ntime, b.header.time);
    EXPECT_EQ((*job)->version_mask, 0x1fffe000u);
    EXPECT_EQ((*job)->share_target, core::DecodeCompact(b.header.bits).target);
    EXPECT_DOUBLE_EQ((*job)->share_difficulty, core::DifficultyFromBits(b.header.bits));
    EXPECT_EQ((*job)->extranonce1, Options().extranonce1);
    EXPECT_EQ((*job)->extranonce2_size, 8u);
    // With the block's own header fields and nonce, the job reproduces the mined header.
    const core::Hash256 root = core::MerkleRootFromBranch(b.txs[0].txid, (*job)->merkle_branch);
    core::BlockHeader h = b.header;
    h.merkle_root = root;
    EXPECT_EQ(h.Hash().ToDisplayHex(),
              "000000000000000000c238240ef6dcb26c37e75e16514e6ffc0aef7eee73e747");
}

TEST(BlockTemplate, JobCoinbaseParsesBackAsTheCoinbaseAsked) {
    const Block b = Block482683();
    auto t = solo::ParseBlockTemplate(TemplateOf(b, 482683));
    ASSERT_TRUE(t) << t.error();
    const auto options = Options();
    auto job = solo::MakeSoloJob(*t, options);
    ASSERT_TRUE(job) << job.error();
    const std::vector<uint8_t> en2 = {1, 2, 3, 4, 5, 6, 7, 8};
    const auto bytes = (*job)->Coinbase(en2);
    auto cb = solo::ParseTransaction(bytes);
    ASSERT_TRUE(cb) << cb.error();
    EXPECT_TRUE(cb->IsCoinbase());
    EXPECT_FALSE(cb->HasWitness()); // coinb1|en1|en2|coinb2 is the txid serialization
    EXPECT_EQ(cb->version, 2);
    EXPECT_EQ(cb->inputs[0].sequence, 0xffffffffu);
    EXPECT_EQ(cb->locktime, 0u);
    // scriptSig: height, push of extranonce1|extranonce2, push of the coinbase sig.
    EXPECT_EQ(core::HexEncode(cb->inputs[0].script_sig),
              "037b5d07"
              "0c"
              "deadbeef"
              "0102030405060708"
              "0c" +
                  core::HexEncode(std::vector<uint8_t>(options.coinbase_sig.begin(),
                                                       options.coinbase_sig.end())));
    // coinb1 ends right before the extranonce.
    EXPECT_EQ(core::HexEncode((*job)->coinb1).substr(core::HexEncode((*job)->coinb1).size() - 10),
              "037b5d070c");
    ASSERT_EQ(cb->outputs.size(), 2u);
    EXPECT_EQ(cb->outputs[0].value, 1256817877);
    EXPECT_EQ(cb->outputs[0].script_pubkey, options.payout_script);
    EXPECT_EQ(cb->outputs[1].value, 0);
    EXPECT_EQ(cb->outputs[1].script_pubkey, t->default_witness_commitment);
    const auto info = core::DecodeCoinbase(bytes);
    EXPECT_EQ(info.height, 482683u);
    EXPECT_EQ(info.value, 1256817877u);
}

TEST(BlockTemplate, SubmittedBlockIsConsistent) {
    const Block b = Block482683();
    auto t = solo::ParseBlockTemplate(TemplateOf(b, 482683));
    ASSERT_TRUE(t) << t.error();
    auto job = solo::MakeSoloJob(*t, Options());
    ASSERT_TRUE(job) << job.error();
    core::Share share;
    share.job = *job;
    share.extranonce2 = {9, 8, 7, 6, 5, 4, 3, 2};
    share.ntime = b.header.time + 7;
    share.nonce = 0x12345678;
    share.version = 0x20000002 | 0x00ffe000; // rolled bits inside the mask
    const auto header = (*job)->Header(share.extranonce2, share.ntime, share.nonce, share.version);
    share.hash = header.Hash();

    const std::string hex = solo::SerializeBlockHex(*t, share);
    const Block out = ParseBlock(Unhex(hex));
    ASSERT_EQ(out.txs.size(), 12u);
    EXPECT_EQ(out.header.Hash(), share.hash);
    EXPECT_EQ(out.header.version, share.version);
    EXPECT_EQ(out.header.time, share.ntime);
    EXPECT_EQ(out.header.nonce, share.nonce);
    EXPECT_EQ(out.header.bits, b.header.bits);
    EXPECT_EQ(out.header.prev_hash, b.header.prev_hash);
    // The header commits to the transactions that follow it...
    EXPECT_EQ(core::MerkleRootOfTxids(Txids(out)), out.header.merkle_root);
    // ...the coinbase carries the zero reserved value, and its commitment matches the wtxids.
    ASSERT_EQ(out.txs[0].inputs[0].witness.size(), 1u);
    EXPECT_EQ(out.txs[0].inputs[0].witness[0], std::vector<uint8_t>(32, 0));
    EXPECT_EQ(out.txs[0].txid, core::Sha256d((*job)->Coinbase(share.extranonce2)));
    std::vector<core::Hash256> wtxids;
    for (std::size_t i = 1; i < out.txs.size(); ++i) {
        wtxids.push_back(out.txs[i].wtxid);
        EXPECT_EQ(out.raw[i], b.raw[i]) << i; // the template's transactions as given
    }
    EXPECT_EQ(solo::WitnessCommitmentScript(wtxids), CommitmentOutput(out.txs[0])->script_pubkey);
    // Block weight within the consensus limit.
    int64_t weight = 4 * 81;
    for (const auto& tx : out.txs) {
        weight += tx.Weight();
    }
    EXPECT_LE(weight, 4000000);
}

TEST(BlockTemplate, WithoutWitnessCommitmentTheCoinbaseIsLegacy) {
    const Block b = Block482683();
    json j = TemplateOf(b, 482683);
    // Keep only transactions without witness; no commitment.
    json txs = json::array();
    for (const auto& tx : j["transactions"]) {
        if (tx["txid"] == tx["hash"]) {
            txs.push_back(tx);
        }
    }
    ASSERT_EQ(txs.size(), 10u);
    j["transactions"] = txs;
    j.erase("default_witness_commitment");
    j["rules"] = json::array({"csv"});
    auto t = solo::ParseBlockTemplate(j);
    ASSERT_TRUE(t) << t.error();
    EXPECT_FALSE(t->segwit);
    auto job = solo::MakeSoloJob(*t, Options());
    ASSERT_TRUE(job) << job.error();
    core::Share share;
    share.job = *job;
    share.extranonce2 = std::vector<uint8_t>(8, 0);
    share.ntime = t->curtime;
    share.version = t->version;
    const Block out = ParseBlock(Unhex(solo::SerializeBlockHex(*t, share)));
    ASSERT_EQ(out.txs.size(), 11u);
    EXPECT_FALSE(out.txs[0].HasWitness());
    ASSERT_EQ(out.txs[0].outputs.size(), 1u);
    EXPECT_EQ(out.raw[0], (*job)->Coinbase(share.extranonce2));
    EXPECT_EQ(core::MerkleRootOfTxids(Txids(out)), out.header.merkle_root);
}

TEST(BlockTemplate, EmptyTemplateHasNoBranch) {
    const Block b = Block482683();
    json j = TemplateOf(b, 482683);
    j["transactions"] = json::array();
    j["default_witness_commitment"] = core::HexEncode(solo::WitnessCommitmentScript({}));
    auto t = solo::ParseBlockTemplate(j);
    ASSERT_TRUE(t) << t.error();
    auto job = solo::MakeSoloJob(*t, Options());
    ASSERT_TRUE(job) << job.error();
    EXPECT_TRUE((*job)->merkle_branch.empty());
    const std::vector<uint8_t> en2(8, 0x42);
    EXPECT_EQ((*job)->MerkleRoot(en2), core::Sha256d((*job)->Coinbase(en2)));
}

TEST(BlockTemplate, VersionMaskLeavesRequiredBitsAlone) {
    const Block b = Block482683();
    json j = TemplateOf(b, 482683);
    j["vbrequired"] = 1 << 28;
    j["vbavailable"] = {{"testdummy", 28}};
    auto t = solo::ParseBlockTemplate(j);
    ASSERT_TRUE(t) << t.error();
    EXPECT_EQ(t->vbrequired, 1u << 28);
    auto job = solo::MakeSoloJob(*t, Options());
    ASSERT_TRUE(job) << job.error();
    EXPECT_EQ((*job)->version_mask, 0x0fffe000u);
}

TEST(BlockTemplate, ShareTargetForLocalStatistics) {
    const Block b = Block482683();
    auto t = solo::ParseBlockTemplate(TemplateOf(b, 482683));
    ASSERT_TRUE(t) << t.error();
    const core::U256 easy = *core::DifficultyToTarget(1024.0);
    auto job = solo::MakeSoloJob(*t, Options(), easy);
    ASSERT_TRUE(job) << job.error();
    EXPECT_EQ((*job)->share_target, easy);
    EXPECT_DOUBLE_EQ((*job)->share_difficulty, 1024.0);
    EXPECT_EQ((*job)->NetworkTarget(), t->target);
    // A share target harder than the network's would miss blocks.
    auto hard = solo::MakeSoloJob(*t, Options(), t->target >> 1);
    ASSERT_FALSE(hard);
    EXPECT_CONTAINS(hard.error(), "below the network target");
    EXPECT_FALSE(solo::MakeSoloJob(*t, Options(), core::U256()));
}

TEST(BlockTemplate, CoinbaseSigMayFillTheScriptSigButNotMore) {
    const Block b = Block482683();
    auto t = solo::ParseBlockTemplate(TemplateOf(b, 482683));
    ASSERT_TRUE(t) << t.error();
    auto options = Options();
    // 100 = 4 (height) + 1 + 12 (extranonce) + 2 + 81 (PUSHDATA1 sig).
    options.coinbase_sig = std::string(81, 'x');
    auto job = solo::MakeSoloJob(*t, options);
    ASSERT_TRUE(job) << job.error();
    auto cb = solo::ParseTransaction((*job)->Coinbase(std::vector<uint8_t>(8, 0)));
    ASSERT_TRUE(cb) << cb.error();
    EXPECT_EQ(cb->inputs[0].script_sig.size(), 100u);
    options.coinbase_sig = std::string(82, 'x');
    job = solo::MakeSoloJob(*t, options);
    ASSERT_FALSE(job);
    EXPECT_CONTAINS(job.error(), "coinbase sig is 82 bytes, too long");
    EXPECT_CONTAINS(job.error(), "at most 81 bytes of coinbase sig fit");
    // Around the PUSHDATA1 boundary: a 75-byte sig is a direct push.
    options.coinbase_sig = std::string(75, 'y');
    job = solo::MakeSoloJob(*t, options);
    ASSERT_TRUE(job) << job.error();
    cb = solo::ParseTransaction((*job)->Coinbase(std::vector<uint8_t>(8, 0)));
    EXPECT_EQ(cb->inputs[0].script_sig.size(), 4u + 13u + 76u);
    // No sig at all: height and extranonce only.
    options.coinbase_sig.clear();
    job = solo::MakeSoloJob(*t, options);
    ASSERT_TRUE(job) << job.error();
    cb = solo::ParseTransaction((*job)->Coinbase(std::vector<uint8_t>(8, 0)));
    EXPECT_EQ(core::HexEncode(cb->inputs[0].script_sig), "037b5d070cdeadbeef0000000000000000");
}

TEST(BlockTemplate, BadCoinbaseOptionsAreRefused) {
    const Block b = Block482683();
    auto t = solo::ParseBlockTemplate(TemplateOf(b, 482683));
    ASSERT_TRUE(t) << t.error();
    auto o = Options();
    o.payout_script.clear();
    EXPECT_CONTAINS(solo::MakeSoloJob(*t, o).error(), "payout script");
    o = Options();
    o.extranonce2_size = 0;
    EXPECT_CONTAINS(solo::MakeSoloJob(*t, o).error(), "extranonce2 size 0");
    o.extranonce2_size = 33;
    EXPECT_CONTAINS(solo::MakeSoloJob(*t, o).error(), "extranonce2 size 33");
    o = Options();
    o.extranonce1.assign(70, 1);
    EXPECT_CONTAINS(solo::MakeSoloJob(*t, o).error(), "78 bytes (at most 75)");
}

TEST(BlockTemplate, BlockLimitsIncludeTheCoinbase) {
    const Block b = Block482683();
    json j = TemplateOf(b, 482683);
    auto t = solo::ParseBlockTemplate(j);
    ASSERT_TRUE(t) << t.error();
    int64_t weight = 0;
    int64_t size = 0;
    for (const auto& tx : t->transactions) {
        weight += tx.weight;
        size += int64_t(tx.data.size());
    }
    // The limits exactly at the template's transactions: the coinbase no longer fits.
    t->weight_limit = weight;
    auto job = solo::MakeSoloJob(*t, Options());
    ASSERT_FALSE(job);
    EXPECT_CONTAINS(job.error(), "over the template's weightlimit");
    t->weight_limit = 4000000;
    t->size_limit = size;
    job = solo::MakeSoloJob(*t, Options());
    ASSERT_FALSE(job);
    EXPECT_CONTAINS(job.error(), "over the template's sizelimit");
    t->size_limit = 4000000;
    t->sigop_limit = 11 * 4; // the transactions' own; the P2PKH payout adds 4 more
    auto o = Options();
    o.payout_script = Unhex("76a91477bff20c60e522dfaa3350c39b030a5d004e839a88ac");
    job = solo::MakeSoloJob(*t, o);
    ASSERT_FALSE(job);
    EXPECT_CONTAINS(job.error(), "48 sigops, over the template's sigoplimit 44");
    // A P2WPKH payout has no legacy sigops: it fits.
    EXPECT_TRUE(solo::MakeSoloJob(*t, Options()));
}

TEST(BlockTemplate, CoinbaseAuxIsCarriedInTheScriptSig) {
    const Block b = Block482683();
    json j = TemplateOf(b, 482683);
    j["coinbaseaux"] = {{"flags", "062f503253482f"}};
    auto t = solo::ParseBlockTemplate(j);
    ASSERT_TRUE(t) << t.error();
    EXPECT_EQ(core::HexEncode(t->coinbase_aux), "062f503253482f");
    auto job = solo::MakeSoloJob(*t, Options());
    ASSERT_TRUE(job) << job.error();
    auto cb = solo::ParseTransaction((*job)->Coinbase(std::vector<uint8_t>(8, 0)));
    ASSERT_TRUE(cb);
    EXPECT_CONTAINS(core::HexEncode(cb->inputs[0].script_sig), "07062f503253482f");
}

// ---- Bitcoin Core as the judge ----

// Templates captured from Bitcoin Core's regtest getblocktemplate and the blocks this code
// made from them, which that node's submitblock accepted (tests/data/solo/README.md). The
// code must still make those exact bytes.
class RegtestFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(RegtestFixture, MakesTheBlockCoreAccepted) {
    const json fx = json::parse(ReadText("solo/" + GetParam() + ".json"));
    auto t = solo::ParseBlockTemplate(fx["template"]);
    ASSERT_TRUE(t) << t.error();
    EXPECT_EQ(t->height, fx["template"]["height"].get<uint32_t>());
    EXPECT_EQ(t->bits, 0x207fffffu);
    solo::CoinbaseOptions o;
    o.payout_script = Unhex(fx["options"]["payout_script"]);
    o.extranonce1 = Unhex(fx["options"]["extranonce1"]);
    o.extranonce2_size = fx["options"]["extranonce2_size"];
    o.coinbase_sig = fx["options"]["coinbase_sig"];
    auto job = solo::MakeSoloJob(*t, o);
    ASSERT_TRUE(job) << job.error();
    core::Share share;
    share.job = *job;
    share.extranonce2 = Unhex(fx["share"]["extranonce2"]);
    share.ntime = fx["share"]["ntime"];
    share.nonce = fx["share"]["nonce"];
    share.version = fx["share"]["version"];
    const std::string hex = solo::SerializeBlockHex(*t, share);
    EXPECT_EQ(hex, fx["accepted_block_hex"].get<std::string>());

    const Block b = ParseBlock(Unhex(hex));
    ASSERT_EQ(b.txs.size(), t->transactions.size() + 1);
    EXPECT_TRUE(core::HashMeetsTarget(b.header.Hash(), t->target));
    const auto height = solo::EncodeBip34Height(t->height);
    EXPECT_TRUE(std::equal(height.begin(), height.end(), b.txs[0].inputs[0].script_sig.begin()));
    EXPECT_EQ(b.txs[0].outputs[0].value, t->coinbase_value);
}

INSTANTIATE_TEST_SUITE_P(Core, RegtestFixture,
                         ::testing::Values("regtest_height1", "regtest_height301_txs"));

TEST(RegtestFixtureDetails, HeightOneIsOpOneAndDependsAreKept) {
    json fx = json::parse(ReadText("solo/regtest_height1.json"));
    auto t = solo::ParseBlockTemplate(fx["template"]);
    ASSERT_TRUE(t) << t.error();
    EXPECT_EQ(t->height, 1u);
    EXPECT_EQ(core::HexEncode(solo::EncodeBip34Height(t->height)), "51");
    EXPECT_EQ(t->coinbase_value, 5'000'000'000);
    EXPECT_EQ(t->coinbase_value, solo::BlockSubsidy(t->height, solo::Chain::Regtest));

    fx = json::parse(ReadText("solo/regtest_height301_txs.json"));
    t = solo::ParseBlockTemplate(fx["template"]);
    ASSERT_TRUE(t) << t.error();
    ASSERT_EQ(t->transactions.size(), 6u);
    int64_t fees = 0;
    std::size_t with_depends = 0;
    for (const auto& tx : t->transactions) {
        fees += tx.fee;
        with_depends += tx.depends.empty() ? 0 : 1;
        EXPECT_NE(tx.txid, tx.wtxid); // all spend a P2WSH output
    }
    EXPECT_EQ(with_depends, 2u);
    EXPECT_EQ(t->coinbase_value, solo::BlockSubsidy(t->height, solo::Chain::Regtest) + fees);
    EXPECT_EQ(t->version, 0x30000000u); // testdummy's bit 28 signalled by the template
}
