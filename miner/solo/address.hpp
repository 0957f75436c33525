// Payout addresses of solo mining: the text a user gives with --coinbase-addr, decoded and
// checked for the chain the node runs, into the output script the coinbase pays.
// Base58Check (P2PKH, P2SH), bech32 (BIP 173: witness v0, P2WPKH and P2WSH) and bech32m
// (BIP 350: witness v1+, P2TR); every checksum verified. No I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nonceforge/core/expected.hpp"

namespace nonceforge::miner::solo {

// The chains getblockchaininfo names: "main", "test", "testnet4", "signet", "regtest".
enum class Chain { Main, Test, Testnet4, Signet, Regtest };

std::optional<Chain> ChainFromName(std::string_view name);
std::string_view ToString(Chain chain); // the getblockchaininfo name

enum class AddressType { P2PKH, P2SH, P2WPKH, P2WSH, P2TR, WitnessUnknown };
std::string_view ToString(AddressType type); // "p2pkh", "p2sh", "p2wpkh", ...

struct Address {
    AddressType type = AddressType::P2PKH;
    std::vector<uint8_t> script_pubkey; // what the coinbase output pays to
};

// Decodes `text` as an address of `chain`. The error is one sentence for the user: a bad
// checksum (a typo), an address of another network ("... is a mainnet address but the node
// runs regtest"), a bad length, mixed case, bech32 where BIP 350 wants bech32m or the reverse.
core::Expected<Address, std::string> DecodeAddress(std::string_view text, Chain chain);

// The building blocks, for tests and diagnostics.

enum class Bech32Encoding { Bech32, Bech32m };

struct Bech32String {
    Bech32Encoding encoding = Bech32Encoding::Bech32;
    std::string hrp;           // lower case
    std::vector<uint8_t> data; // 5-bit values, the checksum removed
};

// Any bech32 or bech32m string (BIP 173's rules: at most 90 characters, US-ASCII 33..126, one
// case, a non-empty human-readable part, a 6-character checksum), without the segwit rules.
core::Expected<Bech32String, std::string> DecodeBech32(std::string_view text);

// Base58Check: the payload (version byte first) with the 4-byte double-SHA-256 checksum
// verified and removed.
core::Expected<std::vector<uint8_t>, std::string> DecodeBase58Check(std::string_view text);

} // namespace nonceforge::miner::solo
