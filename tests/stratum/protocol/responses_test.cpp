// Typed readers of responses, fed with literal reply lines as pools send them.
#include <stdexcept>

#include <gtest/gtest.h>

#include "nonceforge/stratum/parser.hpp"

using namespace nonceforge::stratum;

namespace {

Response R(std::string_view line) {
    auto r = ParseServerLine(line);
    if (!r || !std::holds_alternative<Response>(*r)) {
        throw std::runtime_error("not a response: " + std::string(line));
    }
    return std::get<Response>(*r);
}

SubmitOutcome Submit(std::string_view line) {
    auto o = ParseSubmitResult(R(line));
    if (!o) {
        throw std::runtime_error(o.error().Message());
    }
    return *o;
}

} // namespace

// --- mining.subscribe --------------------------------------------------------------------

TEST(SubscribeResult, SlushExample) {
    auto s = ParseSubscribeResult(R(
        R"({"id": 1, "result": [ [ ["mining.set_difficulty", "b4b6693b72a50c7116db18d6497cac52"],)"
        R"( ["mining.notify", "ae6812eb4cd7735a302a8a9dd95cf71f"]], "08000002", 4], "error": null})"));
    ASSERT_TRUE(s) << s.error();
    EXPECT_EQ(s->session_id, "ae6812eb4cd7735a302a8a9dd95cf71f");
    EXPECT_EQ(s->extranonce1.Bytes(), (std::vector<uint8_t>{8, 0, 0, 2}));
    EXPECT_EQ(s->extranonce2_size.Value(), 4u);
}

TEST(SubscribeResult, LooseSubscriptionShapes) {
    auto pair = ParseSubscribeResult(R(R"({"id":1,"result":[["mining.notify","s1"],"00",8]})"));
    ASSERT_TRUE(pair);
    EXPECT_EQ(pair->session_id, "s1");
    auto first =
        ParseSubscribeResult(R(R"({"id":1,"result":[[["mining.set_difficulty","d"]],"",1]})"));
    ASSERT_TRUE(first);
    EXPECT_EQ(first->session_id, "d");
    EXPECT_TRUE(first->extranonce1.Bytes().empty());
    auto none = ParseSubscribeResult(R(R"({"id":1,"result":[null,"00",8]})"));
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->session_id);
    auto junk = ParseSubscribeResult(R(R"({"id":1,"result":[[1,[2,3],["a",{}]],"00",8]})"));
    ASSERT_TRUE(junk);
    EXPECT_FALSE(junk->session_id);
}

TEST(SubscribeResult, Malformed) {
    auto size0 = ParseSubscribeResult(R(R"({"id":1,"result":[[],"00",0]})"));
    ASSERT_FALSE(size0);
    EXPECT_EQ(size0.error().code, ErrorCode::OutOfRange);
    EXPECT_EQ(size0.error().field, "mining.subscribe result[2] (extranonce2_size)");
    EXPECT_EQ(ParseSubscribeResult(R(R"({"id":1,"result":[[],"00",100]})")).error().code,
              ErrorCode::OutOfRange);
    EXPECT_EQ(ParseSubscribeResult(R(R"({"id":1,"result":[[],"00",17]})")).error().code,
              ErrorCode::OutOfRange);
    EXPECT_TRUE(ParseSubscribeResult(R(R"({"id":1,"result":[[],"00",16]})")));
    EXPECT_EQ(ParseSubscribeResult(R(R"({"id":1,"result":[[],"000",4]})")).error().code,
              ErrorCode::BadHex);
    EXPECT_EQ(
        ParseSubscribeResult(R(R"({"id":1,"result":[[],")" + std::string(66, '0') + R"(",4]})"))
            .error()
            .code,
        ErrorCode::TooLong);
    EXPECT_EQ(ParseSubscribeResult(R(R"({"id":1,"result":[[],"00"]})")).error().code,
              ErrorCode::WrongCount);
    EXPECT_EQ(ParseSubscribeResult(R(R"({"id":1,"result":[[],"00",4,5]})")).error().code,
              ErrorCode::WrongCount);
    EXPECT_EQ(ParseSubscribeResult(R(R"({"id":1,"result":true})")).error().code,
              ErrorCode::WrongType);
    EXPECT_EQ(ParseSubscribeResult(R(R"({"id":1,"result":[[],8,4]})")).error().field,
              "mining.subscribe result[1] (extranonce1)");
}

// --- mining.configure --------------------------------------------------------------------

TEST(ConfigureResult, VersionRollingGrantedRefusedAndMalformed) {
    auto granted = ParseConfigureResult(R(
        R"({"id":1,"result":{"version-rolling":true,"version-rolling.mask":"1fffe000"},"error":null})"));
    ASSERT_TRUE(granted);
    EXPECT_EQ(granted->version_mask, 0x1fffe000u);
    EXPECT_FALSE(granted->minimum_difficulty);

    auto refused = ParseConfigureResult(R(R"({"id":1,"result":{"version-rolling":false}})"));
    ASSERT_TRUE(refused);
    EXPECT_FALSE(refused->version_mask);
    auto as_text = ParseConfigureResult(
        R(R"({"id":1,"result":{"version-rolling":"not supported","minimum-difficulty":true}})"));
    ASSERT_TRUE(as_text);
    EXPECT_FALSE(as_text->version_mask);
    EXPECT_EQ(as_text->minimum_difficulty, true);
    auto empty = ParseConfigureResult(R(R"({"id":1,"result":{}})"));
    ASSERT_TRUE(empty);
    EXPECT_FALSE(empty->version_mask);

    auto no_mask = ParseConfigureResult(R(R"({"id":1,"result":{"version-rolling":true}})"));
    ASSERT_FALSE(no_mask);
    EXPECT_EQ(no_mask.error().code, ErrorCode::MissingField);
    auto bad_mask = ParseConfigureResult(
        R(R"({"id":1,"result":{"version-rolling":true,"version-rolling.mask":"1fffe0000"}})"));
    EXPECT_EQ(bad_mask.error().code, ErrorCode::TooLong);
    auto bad_flag = ParseConfigureResult(R(R"({"id":1,"result":{"version-rolling":1}})"));
    EXPECT_EQ(bad_flag.error().code, ErrorCode::WrongType);
    EXPECT_EQ(bad_flag.error().field, "mining.configure result.version-rolling");
    EXPECT_EQ(ParseConfigureResult(R(R"({"id":1,"result":[true]})")).error().code,
              ErrorCode::WrongType);
    EXPECT_EQ(
        ParseConfigureResult(R(R"({"id":1,"result":{"minimum-difficulty":[1]}})")).error().code,
        ErrorCode::WrongType);
}

// --- mining.authorize, acknowledgements ----------------------------------------------------

TEST(AuthorizeResult, TrueFalseErrorAndMalformed) {
    EXPECT_EQ(ParseAuthorizeResult(R(R"({"id":2,"result":true,"error":null})")).value(), true);
    EXPECT_EQ(ParseAuthorizeResult(R(R"({"id":2,"result":false,"error":null})")).value(), false);
    EXPECT_EQ(
        ParseAuthorizeResult(R(R"({"id":2,"result":null,"error":[24,"Unauthorized worker",null]})"))
            .value(),
        false);
    auto bad = ParseAuthorizeResult(R(R"({"id":2,"result":null,"error":null})"));
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, "mining.authorize result");
    EXPECT_FALSE(ParseAuthorizeResult(R(R"({"id":2,"result":"yes"})")));
}

TEST(Acknowledgement, NullAndTrueAcceptFalseAndErrorRefuse) {
    EXPECT_TRUE(ParseAcknowledgement(R(R"({"id":4,"result":null,"error":null})")));
    EXPECT_TRUE(ParseAcknowledgement(R(R"({"id":4,"result":true,"error":null})")));
    EXPECT_FALSE(ParseAcknowledgement(R(R"({"id":4,"result":false,"error":null})")));
    EXPECT_FALSE(ParseAcknowledgement(R(
        R"({"id":4,"result":null,"error":[20,"Method 'mining.extranonce.subscribe' not found",null]})")));
}

// --- mining.submit -------------------------------------------------------------------------

TEST(SubmitResult, Accepted) {
    EXPECT_EQ(Submit(R"({"id":5,"result":true,"error":null})").kind, SubmitOutcome::Kind::Accepted);
    EXPECT_EQ(Submit(R"({"id":5,"result":true})").reason, "");
}

TEST(SubmitResult, CkpoolRejectReason) {
    auto o =
        Submit(R"({"result": false, "reject-reason": "Above target", "error": null, "id": 5})");
    EXPECT_EQ(o.kind, SubmitOutcome::Kind::Rejected);
    EXPECT_EQ(o.reason, "Above target");
    auto stale = Submit(R"({"result": false, "reject-reason": "Stale", "error": null, "id": 5})");
    EXPECT_EQ(stale.kind, SubmitOutcome::Kind::Stale);
    EXPECT_EQ(stale.reason, "Stale");
}

TEST(SubmitResult, PublicPoolErrorArray) {
    auto o = Submit(R"({"id":5,"result":null,"error":[23,"Difficulty too low",""]})");
    EXPECT_EQ(o.kind, SubmitOutcome::Kind::Rejected);
    EXPECT_EQ(o.reason, "Difficulty too low (code 23)");
    auto dup = Submit(R"({"id":5,"result":false,"error":[22,"Duplicate share",null]})");
    EXPECT_EQ(dup.kind, SubmitOutcome::Kind::Rejected);
}

TEST(SubmitResult, ErrorObjectsAndStrings) {
    auto obj =
        Submit(R"({"id":5,"result":null,"error":{"code":23,"message":"Low difficulty share"}})");
    EXPECT_EQ(obj.kind, SubmitOutcome::Kind::Rejected);
    EXPECT_EQ(obj.reason, "Low difficulty share (code 23)");
    auto text = Submit(R"({"id":5,"result":null,"error":"Invalid nonce"})");
    EXPECT_EQ(text.kind, SubmitOutcome::Kind::Rejected);
    EXPECT_EQ(text.reason, "Invalid nonce");
    auto both = Submit(R"({"id":5,"result":false,"reject-reason":"Stale","error":[21,"x",null]})");
    EXPECT_EQ(both.kind, SubmitOutcome::Kind::Stale);
    EXPECT_EQ(both.reason, "Stale (x (code 21))");
}

TEST(SubmitResult, StaleByCodeOrText) {
    EXPECT_EQ(Submit(R"({"id":5,"result":null,"error":[21,"Job not found",null]})").kind,
              SubmitOutcome::Kind::Stale);
    EXPECT_EQ(Submit(R"({"id":5,"result":null,"error":{"code":21,"message":""}})").kind,
              SubmitOutcome::Kind::Stale);
    EXPECT_EQ(Submit(R"({"id":5,"result":null,"error":"job not found"})").kind,
              SubmitOutcome::Kind::Stale);
    EXPECT_EQ(Submit(R"({"id":5,"result":false,"error":[20,"Stale share",null]})").kind,
              SubmitOutcome::Kind::Stale);
    EXPECT_EQ(Submit(R"({"id":5,"result":false,"reject-reason":"unknown-work"})").kind,
              SubmitOutcome::Kind::Rejected);
}

TEST(SubmitResult, FalseWithoutReason) {
    auto o = Submit(R"({"id":5,"result":false,"error":null})");
    EXPECT_EQ(o.kind, SubmitOutcome::Kind::Rejected);
    EXPECT_EQ(o.reason, "rejected without a reason");
}

TEST(SubmitResult, UnexplainedNonBooleanIsMalformed) {
    for (std::string_view line :
         {R"({"id":5,"result":null,"error":null})", R"({"id":5,"result":"ok","error":null})",
          R"({"id":5,"result":1})"}) {
        auto o = ParseSubmitResult(R(line));
        ASSERT_FALSE(o) << line;
        EXPECT_EQ(o.error().code, ErrorCode::WrongType);
        EXPECT_EQ(o.error().field, "mining.submit result");
    }
}

TEST(IsStaleReason, Markers) {
    EXPECT_TRUE(IsStaleReason(21, ""));
    EXPECT_TRUE(IsStaleReason(std::nullopt, "STALE"));
    EXPECT_TRUE(IsStaleReason(std::nullopt, "Unknown job id"));
    EXPECT_TRUE(IsStaleReason(std::nullopt, "Job not found"));
    EXPECT_FALSE(IsStaleReason(23, "Difficulty too low"));
    EXPECT_FALSE(IsStaleReason(std::nullopt, "Duplicate"));
}

TEST(MethodNames, AreTheWireNames) {
    EXPECT_EQ(MethodName(ClientMethod::Configure), "mining.configure");
    EXPECT_EQ(MethodName(ClientMethod::Subscribe), "mining.subscribe");
    EXPECT_EQ(MethodName(ClientMethod::Authorize), "mining.authorize");
    EXPECT_EQ(MethodName(ClientMethod::SuggestDifficulty), "mining.suggest_difficulty");
    EXPECT_EQ(MethodName(ClientMethod::ExtranonceSubscribe), "mining.extranonce.subscribe");
    EXPECT_EQ(MethodName(ClientMethod::Submit), "mining.submit");
}
