// libFuzzer target: mining.notify params from the pool -> core::Job -> 80-byte header. The first
// input byte picks the extranonce2 size the subscribe reply announces; each following line is
// the params array of one mining.notify, fed to an authorized session. Every job delivered must
// be within its documented bounds and must build a header, a work unit and submit fields.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "nonceforge/core/work.hpp"
#include "nonceforge/stratum/session.hpp"

using namespace nonceforge;
using namespace nonceforge::stratum;

namespace {

void Check(bool ok) {
    if (!ok) {
        std::abort();
    }
}

void BuildWork(const core::Job& job, uint8_t seed) {
    Check(job.extranonce2_size >= 1 && job.extranonce2_size <= 16);
    Check(job.merkle_branch.size() <= 32);
    Check(!job.share_target.IsZero());
    const std::vector<uint8_t> en2(job.extranonce2_size, seed);
    const core::BlockHeader header =
        job.Header(en2, job.ntime + seed, 0xfffffff0u + seed,
                   core::RollVersion(job.version, job.version_mask, uint32_t(seed) << 13));
    const auto bytes = header.Serialize();
    Check(bytes.size() == 80);
    const core::WorkUnit w = core::WorkUnit::FromHeader(header, job.share_target);
    (void)w;
    (void)core::HashMeetsTarget(header.Hash(), job.share_target);
    core::Share share;
    share.job = std::make_shared<const core::Job>(job);
    share.extranonce2 = en2;
    (void)share.ToSubmitFields();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    if (size < 1) {
        return 0;
    }
    const uint8_t en2_size = uint8_t(1 + data[0] % 16);
    std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);

    SessionConfig config;
    config.user = "fuzz";
    config.version_rolling.reset(); // subscribe is request 1, authorize request 2
    Session session(config);
    const TimePoint now{};
    session.Handle(event::Connected{now});
    session.Handle(event::LineReceived{R"({"id":1,"result":[[],"0a0b0c0d",)" +
                                           std::to_string(en2_size) + R"(],"error":null})",
                                       now});
    session.Handle(event::LineReceived{R"({"id":2,"result":true,"error":null})", now});
    Check(session.State() == SessionState::Ready);

    uint8_t seed = 0;
    while (!rest.empty()) {
        const auto nl = rest.find('\n');
        const std::string_view params = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
        const std::string line =
            R"({"id":null,"method":"mining.notify","params":)" + std::string(params) + "}";
        for (const Action& a : session.Handle(event::LineReceived{line, now})) {
            if (const auto* job = std::get_if<action::DeliverJob>(&a)) {
                Check(job->job->extranonce2_size == en2_size);
                BuildWork(*job->job, seed++);
            }
        }
    }
    return 0;
}
