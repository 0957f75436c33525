#include <gtest/gtest.h>

#include "nonceforge/core/bytes.hpp"
#include "nonceforge/core/hex.hpp"

using namespace nonceforge::core;

TEST(Hex, DecodesMixedCase) {
    auto r = HexDecode("00ff10aB");
    ASSERT_TRUE(r);
    EXPECT_EQ(*r, (std::vector<uint8_t>{0x00, 0xff, 0x10, 0xab}));
}

TEST(Hex, EmptyIsEmpty) {
    auto r = HexDecode("");
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->empty());
}

TEST(Hex, RejectsOddLength) {
    auto r = HexDecode("abc");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, HexErrorKind::OddLength);
    EXPECT_NE(r.error().Message().find("odd"), std::string::npos);
}

TEST(Hex, RejectsNonHexAndSaysWhere) {
    auto r = HexDecode("00112g33");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, HexErrorKind::InvalidCharacter);
    EXPECT_EQ(r.error().position, 5u);
    EXPECT_EQ(r.error().Message(), "invalid hex character at position 5");
}

TEST(Hex, RejectsSpacesSignsAndPrefix) {
    EXPECT_FALSE(HexDecode("0x12"));
    EXPECT_FALSE(HexDecode(" 12"));
    EXPECT_FALSE(HexDecode("-1"));
}

TEST(Hex, FixedSizeDecodeChecksLength) {
    uint8_t out[4];
    auto err = HexDecodeInto("0011223344", out);
    ASSERT_TRUE(err);
    EXPECT_EQ(err->kind, HexErrorKind::WrongLength);
    EXPECT_FALSE(HexDecodeInto("00112233", out));
    EXPECT_EQ(out[3], 0x33);
}

TEST(Hex, EncodeIsLowercaseAndRoundTrips) {
    std::vector<uint8_t> bytes;
    for (int i = 0; i < 256; ++i) {
        bytes.push_back(uint8_t(i));
    }
    std::string text = HexEncode(bytes);
    EXPECT_EQ(text.substr(0, 8), "00010203");
    EXPECT_EQ(text.substr(text.size() - 4), "feff");
    EXPECT_EQ(*HexDecode(text), bytes);
}

TEST(Bytes, EndianReadsAndWrites) {
    const uint8_t b[8] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
    EXPECT_EQ(ReadLE32(b), 0x04030201u);
    EXPECT_EQ(ReadBE32(b), 0x01020304u);
    EXPECT_EQ(ReadLE64(b), 0x0807060504030201ull);
    EXPECT_EQ(ReadBE64(b), 0x0102030405060708ull);
    EXPECT_EQ(ByteSwap32(0x11223344u), 0x44332211u);
    uint8_t out[8] = {};
    WriteLE32(out, 0xa1b2c3d4u);
    EXPECT_EQ(out[0], 0xd4);
    EXPECT_EQ(out[3], 0xa1);
    WriteBE32(out, 0xa1b2c3d4u);
    EXPECT_EQ(out[0], 0xa1);
    WriteLE64(out, 0x0102030405060708ull);
    EXPECT_EQ(ReadLE64(out), 0x0102030405060708ull);
    WriteBE64(out, 0x0102030405060708ull);
    EXPECT_EQ(out[0], 0x01);
}
