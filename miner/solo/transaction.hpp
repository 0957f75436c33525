// Bitcoin transactions as bytes: reading one (legacy or BIP 144 witness serialization) with its
// txid, wtxid, sizes and weight, and writing one back. Used to check what getblocktemplate
// hands over, and by the tests to take real blocks apart. No I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "nonceforge/core/expected.hpp"
#include "nonceforge/core/hash256.hpp"

namespace nonceforge::miner::solo {

struct TxInput {
    core::Hash256 prev_txid; // internal order
    uint32_t prev_index = 0;
    std::vector<uint8_t> script_sig;
    uint32_t sequence = 0xffffffff;
    std::vector<std::vector<uint8_t>> witness;
};

struct TxOutput {
    int64_t value = 0; // satoshis
    std::vector<uint8_t> script_pubkey;
};

struct Transaction {
    int32_t version = 2;
    std::vector<TxInput> inputs;
    std::vector<TxOutput> outputs;
    uint32_t locktime = 0;

    // Filled by ReadTransaction.
    core::Hash256 txid;        // sha256d of the serialization without witness
    core::Hash256 wtxid;       // sha256d of the full serialization (the txid without witness)
    std::size_t size = 0;      // bytes of the full serialization
    std::size_t base_size = 0; // bytes without the witness

    bool HasWitness() const;
    bool IsCoinbase() const; // one input spending the null prevout (zero hash, index ffffffff)
    int64_t Weight() const { return int64_t(base_size) * 3 + int64_t(size); }
};

// Reads the transaction at the start of `bytes`; `consumed` (when given) receives its length.
// Errors say what is malformed and where; counts are bounded by the bytes left, so a hostile
// count cannot allocate more than the input's size.
core::Expected<Transaction, std::string> ReadTransaction(std::span<const uint8_t> bytes,
                                                         std::size_t* consumed = nullptr);

// Exactly one transaction, no trailing bytes.
core::Expected<Transaction, std::string> ParseTransaction(std::span<const uint8_t> bytes);

// The serialization, with the witness (marker 00, flag 01) when `with_witness` and any input
// has one.
std::vector<uint8_t> SerializeTransaction(const Transaction& tx, bool with_witness);

// Little-endian integers, as transactions and headers carry them.
void AppendLE32(std::vector<uint8_t>& out, uint32_t v);
void AppendLE64(std::vector<uint8_t>& out, uint64_t v);
// Bitcoin's CompactSize.
void AppendCompactSize(std::vector<uint8_t>& out, uint64_t n);

} // namespace nonceforge::miner::solo
