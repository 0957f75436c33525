// The number parsers behind `nonceforge profit`: hashrates with SI prefixes and H/s,
// difficulties with SI prefixes, plain decimals and block heights.
#include <gtest/gtest.h>

#include "miner/profit/units.hpp"

using namespace nonceforge::miner::profit;

namespace {

double Hashrate(const char* text) {
    auto v = ParseHashrate(text);
    EXPECT_TRUE(v) << "'" << text << "' refused: " << (v ? "" : ToString(v.error()));
    return v ? *v : -1;
}

NumberError HashrateError(const char* text) {
    auto v = ParseHashrate(text);
    EXPECT_FALSE(v) << "'" << text << "' accepted as " << (v ? *v : 0);
    return v ? NumberError::Empty : v.error();
}

} // namespace

TEST(HashrateParse, SiPrefixes) {
    EXPECT_DOUBLE_EQ(Hashrate("12.5T"), 12.5e12);
    EXPECT_DOUBLE_EQ(Hashrate("100M"), 100e6);
    EXPECT_DOUBLE_EQ(Hashrate("950k"), 950e3);
    EXPECT_DOUBLE_EQ(Hashrate("950K"), 950e3);
    EXPECT_DOUBLE_EQ(Hashrate("7G"), 7e9);
    EXPECT_DOUBLE_EQ(Hashrate("1.5P"), 1.5e15);
    EXPECT_DOUBLE_EQ(Hashrate("3E"), 3e18); // exa, not an unfinished exponent
}

TEST(HashrateParse, PlainNumbersAndExponents) {
    EXPECT_DOUBLE_EQ(Hashrate("3e12"), 3e12);
    EXPECT_DOUBLE_EQ(Hashrate("3E12"), 3e12);
    EXPECT_DOUBLE_EQ(Hashrate("42"), 42);
    EXPECT_DOUBLE_EQ(Hashrate("0"), 0);
    EXPECT_DOUBLE_EQ(Hashrate("2e3k"), 2e6);
    EXPECT_DOUBLE_EQ(Hashrate(".5M"), 0.5e6);
}

TEST(HashrateParse, OptionalHashPerSecondUnit) {
    EXPECT_DOUBLE_EQ(Hashrate("12.5TH/s"), 12.5e12);
    EXPECT_DOUBLE_EQ(Hashrate("12.5 TH/s"), 12.5e12);
    EXPECT_DOUBLE_EQ(Hashrate("12.5 T H/s"), 12.5e12);
    EXPECT_DOUBLE_EQ(Hashrate("100MH/s"), 100e6);
    EXPECT_DOUBLE_EQ(Hashrate("950 kh/s"), 950e3);
    EXPECT_DOUBLE_EQ(Hashrate("42 H/s"), 42);
    EXPECT_DOUBLE_EQ(Hashrate("42H"), 42);
    EXPECT_DOUBLE_EQ(Hashrate("  7G  "), 7e9);
}

TEST(HashrateParse, RejectsGarbage) {
    EXPECT_EQ(HashrateError(""), NumberError::Empty);
    EXPECT_EQ(HashrateError("   "), NumberError::Empty);
    EXPECT_EQ(HashrateError("abc"), NumberError::NotANumber);
    EXPECT_EQ(HashrateError("TH/s"), NumberError::NotANumber);
    EXPECT_EQ(HashrateError("+5T"), NumberError::NotANumber);
    EXPECT_EQ(HashrateError("1,000"), NumberError::NotANumber);
    EXPECT_EQ(HashrateError("12.5T!"), NumberError::NotANumber);
    EXPECT_EQ(HashrateError("12.5X"), NumberError::BadSuffix);
    EXPECT_EQ(HashrateError("100m"), NumberError::BadSuffix); // milli or mega? refused
    EXPECT_EQ(HashrateError("5TT"), NumberError::BadSuffix);
    EXPECT_EQ(HashrateError("12.5TH/s/s"), NumberError::BadSuffix);
    EXPECT_EQ(HashrateError("12 J/s"), NumberError::BadSuffix);
}

TEST(HashrateParse, RejectsNegativesNanAndInfinity) {
    EXPECT_EQ(HashrateError("-5T"), NumberError::Negative);
    EXPECT_EQ(HashrateError("-0"), NumberError::Negative);
    EXPECT_EQ(HashrateError("nan"), NumberError::NotFinite);
    EXPECT_EQ(HashrateError("NaN"), NumberError::NotFinite);
    EXPECT_EQ(HashrateError("inf"), NumberError::NotFinite);
    EXPECT_EQ(HashrateError("infinity H/s"), NumberError::NotFinite);
    EXPECT_EQ(HashrateError("1e400"), NumberError::NotFinite);
    EXPECT_EQ(HashrateError("1e300E"), NumberError::NotFinite); // finite number, infinite product
    EXPECT_EQ(HashrateError("-inf"), NumberError::NotFinite);   // not finite before negative
    EXPECT_EQ(HashrateError("-nan"), NumberError::NotFinite);
    EXPECT_EQ(HashrateError("1e999"), NumberError::NotFinite);
    EXPECT_EQ(HashrateError("-1e999"), NumberError::NotFinite);
}

TEST(PowerParse, WattsWithOrWithoutPrefixAndUnit) {
    for (const char* text : {"3kW", "3 kW", "3000W", "3000", "3k", "3000 W", "3kw", "0.003MW"}) {
        auto v = ParsePower(text);
        ASSERT_TRUE(v) << text << ": " << ToString(v.error());
        EXPECT_DOUBLE_EQ(*v, 3000) << text;
    }
    EXPECT_DOUBLE_EQ(*ParsePower("1.5GW"), 1.5e9);
    EXPECT_EQ(ParsePower("3kWh").error(), NumberError::BadSuffix);
    EXPECT_EQ(ParsePower("3 TH/s").error(), NumberError::BadSuffix);
    EXPECT_EQ(ParsePower("-5").error(), NumberError::Negative);
    EXPECT_EQ(ParsePower("nan").error(), NumberError::NotFinite);
    EXPECT_EQ(ParsePower("-inf W").error(), NumberError::NotFinite);
    EXPECT_EQ(ParsePower("1e999").error(), NumberError::NotFinite);
    EXPECT_EQ(ParsePower("W").error(), NumberError::NotANumber);
}

TEST(PriceParse, SiPrefixesOnPrices) {
    EXPECT_DOUBLE_EQ(*ParseSiNumber("95k"), 95e3);
    EXPECT_DOUBLE_EQ(*ParseSiNumber("1.2M"), 1.2e6);
    EXPECT_DOUBLE_EQ(*ParseSiNumber("0.05"), 0.05);
    EXPECT_EQ(ParseSiNumber("95 USD").error(), NumberError::BadSuffix);
    EXPECT_EQ(ParseSiNumber("inf").error(), NumberError::NotFinite);
    EXPECT_EQ(ParseSiNumber("-inf").error(), NumberError::NotFinite);
}

TEST(HashrateParse, DifficultyTakesPrefixesButNotHashUnits) {
    auto d = ParseSiNumber("126.4T");
    ASSERT_TRUE(d);
    EXPECT_DOUBLE_EQ(*d, 126.4e12);
    auto plain = ParseSiNumber("86388558925171.02");
    ASSERT_TRUE(plain);
    EXPECT_DOUBLE_EQ(*plain, 86388558925171.02);
    auto h = ParseSiNumber("1TH/s");
    ASSERT_FALSE(h);
    EXPECT_EQ(h.error(), NumberError::BadSuffix);
    EXPECT_FALSE(ParseSiNumber("-1"));
}

TEST(HashrateParse, DecimalsAndHeights) {
    EXPECT_EQ(ParseDecimal("-2.5"), -2.5);
    EXPECT_EQ(ParseDecimal(" 0.05 "), 0.05);
    EXPECT_EQ(ParseDecimal("1e-3"), 1e-3);
    EXPECT_FALSE(ParseDecimal("abc"));
    EXPECT_FALSE(ParseDecimal("5%"));
    EXPECT_FALSE(ParseDecimal("nan"));
    EXPECT_FALSE(ParseDecimal("inf"));
    EXPECT_FALSE(ParseDecimal(""));
    EXPECT_EQ(ParseFiniteDecimal("-2.5").value_or(0), -2.5);
    EXPECT_EQ(ParseFiniteDecimal("nan").error(), NumberError::NotFinite);
    EXPECT_EQ(ParseFiniteDecimal("-inf").error(), NumberError::NotFinite);
    EXPECT_EQ(ParseFiniteDecimal("1e999").error(), NumberError::NotFinite);
    EXPECT_EQ(ParseFiniteDecimal("5%").error(), NumberError::NotANumber);
    EXPECT_EQ(ParseFiniteDecimal(" ").error(), NumberError::Empty);
    EXPECT_EQ(ParseUnsigned("840000"), 840000u);
    EXPECT_EQ(ParseUnsigned("0"), 0u);
    EXPECT_FALSE(ParseUnsigned("-1"));
    EXPECT_FALSE(ParseUnsigned("1.5"));
    EXPECT_FALSE(ParseUnsigned("1e6"));
    EXPECT_FALSE(ParseUnsigned(""));
    EXPECT_FALSE(ParseUnsigned("99999999999999999999999")); // beyond 2^64
}
