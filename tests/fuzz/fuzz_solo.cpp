// libFuzzer target: what a node or a user hands the solo-mining code. The first input byte
// picks the path: 0 a payout address for one of the five chains (second byte), 1 a
// getblocktemplate result as JSON, turned into a job and a block when it parses, 2 raw
// transaction bytes. Errors are values; a parsed transaction must serialize back to its bytes,
// and a block made from a parsed template must parse back with the template's transactions.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>

#include <nlohmann/json.hpp>

#include "miner/solo/address.hpp"
#include "miner/solo/block_template.hpp"
#include "miner/solo/transaction.hpp"

using namespace nonceforge;
namespace solo = nonceforge::miner::solo;

namespace {

void Check(bool ok) {
    if (!ok) {
        std::abort();
    }
}

void Address(std::span<const uint8_t> in) {
    if (in.empty()) {
        return;
    }
    const auto chain = solo::Chain(in[0] % 5);
    const std::string_view text(reinterpret_cast<const char*>(in.data()) + 1, in.size() - 1);
    auto a = solo::DecodeAddress(text, chain);
    if (a) {
        Check(!a->script_pubkey.empty() && a->script_pubkey.size() <= 42);
    } else {
        Check(!a.error().empty());
    }
}

void Template(std::span<const uint8_t> in) {
    const auto j = nlohmann::json::parse(in.begin(), in.end(), nullptr, false);
    if (j.is_discarded()) {
        return;
    }
    auto t = solo::ParseBlockTemplate(j);
    if (!t) {
        Check(!t.error().empty());
        return;
    }
    solo::CoinbaseOptions o;
    o.payout_script = {0x00, 0x14};
    o.payout_script.resize(22, 0x75);
    o.coinbase_sig = "/fuzz/";
    o.extranonce1 = {1, 2, 3, 4};
    o.extranonce2_size = 4;
    auto job = solo::MakeSoloJob(*t, o);
    if (!job) {
        return;
    }
    core::Share share;
    share.job = *job;
    share.extranonce2 = {5, 6, 7, 8};
    share.ntime = t->curtime;
    share.version = t->version;
    const std::string hex = solo::SerializeBlockHex(*t, share);
    auto bytes = core::HexDecode(hex);
    Check(bytes.has_value() && bytes->size() > 80);
    std::size_t pos = 81 + (t->transactions.size() + 1 >= 0xfd ? 2 : 0);
    std::size_t used = 0;
    auto coinbase = solo::ReadTransaction(std::span<const uint8_t>(*bytes).subspan(pos), &used);
    Check(coinbase.has_value() && coinbase->IsCoinbase());
    Check(coinbase->inputs[0].script_sig.size() >= 2 &&
          coinbase->inputs[0].script_sig.size() <= 100);
    Check(bytes->size() - pos - used == [&] {
        std::size_t n = 0;
        for (const auto& tx : t->transactions) {
            n += tx.data.size();
        }
        return n;
    }());
}

void RawTransaction(std::span<const uint8_t> in) {
    auto tx = solo::ParseTransaction(in);
    if (!tx) {
        Check(!tx.error().empty());
        return;
    }
    const auto back = solo::SerializeTransaction(*tx, true);
    Check(back.size() == in.size() && std::equal(back.begin(), back.end(), in.begin()));
    Check(tx->base_size <= tx->size);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::span<const uint8_t> rest(data + 1, size - 1);
    switch (data[0] % 3) {
    case 0:
        Address(rest);
        break;
    case 1:
        Template(rest);
        break;
    default:
        RawTransaction(rest);
        break;
    }
    return 0;
}
