// Coinbase assembly and the merkle root a Stratum job implies.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "nonceforge/core/hash256.hpp"

namespace nonceforge::core {

// coinbase = coinb1 || extranonce1 || extranonce2 || coinb2, raw bytes, nothing reversed. This is
// the non-witness serialization, so its sha256d is the coinbase txid.
inline std::vector<uint8_t> AssembleCoinbase(std::span<const uint8_t> coinb1,
                                             std::span<const uint8_t> extranonce1,
                                             std::span<const uint8_t> extranonce2,
                                             std::span<const uint8_t> coinb2) {
    std::vector<uint8_t> tx;
    tx.reserve(coinb1.size() + extranonce1.size() + extranonce2.size() + coinb2.size());
    tx.insert(tx.end(), coinb1.begin(), coinb1.end());
    tx.insert(tx.end(), extranonce1.begin(), extranonce1.end());
    tx.insert(tx.end(), extranonce2.begin(), extranonce2.end());
    tx.insert(tx.end(), coinb2.begin(), coinb2.end());
    return tx;
}

// sha256d(left || right): one merkle node.
inline Hash256 MerkleNode(const Hash256& left, const Hash256& right) {
    uint8_t buf[64];
    std::copy(left.bytes.begin(), left.bytes.end(), buf);
    std::copy(right.bytes.begin(), right.bytes.end(), buf + 32);
    Hash256 out;
    sha256::Sha256d(buf, 64, out.bytes.data());
    return out;
}

// Stratum sends the coinbase's siblings bottom-up; the coinbase is always the leftmost leaf,
// so each step hashes root || branch[i].
inline Hash256 MerkleRootFromBranch(const Hash256& coinbase_txid, std::span<const Hash256> branch) {
    Hash256 root = coinbase_txid;
    for (const Hash256& sibling : branch) {
        root = MerkleNode(root, sibling);
    }
    return root;
}

// The full tree over txids (internal order), duplicating the last node of an odd level, as
// Bitcoin does. Used by tests and the local pool to derive a branch.
inline Hash256 MerkleRootOfTxids(std::vector<Hash256> level) {
    if (level.empty()) {
        return Hash256{};
    }
    while (level.size() > 1) {
        if (level.size() % 2 != 0) {
            level.push_back(level.back());
        }
        std::vector<Hash256> next;
        next.reserve(level.size() / 2);
        for (std::size_t i = 0; i < level.size(); i += 2) {
            next.push_back(MerkleNode(level[i], level[i + 1]));
        }
        level = std::move(next);
    }
    return level[0];
}

// The Stratum merkle branch of the first leaf: its sibling on every level, bottom-up. The
// first element of `txids` is a placeholder for the coinbase and does not affect the result.
inline std::vector<Hash256> MerkleBranchForCoinbase(std::vector<Hash256> level) {
    std::vector<Hash256> branch;
    while (level.size() > 1) {
        if (level.size() % 2 != 0) {
            level.push_back(level.back());
        }
        branch.push_back(level[1]);
        std::vector<Hash256> next;
        next.reserve(level.size() / 2);
        for (std::size_t i = 0; i < level.size(); i += 2) {
            next.push_back(MerkleNode(level[i], level[i + 1]));
        }
        level = std::move(next);
    }
    return branch;
}

} // namespace nonceforge::core
