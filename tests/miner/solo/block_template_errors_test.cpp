// Bad getblocktemplate results: each is refused, and the error names the field.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "block_template_support.hpp"

namespace solo = nonceforge::miner::solo;
namespace core = nonceforge::core;
using nlohmann::json;
using namespace nf_solo_test;

// ---- Bad templates: each error names the field ----

TEST(BlockTemplateErrors, MissingRequiredFields) {
    const json good = TemplateOf(Block482683(), 482683);
    ASSERT_TRUE(solo::ParseBlockTemplate(good));
    for (const char* field : {"version", "rules", "previousblockhash", "transactions",
                              "coinbasevalue", "target", "curtime", "bits", "height"}) {
        json j = good;
        j.erase(field);
        EXPECT_CONTAINS(ErrorOf(j), std::string("field '") + field + "' is missing");
    }
    json j = good;
    j["transactions"][2].erase("data");
    EXPECT_CONTAINS(ErrorOf(j), "field 'transactions[2].data' is missing");
    j = good;
    j["transactions"][0].erase("txid");
    EXPECT_CONTAINS(ErrorOf(j), "field 'transactions[0].txid' is missing");
    // The optional ones may go.
    j = good;
    for (const char* field :
         {"capabilities", "vbavailable", "vbrequired", "coinbaseaux", "longpollid", "mintime",
          "mutable", "noncerange", "sigoplimit", "sizelimit", "weightlimit"}) {
        j.erase(field);
    }
    for (auto& tx : j["transactions"]) {
        tx.erase("hash");
        tx.erase("fee");
        tx.erase("sigops");
        tx.erase("weight");
        tx.erase("depends");
    }
    auto t = solo::ParseBlockTemplate(j);
    ASSERT_TRUE(t) << t.error();
    EXPECT_EQ(t->transactions[0].wtxid, solo::ParseBlockTemplate(good)->transactions[0].wtxid);
}

TEST(BlockTemplateErrors, WrongTypes) {
    const json good = TemplateOf(Block482683(), 482683);
    EXPECT_CONTAINS(ErrorOf(json::array()), "the result is not an object (array)");
    EXPECT_CONTAINS(ErrorOf(json(nullptr)), "the result is not an object (null)");
    const std::vector<std::pair<std::string, json>> cases = {
        {"version", "20000002"},
        {"version", 1.5},
        {"rules", "csv"},
        {"rules", {1, 2}},
        {"previousblockhash", 5},
        {"transactions", json::object()},
        {"coinbasevalue", "1"},
        {"coinbasevalue", -1},
        {"target", 0},
        {"curtime", -5},
        {"curtime", 1ll << 33},
        {"bits", 386846955},
        {"height", 0},
        {"height", "482683"},
        {"sigoplimit", 0},
        {"vbrequired", -1},
        {"vbavailable", {{"x", 40}}},
        {"coinbaseaux", {{"flags", 7}}},
        {"coinbaseaux", {{"flags", "0g"}}},
        {"mutable", {{"time", 1}}},
        {"longpollid", 17},
        {"noncerange", "00ff"},
        {"default_witness_commitment", "6a"},
        {"transactions", {5}},
    };
    for (const auto& [field, value] : cases) {
        json j = good;
        j[field] = value;
        EXPECT_CONTAINS(ErrorOf(j), "'" + field);
    }
}

TEST(BlockTemplateErrors, BadHexAndLengths) {
    const json good = TemplateOf(Block482683(), 482683);
    json j = good;
    j["previousblockhash"] = good["previousblockhash"].get<std::string>().substr(2);
    EXPECT_CONTAINS(ErrorOf(j), "field 'previousblockhash' is not a 32-byte hash");
    j = good;
    j["previousblockhash"] = "zz" + good["previousblockhash"].get<std::string>().substr(2);
    EXPECT_CONTAINS(ErrorOf(j), "invalid hex character at position 0");
    j = good;
    j["bits"] = "18013ce";
    EXPECT_CONTAINS(ErrorOf(j), "field 'bits' is not 8 hex digits");
    j = good;
    j["target"] = "00";
    EXPECT_CONTAINS(ErrorOf(j), "field 'target' is not 64 hex digits");
    j = good;
    j["transactions"][4]["data"] = "0200000";
    EXPECT_CONTAINS(ErrorOf(j), "field 'transactions[4].data' is not hex");
    j = good;
    std::string data = good["transactions"][4]["data"];
    j["transactions"][4]["data"] = data.substr(0, data.size() - 2);
    EXPECT_CONTAINS(ErrorOf(j), "field 'transactions[4].data' is not a transaction: truncated");
}

TEST(BlockTemplateErrors, BitsMustDecodeToTheTarget) {
    const json good = TemplateOf(Block482683(), 482683);
    json j = good;
    j["bits"] = "18013cea";
    const std::string e = ErrorOf(j);
    EXPECT_CONTAINS(e, "field 'bits' (18013cea) decodes to");
    EXPECT_CONTAINS(e, "not to the field 'target'");
    j = good;
    j["bits"] = "00000000";
    EXPECT_CONTAINS(ErrorOf(j), "not a valid proof-of-work target (zero)");
    j["bits"] = "04923456";
    EXPECT_CONTAINS(ErrorOf(j), "(negative)");
    j["bits"] = "ff123456";
    EXPECT_CONTAINS(ErrorOf(j), "(overflows 256 bits)");
    // Regtest's bits and target agree.
    j = good;
    j["bits"] = "207fffff";
    j["target"] = "7fffff0000000000000000000000000000000000000000000000000000000000";
    EXPECT_TRUE(solo::ParseBlockTemplate(j));
}

TEST(BlockTemplateErrors, TransactionsMustMatchTheirIds) {
    const json good = TemplateOf(Block482683(), 482683);
    json j = good;
    j["transactions"][1]["txid"] = good["transactions"][2]["txid"];
    EXPECT_CONTAINS(ErrorOf(j), "field 'transactions[1].txid'");
    EXPECT_CONTAINS(ErrorOf(j), "is not the txid of its data");
    // Byte order: the template's ids are display hex; the internal order is refused.
    j = good;
    auto txid = core::Hash256::FromDisplayHex(good["transactions"][1]["txid"].get<std::string>());
    j["transactions"][1]["txid"] = txid->ToWireHex();
    EXPECT_CONTAINS(ErrorOf(j), "is not the txid of its data");
    // A witness transaction's hash (wtxid) must be its own.
    std::size_t w = 0;
    while (good["transactions"][w]["txid"] == good["transactions"][w]["hash"]) {
        ++w;
    }
    j = good;
    j["transactions"][w]["hash"] = good["transactions"][w]["txid"];
    EXPECT_CONTAINS(ErrorOf(j), "field 'transactions[" + std::to_string(w) + "].hash'");
    EXPECT_CONTAINS(ErrorOf(j), "is not the wtxid of its data");
    j = good;
    j["transactions"][0]["weight"] = good["transactions"][0]["weight"].get<int64_t>() + 1;
    EXPECT_CONTAINS(ErrorOf(j), "field 'transactions[0].weight'");
    j = good;
    j["transactions"][3]["depends"] = {4};
    EXPECT_CONTAINS(ErrorOf(j), "field 'transactions[3].depends' has 4");
    j["transactions"][3]["depends"] = {0};
    EXPECT_CONTAINS(ErrorOf(j), "field 'transactions[3].depends' has 0");
    j["transactions"][3]["depends"] = {"1"};
    EXPECT_CONTAINS(ErrorOf(j), "field 'transactions[3].depends' has \"1\"");
    j = good;
    j["transactions"][0]["depends"] = {1};
    EXPECT_CONTAINS(ErrorOf(j), "(the first has none)");
    j = good;
    j["transactions"][3]["depends"] = {1, 3};
    EXPECT_TRUE(solo::ParseBlockTemplate(j));
}

TEST(BlockTemplateErrors, WitnessCommitmentMustMatchAndBePresent) {
    const Block b = Block482683();
    const json good = TemplateOf(b, 482683);
    json j = good;
    j.erase("default_witness_commitment");
    EXPECT_CONTAINS(ErrorOf(j), "has a witness but there is no default_witness_commitment");
    j = good;
    std::string c = good["default_witness_commitment"];
    c[c.size() - 1] = c.back() == '0' ? '1' : '0';
    j["default_witness_commitment"] = c;
    EXPECT_CONTAINS(ErrorOf(j), "'default_witness_commitment' does not commit to the "
                                "transactions' wtxids");
    j = good;
    j["default_witness_commitment"] = "6a24aa21a9ee" + c.substr(12);
    EXPECT_CONTAINS(ErrorOf(j), "not a BIP 141 commitment script");
    // Transactions in another order: the commitment no longer matches.
    j = good;
    std::swap(j["transactions"][0], j["transactions"][1]);
    EXPECT_CONTAINS(ErrorOf(j), "does not commit");
}

TEST(BlockTemplateErrors, CoinbaseInTheTransactionsAndTimes) {
    const Block b = Block482683();
    json j = TemplateOf(b, 482683);
    j["transactions"][0]["data"] = core::HexEncode(b.raw[0]);
    j["transactions"][0]["txid"] = b.txs[0].txid.ToDisplayHex();
    EXPECT_CONTAINS(ErrorOf(j), "field 'transactions[0].data' is a coinbase transaction");
    j = TemplateOf(b, 482683);
    j["mintime"] = j["curtime"].get<int64_t>() + 1;
    EXPECT_CONTAINS(ErrorOf(j), "field 'curtime'");
    EXPECT_CONTAINS(ErrorOf(j), "is before field 'mintime'");
}
