#include "miner/solo/address.hpp"

#include <algorithm>
#include <array>
#include <span>

#include "nonceforge/core/sha256.hpp"

namespace nonceforge::miner::solo {

namespace {

constexpr std::size_t BECH32_MAX_LENGTH = 90;
constexpr std::size_t BECH32_CHECKSUM_LENGTH = 6;
constexpr uint32_t BECH32_CONST = 1;
constexpr uint32_t BECH32M_CONST = 0x2bc830a3;
constexpr std::string_view BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr std::string_view BASE58_ALPHABET =
    "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
// A Base58Check address is 25 bytes (about 34 characters); anything much longer is not one,
// and the quadratic decoder must not be fed megabytes.
constexpr std::size_t BASE58_MAX_LENGTH = 100;

constexpr uint8_t P2PKH_MAIN = 0x00;
constexpr uint8_t P2SH_MAIN = 0x05;
constexpr uint8_t P2PKH_TEST = 0x6f; // testnet, testnet4, signet and regtest
constexpr uint8_t P2SH_TEST = 0xc4;

constexpr uint8_t OP_0 = 0x00;
constexpr uint8_t OP_1 = 0x51;
constexpr uint8_t OP_DUP = 0x76;
constexpr uint8_t OP_HASH160 = 0xa9;
constexpr uint8_t OP_EQUAL = 0x87;
constexpr uint8_t OP_EQUALVERIFY = 0x88;
constexpr uint8_t OP_CHECKSIG = 0xac;

uint32_t Bech32Polymod(const std::vector<uint8_t>& values) {
    static constexpr std::array<uint32_t, 5> GEN = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
                                                    0x2a1462b3};
    uint32_t chk = 1;
    for (uint8_t v : values) {
        const uint32_t top = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ v;
        for (int i = 0; i < 5; ++i) {
            if ((top >> i) & 1) {
                chk ^= GEN[std::size_t(i)];
            }
        }
    }
    return chk;
}

char ToLowerAscii(char c) {
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

std::string ToLowerAscii(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) { return ToLowerAscii(c); });
    return out;
}

// The text as it appears in a message: at most 100 characters, non-printable ones as '?'.
std::string Quoted(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size() && i < 100; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        out.push_back(c >= 0x20 && c < 0x7f ? char(c) : '?');
    }
    if (text.size() > 100) {
        out += "...";
    }
    return "'" + out + "'";
}

std::string CharacterName(char c) {
    const auto u = static_cast<unsigned char>(c);
    if (u > 0x20 && u < 0x7f) {
        return std::string("'") + c + "'";
    }
    static constexpr char DIGITS[] = "0123456789abcdef";
    return std::string("byte 0x") + DIGITS[u >> 4] + DIGITS[u & 0xf];
}

// The networks an address prefix belongs to, in words, and whether `chain` is among them.
struct Network {
    const char* words;
    bool main;
    bool testnets; // test, testnet4, signet
    bool regtest;
    bool Includes(Chain chain) const {
        switch (chain) {
        case Chain::Main:
            return main;
        case Chain::Test:
        case Chain::Testnet4:
        case Chain::Signet:
            return testnets;
        case Chain::Regtest:
            return regtest;
        }
        return false;
    }
};

constexpr Network MAINNET{"mainnet", true, false, false};
constexpr Network TESTNETS_BECH32{"testnet/testnet4/signet", false, true, false};
constexpr Network REGTEST_BECH32{"regtest", false, false, true};
constexpr Network TESTNETS_BASE58{"testnet/testnet4/signet/regtest", false, true, true};

std::optional<Network> NetworkOfHrp(std::string_view hrp) {
    if (hrp == "bc") {
        return MAINNET;
    }
    if (hrp == "tb") {
        return TESTNETS_BECH32;
    }
    if (hrp == "bcrt") {
        return REGTEST_BECH32;
    }
    return std::nullopt;
}

std::string_view HrpOf(Chain chain) {
    switch (chain) {
    case Chain::Main:
        return "bc";
    case Chain::Test:
    case Chain::Testnet4:
    case Chain::Signet:
        return "tb";
    case Chain::Regtest:
        return "bcrt";
    }
    return "bc";
}

core::Unexpected<std::string> Fail(std::string_view text, const std::string& why) {
    return core::MakeUnexpected("address " + Quoted(text) + ": " + why);
}

core::Unexpected<std::string> WrongNetwork(std::string_view text, const Network& network,
                                           Chain chain) {
    return core::MakeUnexpected("address " + Quoted(text) + " is a " + network.words +
                                " address but the node runs " + std::string(ToString(chain)));
}

core::Expected<Address, std::string> DecodeSegwit(std::string_view text, Chain chain) {
    auto decoded = DecodeBech32(text);
    if (!decoded) {
        return Fail(text, decoded.error());
    }
    const auto network = NetworkOfHrp(decoded->hrp);
    if (!network) {
        return Fail(text, "unknown human-readable part '" + decoded->hrp +
                              "' (addresses of the node's chain, " + std::string(ToString(chain)) +
                              ", start with '" + std::string(HrpOf(chain)) + "1')");
    }
    const std::vector<uint8_t>& data = decoded->data;
    if (data.empty()) {
        return Fail(text, "empty data section (no witness version)");
    }
    const unsigned version = data[0];
    if (version > 16) {
        return Fail(text, "invalid witness version " + std::to_string(version) + " (0 to 16)");
    }
    // 5-bit groups to bytes: at most 4 bits of padding, all zero (BIP 173).
    std::vector<uint8_t> program;
    uint32_t acc = 0;
    int bits = 0;
    for (std::size_t i = 1; i < data.size(); ++i) {
        acc = ((acc << 5) | data[i]) & 0xfff;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            program.push_back(uint8_t(acc >> bits));
        }
    }
    if (bits >= 5) {
        return Fail(text, "more than 4 bits of padding in the witness program");
    }
    if ((acc & ((1u << bits) - 1)) != 0) {
        return Fail(text, "non-zero padding in the witness program");
    }
    if (program.size() < 2 || program.size() > 40) {
        return Fail(text, "invalid witness program length " + std::to_string(program.size()) +
                              " bytes (2 to 40)");
    }
    if (version == 0 && program.size() != 20 && program.size() != 32) {
        return Fail(text, "a version 0 witness program is 20 or 32 bytes (BIP 141), not " +
                              std::to_string(program.size()));
    }
    if (version == 0 && decoded->encoding != Bech32Encoding::Bech32) {
        return Fail(text, "witness version 0 uses the bech32 checksum, this one is bech32m "
                          "(BIP 350)");
    }
    if (version != 0 && decoded->encoding != Bech32Encoding::Bech32m) {
        return Fail(text, "witness version " + std::to_string(version) +
                              " uses the bech32m checksum (BIP 350), this one is bech32 (made "
                              "by software that predates BIP 350?)");
    }
    if (!network->Includes(chain)) {
        return WrongNetwork(text, *network, chain);
    }
    Address address;
    if (version == 0) {
        address.type = program.size() == 20 ? AddressType::P2WPKH : AddressType::P2WSH;
    } else if (version == 1 && program.size() == 32) {
        address.type = AddressType::P2TR;
    } else {
        address.type = AddressType::WitnessUnknown;
    }
    address.script_pubkey.push_back(version == 0 ? OP_0 : uint8_t(OP_1 + version - 1));
    address.script_pubkey.push_back(uint8_t(program.size()));
    address.script_pubkey.insert(address.script_pubkey.end(), program.begin(), program.end());
    return address;
}

core::Expected<Address, std::string> DecodeLegacy(std::string_view text, Chain chain) {
    auto payload = DecodeBase58Check(text);
    if (!payload) {
        return Fail(text, payload.error());
    }
    if (payload->size() != 21) {
        return Fail(text, "wrong length: " + std::to_string(payload->size()) +
                              " bytes with the version, a P2PKH or P2SH address has 21");
    }
    const uint8_t version = (*payload)[0];
    const bool p2pkh = version == P2PKH_MAIN || version == P2PKH_TEST;
    const bool p2sh = version == P2SH_MAIN || version == P2SH_TEST;
    if (!p2pkh && !p2sh) {
        static constexpr char DIGITS[] = "0123456789abcdef";
        return Fail(text, std::string("unknown version byte 0x") + DIGITS[version >> 4] +
                              DIGITS[version & 0xf] + " (not a Bitcoin address?)");
    }
    const Network& network =
        (version == P2PKH_MAIN || version == P2SH_MAIN) ? MAINNET : TESTNETS_BASE58;
    if (!network.Includes(chain)) {
        return WrongNetwork(text, network, chain);
    }
    Address address;
    const auto hash = std::span<const uint8_t>(*payload).subspan(1);
    if (p2pkh) {
        address.type = AddressType::P2PKH;
        address.script_pubkey = {OP_DUP, OP_HASH160, 20};
        address.script_pubkey.insert(address.script_pubkey.end(), hash.begin(), hash.end());
        address.script_pubkey.push_back(OP_EQUALVERIFY);
        address.script_pubkey.push_back(OP_CHECKSIG);
    } else {
        address.type = AddressType::P2SH;
        address.script_pubkey = {OP_HASH160, 20};
        address.script_pubkey.insert(address.script_pubkey.end(), hash.begin(), hash.end());
        address.script_pubkey.push_back(OP_EQUAL);
    }
    return address;
}

} // namespace

std::optional<Chain> ChainFromName(std::string_view name) {
    for (Chain c : {Chain::Main, Chain::Test, Chain::Testnet4, Chain::Signet, Chain::Regtest}) {
        if (ToString(c) == name) {
            return c;
        }
    }
    return std::nullopt;
}

std::string_view ToString(Chain chain) {
    switch (chain) {
    case Chain::Main:
        return "main";
    case Chain::Test:
        return "test";
    case Chain::Testnet4:
        return "testnet4";
    case Chain::Signet:
        return "signet";
    case Chain::Regtest:
        return "regtest";
    }
    return "unknown";
}

std::string_view ToString(AddressType type) {
    switch (type) {
    case AddressType::P2PKH:
        return "p2pkh";
    case AddressType::P2SH:
        return "p2sh";
    case AddressType::P2WPKH:
        return "p2wpkh";
    case AddressType::P2WSH:
        return "p2wsh";
    case AddressType::P2TR:
        return "p2tr";
    case AddressType::WitnessUnknown:
        return "witness_unknown";
    }
    return "unknown";
}

core::Expected<Bech32String, std::string> DecodeBech32(std::string_view text) {
    if (text.size() > BECH32_MAX_LENGTH) {
        return core::MakeUnexpected("too long for bech32 (" + std::to_string(text.size()) +
                                    " characters, at most 90)");
    }
    bool lower = false;
    bool upper = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 33 || c > 126) {
            return core::MakeUnexpected("invalid character " + CharacterName(text[i]) +
                                        " at position " + std::to_string(i));
        }
        lower = lower || (c >= 'a' && c <= 'z');
        upper = upper || (c >= 'A' && c <= 'Z');
    }
    if (lower && upper) {
        return core::MakeUnexpected(std::string("mixed upper and lower case"));
    }
    const std::size_t sep = text.rfind('1');
    if (sep == std::string_view::npos) {
        return core::MakeUnexpected(std::string("no separator '1'"));
    }
    if (sep == 0) {
        return core::MakeUnexpected(std::string("empty human-readable part"));
    }
    if (text.size() - sep - 1 < BECH32_CHECKSUM_LENGTH) {
        // '1' is no data character: one typed after the real separator becomes the separator.
        return core::MakeUnexpected(std::string(
            text.find('1') < sep ? "checksum too short (fewer than 6 characters after the last "
                                   "'1', the separator; '1' is no bech32 character, so one "
                                   "near the end is probably a typo)"
                                 : "checksum too short (fewer than 6 characters after the "
                                   "separator '1')"));
    }
    Bech32String out;
    out.hrp = ToLowerAscii(text.substr(0, sep));
    std::vector<uint8_t> values;
    values.reserve(out.hrp.size() * 2 + 1 + text.size() - sep - 1);
    for (char c : out.hrp) {
        values.push_back(uint8_t(static_cast<unsigned char>(c) >> 5));
    }
    values.push_back(0);
    for (char c : out.hrp) {
        values.push_back(uint8_t(static_cast<unsigned char>(c) & 31));
    }
    for (std::size_t i = sep + 1; i < text.size(); ++i) {
        const std::size_t v = BECH32_CHARSET.find(ToLowerAscii(text[i]));
        if (v == std::string_view::npos) {
            return core::MakeUnexpected("invalid data character " + CharacterName(text[i]) +
                                        " at position " + std::to_string(i));
        }
        values.push_back(uint8_t(v));
    }
    const uint32_t check = Bech32Polymod(values);
    if (check == BECH32_CONST) {
        out.encoding = Bech32Encoding::Bech32;
    } else if (check == BECH32M_CONST) {
        out.encoding = Bech32Encoding::Bech32m;
    } else {
        return core::MakeUnexpected(std::string("the checksum is wrong (a typo?)"));
    }
    const std::size_t data_begin = out.hrp.size() * 2 + 1;
    out.data.assign(values.begin() + std::ptrdiff_t(data_begin),
                    values.end() - std::ptrdiff_t(BECH32_CHECKSUM_LENGTH));
    return out;
}

core::Expected<std::vector<uint8_t>, std::string> DecodeBase58Check(std::string_view text) {
    if (text.empty()) {
        return core::MakeUnexpected(std::string("empty"));
    }
    if (text.size() > BASE58_MAX_LENGTH) {
        return core::MakeUnexpected("too long for base58 (" + std::to_string(text.size()) +
                                    " characters)");
    }
    std::size_t zeros = 0;
    while (zeros < text.size() && text[zeros] == '1') {
        ++zeros;
    }
    std::vector<uint8_t> number; // big-endian, without the leading zero bytes
    for (std::size_t i = 0; i < text.size(); ++i) {
        const std::size_t digit = BASE58_ALPHABET.find(text[i]);
        if (digit == std::string_view::npos) {
            return core::MakeUnexpected("invalid base58 character " + CharacterName(text[i]) +
                                        " at position " + std::to_string(i));
        }
        uint32_t carry = uint32_t(digit);
        for (auto it = number.rbegin(); it != number.rend(); ++it) {
            carry += 58u * *it;
            *it = uint8_t(carry);
            carry >>= 8;
        }
        while (carry != 0) {
            number.insert(number.begin(), uint8_t(carry));
            carry >>= 8;
        }
    }
    std::vector<uint8_t> bytes(zeros, 0);
    bytes.insert(bytes.end(), number.begin(), number.end());
    if (bytes.size() < 5) {
        return core::MakeUnexpected(std::string("too short for base58check"));
    }
    const std::size_t body = bytes.size() - 4;
    uint8_t hash[32];
    core::sha256::Sha256d(bytes.data(), body, hash);
    if (!std::equal(hash, hash + 4, bytes.begin() + std::ptrdiff_t(body))) {
        return core::MakeUnexpected(std::string("the checksum is wrong (a typo?)"));
    }
    bytes.resize(body);
    return bytes;
}

core::Expected<Address, std::string> DecodeAddress(std::string_view text, Chain chain) {
    if (text.empty()) {
        return core::MakeUnexpected(std::string("the address is empty"));
    }
    // Bech32 when the text starts with a Bitcoin prefix (bc1, tb1, bcrt1, any case); Base58Check
    // when every character is base58; otherwise bech32's decoder says what is wrong (an
    // unknown prefix, a bad character).
    const std::size_t sep = text.rfind('1');
    const bool known_hrp =
        sep != std::string_view::npos && NetworkOfHrp(ToLowerAscii(text.substr(0, sep)));
    const bool base58 = std::all_of(text.begin(), text.end(), [](char c) {
        return BASE58_ALPHABET.find(c) != std::string_view::npos;
    });
    if (!known_hrp && base58) {
        return DecodeLegacy(text, chain);
    }
    if (!known_hrp && sep == std::string_view::npos) {
        const auto bad = std::find_if(text.begin(), text.end(), [](char c) {
            return BASE58_ALPHABET.find(c) == std::string_view::npos;
        });
        return Fail(text, "not a base58 or bech32 address (invalid character " +
                              CharacterName(*bad) + " at position " +
                              std::to_string(bad - text.begin()) + ")");
    }
    return DecodeSegwit(text, chain);
}

} // namespace nonceforge::miner::solo
