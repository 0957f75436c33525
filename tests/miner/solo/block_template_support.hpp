// Helpers of the block-template tests: real blocks from tests/data, a getblocktemplate
// result rebuilt from one, and the error of a bad template.
#pragma once

#include "miner/solo/address.hpp"
#include "miner/solo/block_template.hpp"
#include "miner/solo/transaction.hpp"
#include "nonceforge/core/coinbase.hpp"
#include "nonceforge/core/hex.hpp"
#include "nonceforge/core/merkle.hpp"
#include "nonceforge/core/target.hpp"
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace nf_solo_test {

namespace solo = nonceforge::miner::solo;
namespace core = nonceforge::core;
using nlohmann::json;

inline std::string ReadText(const std::string& relative) {
    std::ifstream in(std::string(NF_TEST_DATA_DIR) + "/" + relative);
    EXPECT_TRUE(in) << relative;
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

inline std::vector<uint8_t> Unhex(const std::string& hex) {
    auto b = core::HexDecode(hex);
    EXPECT_TRUE(b) << hex.substr(0, 40);
    return b ? *b : std::vector<uint8_t>{};
}

inline std::string Trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) {
        s.pop_back();
    }
    return s;
}

struct Block {
    core::BlockHeader header;
    std::vector<solo::Transaction> txs;
    std::vector<std::vector<uint8_t>> raw; // each transaction's bytes as in the block
};

// Takes a serialized block apart; every byte must belong to a transaction.
inline Block ParseBlock(const std::vector<uint8_t>& bytes) {
    Block b;
    EXPECT_GE(bytes.size(), 81u);
    b.header = core::BlockHeader::Deserialize(std::span<const uint8_t, 80>(bytes.data(), 80));
    std::size_t pos = 80;
    uint64_t count = bytes[pos];
    pos += 1;
    if (count == 0xfd) {
        count = uint64_t(bytes[pos]) | uint64_t(bytes[pos + 1]) << 8;
        pos += 2;
    }
    for (uint64_t i = 0; i < count; ++i) {
        std::size_t used = 0;
        auto tx = solo::ReadTransaction(std::span<const uint8_t>(bytes).subspan(pos), &used);
        EXPECT_TRUE(tx) << "transaction " << i << ": " << (tx ? "" : tx.error());
        if (!tx) {
            return b;
        }
        b.raw.emplace_back(bytes.begin() + std::ptrdiff_t(pos),
                           bytes.begin() + std::ptrdiff_t(pos + used));
        b.txs.push_back(std::move(*tx));
        pos += used;
    }
    EXPECT_EQ(pos, bytes.size()) << "bytes after the last transaction";
    return b;
}

inline Block Block482683() {
    return ParseBlock(Unhex(Trim(ReadText("blocks/block482683.hex"))));
}

inline std::vector<core::Hash256> Txids(const Block& b) {
    std::vector<core::Hash256> out;
    for (const auto& tx : b.txs) {
        out.push_back(tx.txid);
    }
    return out;
}

inline const solo::TxOutput* CommitmentOutput(const solo::Transaction& coinbase) {
    const solo::TxOutput* found = nullptr;
    for (const auto& o : coinbase.outputs) { // BIP 141: the last one that matches counts
        if (o.script_pubkey.size() >= 38 && o.script_pubkey[0] == 0x6a &&
            o.script_pubkey[1] == 0x24 &&
            core::HexEncode(o.script_pubkey).substr(4, 8) == "aa21a9ed") {
            found = &o;
        }
    }
    return found;
}

// What Bitcoin Core's getblocktemplate would have returned for block 482683 (mined on it
// with its own transactions): every field Core sends, the values from the block.
inline json TemplateOf(const Block& b, uint32_t height) {
    json txs = json::array();
    int64_t fees_unknown = 0;
    for (std::size_t i = 1; i < b.txs.size(); ++i) {
        txs.push_back({{"data", core::HexEncode(b.raw[i])},
                       {"txid", b.txs[i].txid.ToDisplayHex()},
                       {"hash", b.txs[i].wtxid.ToDisplayHex()},
                       {"depends", json::array()},
                       {"fee", fees_unknown},
                       {"sigops", 4},
                       {"weight", b.txs[i].Weight()}});
    }
    int64_t value = 0;
    for (const auto& o : b.txs[0].outputs) {
        value += o.value;
    }
    json t = {
        {"capabilities", {"proposal"}},
        {"version", b.header.version},
        {"rules", {"csv", "!segwit"}},
        {"vbavailable", json::object()},
        {"vbrequired", 0},
        {"previousblockhash", b.header.prev_hash.ToDisplayHex()},
        {"transactions", txs},
        {"coinbaseaux", json::object()},
        {"coinbasevalue", value},
        {"longpollid", b.header.prev_hash.ToDisplayHex() + "5"},
        {"target", core::DecodeCompact(b.header.bits).target.ToHex()},
        {"mintime", b.header.time - 600},
        {"mutable", {"time", "transactions", "prevblock"}},
        {"noncerange", "00000000ffffffff"},
        {"sigoplimit", 80000},
        {"sizelimit", 4000000},
        {"weightlimit", 4000000},
        {"curtime", b.header.time},
        {"bits", core::FormatHexU32BE(b.header.bits)},
        {"height", height},
    };
    if (const auto* c = CommitmentOutput(b.txs[0])) {
        t["default_witness_commitment"] = core::HexEncode(c->script_pubkey);
    }
    return t;
}

inline solo::CoinbaseOptions Options() {
    solo::CoinbaseOptions o;
    // bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080 / bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4
    o.payout_script = Unhex("0014751e76e8199196d454941c45d1b3a323f1433bd6");
    o.coinbase_sig = "/nonceforge/";
    o.extranonce1 = {0xde, 0xad, 0xbe, 0xef};
    o.extranonce2_size = 8;
    return o;
}

inline std::string ErrorOf(const json& j) {
    auto t = solo::ParseBlockTemplate(j);
    EXPECT_FALSE(t) << j.dump().substr(0, 200);
    return t ? std::string() : t.error();
}

#define EXPECT_CONTAINS(haystack, needle)                                                          \
    EXPECT_NE(std::string(haystack).find(needle), std::string::npos)                               \
        << "'" << (haystack) << "' lacks '" << (needle) << "'"

} // namespace nf_solo_test
