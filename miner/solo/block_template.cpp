#include "miner/solo/block_template.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "miner/solo/transaction.hpp"
#include "nonceforge/core/bytes.hpp"
#include "nonceforge/core/hex.hpp"
#include "nonceforge/core/merkle.hpp"
#include "nonceforge/core/target.hpp"

namespace nonceforge::miner::solo {

namespace {

using Json = nlohmann::json;
using Error = std::optional<std::string>;

constexpr int64_t MAX_MONEY = 21'000'000LL * 100'000'000LL;
constexpr uint32_t BIP320_VERSION_MASK = 0x1fffe000;
constexpr std::size_t MAX_COINBASE_SCRIPT_SIG = 100; // consensus: 2..100 bytes
constexpr std::size_t MIN_COINBASE_SCRIPT_SIG = 2;
constexpr std::size_t MAX_SCRIPT_SIZE = 10000;
constexpr std::size_t MAX_EXTRANONCE_PUSH = 75; // one direct push opcode
constexpr std::size_t MAX_EXTRANONCE2_SIZE = 32;
constexpr uint8_t OP_0 = 0x00;
constexpr uint8_t OP_PUSHDATA1 = 0x4c;
constexpr uint8_t OP_PUSHDATA2 = 0x4d;
constexpr uint8_t OP_PUSHDATA4 = 0x4e;
constexpr uint8_t OP_1 = 0x51;
constexpr uint8_t OP_RETURN = 0x6a;
constexpr uint8_t OP_CHECKSIG = 0xac;
constexpr uint8_t OP_CHECKSIGVERIFY = 0xad;
constexpr uint8_t OP_CHECKMULTISIG = 0xae;
constexpr uint8_t OP_CHECKMULTISIGVERIFY = 0xaf;
constexpr std::array<uint8_t, 4> WITNESS_COMMITMENT_HEADER = {0xaa, 0x21, 0xa9, 0xed};
constexpr std::size_t WITNESS_COMMITMENT_SCRIPT_SIZE = 38;
constexpr std::size_t COINBASE_WITNESS_BYTES = 2 + 1 + 1 + 32; // marker, flag, 1 item of 32

std::string TypeName(const Json& j) {
    return j.type_name();
}

// The fields of one JSON object, named in errors with their path ("transactions[3].txid").
class Fields {
public:
    Fields(const Json& object, std::string prefix)
        : m_object(object)
        , m_prefix(std::move(prefix)) {}

    std::string Name(const char* key) const { return "'" + m_prefix + key + "'"; }

    const Json* Find(const char* key) const {
        auto it = m_object.find(key);
        return it == m_object.end() ? nullptr : &*it;
    }

    Error Missing(const char* key) const { return "field " + Name(key) + " is missing"; }

    Error Int(const char* key, bool required, int64_t min, int64_t max, int64_t& out) const {
        const Json* j = Find(key);
        if (j == nullptr) {
            return required ? Missing(key) : Error();
        }
        if (!j->is_number_integer()) {
            return "field " + Name(key) + " is not an integer (" + TypeName(*j) + ")";
        }
        bool in_range = false;
        int64_t v = 0;
        if (j->is_number_unsigned()) {
            const uint64_t u = j->get<uint64_t>();
            in_range = u <= uint64_t(max) && int64_t(u) >= min;
            v = int64_t(u);
        } else {
            v = j->get<int64_t>();
            in_range = v >= min && v <= max;
        }
        if (!in_range) {
            return "field " + Name(key) + " is out of range (" + j->dump() + ", expected " +
                   std::to_string(min) + " to " + std::to_string(max) + ")";
        }
        out = v;
        return std::nullopt;
    }

    Error String(const char* key, bool required, std::string& out) const {
        const Json* j = Find(key);
        if (j == nullptr) {
            return required ? Missing(key) : Error();
        }
        if (!j->is_string()) {
            return "field " + Name(key) + " is not a string (" + TypeName(*j) + ")";
        }
        out = j->get<std::string>();
        return std::nullopt;
    }

    Error Hex(const char* key, bool required, std::vector<uint8_t>& out) const {
        std::string text;
        if (auto e = String(key, required, text)) {
            return e;
        }
        if (Find(key) == nullptr) {
            return std::nullopt;
        }
        auto bytes = core::HexDecode(text);
        if (!bytes) {
            return "field " + Name(key) + " is not hex: " + bytes.error().Message();
        }
        out = std::move(*bytes);
        return std::nullopt;
    }

    // A 32-byte hash in display order (as Bitcoin Core prints it), stored in internal order.
    Error DisplayHash(const char* key, bool required, core::Hash256& out,
                      bool* present = nullptr) const {
        std::string text;
        if (auto e = String(key, required, text)) {
            return e;
        }
        if (present != nullptr) {
            *present = Find(key) != nullptr;
        }
        if (Find(key) == nullptr) {
            return std::nullopt;
        }
        auto h = core::Hash256::FromDisplayHex(text);
        if (!h) {
            return "field " + Name(key) + " is not a 32-byte hash: " + h.error().Message();
        }
        out = *h;
        return std::nullopt;
    }

    Error StringArray(const char* key, bool required, std::vector<std::string>& out) const {
        const Json* j = Find(key);
        if (j == nullptr) {
            return required ? Missing(key) : Error();
        }
        if (!j->is_array()) {
            return "field " + Name(key) + " is not an array (" + TypeName(*j) + ")";
        }
        out.clear();
        for (std::size_t i = 0; i < j->size(); ++i) {
            if (!(*j)[i].is_string()) {
                return "field " + Name(key) + " element " + std::to_string(i) +
                       " is not a string (" + TypeName((*j)[i]) + ")";
            }
            out.push_back((*j)[i].get<std::string>());
        }
        return std::nullopt;
    }

    Error Object(const char* key, bool required, const Json*& out) const {
        const Json* j = Find(key);
        out = j;
        if (j == nullptr) {
            return required ? Missing(key) : Error();
        }
        if (!j->is_object()) {
            return "field " + Name(key) + " is not an object (" + TypeName(*j) + ")";
        }
        return std::nullopt;
    }

private:
    const Json& m_object;
    std::string m_prefix;
};

core::Unexpected<std::string> Fail(const std::string& why) {
    return core::MakeUnexpected("getblocktemplate: " + why);
}

void AppendPush(std::vector<uint8_t>& out, std::span<const uint8_t> data) {
    if (data.empty()) {
        return;
    }
    if (data.size() <= 75) {
        out.push_back(uint8_t(data.size()));
    } else if (data.size() <= 0xff) {
        out.push_back(OP_PUSHDATA1);
        out.push_back(uint8_t(data.size()));
    } else {
        out.push_back(OP_PUSHDATA2);
        out.push_back(uint8_t(data.size()));
        out.push_back(uint8_t(data.size() >> 8));
    }
    out.insert(out.end(), data.begin(), data.end());
}

std::size_t PushSize(std::size_t n) {
    return n == 0 ? 0 : n <= 75 ? 1 + n : n <= 0xff ? 2 + n : 3 + n;
}

std::size_t CompactSizeLength(uint64_t n) {
    return n < 0xfd ? 1 : n <= 0xffff ? 3 : n <= 0xffffffff ? 5 : 9;
}

Error ParseTransactionEntry(const Json& j, std::size_t index, TemplateTransaction& out) {
    const std::string prefix = "transactions[" + std::to_string(index) + "].";
    if (!j.is_object()) {
        return "field 'transactions[" + std::to_string(index) + "]' is not an object (" +
               TypeName(j) + ")";
    }
    Fields f(j, prefix);
    if (auto e = f.Hex("data", true, out.data)) {
        return e;
    }
    auto tx = ParseTransaction(out.data);
    if (!tx) {
        return "field " + f.Name("data") + " is not a transaction: " + tx.error();
    }
    if (tx->IsCoinbase()) {
        return "field " + f.Name("data") + " is a coinbase transaction";
    }
    if (auto e = f.DisplayHash("txid", true, out.txid)) {
        return e;
    }
    if (out.txid != tx->txid) {
        return "field " + f.Name("txid") + " (" + out.txid.ToDisplayHex() +
               ") is not the txid of its data (" + tx->txid.ToDisplayHex() + ")";
    }
    bool has_hash = false;
    if (auto e = f.DisplayHash("hash", false, out.wtxid, &has_hash)) {
        return e;
    }
    if (!has_hash) {
        out.wtxid = tx->wtxid;
    } else if (out.wtxid != tx->wtxid) {
        return "field " + f.Name("hash") + " (" + out.wtxid.ToDisplayHex() +
               ") is not the wtxid of its data (" + tx->wtxid.ToDisplayHex() + ")";
    }
    if (auto e = f.Int("fee", false, 0, MAX_MONEY, out.fee)) {
        return e;
    }
    if (auto e = f.Int("sigops", false, 0, 1'000'000, out.sigops)) {
        return e;
    }
    out.weight = tx->Weight();
    int64_t weight = out.weight;
    if (auto e = f.Int("weight", false, 0, INT64_MAX, weight)) {
        return e;
    }
    if (weight != out.weight) {
        return "field " + f.Name("weight") + " (" + std::to_string(weight) +
               ") is not the weight of its data (" + std::to_string(out.weight) + ")";
    }
    out.depends.clear();
    if (const Json* d = f.Find("depends")) {
        if (!d->is_array()) {
            return "field " + f.Name("depends") + " is not an array (" + TypeName(*d) + ")";
        }
        for (const Json& dep : *d) {
            // 1-based numbers of transactions before this one (whose 0-based index is `index`).
            if (!dep.is_number_integer() || dep.get<int64_t>() < 1 ||
                dep.get<int64_t>() > int64_t(index)) {
                return "field " + f.Name("depends") + " has " + dep.dump() +
                       ", not the 1-based number of an earlier transaction (" +
                       (index == 0 ? std::string("the first has none")
                                   : "1 to " + std::to_string(index)) +
                       ")";
            }
            out.depends.push_back(dep.get<uint32_t>());
        }
    }
    return std::nullopt;
}

} // namespace

core::Expected<BlockTemplate, std::string> ParseBlockTemplate(const nlohmann::json& result) {
    if (!result.is_object()) {
        return Fail("the result is not an object (" + TypeName(result) + ")");
    }
    Fields f(result, "");
    BlockTemplate t;
    int64_t v = 0;

    if (auto e = f.Int("version", true, INT32_MIN, UINT32_MAX, v)) {
        return Fail(*e);
    }
    t.version = uint32_t(v);
    if (auto e = f.StringArray("rules", true, t.rules)) {
        return Fail(*e);
    }
    t.segwit = std::any_of(t.rules.begin(), t.rules.end(),
                           [](const std::string& r) { return r == "segwit" || r == "!segwit"; });
    const Json* vbavailable = nullptr;
    if (auto e = f.Object("vbavailable", false, vbavailable)) {
        return Fail(*e);
    }
    if (vbavailable != nullptr) {
        for (auto it = vbavailable->begin(); it != vbavailable->end(); ++it) {
            if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > 31) {
                return Fail("field 'vbavailable." + it.key() + "' is not a bit number (" +
                            it->dump() + ")");
            }
        }
    }
    v = 0;
    if (auto e = f.Int("vbrequired", false, 0, UINT32_MAX, v)) {
        return Fail(*e);
    }
    t.vbrequired = uint32_t(v);
    if (auto e = f.DisplayHash("previousblockhash", true, t.previous_block_hash)) {
        return Fail(*e);
    }

    const Json* txs = f.Find("transactions");
    if (txs == nullptr) {
        return Fail(*f.Missing("transactions"));
    }
    if (!txs->is_array()) {
        return Fail("field 'transactions' is not an array (" + TypeName(*txs) + ")");
    }
    t.transactions.resize(txs->size());
    for (std::size_t i = 0; i < txs->size(); ++i) {
        if (auto e = ParseTransactionEntry((*txs)[i], i, t.transactions[i])) {
            return Fail(*e);
        }
    }

    const Json* aux = nullptr;
    if (auto e = f.Object("coinbaseaux", false, aux)) {
        return Fail(*e);
    }
    if (aux != nullptr) {
        for (auto it = aux->begin(); it != aux->end(); ++it) {
            if (!it->is_string()) {
                return Fail("field 'coinbaseaux." + it.key() + "' is not a string (" +
                            TypeName(*it) + ")");
            }
            auto bytes = core::HexDecode(it->get<std::string>());
            if (!bytes) {
                return Fail("field 'coinbaseaux." + it.key() +
                            "' is not hex: " + bytes.error().Message());
            }
            t.coinbase_aux.insert(t.coinbase_aux.end(), bytes->begin(), bytes->end());
        }
    }
    if (auto e = f.Int("coinbasevalue", true, 0, MAX_MONEY, t.coinbase_value)) {
        return Fail(*e);
    }
    if (auto e = f.String("longpollid", false, t.longpollid)) {
        return Fail(*e);
    }

    std::string text;
    if (auto e = f.String("target", true, text)) {
        return Fail(*e);
    }
    auto target = core::U256::FromHex(text);
    if (!target) {
        return Fail("field 'target' is not 64 hex digits: " + target.error().Message());
    }
    t.target = *target;
    if (auto e = f.String("bits", true, text)) {
        return Fail(*e);
    }
    std::array<uint8_t, 4> bits{};
    if (auto err = core::HexDecodeInto(text, bits)) {
        return Fail("field 'bits' is not 8 hex digits: " + err->Message());
    }
    t.bits = core::ReadBE32(bits.data());
    const core::CompactTarget compact = core::DecodeCompact(t.bits);
    if (!compact.IsValidPow()) {
        return Fail("field 'bits' (" + text + ") is not a valid proof-of-work target (" +
                    (compact.negative   ? "negative"
                     : compact.overflow ? "overflows 256 bits"
                                        : "zero") +
                    ")");
    }
    if (compact.target != t.target) {
        return Fail("field 'bits' (" + text + ") decodes to " + compact.target.ToHex() +
                    ", not to the field 'target' " + t.target.ToHex());
    }

    if (auto e = f.Int("curtime", true, 0, UINT32_MAX, v)) {
        return Fail(*e);
    }
    t.curtime = uint32_t(v);
    v = 0;
    if (auto e = f.Int("mintime", false, 0, UINT32_MAX, v)) {
        return Fail(*e);
    }
    t.mintime = uint32_t(v);
    if (t.curtime < t.mintime) {
        return Fail("field 'curtime' (" + std::to_string(t.curtime) +
                    ") is before field 'mintime' (" + std::to_string(t.mintime) + ")");
    }
    std::vector<std::string> strings;
    if (auto e = f.StringArray("mutable", false, strings)) {
        return Fail(*e);
    }
    if (auto e = f.StringArray("capabilities", false, strings)) {
        return Fail(*e);
    }
    std::vector<uint8_t> bytes;
    if (auto e = f.Hex("noncerange", false, bytes)) {
        return Fail(*e);
    }
    if (f.Find("noncerange") != nullptr && bytes.size() != 8) {
        return Fail("field 'noncerange' is not 8 bytes (" + std::to_string(bytes.size()) + ")");
    }
    if (auto e = f.Hex("signet_challenge", false, bytes)) {
        return Fail(*e);
    }
    if (auto e = f.Int("sigoplimit", false, 1, INT64_MAX, t.sigop_limit)) {
        return Fail(*e);
    }
    if (auto e = f.Int("sizelimit", false, 1, INT64_MAX, t.size_limit)) {
        return Fail(*e);
    }
    if (auto e = f.Int("weightlimit", false, 1, INT64_MAX, t.weight_limit)) {
        return Fail(*e);
    }
    if (auto e = f.Int("height", true, 1, INT32_MAX, v)) {
        return Fail(*e);
    }
    t.height = uint32_t(v);

    if (auto e = f.Hex("default_witness_commitment", false, t.default_witness_commitment)) {
        return Fail(*e);
    }
    if (f.Find("default_witness_commitment") != nullptr) {
        const auto& c = t.default_witness_commitment;
        if (c.size() != WITNESS_COMMITMENT_SCRIPT_SIZE || c[0] != OP_RETURN || c[1] != 36 ||
            !std::equal(WITNESS_COMMITMENT_HEADER.begin(), WITNESS_COMMITMENT_HEADER.end(),
                        c.begin() + 2)) {
            return Fail("field 'default_witness_commitment' is not a BIP 141 commitment "
                        "script (6a24aa21a9ed and 32 bytes)");
        }
        std::vector<core::Hash256> wtxids;
        wtxids.reserve(t.transactions.size());
        for (const auto& tx : t.transactions) {
            wtxids.push_back(tx.wtxid);
        }
        if (WitnessCommitmentScript(wtxids) != c) {
            return Fail("field 'default_witness_commitment' does not commit to the "
                        "transactions' wtxids (with a zero witness reserved value)");
        }
    } else {
        for (std::size_t i = 0; i < t.transactions.size(); ++i) {
            if (t.transactions[i].wtxid != t.transactions[i].txid) {
                return Fail("field 'transactions[" + std::to_string(i) +
                            "]' has a witness but there is no default_witness_commitment");
            }
        }
    }
    return t;
}

std::vector<uint8_t> EncodeBip34Height(uint32_t height) {
    // CScript::push_int64: OP_0, OP_1..OP_16, else a push of the CScriptNum serialization
    // (little-endian, minimal, a 00 byte appended when the top bit is set: the number is
    // positive).
    if (height == 0) {
        return {OP_0};
    }
    if (height <= 16) {
        return {uint8_t(OP_1 + height - 1)};
    }
    std::vector<uint8_t> num;
    for (uint32_t h = height; h != 0; h >>= 8) {
        num.push_back(uint8_t(h));
    }
    if (num.back() & 0x80) {
        num.push_back(0x00);
    }
    std::vector<uint8_t> out;
    AppendPush(out, num);
    return out;
}

std::vector<uint8_t> WitnessCommitmentScript(std::span<const core::Hash256> wtxids,
                                             const core::Hash256& reserved_value) {
    std::vector<core::Hash256> leaves;
    leaves.reserve(wtxids.size() + 1);
    leaves.push_back(core::Hash256{}); // the coinbase's wtxid counts as zero
    leaves.insert(leaves.end(), wtxids.begin(), wtxids.end());
    const core::Hash256 root = core::MerkleRootOfTxids(std::move(leaves));
    const core::Hash256 commitment = core::MerkleNode(root, reserved_value);
    std::vector<uint8_t> script = {OP_RETURN, 36};
    script.insert(script.end(), WITNESS_COMMITMENT_HEADER.begin(), WITNESS_COMMITMENT_HEADER.end());
    script.insert(script.end(), commitment.bytes.begin(), commitment.bytes.end());
    return script;
}

int64_t BlockSubsidy(uint32_t height, Chain chain) {
    const uint32_t interval = chain == Chain::Regtest ? 150 : 210000;
    const uint32_t halvings = height / interval;
    if (halvings >= 64) {
        return 0;
    }
    return (50LL * 100'000'000LL) >> halvings;
}

int64_t CountLegacySigops(std::span<const uint8_t> script) {
    int64_t n = 0;
    std::size_t pos = 0;
    while (pos < script.size()) {
        const uint8_t op = script[pos++];
        std::size_t push = 0;
        if (op < OP_PUSHDATA1) {
            push = op;
        } else if (op <= OP_PUSHDATA4) {
            const std::size_t len_bytes = op == OP_PUSHDATA1 ? 1 : op == OP_PUSHDATA2 ? 2 : 4;
            if (script.size() - pos < len_bytes) {
                break;
            }
            for (std::size_t i = 0; i < len_bytes; ++i) {
                push |= std::size_t(script[pos + i]) << (8 * i);
            }
            pos += len_bytes;
        } else if (op == OP_CHECKSIG || op == OP_CHECKSIGVERIFY) {
            n += 1;
        } else if (op == OP_CHECKMULTISIG || op == OP_CHECKMULTISIGVERIFY) {
            n += 20;
        }
        if (script.size() - pos < push) {
            break;
        }
        pos += push;
    }
    return n;
}

core::Expected<std::shared_ptr<core::Job>, std::string>
MakeSoloJob(const BlockTemplate& tmpl, const CoinbaseOptions& options,
            std::optional<core::U256> share_target) {
    if (options.payout_script.empty() || options.payout_script.size() > MAX_SCRIPT_SIZE) {
        return core::MakeUnexpected("the payout script is " +
                                    std::to_string(options.payout_script.size()) +
                                    " bytes (1 to 10000)");
    }
    if (options.extranonce2_size < 1 || options.extranonce2_size > MAX_EXTRANONCE2_SIZE) {
        return core::MakeUnexpected("extranonce2 size " + std::to_string(options.extranonce2_size) +
                                    " is out of range (1 to 32 bytes)");
    }
    const std::size_t extranonce = options.extranonce1.size() + options.extranonce2_size;
    if (extranonce > MAX_EXTRANONCE_PUSH) {
        return core::MakeUnexpected("extranonce1 and extranonce2 are " +
                                    std::to_string(extranonce) + " bytes (at most 75)");
    }
    if (tmpl.height == 0) {
        return core::MakeUnexpected(std::string("the template has no height"));
    }
    if (tmpl.coinbase_value < 0 || tmpl.coinbase_value > MAX_MONEY) {
        return core::MakeUnexpected("the coinbase value " + std::to_string(tmpl.coinbase_value) +
                                    " is out of range");
    }
    const core::CompactTarget network = core::DecodeCompact(tmpl.bits);
    if (!network.IsValidPow()) {
        return core::MakeUnexpected(std::string("the template's bits are not a valid target"));
    }
    const core::U256 target = share_target.value_or(network.target);
    if (target.IsZero()) {
        return core::MakeUnexpected(std::string("the share target is zero"));
    }
    if (target < network.target) {
        return core::MakeUnexpected("the share target " + target.ToHex() +
                                    " is below the network target " + network.target.ToHex() +
                                    ": blocks would be missed");
    }

    // scriptSig: BIP 34 height | push(extranonce1 | extranonce2) | push(aux) | push(sig).
    const std::vector<uint8_t> height = EncodeBip34Height(tmpl.height);
    const std::vector<uint8_t> sig(options.coinbase_sig.begin(), options.coinbase_sig.end());
    const std::size_t script_sig_size =
        height.size() + 1 + extranonce + PushSize(tmpl.coinbase_aux.size()) + PushSize(sig.size());
    if (script_sig_size > MAX_COINBASE_SCRIPT_SIG) {
        // The longest sig whose push fits the room the rest of the scriptSig leaves.
        const std::size_t room = MAX_COINBASE_SCRIPT_SIG - (script_sig_size - PushSize(sig.size()));
        const std::size_t fits = room <= 1 ? 0 : room - 1 <= 75 ? room - 1 : room - 2;
        return core::MakeUnexpected(
            "the coinbase sig is " + std::to_string(sig.size()) +
            " bytes, too long: the coinbase scriptSig would be " + std::to_string(script_sig_size) +
            " bytes and at most 100 are allowed; with this height, extranonce" +
            (tmpl.coinbase_aux.empty() ? std::string() : " and coinbaseaux") + " at most " +
            std::to_string(fits) + " bytes of coinbase sig fit");
    }
    static_assert(MIN_COINBASE_SCRIPT_SIG <= 1 + 1 + 1); // height, push opcode, 1 extranonce byte

    auto job = std::make_shared<core::Job>();
    std::vector<uint8_t>& c1 = job->coinb1;
    AppendLE32(c1, 2); // version
    c1.push_back(1);   // one input: the null prevout
    c1.insert(c1.end(), 32, 0x00);
    AppendLE32(c1, 0xffffffff);
    c1.push_back(uint8_t(script_sig_size));
    c1.insert(c1.end(), height.begin(), height.end());
    c1.push_back(uint8_t(extranonce));

    std::vector<uint8_t>& c2 = job->coinb2;
    AppendPush(c2, tmpl.coinbase_aux);
    AppendPush(c2, sig);
    AppendLE32(c2, 0xffffffff); // sequence
    const bool commitment = !tmpl.default_witness_commitment.empty();
    c2.push_back(commitment ? 2 : 1);
    AppendLE64(c2, uint64_t(tmpl.coinbase_value));
    AppendCompactSize(c2, options.payout_script.size());
    c2.insert(c2.end(), options.payout_script.begin(), options.payout_script.end());
    if (commitment) {
        AppendLE64(c2, 0);
        AppendCompactSize(c2, tmpl.default_witness_commitment.size());
        c2.insert(c2.end(), tmpl.default_witness_commitment.begin(),
                  tmpl.default_witness_commitment.end());
    }
    AppendLE32(c2, 0); // locktime

    // The block's limits, with this coinbase.
    const std::size_t coinbase_base = c1.size() + extranonce + c2.size();
    const std::size_t coinbase_size = coinbase_base + (commitment ? COINBASE_WITNESS_BYTES : 0);
    const std::size_t header_and_count = 80 + CompactSizeLength(tmpl.transactions.size() + 1);
    int64_t size = int64_t(header_and_count + coinbase_size);
    int64_t weight = int64_t(header_and_count * 4 + coinbase_base * 3 + coinbase_size);
    int64_t sigops = 0;
    for (const auto& tx : tmpl.transactions) {
        size += int64_t(tx.data.size());
        weight += tx.weight;
        sigops += tx.sigops;
    }
    std::vector<uint8_t> script_sig(c1.end() - std::ptrdiff_t(height.size() + 1), c1.end());
    script_sig.insert(script_sig.end(), extranonce, 0x00);
    script_sig.insert(script_sig.end(), c2.begin(),
                      c2.begin() + std::ptrdiff_t(script_sig_size - script_sig.size()));
    const int64_t coinbase_sigops = CountLegacySigops(script_sig) +
                                    CountLegacySigops(options.payout_script) +
                                    CountLegacySigops(tmpl.default_witness_commitment);
    sigops += coinbase_sigops * (tmpl.segwit ? 4 : 1);
    if (size > tmpl.size_limit) {
        return core::MakeUnexpected("the block would be " + std::to_string(size) +
                                    " bytes, over the template's sizelimit " +
                                    std::to_string(tmpl.size_limit));
    }
    if (weight > tmpl.weight_limit) {
        return core::MakeUnexpected("the block would weigh " + std::to_string(weight) +
                                    ", over the template's weightlimit " +
                                    std::to_string(tmpl.weight_limit));
    }
    if (sigops > tmpl.sigop_limit) {
        return core::MakeUnexpected("the block would have " + std::to_string(sigops) +
                                    " sigops, over the template's sigoplimit " +
                                    std::to_string(tmpl.sigop_limit));
    }

    std::vector<core::Hash256> leaves;
    leaves.reserve(tmpl.transactions.size() + 1);
    leaves.push_back(core::Hash256{}); // the coinbase: not part of the branch
    for (const auto& tx : tmpl.transactions) {
        leaves.push_back(tx.txid);
    }
    job->merkle_branch = core::MerkleBranchForCoinbase(std::move(leaves));
    job->prev_hash = tmpl.previous_block_hash;
    job->version = tmpl.version;
    job->nbits = tmpl.bits;
    job->ntime = tmpl.curtime;
    job->extranonce1 = options.extranonce1;
    job->extranonce2_size = options.extranonce2_size;
    job->share_target = target;
    job->share_difficulty = core::TargetToDifficulty(target);
    job->version_mask = BIP320_VERSION_MASK & ~tmpl.vbrequired;
    return job;
}

std::string SerializeBlockHex(const BlockTemplate& tmpl, const core::Share& share) {
    if (!share.job) {
        return std::string();
    }
    const core::Job& job = *share.job;
    const auto header = job.Header(share.extranonce2, share.ntime, share.nonce, share.version);
    std::vector<uint8_t> block;
    const auto header_bytes = header.Serialize();
    block.insert(block.end(), header_bytes.begin(), header_bytes.end());
    AppendCompactSize(block, tmpl.transactions.size() + 1);
    const std::vector<uint8_t> coinbase = job.Coinbase(share.extranonce2);
    if (!tmpl.default_witness_commitment.empty() && coinbase.size() >= 8) {
        // BIP 144: version | 00 01 | inputs, outputs | witness: 1 item, 32 zero bytes | locktime.
        block.insert(block.end(), coinbase.begin(), coinbase.begin() + 4);
        block.push_back(0x00);
        block.push_back(0x01);
        block.insert(block.end(), coinbase.begin() + 4, coinbase.end() - 4);
        block.push_back(1);
        block.push_back(32);
        block.insert(block.end(), 32, 0x00);
        block.insert(block.end(), coinbase.end() - 4, coinbase.end());
    } else {
        block.insert(block.end(), coinbase.begin(), coinbase.end());
    }
    for (const auto& tx : tmpl.transactions) {
        block.insert(block.end(), tx.data.begin(), tx.data.end());
    }
    return core::HexEncode(block);
}

} // namespace nonceforge::miner::solo
