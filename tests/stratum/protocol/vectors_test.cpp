// Every real block in tests/data/vectors, mined through the protocol layer: the subscribe
// result and notify params go in as pool lines, the delivered Job's header must hash to the
// block, and the submit line must carry exactly the vector's submit params.
#include <gtest/gtest.h>

#include "nonceforge/core/stratum_fields.hpp"
#include "session_harness.hpp"
#include "support/test_data.hpp"

using namespace nonceforge;
using namespace nonceforge::stratum;
using nlohmann::json;

namespace {

uint32_t U32(const json& j) {
    return *core::ParseHexU32BE(j.get<std::string>());
}

std::string NotifyFromParams(const json& params) {
    return json{{"id", nullptr}, {"method", "mining.notify"}, {"params", params}}.dump();
}

SessionConfig VectorConfig(const json& submit_params) {
    SessionConfig c = test::Harness::Config();
    c.user = submit_params.at(0).get<std::string>();
    c.version_rolling.reset();
    return c;
}

// Submits the vector's winning share for `job` and returns the submit params sent.
json SubmitWinningShare(test::Harness& h, const std::shared_ptr<const core::Job>& job,
                        const json& s, uint32_t version) {
    core::Share share;
    share.job = job;
    share.extranonce2 = test::Unhex(s.at("extranonce2").get<std::string>());
    share.ntime = U32(s.at("ntime"));
    share.nonce = U32(s.at("nonce"));
    share.version = version;
    json req = test::OnlySent(h.Submit(share));
    return req.is_null() ? json() : req.at("params");
}

class VectorThroughSession : public ::testing::TestWithParam<std::string> {};

} // namespace

TEST_P(VectorThroughSession, JobHashesToTheBlockAndSubmitCarriesTheVectorParams) {
    const json v = test::LoadVector(GetParam());
    const json& s = v.at("stratum");
    const json& submit_params = s.at("submit_params");

    test::Harness h(VectorConfig(submit_params));
    h.Handshake("", s.at("subscribe_result").dump());
    auto jobs = test::Jobs(h.Line(NotifyFromParams(s.at("notify_params"))));
    ASSERT_EQ(jobs.size(), 1u);
    const auto& job = jobs[0];
    EXPECT_EQ(job->extranonce2_size, s.at("subscribe_result").at(2).get<std::size_t>());
    EXPECT_EQ(job->version_mask, 0u);

    const auto en2 = test::Unhex(s.at("extranonce2").get<std::string>());
    const core::BlockHeader header =
        job->Header(en2, U32(s.at("ntime")), U32(s.at("nonce")), job->version);
    EXPECT_EQ(core::HexEncode(header.Serialize()), v.at("header").at("hex"));
    EXPECT_EQ(header.Hash().ToDisplayHex(), v.at("block_hash"));
    EXPECT_TRUE(core::HashMeetsTarget(header.Hash(), job->share_target));

    const json sent = SubmitWinningShare(h, job, s, job->version);
    ASSERT_EQ(sent.size(), submit_params.size());
    for (std::size_t i = 1; i < sent.size(); ++i) {
        EXPECT_EQ(sent[i], submit_params[i]) << "param " << i;
    }
}

INSTANTIATE_TEST_SUITE_P(RealBlocks, VectorThroughSession,
                         ::testing::ValuesIn(test::FullVectorFiles()),
                         [](const auto& p) { return test::ParamName(p.param); });

TEST(VectorVersionRolling, Block702861ThroughConfigureAndSixParamSubmit) {
    const json v = test::LoadVector("block702861.json");
    const json& s = v.at("stratum");
    const json& vr = v.at("version_rolling");

    SessionConfig c = VectorConfig(vr.at("submit_params"));
    c.version_rolling = ConfigureRequest::VersionRolling{U32(vr.at("mask")), 2};
    test::Harness h(c);

    // Our mining.configure is the vector's request.
    json configure = test::OnlySent(h.Connect());
    const json& expected_request = vr.at("configure_request");
    EXPECT_EQ(configure.at("method"), expected_request.at(0));
    EXPECT_EQ(configure.at("params"), expected_request.at(1));

    auto subscribe =
        test::OnlySent(h.Line(test::Reply(configure.at("id"), vr.at("configure_result").dump())));
    EXPECT_EQ(h.Session().VersionMask(), U32(vr.at("mask")));
    auto authorize =
        test::OnlySent(h.Line(test::Reply(subscribe.at("id"), s.at("subscribe_result").dump())));
    h.Line(test::Reply(authorize.at("id"), "true"));
    ASSERT_EQ(h.Session().State(), SessionState::Ready);

    auto jobs = test::Jobs(h.Line(NotifyFromParams(vr.at("notify_params"))));
    ASSERT_EQ(jobs.size(), 1u);
    const auto& job = jobs[0];
    EXPECT_EQ(job->version, U32(vr.at("job_version")));
    EXPECT_EQ(job->version_mask, U32(vr.at("mask")));

    const uint32_t version =
        core::RollVersion(job->version, job->version_mask, U32(vr.at("version_bits")));
    EXPECT_EQ(core::FormatHexU32BE(version), vr.at("expected_header_version"));
    const auto en2 = test::Unhex(s.at("extranonce2").get<std::string>());
    const core::BlockHeader header =
        job->Header(en2, U32(s.at("ntime")), U32(s.at("nonce")), version);
    EXPECT_EQ(header.Hash().ToDisplayHex(), v.at("block_hash"));

    const json sent = SubmitWinningShare(h, job, s, version);
    const json& expected = vr.at("submit_params");
    ASSERT_EQ(sent.size(), 6u);
    ASSERT_EQ(expected.size(), 6u);
    for (std::size_t i = 1; i < sent.size(); ++i) {
        EXPECT_EQ(sent[i], expected[i]) << "param " << i;
    }
}
