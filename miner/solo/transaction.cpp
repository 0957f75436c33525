#include "miner/solo/transaction.hpp"

#include <algorithm>
#include <optional>

#include "nonceforge/core/bytes.hpp"

namespace nonceforge::miner::solo {

namespace {

// Bitcoin Core's MAX_SIZE: no CompactSize in a transaction may exceed it.
constexpr uint64_t MAX_COMPACT_SIZE = 0x02000000;

class Reader {
public:
    explicit Reader(std::span<const uint8_t> data)
        : m_data(data) {}

    std::size_t Position() const { return m_pos; }
    std::size_t Left() const { return m_data.size() - m_pos; }
    const std::string& Error() const { return m_error; }
    bool Ok() const { return m_error.empty(); }

    bool Fail(const std::string& what) {
        if (m_error.empty()) {
            m_error = what + " at byte " + std::to_string(m_pos);
        }
        return false;
    }

    bool Bytes(std::size_t n, const char* what, const uint8_t** out) {
        if (!Ok()) {
            return false;
        }
        if (n > Left()) {
            return Fail(std::string("truncated ") + what + " (" + std::to_string(n) +
                        " bytes needed, " + std::to_string(Left()) + " left)");
        }
        *out = m_data.data() + m_pos;
        m_pos += n;
        return true;
    }
    uint32_t U32(const char* what) {
        const uint8_t* p = nullptr;
        return Bytes(4, what, &p) ? core::ReadLE32(p) : 0;
    }
    uint64_t U64(const char* what) {
        const uint8_t* p = nullptr;
        return Bytes(8, what, &p) ? core::ReadLE64(p) : 0;
    }
    uint8_t U8(const char* what) {
        const uint8_t* p = nullptr;
        return Bytes(1, what, &p) ? *p : 0;
    }
    std::optional<uint8_t> Peek(std::size_t offset) const {
        return m_pos + offset < m_data.size() ? std::optional<uint8_t>(m_data[m_pos + offset])
                                              : std::nullopt;
    }

    // A CompactSize, canonical and at most MAX_COMPACT_SIZE (Core's ReadCompactSize).
    uint64_t CompactSize(const char* what) {
        const uint8_t first = U8(what);
        uint64_t n = first;
        uint64_t min = 0;
        if (first == 0xfd) {
            const uint8_t* p = nullptr;
            n = Bytes(2, what, &p) ? uint64_t(p[0]) | uint64_t(p[1]) << 8 : 0;
            min = 0xfd;
        } else if (first == 0xfe) {
            n = U32(what);
            min = 0x10000;
        } else if (first == 0xff) {
            n = U64(what);
            min = 0x100000000ull;
        }
        if (Ok() && n < min) {
            Fail(std::string("non-canonical size of ") + what);
        }
        if (Ok() && n > MAX_COMPACT_SIZE) {
            Fail(std::string("size of ") + what + " too large (" + std::to_string(n) + ")");
        }
        return Ok() ? n : 0;
    }
    // A count of items each at least `min_item_bytes` long: more than fit is an error before
    // anything is allocated.
    uint64_t Count(const char* what, std::size_t min_item_bytes) {
        const uint64_t n = CompactSize(what);
        if (Ok() && n > Left() / min_item_bytes) {
            Fail(std::string("too many ") + what + " (" + std::to_string(n) + ") for the " +
                 std::to_string(Left()) + " bytes left");
            return 0;
        }
        return n;
    }
    std::vector<uint8_t> VarBytes(const char* what) {
        const uint64_t n = CompactSize(what);
        const uint8_t* p = nullptr;
        if (!Bytes(std::size_t(n), what, &p)) {
            return {};
        }
        return std::vector<uint8_t>(p, p + n);
    }

private:
    std::span<const uint8_t> m_data;
    std::size_t m_pos = 0;
    std::string m_error;
};

void AppendBytes(std::vector<uint8_t>& out, std::span<const uint8_t> bytes) {
    AppendCompactSize(out, bytes.size());
    out.insert(out.end(), bytes.begin(), bytes.end());
}

} // namespace

bool Transaction::HasWitness() const {
    return std::any_of(inputs.begin(), inputs.end(),
                       [](const TxInput& in) { return !in.witness.empty(); });
}

bool Transaction::IsCoinbase() const {
    return inputs.size() == 1 && inputs[0].prev_txid.IsZero() && inputs[0].prev_index == 0xffffffff;
}

void AppendLE32(std::vector<uint8_t>& out, uint32_t v) {
    uint8_t b[4];
    core::WriteLE32(b, v);
    out.insert(out.end(), b, b + 4);
}

void AppendLE64(std::vector<uint8_t>& out, uint64_t v) {
    uint8_t b[8];
    core::WriteLE64(b, v);
    out.insert(out.end(), b, b + 8);
}

void AppendCompactSize(std::vector<uint8_t>& out, uint64_t n) {
    if (n < 0xfd) {
        out.push_back(uint8_t(n));
    } else if (n <= 0xffff) {
        out.push_back(0xfd);
        out.push_back(uint8_t(n));
        out.push_back(uint8_t(n >> 8));
    } else if (n <= 0xffffffff) {
        out.push_back(0xfe);
        AppendLE32(out, uint32_t(n));
    } else {
        out.push_back(0xff);
        AppendLE64(out, n);
    }
}

std::vector<uint8_t> SerializeTransaction(const Transaction& tx, bool with_witness) {
    const bool witness = with_witness && tx.HasWitness();
    std::vector<uint8_t> out;
    AppendLE32(out, uint32_t(tx.version));
    if (witness) {
        out.push_back(0x00);
        out.push_back(0x01);
    }
    AppendCompactSize(out, tx.inputs.size());
    for (const TxInput& in : tx.inputs) {
        out.insert(out.end(), in.prev_txid.bytes.begin(), in.prev_txid.bytes.end());
        AppendLE32(out, in.prev_index);
        AppendBytes(out, in.script_sig);
        AppendLE32(out, in.sequence);
    }
    AppendCompactSize(out, tx.outputs.size());
    for (const TxOutput& o : tx.outputs) {
        AppendLE64(out, uint64_t(o.value));
        AppendBytes(out, o.script_pubkey);
    }
    if (witness) {
        for (const TxInput& in : tx.inputs) {
            AppendCompactSize(out, in.witness.size());
            for (const auto& item : in.witness) {
                AppendBytes(out, item);
            }
        }
    }
    AppendLE32(out, tx.locktime);
    return out;
}

core::Expected<Transaction, std::string> ReadTransaction(std::span<const uint8_t> bytes,
                                                         std::size_t* consumed) {
    Reader r(bytes);
    Transaction tx;
    tx.version = int32_t(r.U32("version"));
    bool witness = false;
    if (r.Peek(0) == uint8_t(0) && r.Peek(1).has_value()) {
        // BIP 144: marker 00 then flag 01. (An input count of zero is not a transaction.)
        if (r.Peek(1) != uint8_t(1)) {
            r.Fail("unknown witness flag (marker 00 not followed by 01)");
        }
        r.U8("marker");
        r.U8("flag");
        witness = true;
    }
    // An input is at least 41 bytes (36 of prevout, 1 of script length, 4 of sequence), an
    // output at least 9, a witness item at least 1.
    const uint64_t n_in = r.Count("inputs", 41);
    if (r.Ok() && n_in == 0) {
        r.Fail("no inputs");
    }
    tx.inputs.resize(std::size_t(n_in));
    for (TxInput& in : tx.inputs) {
        const uint8_t* p = nullptr;
        if (r.Bytes(32, "prevout", &p)) {
            std::copy_n(p, 32, in.prev_txid.bytes.begin());
        }
        in.prev_index = r.U32("prevout index");
        in.script_sig = r.VarBytes("scriptSig");
        in.sequence = r.U32("sequence");
    }
    const uint64_t n_out = r.Count("outputs", 9);
    tx.outputs.resize(std::size_t(n_out));
    for (TxOutput& o : tx.outputs) {
        o.value = int64_t(r.U64("output value"));
        o.script_pubkey = r.VarBytes("scriptPubKey");
        if (r.Ok() && (o.value < 0 || o.value > 21'000'000LL * 100'000'000LL)) {
            r.Fail("output value out of range");
        }
    }
    if (witness) {
        for (TxInput& in : tx.inputs) {
            const uint64_t items = r.Count("witness items", 1);
            in.witness.resize(std::size_t(items));
            for (auto& item : in.witness) {
                item = r.VarBytes("witness item");
            }
        }
        if (r.Ok() && !tx.HasWitness()) {
            r.Fail("witness serialization with all witnesses empty");
        }
    }
    tx.locktime = r.U32("locktime");
    if (!r.Ok()) {
        return core::MakeUnexpected(r.Error());
    }
    tx.size = r.Position();
    const auto full = bytes.first(tx.size);
    tx.wtxid = core::Sha256d(full);
    if (witness) {
        const auto base = SerializeTransaction(tx, false);
        tx.base_size = base.size();
        tx.txid = core::Sha256d(base);
    } else {
        tx.base_size = tx.size;
        tx.txid = tx.wtxid;
    }
    if (consumed != nullptr) {
        *consumed = tx.size;
    }
    return tx;
}

core::Expected<Transaction, std::string> ParseTransaction(std::span<const uint8_t> bytes) {
    std::size_t used = 0;
    auto tx = ReadTransaction(bytes, &used);
    if (tx && used != bytes.size()) {
        return core::MakeUnexpected(std::to_string(bytes.size() - used) +
                                    " bytes after the transaction");
    }
    return tx;
}

} // namespace nonceforge::miner::solo
