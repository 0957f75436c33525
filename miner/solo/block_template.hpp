// getblocktemplate (BIP 22/23, segwit rules of BIP 141/145) turned into the miner's Job, and a
// found share turned back into the block submitblock takes. No I/O: the node client
// (gbt_job_source.*) fetches templates and submits blocks.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <span>

#include <nlohmann/json_fwd.hpp>

#include "miner/solo/address.hpp"
#include "nonceforge/core/expected.hpp"
#include "nonceforge/core/hash256.hpp"
#include "nonceforge/core/u256.hpp"
#include "nonceforge/core/work.hpp"

namespace nonceforge::miner::solo {

struct TemplateTransaction {
    std::vector<uint8_t> data; // serialized as the template gives it (with witness if any)
    core::Hash256 txid;        // internal order (the template's hex reversed)
    core::Hash256 wtxid;       // internal order ("hash" of the template)
    int64_t fee = 0;
    int64_t sigops = 0;
    int64_t weight = 0;
    std::vector<uint32_t> depends; // 1-based indices of earlier template transactions
};

struct BlockTemplate {
    uint32_t version = 0;
    std::vector<std::string> rules;    // "csv", "!segwit", "taproot", ...
    uint32_t vbrequired = 0;           // version bits the template requires to be set
    core::Hash256 previous_block_hash; // internal order
    std::vector<TemplateTransaction> transactions;
    int64_t coinbase_value = 0;                      // satoshis: subsidy + fees
    std::vector<uint8_t> default_witness_commitment; // the output script; empty: none
    core::U256 target;
    uint32_t bits = 0;
    uint32_t height = 0;
    uint32_t mintime = 0;
    uint32_t curtime = 0;
    int64_t sigop_limit = 80000;
    int64_t size_limit = 4000000;
    int64_t weight_limit = 4000000;
    std::string longpollid; // empty: the node offers no long polling
    // coinbaseaux's values (BIP 22: data the coinbase scriptSig must carry), concatenated in
    // the order of their keys; Bitcoin Core sends none.
    std::vector<uint8_t> coinbase_aux;
    bool segwit = false; // "segwit" or "!segwit" among the rules: sigops count as BIP 141 cost
};

// Validates and converts the `result` of getblocktemplate. Every field is checked (types,
// hex, lengths, bits against target); the error names the field.
core::Expected<BlockTemplate, std::string> ParseBlockTemplate(const nlohmann::json& result);

struct CoinbaseOptions {
    std::vector<uint8_t> payout_script; // Address::script_pubkey
    std::string coinbase_sig;           // --coinbase-sig, pushed into the scriptSig
    std::vector<uint8_t> extranonce1;   // fixed per run (random), before the rolled extranonce2
    std::size_t extranonce2_size = 8;
};

// The Job for a template: coinb1 | extranonce1 | extranonce2 | coinb2 is the coinbase's
// non-witness serialization (BIP 34 height first in the scriptSig, then the extranonce, then
// the coinbase sig; scriptSig at most 100 bytes), paying coinbase_value to the payout script
// and carrying the default witness commitment output; merkle_branch over the template's txids;
// version from the template with version_mask 0x1fffe000 less vbrequired (BIP 320); ntime
// curtime; share target the network target unless `share_target` is given (local statistics).
// job_id, sequence, source and clean_jobs are the caller's.
core::Expected<std::shared_ptr<core::Job>, std::string>
MakeSoloJob(const BlockTemplate& tmpl, const CoinbaseOptions& options,
            std::optional<core::U256> share_target = std::nullopt);

// The block of `share` (found on a job MakeSoloJob made from `tmpl`) as submitblock's hex:
// the share's 80-byte header, the transaction count, the coinbase with its witness (one
// 32-byte zero item, when the template has a witness commitment) and the template's
// transactions as given.
std::string SerializeBlockHex(const BlockTemplate& tmpl, const core::Share& share);

// ---- The pieces, for the node client and the tests ----

// The scriptSig prefix BIP 34 requires: Bitcoin Core's `CScript() << height` (OP_1..OP_16 for
// heights 1..16, otherwise a push of the minimal little-endian CScriptNum, e.g. 128 -> 02 80 00).
std::vector<uint8_t> EncodeBip34Height(uint32_t height);

// The BIP 141 commitment output script (OP_RETURN, 36-byte push of aa21a9ed and
// sha256d(witness merkle root || reserved_value)) over the wtxids (internal order) of the
// block's transactions after the coinbase; the coinbase's own counts as zero.
std::vector<uint8_t> WitnessCommitmentScript(std::span<const core::Hash256> wtxids,
                                             const core::Hash256& reserved_value = {});

// The block subsidy in satoshis at `height` (50 BTC halving every 210,000 blocks, every 150 on
// regtest); zero from the 64th halving.
int64_t BlockSubsidy(uint32_t height, Chain chain);

// Legacy sigops of a script the way Bitcoin Core's GetSigOpCount(false) counts them
// (CHECKSIG 1, CHECKMULTISIG 20; counting stops at a malformed push).
int64_t CountLegacySigops(std::span<const uint8_t> script);

} // namespace nonceforge::miner::solo
