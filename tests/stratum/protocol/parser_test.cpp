// Literal server lines, well-formed and malformed, through ParseServerLine.
#include <sstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "nonceforge/core/stratum_fields.hpp"
#include "nonceforge/core/target.hpp"
#include "nonceforge/stratum/parser.hpp"
#include "session_harness.hpp"

using namespace nonceforge;
using namespace nonceforge::stratum;

namespace {

// The message as T; anything else ends the test with the parse error in the failure.
template <class T>
T Parse(std::string_view line) {
    auto r = ParseServerLine(line);
    if (!r) {
        throw std::runtime_error(std::string(line.substr(0, 200)) + " -> " + r.error().Message());
    }
    return std::get<T>(*r);
}

ProtocolError Fail(std::string_view line) {
    auto r = ParseServerLine(line);
    EXPECT_FALSE(r) << line;
    return r ? ProtocolError{} : r.error();
}

// Expects a parse failure with `code`, whose message names `field`.
void ExpectError(std::string_view line, ErrorCode code, std::string_view field) {
    ProtocolError e = Fail(line);
    EXPECT_EQ(e.code, code) << line << "\n -> " << e.Message();
    EXPECT_NE(e.Message().find(field), std::string::npos) << e.Message();
}

std::string NotifyWith(int index, std::string_view value_json) {
    nlohmann::json j = nlohmann::json::parse(test::NotifyLine("job1"));
    j["params"][static_cast<std::size_t>(index)] = nlohmann::json::parse(value_json);
    return j.dump();
}

std::string Quoted(const std::string& s) {
    return Quote(s);
}

// JSON array text of the given element texts.
std::string ArrayOf(const std::vector<std::string>& elements) {
    std::string out = "[";
    for (std::size_t i = 0; i < elements.size(); ++i) {
        out.append(i ? "," : "").append(elements[i]);
    }
    return out.append("]");
}

} // namespace

// --- mining.notify -------------------------------------------------------------------------

TEST(ParseNotify, SlushDocumentationExample) {
    auto n = Parse<Notify>(
        R"({"params": ["bf", "4d16b6f85af6e2198f44ae2a6de67f78487ae5611b77c6c0440b921e00000000",)"
        R"( "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff20020862062f503253482f04b8864e5008",)"
        R"( "072f736c7573682f000000000100f2052a010000001976a914d23fcdf86f7e756a64a7a9688ef9903327048ed988ac00000000",)"
        R"( [], "00000002", "1c2ac4af", "504e86b9", false], "id": null, "method": "mining.notify"})");
    EXPECT_EQ(n.job_id.Str(), "bf");
    // The wire prevhash has each 4-byte word reversed; the parsed value is in header order.
    EXPECT_EQ(n.prev_hash.Internal().ToWireHex(),
              "f8b6164d19e2f65a2aae448f787fe66d61e57a48c0c6771b1e920b4400000000");
    EXPECT_EQ(n.coinb1.Bytes().size(), 58u);
    EXPECT_EQ(n.coinb2.Bytes().size(), 51u);
    EXPECT_TRUE(n.merkle_branch.Hashes().empty());
    EXPECT_EQ(n.version.Value(), 2u);
    EXPECT_EQ(n.nbits.Value(), 0x1c2ac4afu);
    EXPECT_EQ(n.ntime.Value(), 0x504e86b9u);
    EXPECT_FALSE(n.clean_jobs);
}

TEST(ParseNotify, BranchEntriesAreRawBytesNeverReversed) {
    const std::string a(64, 'a');
    const std::string b = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    auto n = Parse<Notify>(NotifyWith(4, ArrayOf({Quoted(a), Quoted(b)})));
    ASSERT_EQ(n.merkle_branch.Hashes().size(), 2u);
    EXPECT_EQ(n.merkle_branch.Hashes()[1].ToWireHex(), b);
}

TEST(ParseNotify, CleanJobsTrueAndUppercaseHex) {
    auto n = Parse<Notify>(NotifyWith(6, R"("1C2AC4AF")"));
    EXPECT_EQ(n.nbits.Value(), 0x1c2ac4afu);
    EXPECT_TRUE(Parse<Notify>(NotifyWith(8, "true")).clean_jobs);
}

TEST(ParseNotify, AcceptsTheLargestBounds) {
    const std::vector<std::string> entries(32, Quoted(std::string(64, '0')));
    EXPECT_EQ(Parse<Notify>(NotifyWith(4, ArrayOf(entries))).merkle_branch.Hashes().size(), 32u);
    EXPECT_EQ(Parse<Notify>(NotifyWith(0, Quoted(std::string(128, 'j')))).job_id.Str().size(),
              128u);
    EXPECT_EQ(Parse<Notify>(NotifyWith(2, Quoted(std::string(65536, 'f')))).coinb1.Bytes().size(),
              32768u);
}

TEST(ParseNotify, WrongParamCount) {
    nlohmann::json j = nlohmann::json::parse(test::NotifyLine("job1"));
    j["params"].erase(8);
    ExpectError(j.dump(), ErrorCode::WrongCount, "mining.notify params");
    j["params"].push_back(true);
    j["params"].push_back(1);
    ExpectError(j.dump(), ErrorCode::WrongCount, "expected 9, got 10");
    ExpectError(R"({"id":null,"method":"mining.notify","params":[]})", ErrorCode::WrongCount,
                "mining.notify params");
}

TEST(ParseNotify, MissingOrNonArrayParams) {
    ExpectError(R"({"id":null,"method":"mining.notify"})", ErrorCode::MissingField,
                "mining.notify params");
    ExpectError(R"({"id":null,"method":"mining.notify","params":{"job_id":"1"}})",
                ErrorCode::WrongType, "mining.notify params");
    ExpectError(R"({"id":null,"method":"mining.notify","params":null})", ErrorCode::WrongType,
                "mining.notify params");
}

TEST(ParseNotify, JobIdMustBeABoundedPrintableString) {
    ExpectError(NotifyWith(0, "42"), ErrorCode::WrongType, "params[0] (job_id)");
    ExpectError(NotifyWith(0, R"("")"), ErrorCode::BadText, "job_id");
    ExpectError(NotifyWith(0, R"("a\nb")"), ErrorCode::BadText, "job_id");
    ExpectError(NotifyWith(0, Quoted(std::string(129, 'j'))), ErrorCode::TooLong, "job_id");
}

TEST(ParseNotify, PrevHashMustBe64HexDigits) {
    ExpectError(NotifyWith(1, Quoted(std::string(63, 'a'))), ErrorCode::BadHex,
                "params[1] (prevhash)");
    ExpectError(NotifyWith(1, Quoted(std::string(62, 'a'))), ErrorCode::BadHex, "prevhash");
    ExpectError(NotifyWith(1, Quoted(std::string(66, 'a'))), ErrorCode::TooLong, "prevhash");
    ExpectError(NotifyWith(1, Quoted("zz" + std::string(62, 'a'))), ErrorCode::BadHex,
                "position 0");
    ExpectError(NotifyWith(1, "null"), ErrorCode::WrongType, "prevhash");
}

TEST(ParseNotify, CoinbasePartsAreEvenLengthBoundedHex) {
    ExpectError(NotifyWith(2, R"("abc")"), ErrorCode::BadHex, "params[2] (coinb1)");
    ExpectError(NotifyWith(3, R"("0g")"), ErrorCode::BadHex, "params[3] (coinb2)");
    ExpectError(NotifyWith(3, "[\"00\"]"), ErrorCode::WrongType, "coinb2");
    ExpectError(NotifyWith(2, Quoted(std::string(65538, '0'))), ErrorCode::TooLong, "coinb1");
}

TEST(ParseNotify, MerkleBranchIsBoundedAndEachEntryIs32Bytes) {
    ExpectError(NotifyWith(4, R"("00")"), ErrorCode::WrongType, "params[4] (merkle_branch)");
    ExpectError(
        NotifyWith(4, ArrayOf({Quoted(std::string(64, '0')), Quoted(std::string(62, '0'))})),
        ErrorCode::BadHex, "merkle_branch)[1]");
    ExpectError(NotifyWith(4, "[[\"00\"]]"), ErrorCode::WrongType, "merkle_branch)[0]");
    const std::vector<std::string> entries(33, Quoted(std::string(64, '0')));
    ExpectError(NotifyWith(4, ArrayOf(entries)), ErrorCode::TooLong, "33 entries");
}

TEST(ParseNotify, U32FieldsAreExactlyEightHexDigits) {
    ExpectError(NotifyWith(5, R"("2000000")"), ErrorCode::BadHex, "params[5] (version)");
    ExpectError(NotifyWith(5, "536870912"), ErrorCode::WrongType, "version");
    ExpectError(NotifyWith(6, R"("1c2ac4aG")"), ErrorCode::BadHex, "params[6] (nbits)");
    ExpectError(NotifyWith(7, R"("0x504e86")"), ErrorCode::BadHex, "params[7] (ntime)");
    ExpectError(NotifyWith(7, R"("504e86b900")"), ErrorCode::TooLong, "ntime");
}

TEST(ParseNotify, CleanJobsMustBeBoolean) {
    ExpectError(NotifyWith(8, R"("false")"), ErrorCode::WrongType, "params[8] (clean_jobs)");
    ExpectError(NotifyWith(8, "0"), ErrorCode::WrongType, "clean_jobs");
}

// --- mining.set_difficulty -----------------------------------------------------------------

namespace {
std::string SetDifficultyLine(std::string_view value_json) {
    return R"({"id":null,"method":"mining.set_difficulty","params":[)" + std::string(value_json) +
           "]}";
}
double DifficultyOf(std::string_view value_json) {
    return Parse<SetDifficulty>(SetDifficultyLine(value_json)).difficulty.Value();
}
} // namespace

TEST(ParseSetDifficulty, NumbersStringsAndExponentForms) {
    EXPECT_EQ(DifficultyOf("16384"), 16384.0);
    EXPECT_EQ(DifficultyOf("0.5"), 0.5);
    EXPECT_EQ(DifficultyOf("1e3"), 1000.0);
    EXPECT_EQ(DifficultyOf("1.5e-5"), 1.5e-5);
    EXPECT_EQ(DifficultyOf(R"("16384")"), 16384.0);
    EXPECT_EQ(DifficultyOf(R"("1e3")"), 1000.0);
    EXPECT_EQ(DifficultyOf(R"("0.00001")"), 0.00001);
    EXPECT_EQ(DifficultyOf("123456789012345678901234567890"), 1.2345678901234568e29);
}

TEST(ParseSetDifficulty, TargetIsCoreConversion) {
    auto d = Parse<SetDifficulty>(SetDifficultyLine("1024")).difficulty;
    EXPECT_EQ(d.Target(), *core::DifficultyToTarget(1024));
    EXPECT_EQ(Difficulty::One().Target(), core::Diff1Target());
}

TEST(ParseSetDifficulty, RejectsNonPositiveNonFiniteAndUnrepresentable) {
    ExpectError(SetDifficultyLine("0"), ErrorCode::BadDifficulty, "must be positive");
    ExpectError(SetDifficultyLine("-1"), ErrorCode::BadDifficulty, "must be positive");
    ExpectError(SetDifficultyLine(R"("-0.5")"), ErrorCode::BadDifficulty, "must be positive");
    ExpectError(SetDifficultyLine(R"("nan")"), ErrorCode::BadDifficulty, "not a finite");
    ExpectError(SetDifficultyLine(R"("inf")"), ErrorCode::BadDifficulty, "not a finite");
    ExpectError(SetDifficultyLine("1e-300"), ErrorCode::BadDifficulty, "too small");
    ExpectError(SetDifficultyLine("1e80"), ErrorCode::BadDifficulty, "too large");
    ExpectError(SetDifficultyLine(R"("1e999")"), ErrorCode::BadDifficulty, "range of a double");
    // As a JSON number it overflows the JSON reader itself.
    ExpectError(SetDifficultyLine("1e999"), ErrorCode::NotJson, "1e999");
}

TEST(ParseSetDifficulty, RejectsNonNumbers) {
    ExpectError(SetDifficultyLine(R"("abc")"), ErrorCode::BadDifficulty, "not a number");
    ExpectError(SetDifficultyLine(R"("16384 ")"), ErrorCode::BadDifficulty, "not a number");
    ExpectError(SetDifficultyLine(R"("0x10")"), ErrorCode::BadDifficulty, "not a number");
    ExpectError(SetDifficultyLine(R"("")"), ErrorCode::BadDifficulty, "not a number");
    ExpectError(SetDifficultyLine("null"), ErrorCode::WrongType, "difficulty");
    ExpectError(SetDifficultyLine("true"), ErrorCode::WrongType, "difficulty");
    ExpectError(SetDifficultyLine("[1]"), ErrorCode::WrongType, "difficulty");
    ExpectError(SetDifficultyLine(Quoted(std::string(65, '1'))), ErrorCode::TooLong, "difficulty");
}

TEST(ParseSetDifficulty, ExactlyOneParam) {
    ExpectError(SetDifficultyLine(""), ErrorCode::WrongCount, "mining.set_difficulty params");
    ExpectError(SetDifficultyLine("1,2"), ErrorCode::WrongCount, "expected 1, got 2");
}

// --- mining.set_extranonce, mining.set_version_mask --------------------------------------

TEST(ParseSetExtranonce, WithAndWithoutSize) {
    auto a = Parse<SetExtranonce>(
        R"({"id":null,"method":"mining.set_extranonce","params":["08000002",4]})");
    EXPECT_EQ(a.extranonce1.Bytes(), (std::vector<uint8_t>{8, 0, 0, 2}));
    ASSERT_TRUE(a.extranonce2_size);
    EXPECT_EQ(a.extranonce2_size->Value(), 4u);
    auto b = Parse<SetExtranonce>(R"({"method":"mining.set_extranonce","params":["abcd"]})");
    EXPECT_FALSE(b.extranonce2_size);
}

TEST(ParseSetExtranonce, BoundsAndTypes) {
    const std::string pre = R"({"id":null,"method":"mining.set_extranonce","params":[)";
    ExpectError(pre + R"("08000002",0]})", ErrorCode::OutOfRange, "params[1] (extranonce2_size)");
    ExpectError(pre + R"("08000002",100]})", ErrorCode::OutOfRange, "must be 1..16");
    ExpectError(pre + R"("08000002",-4]})", ErrorCode::OutOfRange, "extranonce2_size");
    ExpectError(pre + R"("08000002","4"]})", ErrorCode::WrongType, "extranonce2_size");
    ExpectError(pre + R"("08000002",4.0]})", ErrorCode::WrongType, "extranonce2_size");
    ExpectError(pre + R"("08000002",18446744073709551615]})", ErrorCode::OutOfRange,
                "extranonce2_size");
    ExpectError(pre + R"("0800000",4]})", ErrorCode::BadHex, "params[0] (extranonce1)");
    ExpectError(pre + Quoted(std::string(66, '0')) + "]}", ErrorCode::TooLong, "extranonce1");
    ExpectError(pre + "]}", ErrorCode::WrongCount, "expected 1..2, got 0");
    ExpectError(pre + R"("00",4,1]})", ErrorCode::WrongCount, "expected 1..2, got 3");
}

TEST(ParseSetVersionMask, EightHexDigits) {
    auto m = Parse<SetVersionMask>(
        R"({"id":null,"method":"mining.set_version_mask","params":["1fffe000"]})");
    EXPECT_EQ(m.mask.Value(), 0x1fffe000u);
    ExpectError(R"({"id":null,"method":"mining.set_version_mask","params":["1fffe00"]})",
                ErrorCode::BadHex, "params[0] (mask)");
    ExpectError(R"({"id":null,"method":"mining.set_version_mask","params":[536862720]})",
                ErrorCode::WrongType, "mask");
}

// --- client.* and server requests --------------------------------------------------------

TEST(ParseReconnect, AllForms) {
    auto none = Parse<ClientReconnect>(R"({"id":null,"method":"client.reconnect","params":[]})");
    EXPECT_FALSE(none.host);
    EXPECT_FALSE(none.port);
    EXPECT_EQ(none.wait.count(), 0);
    auto bare = Parse<ClientReconnect>(R"({"id":null,"method":"client.reconnect"})");
    EXPECT_FALSE(bare.host);
    auto full = Parse<ClientReconnect>(
        R"({"id":null,"method":"client.reconnect","params":["eu.pool.example",3334,5]})");
    EXPECT_EQ(full.host, "eu.pool.example");
    EXPECT_EQ(full.port, 3334);
    EXPECT_EQ(full.wait.count(), 5);
    auto text_port = Parse<ClientReconnect>(
        R"({"id":null,"method":"client.reconnect","params":["10.0.0.1","3333","2"]})");
    EXPECT_EQ(text_port.port, 3333);
    EXPECT_EQ(text_port.wait.count(), 2);
    auto same =
        Parse<ClientReconnect>(R"({"id":null,"method":"client.reconnect","params":["",0]})");
    EXPECT_FALSE(same.host);
    EXPECT_FALSE(same.port);
}

TEST(ParseReconnect, Malformed) {
    const std::string pre = R"({"id":null,"method":"client.reconnect","params":[)";
    ExpectError(pre + R"("h",70000]})", ErrorCode::OutOfRange, "params[1] (port)");
    ExpectError(pre + R"("h","33a"]})", ErrorCode::WrongType, "port");
    ExpectError(pre + R"("h",-1]})", ErrorCode::OutOfRange, "port");
    ExpectError(pre + R"("h",1,99999]})", ErrorCode::OutOfRange, "params[2] (wait)");
    ExpectError(pre + R"("bad host",1]})", ErrorCode::BadText, "params[0] (host)");
    ExpectError(pre + R"("evil@host"]})", ErrorCode::BadText, "host");
    ExpectError(pre + Quoted(std::string(256, 'h')) + "]}", ErrorCode::TooLong, "host");
    ExpectError(pre + R"(5]})", ErrorCode::WrongType, "host");
    ExpectError(pre + R"("h",1,2,3]})", ErrorCode::WrongCount, "client.reconnect params");
    ExpectError(R"({"method":"client.reconnect","params":"h:1"})", ErrorCode::WrongType,
                "client.reconnect params");
}

TEST(ParseShowMessage, TextIsSanitizedAndBounded) {
    auto m = Parse<ShowMessage>(
        R"({"id":null,"method":"client.show_message","params":["maintenance\u0007 at 10:00"]})");
    EXPECT_EQ(m.text, "maintenance\\x07 at 10:00");
    auto big = Parse<ShowMessage>(R"({"method":"client.show_message","params":[)" +
                                  Quoted(std::string(5000, 'x')) + "]}");
    EXPECT_LE(big.text.size(), ShowMessage::MAX_TEXT + 3);
    EXPECT_EQ(big.text.substr(big.text.size() - 3), "...");
    ExpectError(R"({"method":"client.show_message","params":[5]})", ErrorCode::WrongType,
                "client.show_message params[0] (text)");
    ExpectError(R"({"method":"client.show_message","params":[]})", ErrorCode::WrongCount,
                "client.show_message params");
}

TEST(ParseServerRequests, GetVersionAndPingKeepTheirIds) {
    auto v = Parse<GetVersion>(R"({"id":5,"method":"client.get_version","params":[]})");
    EXPECT_EQ(v.id, RequestId{int64_t{5}});
    auto p = Parse<Ping>(R"({"id":"p-1","method":"mining.ping","params":[]})");
    EXPECT_EQ(p.id, RequestId{std::string("p-1")});
    auto n = Parse<Ping>(R"({"method":"mining.ping"})");
    EXPECT_TRUE(n.id.IsNull());
}

TEST(ParseServerRequests, UnknownMethodWithAndWithoutId) {
    auto a = Parse<UnknownMethod>(R"({"id":9,"method":"mining.get_transactions","params":[]})");
    EXPECT_EQ(a.method, "mining.get_transactions");
    EXPECT_EQ(a.id, RequestId{int64_t{9}});
    auto b = Parse<UnknownMethod>(R"({"method":"x.y\n","params":[{"deep":[1]}]})");
    EXPECT_EQ(b.method, "x.y\\x0a");
    EXPECT_TRUE(b.id.IsNull());
    auto c = Parse<UnknownMethod>(R"({"method":")" + std::string(500, 'm') + R"("})");
    EXPECT_LE(c.method.size(), UnknownMethod::MAX_METHOD + 3);
}

// --- responses (envelope only; typed readers in responses_test.cpp) ----------------------

TEST(ParseResponse, IdsResultsAndErrors) {
    auto r = Parse<Response>(R"({"id":1,"result":true,"error":null})");
    EXPECT_EQ(r.id.AsClientId(), 1u);
    EXPECT_EQ(r.result, true);
    EXPECT_FALSE(r.error);
    auto s = Parse<Response>(R"({"id":"7","result":null,"error":"Unauthorized"})");
    EXPECT_EQ(s.id, RequestId{std::string("7")});
    EXPECT_FALSE(s.id.AsClientId());
    ASSERT_TRUE(s.error);
    EXPECT_EQ(s.error->message, "Unauthorized");
    EXPECT_FALSE(s.error->code);
    auto n = Parse<Response>(R"({"id":null,"result":null,"error":[20,"Other/Unknown",null]})");
    EXPECT_TRUE(n.id.IsNull());
    EXPECT_EQ(n.error->code, 20);
    auto o = Parse<Response>(R"({"id":3,"error":{"code":-32601,"message":"Method not found"}})");
    EXPECT_EQ(o.error->code, -32601);
    EXPECT_EQ(o.error->message, "Method not found");
    EXPECT_TRUE(o.result.is_null());
    auto m = Parse<Response>(R"({"id":4,"result":true,"error":null,"method":null})");
    EXPECT_EQ(m.result, true);
    auto neg = Parse<Response>(R"({"id":-4,"result":true})");
    EXPECT_FALSE(neg.id.AsClientId());
}

TEST(ParseResponse, OddErrorShapesStillYieldAMessage) {
    EXPECT_EQ(Parse<Response>(R"({"id":1,"result":null,"error":[23]})").error->ToString(),
              "error (code 23)");
    EXPECT_EQ(Parse<Response>(R"({"id":1,"result":null,"error":true})").error->message, "true");
    EXPECT_EQ(Parse<Response>(R"({"id":1,"result":null,"error":[]})").error->message, "[]");
    EXPECT_EQ(Parse<Response>(R"({"id":1,"error":{"msg":"x"}})").error->message, R"({"msg":"x"})");
    auto big = Parse<Response>(R"({"id":1,"result":false,"error":[21,)" +
                               Quoted(std::string(1000, 'e')) + "]}");
    EXPECT_LE(big.error->message.size(), PoolError::MAX_MESSAGE + 3);
}

TEST(ParseResponse, MalformedEnvelopes) {
    ExpectError(R"({"id":1})", ErrorCode::MissingField, "response");
    ExpectError(R"({"id":1.5,"result":true})", ErrorCode::WrongType, "id");
    ExpectError(R"({"id":{"n":1},"result":true})", ErrorCode::WrongType, "id");
    ExpectError(R"({"id":[1],"result":true})", ErrorCode::WrongType, "id");
    ExpectError(R"({"id":18446744073709551615,"result":true})", ErrorCode::OutOfRange, "id");
    ExpectError(R"({"id":)" + Quoted(std::string(200, 'i')) + R"(,"result":true})",
                ErrorCode::TooLong, "id");
    ExpectError(R"({"id":1,"method":5,"params":[]})", ErrorCode::WrongType, "method");
}

// --- lines that are not Stratum at all ---------------------------------------------------

TEST(ParseLine, EmptyAndWhitespace) {
    EXPECT_EQ(Fail("").code, ErrorCode::EmptyLine);
    EXPECT_EQ(Fail(" \t\r\n").code, ErrorCode::EmptyLine);
}

TEST(ParseLine, NotJson) {
    ExpectError("hello", ErrorCode::NotJson, "hello");
    ExpectError(R"({"id":1,"result":tru)", ErrorCode::NotJson, "line");
    ExpectError(R"({"id":1,"result":true}{"id":2})", ErrorCode::NotJson, "line");
    ExpectError("{\"id\":1,\"result\":\"\xff\xfe\"}", ErrorCode::NotJson, "\\xff");
    const char with_nul[] = "{\"id\":1,\0\"result\":true}";
    ExpectError(std::string(with_nul, sizeof(with_nul) - 1), ErrorCode::NotJson, "\\x00");
    ExpectError("HTTP/1.1 400 Bad Request", ErrorCode::NotJson, "HTTP");
}

TEST(ParseLine, NotAnObject) {
    ExpectError("[1,2,3]", ErrorCode::NotAnObject, "array");
    ExpectError("42", ErrorCode::NotAnObject, "number");
    ExpectError(R"("mining.notify")", ErrorCode::NotAnObject, "string");
    ExpectError("null", ErrorCode::NotAnObject, "null");
}

TEST(ParseLine, NestedGarbageIsRefusedBeforeParsing) {
    ExpectError(std::string(100000, '['), ErrorCode::TooDeep, "more than 8 levels");
    ExpectError(R"({"id":1,"result":[[[[[[[[[1]]]]]]]]]})", ErrorCode::TooDeep, "line");
    // Brackets inside strings do not count.
    auto r = Parse<Response>(R"({"id":1,"result":"[[[[[[[[[[[[\"{{{{{{{{{{{{","error":null})");
    EXPECT_TRUE(r.result.is_string());
}

TEST(ParseLine, TooLong) {
    const std::string line = R"({"id":1,"result":")" + std::string(MAX_LINE_BYTES, 'a') + "\"}";
    ExpectError(line, ErrorCode::LineTooLong, "bytes, at most");
}

TEST(ParseLine, TrailingNewlineAndCarriageReturnAreFine) {
    auto r = Parse<Response>("{\"id\":1,\"result\":true,\"error\":null}\r\n");
    EXPECT_EQ(r.result, true);
}

TEST(ProtocolErrorText, NamesFieldDetailAndInput) {
    ProtocolError e = Fail(NotifyWith(1, R"("xyz")"));
    EXPECT_EQ(e.field, "mining.notify params[1] (prevhash)");
    EXPECT_EQ(e.Message(), "mining.notify params[1] (prevhash): bad hex (invalid hex character "
                           "at position 0), got \"xyz\"");
    std::ostringstream os;
    os << e;
    EXPECT_EQ(os.str(), e.Message());
    EXPECT_EQ(ToString(ErrorCode::TooDeep), "nested too deep");
}

TEST(ProtocolErrorText, EchoedInputIsBoundedAndPrintable) {
    ProtocolError e = Fail(std::string(1000, 'x') + "\x01");
    EXPECT_LE(e.input.size(), MAX_ECHO_CHARS + 5);
    EXPECT_EQ(SanitizeText("a\tb\x80", 100), "a\\x09b\\x80");
    EXPECT_EQ(SanitizeText("abcdef", 4), "abcd...");
}
