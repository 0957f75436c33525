// Payout addresses: every test vector of BIP 173 and BIP 350 (copied from the BIPs, with the
// scriptPubKey each valid address stands for), Base58Check addresses of the Bitcoin wiki, and
// the errors a user meets: typos, another network, mixed case, bech32 where bech32m belongs.
#include <gtest/gtest.h>

#include <cctype>
#include <string>
#include <vector>

#include "miner/solo/address.hpp"
#include "nonceforge/core/hex.hpp"

namespace solo = nonceforge::miner::solo;
using nonceforge::core::HexEncode;
using solo::AddressType;
using solo::Bech32Encoding;
using solo::Chain;

namespace {

// The chain a BIP test vector's prefix belongs to (tb: testnet; "tc" is no chain's, so main).
Chain ChainOfVector(const std::string& address) {
    const char first = char(std::tolower(static_cast<unsigned char>(address[0])));
    return first == 't' ? Chain::Test : Chain::Main;
}

std::string ErrorOf(const std::string& address, Chain chain) {
    auto decoded = solo::DecodeAddress(address, chain);
    EXPECT_FALSE(decoded) << address << " decoded to "
                          << (decoded ? HexEncode(decoded->script_pubkey) : "");
    return decoded ? std::string() : decoded.error();
}

} // namespace

// ---- Bech32 strings (BIP 173) and bech32m strings (BIP 350), any human-readable part ----

TEST(Bech32, Bip173ValidStringsAreBech32) {
    const std::vector<std::string> valid = {
        "A12UEL5L",
        "a12uel5l",
        "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tg"
        "s",
        "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
        "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247"
        "j",
        "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
        "?1ezyfcl",
    };
    for (const auto& s : valid) {
        auto d = solo::DecodeBech32(s);
        ASSERT_TRUE(d) << s << ": " << d.error();
        EXPECT_EQ(d->encoding, Bech32Encoding::Bech32) << s;
    }
    auto d = solo::DecodeBech32("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->hrp, "abcdef");
    // "qpzry9x8gf2tvdw0s3jn54khce6mua7l" is the charset in order: the values 0..31.
    ASSERT_EQ(d->data.size(), 32u);
    for (std::size_t i = 0; i < 32; ++i) {
        EXPECT_EQ(d->data[i], i);
    }
    EXPECT_EQ(solo::DecodeBech32("A12UEL5L")->hrp, "a");
}

TEST(Bech32, Bip350ValidStringsAreBech32m) {
    const std::vector<std::string> valid = {
        "A1LQFN3A",
        "a1lqfn3a",
        "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg"
        "6",
        "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
        "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr"
        "8",
        "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
        "?1v759aa",
    };
    for (const auto& s : valid) {
        auto d = solo::DecodeBech32(s);
        ASSERT_TRUE(d) << s << ": " << d.error();
        EXPECT_EQ(d->encoding, Bech32Encoding::Bech32m) << s;
    }
    auto d = solo::DecodeBech32("abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx");
    ASSERT_TRUE(d);
    // The charset reversed: the values 31..0.
    ASSERT_EQ(d->data.size(), 32u);
    for (std::size_t i = 0; i < 32; ++i) {
        EXPECT_EQ(d->data[i], 31 - i);
    }
}

struct InvalidString {
    std::string text;
    std::string reason; // a part of the error message
};

TEST(Bech32, Bip173AndBip350InvalidStringsAreRejectedWithTheirReason) {
    const std::vector<InvalidString> invalid = {
        // BIP 173
        {std::string("\x20") + "1nwldj5", "invalid character byte 0x20 at position 0"},
        {std::string("\x7f") + "1axkwrx", "invalid character byte 0x7f at position 0"},
        {std::string("\x80") + "1eym55h", "invalid character byte 0x80 at position 0"},
        {"an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569p"
         "vx",
         "too long"},
        {"pzry9x0s0muk", "no separator"},
        {"1pzry9x0s0muk", "empty human-readable part"},
        {"x1b4n0q5v", "invalid data character 'b'"},
        {"li1dgmt3", "checksum too short"},
        {std::string("de1lg7wt") + "\xff", "invalid character byte 0xff at position 8"},
        {"A1G7SGD8", "checksum is wrong"}, // calculated with the upper-case HRP
        {"10a06t8", "empty human-readable part"},
        {"1qzzfhee", "empty human-readable part"},
        // BIP 350
        {std::string("\x20") + "1xj0phk", "invalid character byte 0x20"},
        {std::string("\x7f") + "1g6xzxy", "invalid character byte 0x7f"},
        {std::string("\x80") + "1vctc34", "invalid character byte 0x80"},
        {"an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pt"
         "s4",
         "too long"},
        {"qyrz8wqd2c9m", "no separator"},
        {"1qyrz8wqd2c9m", "empty human-readable part"},
        {"y1b0jsk6g", "invalid data character 'b'"},
        {"lt1igcx5c0", "invalid data character 'i'"},
        {"in1muywd", "checksum too short"},
        {"mm1crxm3i", "invalid data character 'i'"},
        {"au1s5cgom", "invalid data character 'o'"},
        {"M1VUXWEZ", "checksum is wrong"}, // calculated with the upper-case HRP
        {"16plkw9", "empty human-readable part"},
        {"1p2gdwpf", "empty human-readable part"},
        // Mixed case (BIP 173: decoders must reject it).
        {"A12uEL5L", "mixed upper and lower case"},
    };
    for (const auto& c : invalid) {
        auto d = solo::DecodeBech32(c.text);
        ASSERT_FALSE(d) << c.text;
        EXPECT_NE(d.error().find(c.reason), std::string::npos)
            << c.text << ": got '" << d.error() << "', want '" << c.reason << "'";
    }
}

// ---- Segwit addresses ----

struct ValidAddress {
    std::string text;
    std::string script_hex;
    AddressType type;
};

TEST(SegwitAddress, Bip350ValidAddressesGiveTheirScriptPubKey) {
    const std::vector<ValidAddress> valid = {
        {"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
         "0014751e76e8199196d454941c45d1b3a323f1433bd6", AddressType::P2WPKH},
        {"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
         "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262",
         AddressType::P2WSH},
        {"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
         "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6",
         AddressType::WitnessUnknown}, // version 1 but 40 bytes: not taproot
        {"BC1SW50QGDZ25J", "6002751e", AddressType::WitnessUnknown},
        {"bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323",
         AddressType::WitnessUnknown},
        {"tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy",
         "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433",
         AddressType::P2WSH},
        {"tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c",
         "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433", AddressType::P2TR},
        {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
         "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", AddressType::P2TR},
    };
    for (const auto& v : valid) {
        const Chain chain = ChainOfVector(v.text);
        auto a = solo::DecodeAddress(v.text, chain);
        ASSERT_TRUE(a) << v.text << ": " << a.error();
        EXPECT_EQ(HexEncode(a->script_pubkey), v.script_hex) << v.text;
        EXPECT_EQ(a->type, v.type) << v.text;
        if (chain == Chain::Test) { // tb1 is also testnet4's and signet's prefix
            EXPECT_TRUE(solo::DecodeAddress(v.text, Chain::Testnet4)) << v.text;
            EXPECT_TRUE(solo::DecodeAddress(v.text, Chain::Signet)) << v.text;
        }
    }
}

// BIP 173 listed v1+ addresses with the bech32 checksum as valid; BIP 350 replaced them, and
// such an address must now be refused (money sent to it would be lost, Core refuses it too).
TEST(SegwitAddress, Bip173VersionOnePlusAddressesNeedBech32m) {
    EXPECT_EQ(
        HexEncode(solo::DecodeAddress("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", Chain::Main)
                      ->script_pubkey),
        "0014751e76e8199196d454941c45d1b3a323f1433bd6");
    for (const std::string s :
         {"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx",
          "BC1SW50QA3JX3S", "bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj"}) {
        // The string is a correct bech32 string...
        auto d = solo::DecodeBech32(s);
        ASSERT_TRUE(d) << s;
        EXPECT_EQ(d->encoding, Bech32Encoding::Bech32);
        // ...but not a valid address.
        const std::string error = ErrorOf(s, Chain::Main);
        EXPECT_NE(error.find("uses the bech32m checksum (BIP 350)"), std::string::npos) << error;
    }
}

TEST(SegwitAddress, Bip173AndBip350InvalidAddressesAreRejectedWithTheirReason) {
    const std::vector<InvalidString> invalid = {
        // BIP 173
        {"tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty", "unknown human-readable part 'tc'"},
        {"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", "checksum is wrong"},
        {"BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2", "invalid witness version 17"},
        {"bc1rw5uspcuh", "invalid witness program length 1 bytes"},
        {"bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90",
         "invalid witness program length 41 bytes"},
        {"BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", "version 0 witness program is 20 or 32 bytes"},
        {"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7", "mixed upper and lower"},
        {"bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du", "more than 4 bits of padding"},
        {"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv", "non-zero padding"},
        {"bc1gmk9yu", "empty data section"},
        // BIP 350
        {"tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",
         "unknown human-readable part 'tc'"},
        {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
         "witness version 1 uses the bech32m checksum"},
        {"tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",
         "witness version 2 uses the bech32m checksum"},
        {"BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
         "witness version 16 uses the bech32m checksum"},
        {"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
         "witness version 0 uses the bech32 checksum, this one is bech32m"},
        {"tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",
         "witness version 0 uses the bech32 checksum, this one is bech32m"},
        {"bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
         "invalid data character 'o'"},
        {"BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",
         "invalid witness version 17"},
        {"bc1pw5dgrnzv", "invalid witness program length 1 bytes"},
        {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
         "invalid witness program length 41 bytes"},
        {"BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", "version 0 witness program is 20 or 32 bytes"},
        {"tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq", "mixed upper and lower"},
        {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",
         "more than 4 bits of padding"},
        {"tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j", "non-zero padding"},
        {"bc1gmk9yu", "empty data section"},
    };
    for (const auto& c : invalid) {
        const std::string error = ErrorOf(c.text, ChainOfVector(c.text));
        EXPECT_NE(error.find(c.reason), std::string::npos)
            << c.text << ": got '" << error << "', want '" << c.reason << "'";
    }
}

TEST(SegwitAddress, RegtestAddresses) {
    auto a = solo::DecodeAddress("bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080", Chain::Regtest);
    ASSERT_TRUE(a) << a.error();
    EXPECT_EQ(a->type, AddressType::P2WPKH);
    EXPECT_EQ(HexEncode(a->script_pubkey), "0014751e76e8199196d454941c45d1b3a323f1433bd6");

    a = solo::DecodeAddress("BCRT1QRP33G0Q5C5TXSP9ARYSRX4K6ZDKFS4NCE4XJ0GDCCCEFVPYSXF3QZF4JRY",
                            Chain::Regtest);
    ASSERT_TRUE(a) << a.error();
    EXPECT_EQ(a->type, AddressType::P2WSH);
    EXPECT_EQ(HexEncode(a->script_pubkey),
              "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262");

    a = solo::DecodeAddress("bcrt1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqc8gma6",
                            Chain::Regtest);
    ASSERT_TRUE(a) << a.error();
    EXPECT_EQ(a->type, AddressType::P2TR);
    EXPECT_EQ(HexEncode(a->script_pubkey),
              "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
}

TEST(SegwitAddress, AnotherNetworkIsNamedWithTheNodesChain) {
    std::string e = ErrorOf("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", Chain::Regtest);
    EXPECT_NE(e.find("is a mainnet address but the node runs regtest"), std::string::npos) << e;
    e = ErrorOf("bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080", Chain::Main);
    EXPECT_NE(e.find("is a regtest address but the node runs main"), std::string::npos) << e;
    e = ErrorOf("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", Chain::Regtest);
    EXPECT_NE(e.find("is a testnet/testnet4/signet address but the node runs regtest"),
              std::string::npos)
        << e;
    e = ErrorOf("bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080", Chain::Signet);
    EXPECT_NE(e.find("the node runs signet"), std::string::npos) << e;
    // The message quotes the address the user gave.
    EXPECT_NE(e.find("'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080'"), std::string::npos) << e;
}

TEST(SegwitAddress, EveryOneCharacterTypoIsACheckingFailure) {
    const std::string good = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4";
    const std::string charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    ASSERT_TRUE(solo::DecodeAddress(good, Chain::Main));
    for (std::size_t i = 3; i < good.size(); ++i) {
        for (char c : charset) {
            if (c == good[i]) {
                continue;
            }
            std::string typo = good;
            typo[i] = c;
            const std::string e = ErrorOf(typo, Chain::Main);
            EXPECT_NE(e.find("checksum is wrong (a typo?)"), std::string::npos)
                << typo << ": " << e;
        }
    }
}

TEST(SegwitAddress, AOneTypedAfterTheSeparatorIsCalledAProbableTypo) {
    // '1' is no bech32 character: typed into the data part it becomes the last '1', the
    // separator, and leaves too short a checksum behind it.
    for (const char* typo : {"bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt081",
                             "bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7k1gt080"}) {
        const std::string e = ErrorOf(typo, Chain::Regtest);
        EXPECT_NE(e.find("checksum too short"), std::string::npos) << typo << ": " << e;
        EXPECT_NE(e.find("probably a typo"), std::string::npos) << typo << ": " << e;
    }
}

// ---- Base58Check addresses ----

TEST(Base58Address, MainnetP2pkhAndP2sh) {
    // The Bitcoin wiki's examples (Technical background of version 1 Bitcoin addresses; BIP 13).
    auto a = solo::DecodeAddress("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", Chain::Main);
    ASSERT_TRUE(a) << a.error();
    EXPECT_EQ(a->type, AddressType::P2PKH);
    EXPECT_EQ(HexEncode(a->script_pubkey), "76a91477bff20c60e522dfaa3350c39b030a5d004e839a88ac");

    a = solo::DecodeAddress("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", Chain::Main);
    ASSERT_TRUE(a) << a.error();
    EXPECT_EQ(a->type, AddressType::P2SH);
    EXPECT_EQ(HexEncode(a->script_pubkey), "a914b472a266d0bd89c13706a4132ccfb16f7c3b9fcb87");
}

// The hash 751e76e8...3bd6 (BIP 173's) under the four Bitcoin version bytes, encoded by
// Python's int-to-base58 and hashlib, independently of this code.
TEST(Base58Address, TestnetVersionsServeEveryTestChainAndRegtest) {
    for (Chain chain : {Chain::Test, Chain::Testnet4, Chain::Signet, Chain::Regtest}) {
        auto a = solo::DecodeAddress("mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r", chain);
        ASSERT_TRUE(a) << a.error();
        EXPECT_EQ(a->type, AddressType::P2PKH);
        EXPECT_EQ(HexEncode(a->script_pubkey),
                  "76a914751e76e8199196d454941c45d1b3a323f1433bd688ac");
        a = solo::DecodeAddress("2N3vVYSK5XRgVSGWy21PnsRmBUywSQNdCsf", chain);
        ASSERT_TRUE(a) << a.error();
        EXPECT_EQ(a->type, AddressType::P2SH);
        EXPECT_EQ(HexEncode(a->script_pubkey), "a914751e76e8199196d454941c45d1b3a323f1433bd687");
    }
    auto a = solo::DecodeAddress("1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH", Chain::Main);
    ASSERT_TRUE(a) << a.error();
    EXPECT_EQ(HexEncode(a->script_pubkey), "76a914751e76e8199196d454941c45d1b3a323f1433bd688ac");
    a = solo::DecodeAddress("3CNHUhP3uyB9EUtRLsmvFUmvGdjGdkTxJw", Chain::Main);
    ASSERT_TRUE(a) << a.error();
    EXPECT_EQ(HexEncode(a->script_pubkey), "a914751e76e8199196d454941c45d1b3a323f1433bd687");
}

TEST(Base58Address, AnotherNetworkIsNamedWithTheNodesChain) {
    std::string e = ErrorOf("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", Chain::Regtest);
    EXPECT_NE(e.find("'1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2' is a mainnet address but the node "
                     "runs regtest"),
              std::string::npos)
        << e;
    e = ErrorOf("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", Chain::Testnet4);
    EXPECT_NE(e.find("is a mainnet address but the node runs testnet4"), std::string::npos) << e;
    e = ErrorOf("mrCDrCybB6J1vRfbwM5hemdJz73FwDBC8r", Chain::Main);
    EXPECT_NE(e.find("is a testnet/testnet4/signet/regtest address but the node runs main"),
              std::string::npos)
        << e;
    e = ErrorOf("2N3vVYSK5XRgVSGWy21PnsRmBUywSQNdCsf", Chain::Main);
    EXPECT_NE(e.find("but the node runs main"), std::string::npos) << e;
}

TEST(Base58Address, EveryOneCharacterTypoIsACheckingFailure) {
    const std::string good = "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2";
    const std::string alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    for (std::size_t i = 0; i < good.size(); ++i) {
        for (char c : alphabet) {
            if (c == good[i]) {
                continue;
            }
            std::string typo = good;
            typo[i] = c;
            const std::string e = ErrorOf(typo, Chain::Main);
            EXPECT_NE(e.find("checksum is wrong (a typo?)"), std::string::npos)
                << typo << ": " << e;
        }
    }
    // A dropped character and a swapped pair too.
    EXPECT_NE(ErrorOf("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN", Chain::Main).find("checksum is wrong"),
              std::string::npos);
    EXPECT_NE(ErrorOf("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNNV2", Chain::Main).find("checksum is wrong"),
              std::string::npos);
}

TEST(Base58Address, OtherCoinsAndOtherPayloadsAreRefused) {
    // Litecoin's version byte 0x30 over the same hash: a valid Base58Check string.
    ASSERT_TRUE(solo::DecodeBase58Check("LVuDpNCSSj6pQ7t9Pv6d6sUkLKoqDEVUnJ"));
    EXPECT_EQ((*solo::DecodeBase58Check("LVuDpNCSSj6pQ7t9Pv6d6sUkLKoqDEVUnJ"))[0], 0x30);
    std::string e = ErrorOf("LVuDpNCSSj6pQ7t9Pv6d6sUkLKoqDEVUnJ", Chain::Main);
    EXPECT_NE(e.find("unknown version byte 0x30"), std::string::npos) << e;
    // A Base58Check string of the wrong length ("1" + checksum of a 1-byte payload 0x00 is
    // "1Wh4bh": version byte only).
    auto payload = solo::DecodeBase58Check("1Wh4bh");
    ASSERT_TRUE(payload) << payload.error();
    EXPECT_EQ(payload->size(), 1u);
    e = ErrorOf("1Wh4bh", Chain::Main);
    EXPECT_NE(e.find("wrong length"), std::string::npos) << e;
}

// ---- Whatever else a user may type ----

TEST(Address, GarbageGetsAClearError) {
    EXPECT_NE(ErrorOf("", Chain::Main).find("empty"), std::string::npos);
    std::string e = ErrorOf("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 ", Chain::Main);
    EXPECT_NE(e.find("invalid"), std::string::npos) << e;
    e = ErrorOf("not-an-address", Chain::Main);
    EXPECT_NE(e.find("invalid character '-' at position 3"), std::string::npos) << e;
    e = ErrorOf("0x751e76e8199196d454941c45d1b3a323f1433bd6", Chain::Main);
    EXPECT_FALSE(e.empty());
    e = ErrorOf(std::string(5000, 'q'), Chain::Main);
    EXPECT_NE(e.find("..."), std::string::npos) << "long input is cut in the message";
    EXPECT_LT(e.size(), 300u);
    e = ErrorOf(std::string(5000, '2'), Chain::Main);
    EXPECT_NE(e.find("too long"), std::string::npos) << e;
    e = ErrorOf("bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", Chain::Main);
    EXPECT_NE(e.find("mixed upper and lower case"), std::string::npos) << e;
    // A bech32 string of an unknown prefix, valid as bech32.
    e = ErrorOf("a12uel5l", Chain::Regtest);
    EXPECT_NE(e.find("unknown human-readable part 'a'"), std::string::npos) << e;
    EXPECT_NE(e.find("start with 'bcrt1'"), std::string::npos) << e;
}

TEST(Address, ChainNamesAndTypeNames) {
    for (Chain c : {Chain::Main, Chain::Test, Chain::Testnet4, Chain::Signet, Chain::Regtest}) {
        auto back = solo::ChainFromName(solo::ToString(c));
        ASSERT_TRUE(back.has_value());
        EXPECT_EQ(*back, c);
    }
    EXPECT_EQ(solo::ToString(Chain::Main), "main");
    EXPECT_EQ(solo::ToString(Chain::Regtest), "regtest");
    EXPECT_FALSE(solo::ChainFromName("mainnet").has_value());
    EXPECT_FALSE(solo::ChainFromName("").has_value());
    EXPECT_EQ(solo::ToString(AddressType::P2PKH), "p2pkh");
    EXPECT_EQ(solo::ToString(AddressType::P2SH), "p2sh");
    EXPECT_EQ(solo::ToString(AddressType::P2WPKH), "p2wpkh");
    EXPECT_EQ(solo::ToString(AddressType::P2WSH), "p2wsh");
    EXPECT_EQ(solo::ToString(AddressType::P2TR), "p2tr");
}
