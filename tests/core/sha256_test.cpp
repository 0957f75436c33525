// The reference SHA-256 against FIPS 180-4 / NIST vectors, against OpenSSL (an independent
// implementation) at every padding edge, and fed in random-sized pieces.
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/sha.h>

#include "nonceforge/core/hash256.hpp"
#include "nonceforge/core/hex.hpp"
#include "nonceforge/core/sha256.hpp"

using namespace nonceforge::core;

namespace {

std::string HashHex(const std::string& msg) {
    uint8_t out[32];
    sha256::Sha256(reinterpret_cast<const uint8_t*>(msg.data()), msg.size(), out);
    return HexEncode(out);
}

// Feeds `msg` in pieces of random size (including empty pieces).
std::string HashHexInPieces(const std::string& msg, std::mt19937& rng) {
    sha256::Hasher h;
    std::size_t pos = 0;
    while (pos < msg.size()) {
        std::size_t n = std::uniform_int_distribution<std::size_t>(0, 130)(rng);
        n = std::min(n, msg.size() - pos);
        h.Write(reinterpret_cast<const uint8_t*>(msg.data()) + pos, n);
        pos += n;
    }
    uint8_t out[32];
    h.Finalize(out);
    return HexEncode(out);
}

std::string OpenSslHex(const std::string& msg) {
    uint8_t out[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const uint8_t*>(msg.data()), msg.size(), out);
    return HexEncode(out);
}

struct NistVector {
    std::string message;
    const char* digest;
};

std::vector<NistVector> NistVectors() {
    return {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrl"
         "mnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
        {std::string(1000000, 'a'),
         "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
    };
}

} // namespace

TEST(Sha256, NistVectorsWhole) {
    for (const auto& v : NistVectors()) {
        EXPECT_EQ(HashHex(v.message), v.digest) << "length " << v.message.size();
    }
}

TEST(Sha256, NistVectorsInRandomPieces) {
    std::mt19937 rng(1);
    for (const auto& v : NistVectors()) {
        for (int trial = 0; trial < 4; ++trial) {
            EXPECT_EQ(HashHexInPieces(v.message, rng), v.digest) << "length " << v.message.size();
        }
    }
}

TEST(Sha256, HasherCopiedHalfwayAgrees) {
    const std::string msg(300, 'x');
    sha256::Hasher a;
    a.Write(reinterpret_cast<const uint8_t*>(msg.data()), 150);
    sha256::Hasher b = a; // a copy of a half-fed hasher must finish independently
    a.Write(reinterpret_cast<const uint8_t*>(msg.data()) + 150, 150);
    b.Write(reinterpret_cast<const uint8_t*>(msg.data()) + 150, 150);
    uint8_t da[32], db[32];
    a.Finalize(da);
    b.Finalize(db);
    EXPECT_EQ(HexEncode(da), HexEncode(db));
    EXPECT_EQ(HexEncode(da), OpenSslHex(msg));
}

// Lengths around the padding boundaries: 55 bytes is the longest message whose padding fits in
// one block, 56 forces a second block, 64 fills a block exactly, 80 is a block header.
TEST(Sha256, PaddingEdgesMatchOpenSsl) {
    std::mt19937 rng(7);
    for (std::size_t len : {0, 1, 54, 55, 56, 57, 63, 64, 65, 80, 119, 120, 127, 128, 129}) {
        std::string msg(len, '\0');
        for (char& c : msg) {
            c = char(rng());
        }
        EXPECT_EQ(HashHex(msg), OpenSslHex(msg)) << "length " << len;
        EXPECT_EQ(HashHexInPieces(msg, rng), OpenSslHex(msg)) << "length " << len;
    }
}

TEST(Sha256, TransformOnUnalignedInputMatchesAligned) {
    alignas(64) uint8_t buf[65 + 64];
    for (int i = 0; i < 129; ++i) {
        buf[i] = uint8_t(i * 7 + 3);
    }
    uint32_t a[8], b[8];
    sha256::Initialize(a);
    sha256::Initialize(b);
    uint8_t aligned[64];
    std::copy(buf + 1, buf + 65, aligned);
    sha256::Transform(a, aligned);
    sha256::Transform(b, buf + 1);
    EXPECT_TRUE(std::equal(a, a + 8, b));
}

TEST(Sha256d, MatchesTwoOpenSslPasses) {
    std::mt19937 rng(3);
    for (std::size_t len : {0, 32, 64, 80, 200}) {
        std::vector<uint8_t> msg(len);
        for (auto& c : msg) {
            c = uint8_t(rng());
        }
        uint8_t first[32], second[32];
        SHA256(msg.data(), msg.size(), first);
        SHA256(first, 32, second);
        EXPECT_EQ(Sha256d(msg).ToWireHex(), HexEncode(second)) << "length " << len;
    }
}

TEST(Sha256d, FromMidstateEqualsFullHash) {
    std::mt19937 rng(11);
    for (int trial = 0; trial < 200; ++trial) {
        uint8_t header[80];
        for (auto& c : header) {
            c = uint8_t(rng());
        }
        uint32_t mid[8];
        sha256::HeaderMidstate(header, mid);
        uint8_t fast[32], full[32];
        sha256::Sha256dFromMidstate(mid, header + 64, fast);
        sha256::Sha256d(header, 80, full);
        ASSERT_EQ(HexEncode(fast), HexEncode(full));
    }
}

TEST(Sha256, IsConstexpr) {
    constexpr auto digest = [] {
        std::array<uint8_t, 32> out{};
        const uint8_t abc[3] = {'a', 'b', 'c'};
        sha256::Sha256(abc, 3, out.data());
        return out;
    }();
    static_assert(digest[0] == 0xba && digest[31] == 0xad);
    EXPECT_EQ(digest[1], 0x78);
}

namespace {

// The first `n` primes.
std::vector<int> FirstPrimes(int n) {
    std::vector<int> primes;
    for (int c = 2; int(primes.size()) < n; ++c) {
        bool prime = true;
        for (int p : primes) {
            prime = prime && c % p != 0;
        }
        if (prime) {
            primes.push_back(c);
        }
    }
    return primes;
}

// The first 32 bits of the fractional part of x (x < 8: 35 significant bits of a double's 53).
uint32_t Fraction32(long double x) {
    return uint32_t((x - std::floor(x)) * 4294967296.0L);
}

} // namespace

// The one table the reference, the CPU scans and the CUDA kernels share, derived here from
// its definition rather than compared with a second copy of itself.
TEST(Sha256Constants, RoundConstantsAreTheCubeRootsOfTheFirst64Primes) {
    const auto primes = FirstPrimes(64);
    for (int t = 0; t < 64; ++t) {
        EXPECT_EQ(sha256::K(t), Fraction32(std::cbrt((long double)primes[std::size_t(t)]))) << t;
    }
    static_assert(sha256::K(0) == 0x428a2f98 && sha256::K(63) == 0xc67178f2);
}

TEST(Sha256Constants, InitialHashIsTheSquareRootsOfTheFirst8Primes) {
    const auto primes = FirstPrimes(8);
    for (int i = 0; i < 8; ++i) {
        EXPECT_EQ(sha256::IV(i), Fraction32(std::sqrt((long double)primes[std::size_t(i)]))) << i;
    }
    static_assert(sha256::IV(0) == 0x6a09e667 && sha256::IV(7) == 0x5be0cd19);
}
