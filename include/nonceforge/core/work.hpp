// The work types that flow between the layers (DESIGN.md, "The flow of one job"):
// a Job from the Stratum session, WorkUnits cut from it for the hashing backends, and the
// Shares that come back.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "nonceforge/core/hash256.hpp"
#include "nonceforge/core/header.hpp"
#include "nonceforge/core/merkle.hpp"
#include "nonceforge/core/sha256.hpp"
#include "nonceforge/core/stratum_fields.hpp"
#include "nonceforge/core/target.hpp"
#include "nonceforge/core/u256.hpp"

namespace nonceforge::core {

// BIP 310: nVersion = (job_version & ~mask) | (bits & mask).
constexpr uint32_t RollVersion(uint32_t job_version, uint32_t mask, uint32_t bits) {
    return (job_version & ~mask) | (bits & mask);
}

// One mining.notify, made immutable together with the session state it was received under.
struct Job {
    std::string job_id;
    Hash256 prev_hash; // internal order (already word-swapped back)
    std::vector<uint8_t> coinb1;
    std::vector<uint8_t> coinb2;
    std::vector<Hash256> merkle_branch;
    uint32_t version = 0;
    uint32_t nbits = 0;
    uint32_t ntime = 0;
    // Earlier work is stale: the job source's decision (the Stratum session sets it for a new
    // prevhash whatever the pool's flag says, and for a connection's first job); the
    // dispatcher restarts on it and on nothing else.
    bool clean_jobs = false;

    std::vector<uint8_t> extranonce1;
    std::size_t extranonce2_size = 0;
    double share_difficulty = 1.0;
    U256 share_target;
    uint32_t version_mask = 0; // granted BIP 310 mask; 0 when version rolling is off

    // The mask bits the miner rolls: those the job's version leaves clear. Bits the template
    // sets inside the mask (a deployment signalling on bit 28, as regtest's testdummy does from
    // height 144) stay set, so the block signals what the template asked, and pools that read
    // the 6th submit parameter as job | bits (ckpool) or job ^ bits (public-pool) rebuild the
    // same header as BIP 310's (job & ~mask) | (bits & mask).
    uint32_t RollableVersionMask() const { return version_mask & ~version; }
    uint64_t sequence = 0; // increases with every job a session hands out
    // The job source (one per pool session, each with its own sequence) that built the job: a
    // share is only ever submitted to its own source, never to a failover pool.
    uint64_t source = 0;
    // The job's source mines for blocks (solo mining on a node): after a block candidate the
    // dispatcher stops every backend until the next job and drops the rest of the range, as a
    // second block on the same tip is worth nothing. A pool's jobs keep it false: every share
    // counts there.
    bool stop_at_block = false;

    std::vector<uint8_t> Coinbase(std::span<const uint8_t> extranonce2) const {
        return AssembleCoinbase(coinb1, extranonce1, extranonce2, coinb2);
    }
    Hash256 MerkleRoot(std::span<const uint8_t> extranonce2) const {
        return MerkleRootFromBranch(Sha256d(Coinbase(extranonce2)), merkle_branch);
    }
    BlockHeader Header(std::span<const uint8_t> extranonce2, uint32_t header_ntime, uint32_t nonce,
                       uint32_t header_version) const {
        BlockHeader h;
        h.version = header_version;
        h.prev_hash = prev_hash;
        h.merkle_root = MerkleRoot(extranonce2);
        h.time = header_ntime;
        h.bits = nbits;
        h.nonce = nonce;
        return h;
    }
    U256 NetworkTarget() const { return DecodeCompact(nbits).target; }
};

// A header ready for scanning, with a range of nonces. Backends use midstate and tail; the
// rest identifies the share a hit becomes.
struct WorkUnit {
    std::shared_ptr<const Job> job;
    std::vector<uint8_t> extranonce2;
    uint32_t ntime = 0;
    uint32_t version = 0;

    std::array<uint8_t, HEADER_SIZE> header{}; // nonce field zero
    std::array<uint32_t, 8> midstate{};        // SHA-256 state after header bytes 0..63
    U256 share_target;
    U256 network_target;

    uint32_t nonce_first = 0;
    uint64_t nonce_count = 0; // nonce_first + nonce_count <= 2^32

    // Header bytes 64..79: the last 4 bytes of the merkle root, ntime, nbits, nonce (zero here).
    std::span<const uint8_t, 16> Tail() const {
        return std::span<const uint8_t, 16>(header.data() + 64, 16);
    }

    static WorkUnit FromHeader(const BlockHeader& h, const U256& share_target) {
        WorkUnit w;
        BlockHeader zeroed = h;
        zeroed.nonce = 0;
        w.header = zeroed.Serialize();
        sha256::HeaderMidstate(w.header.data(), w.midstate.data());
        w.share_target = share_target;
        w.network_target = DecodeCompact(h.bits).target;
        w.ntime = h.time;
        w.version = h.version;
        return w;
    }

    // The full sha256d of this header with `nonce`, through the reference implementation.
    Hash256 HashWithNonce(uint32_t nonce) const {
        auto bytes = header;
        WriteLE32(bytes.data() + HEADER_NONCE_OFFSET, nonce);
        return Sha256d(bytes);
    }
};

// The fields of mining.submit after the worker name, as the pool expects the text.
struct SubmitFields {
    std::string job_id;
    std::string extranonce2;                 // raw bytes as hex
    std::string ntime;                       // big-endian hex of the u32
    std::string nonce;                       // big-endian hex of the u32
    std::optional<std::string> version_bits; // BIP 310 sixth parameter
};

// A nonce whose sha256d met the share target, re-verified with the reference hash.
struct Share {
    std::shared_ptr<const Job> job;
    std::vector<uint8_t> extranonce2;
    uint32_t ntime = 0;
    uint32_t nonce = 0;
    uint32_t version = 0; // the header's full version
    Hash256 hash;
    double difficulty = 0; // diff1 / hash
    bool block_candidate = false;
    std::string backend;
    uint64_t id = 0; // the miner's number for the share (its share ledger's), from 1; 0: none

    // `xor_version_bits`: the 6th parameter as version ^ job version (what public-pool reads)
    // instead of BIP 310's version & mask. The two agree unless the job's version has bits
    // inside the mask (see Job::RollableVersionMask).
    SubmitFields ToSubmitFields(bool xor_version_bits = false) const {
        SubmitFields f;
        f.job_id = job ? job->job_id : std::string();
        f.extranonce2 = HexEncode(extranonce2);
        f.ntime = FormatHexU32BE(ntime);
        f.nonce = FormatHexU32BE(nonce);
        if (job && job->version_mask != 0) {
            f.version_bits = FormatHexU32BE(xor_version_bits ? (version ^ job->version)
                                                             : (version & job->version_mask));
        }
        return f;
    }
};

} // namespace nonceforge::core
