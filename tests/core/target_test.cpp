// nBits <-> target (cases from Bitcoin Core's arith_uint256 tests), pool difficulty <-> target,
// and the proof-of-work comparison.
#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "nonceforge/core/target.hpp"

using namespace nonceforge::core;

namespace {
U256 Hex(const char* hex64) {
    return *U256::FromHex(hex64);
}
} // namespace

TEST(Compact, Difficulty1Bits) {
    auto c = DecodeCompact(0x1d00ffff);
    EXPECT_TRUE(c.IsValidPow());
    EXPECT_EQ(c.target.ToHex(), "00000000ffff0000000000000000000000000000000000000000000000000000");
    EXPECT_EQ(c.target, Diff1Target());
    EXPECT_EQ(EncodeCompact(c.target), 0x1d00ffffu);
    EXPECT_DOUBLE_EQ(DifficultyFromBits(0x1d00ffff), 1.0);
}

TEST(Compact, RegtestBitsHaveANonZeroTopWord) {
    auto c = DecodeCompact(0x207fffff);
    EXPECT_TRUE(c.IsValidPow());
    EXPECT_EQ(c.target.ToHex(), "7fffff0000000000000000000000000000000000000000000000000000000000");
    EXPECT_EQ(c.target.TopWord(), 0x7fffff00u);
    EXPECT_EQ(EncodeCompact(c.target), 0x207fffffu);
    EXPECT_NEAR(DifficultyFromBits(0x207fffff), 4.6565423739069247e-10, 1e-20);
}

TEST(Compact, MainnetBits0x17034219) {
    auto c = DecodeCompact(0x17034219);
    EXPECT_TRUE(c.IsValidPow());
    EXPECT_EQ(c.target.ToHex(), "0000000000000000000342190000000000000000000000000000000000000000");
    EXPECT_EQ(EncodeCompact(c.target), 0x17034219u);
    EXPECT_NEAR(DifficultyFromBits(0x17034219) / 86388558925171.02, 1.0, 1e-12);
}

TEST(Compact, NegativeIsReported) {
    auto c = DecodeCompact(0x01fedcba);
    EXPECT_TRUE(c.negative);
    EXPECT_FALSE(c.overflow);
    EXPECT_EQ(c.target, U256(0x7e));
    EXPECT_FALSE(c.IsValidPow());

    auto d = DecodeCompact(0x04923456);
    EXPECT_TRUE(d.negative);
    EXPECT_EQ(d.target, U256(0x12345600));
    EXPECT_FALSE(d.IsValidPow());
}

TEST(Compact, ZeroIsReported) {
    for (uint32_t bits : {0x00000000u, 0x00123456u, 0x01003456u, 0x02000056u, 0x03000000u,
                          0x04000000u, 0x00923456u, 0x01803456u}) {
        auto c = DecodeCompact(bits);
        EXPECT_TRUE(c.target.IsZero()) << std::hex << bits;
        EXPECT_FALSE(c.negative) << std::hex << bits;
        EXPECT_FALSE(c.overflow) << std::hex << bits;
        EXPECT_FALSE(c.IsValidPow()) << std::hex << bits;
    }
}

TEST(Compact, OverflowIsReported) {
    for (uint32_t bits : {0xff123456u, 0x23000001u, 0x22000100u, 0x21010000u}) {
        auto c = DecodeCompact(bits);
        EXPECT_TRUE(c.overflow) << std::hex << bits;
        EXPECT_FALSE(c.IsValidPow()) << std::hex << bits;
    }
    // The largest values that still fit.
    EXPECT_FALSE(DecodeCompact(0x220000ffu).overflow);
    EXPECT_FALSE(DecodeCompact(0x2100ffffu).overflow);
    EXPECT_FALSE(DecodeCompact(0x20ffffffu & 0xff7fffffu).overflow);
}

TEST(Compact, EncodeKeepsTheMantissaPositive) {
    EXPECT_EQ(EncodeCompact(U256(0x80)), 0x02008000u);
    EXPECT_EQ(EncodeCompact(U256(0x12345600)), 0x04123456u);
    EXPECT_EQ(EncodeCompact(U256(0x92340000)), 0x05009234u);
    EXPECT_EQ(EncodeCompact(U256()), 0u);
}

TEST(Difficulty, OneIsTheDiff1Target) {
    auto t = DifficultyToTarget(1.0);
    ASSERT_TRUE(t);
    EXPECT_EQ(*t, Diff1Target());
}

TEST(Difficulty, MatchesPoolerCpuminerAtOneThousandth) {
    auto t = DifficultyToTarget(0.001);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->ToHex(), "000003e7fc180000000000000000000000000000000000000000000000000000");
}

TEST(Difficulty, PowerOfTwoIsExact) {
    auto t = DifficultyToTarget(65536);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->ToHex(), "000000000000ffff000000000000000000000000000000000000000000000000");
}

TEST(Difficulty, RoundTrips) {
    for (double d : {0.00001, 0.001, 0.5, 1.0, 3.0, 65536.0, 1e12, 1e15}) {
        auto t = DifficultyToTarget(d);
        ASSERT_TRUE(t) << d;
        EXPECT_NEAR(TargetToDifficulty(*t) / d, 1.0, 1e-12) << d;
    }
}

TEST(Difficulty, FractionalTargetsAreAboveDiff1) {
    auto t = DifficultyToTarget(0.00001);
    ASSERT_TRUE(t);
    EXPECT_GT(*t, Diff1Target());
    EXPECT_NE(t->TopWord(), 0u);
}

TEST(Difficulty, RejectsZeroNegativeNanAndInfinity) {
    EXPECT_EQ(DifficultyToTarget(0.0).error(), DifficultyError::NotPositive);
    EXPECT_EQ(DifficultyToTarget(-1.0).error(), DifficultyError::NotPositive);
    EXPECT_EQ(DifficultyToTarget(std::nan("")).error(), DifficultyError::NotFinite);
    EXPECT_EQ(DifficultyToTarget(INFINITY).error(), DifficultyError::NotFinite);
    EXPECT_EQ(DifficultyToTarget(-INFINITY).error(), DifficultyError::NotFinite);
}

TEST(Difficulty, RejectsTargetsOutsideTheRange) {
    EXPECT_EQ(DifficultyToTarget(1e-11).error(), DifficultyError::TooSmall);
    EXPECT_EQ(DifficultyToTarget(std::numeric_limits<double>::denorm_min()).error(),
              DifficultyError::TooSmall);
    EXPECT_EQ(DifficultyToTarget(1e300).error(), DifficultyError::TooLarge);
    EXPECT_FALSE(ToString(DifficultyError::TooLarge).empty());
}

TEST(MeetsTarget, BoundaryIsInclusive) {
    U256 target = Hex("00000000ffff0000000000000000000000000000000000000000000000000000");
    EXPECT_TRUE(HashMeetsTarget(target.ToHashLE(), target));
    U256 above = target;
    above.SetLimb(0, 1);
    EXPECT_FALSE(HashMeetsTarget(above.ToHashLE(), target));
    U256 below = Hex("00000000fffeffffffffffffffffffffffffffffffffffffffffffffffffffff");
    EXPECT_TRUE(HashMeetsTarget(below.ToHashLE(), target));
}

TEST(MeetsTarget, ReadsTheHashLittleEndian) {
    // A hash whose first wire byte is 0xff but whose last four bytes are zero is a tiny
    // number: the last bytes are the most significant.
    Hash256 h;
    h.bytes[0] = 0xff;
    EXPECT_TRUE(HashMeetsTarget(h, Diff1Target()));
    Hash256 g;
    g.bytes[31] = 0x01;
    EXPECT_FALSE(HashMeetsTarget(g, Diff1Target()));
}

TEST(U256, ShiftsAndBits) {
    U256 one(1);
    EXPECT_EQ((one << 255).Bits(), 256);
    EXPECT_EQ(((one << 255) >> 255), one);
    EXPECT_EQ((one << 256), U256());
    EXPECT_EQ((U256(0xdeadbeefcafef00dull) << 40 >> 40), U256(0xdeadbeefcafef00dull));
    EXPECT_EQ(U256::Max().Bits(), 256);
    EXPECT_EQ(U256().Bits(), 0);
}

TEST(U256, FromDouble) {
    EXPECT_EQ(*U256::FromDouble(0.0), U256());
    EXPECT_EQ(*U256::FromDouble(0.99), U256());
    EXPECT_EQ(*U256::FromDouble(12345.7), U256(12345));
    EXPECT_EQ(*U256::FromDouble(std::ldexp(1.0, 200)), U256(1) << 200);
    EXPECT_FALSE(U256::FromDouble(std::ldexp(1.0, 256)));
    EXPECT_FALSE(U256::FromDouble(-1.0));
}
