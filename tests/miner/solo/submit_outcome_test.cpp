// submitblock's replies as a found block's fate: null and "duplicate" are accepted, every other
// string and JSON-RPC error rejected with its reason, no answer is sent again.
#include <gtest/gtest.h>

#include "miner/solo/gbt_job_source.hpp"

namespace nonceforge::miner::solo {
namespace {

using K = SubmitOutcome::Kind;

SubmitOutcome Reply(unsigned status, const std::string& body) {
    return ClassifySubmitReply(ClassifyReply(status, body));
}

TEST(SubmitOutcome, NullIsAcceptedDuplicateIsTheNodeHavingIt) {
    EXPECT_EQ(Reply(200, R"({"result":null,"error":null,"id":1})").kind, K::Accepted);
    EXPECT_EQ(Reply(200, R"({"jsonrpc":"2.0","result":null,"id":1})").kind, K::Accepted);
    EXPECT_EQ(Reply(200, R"({"result":"duplicate","error":null,"id":1})").kind, K::Duplicate);
}

TEST(SubmitOutcome, EveryOtherStringIsARejectionWithThatReason) {
    for (const char* reason :
         {"high-hash", "bad-txnmrklroot", "bad-witness-merkle-match", "bad-cb-height",
          "duplicate-invalid", "bad-cb-amount", "time-too-new", "prev-blk-not-found"}) {
        const SubmitOutcome o =
            Reply(200, std::string(R"({"result":")") + reason + R"(","error":null,"id":1})");
        EXPECT_EQ(o.kind, K::Rejected) << reason;
        EXPECT_EQ(o.reason, reason);
    }
    const SubmitOutcome odd = Reply(200, R"({"result":42,"error":null,"id":1})");
    EXPECT_EQ(odd.kind, K::Rejected);
    EXPECT_EQ(odd.reason, "unexpected reply 42");
}

TEST(SubmitOutcome, InconclusiveIsABlockOffTheNodesBestChain) {
    // Core stores a valid block whose parent is no longer the tip without connecting it, and
    // answers "inconclusive": the block is stale, not invalid.
    const SubmitOutcome o = Reply(200, R"({"result":"inconclusive","error":null,"id":1})");
    EXPECT_EQ(o.kind, K::Inconclusive);
    EXPECT_EQ(o.reason, "inconclusive");
}

TEST(SubmitOutcome, JsonRpcErrorsAreRejectionsWithTheirCode) {
    const SubmitOutcome o = Reply(
        500, R"({"result":null,"error":{"code":-22,"message":"Block decode failed"},"id":1})");
    EXPECT_EQ(o.kind, K::Rejected);
    EXPECT_NE(o.reason.find("-22"), std::string::npos);
    EXPECT_NE(o.reason.find("Block decode failed"), std::string::npos);
}

TEST(SubmitOutcome, NoAnswerMeansSendItAgain) {
    for (unsigned status : {401u, 403u, 502u}) {
        EXPECT_EQ(Reply(status, "").kind, K::Unreachable) << status;
    }
    EXPECT_EQ(Reply(200, "<html>").kind, K::Unreachable);
    RpcError refused;
    refused.kind = RpcErrorKind::ConnectionRefused;
    refused.message = "connection refused by http://127.0.0.1:8332";
    const SubmitOutcome o = ClassifySubmitReply(core::MakeUnexpected(refused));
    EXPECT_EQ(o.kind, K::Unreachable);
    EXPECT_NE(o.reason.find("refused"), std::string::npos);
}

} // namespace
} // namespace nonceforge::miner::solo
