// libFuzzer target: the sans-I/O session fed a sequence of events chosen by the input. The
// input is split on '\n'; a segment starting with a control byte is an event, anything else is
// a line from the pool:
//   \x01  ShareFound (for the latest job delivered, or none)   \x02 Tick, the next byte x 100 ms
//   \x03  Disconnected                                         \x04 Connected
// Invariants: no share gets two verdicts; after the final Disconnected every share has exactly
// one; every line sent is one JSON object ending in '\n'; delivered jobs are within bounds.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "nonceforge/stratum/session.hpp"

using namespace nonceforge;
using namespace nonceforge::stratum;

namespace {

void Check(bool ok) {
    if (!ok) {
        std::abort();
    }
}

struct Driver {
    Session session;
    TimePoint now{};
    std::shared_ptr<const core::Job> job;
    std::map<uint32_t, int> verdicts; // share (by its nonce) -> verdicts received
    uint32_t next_share = 0;

    explicit Driver(SessionConfig c)
        : session(std::move(c)) {}

    void Feed(const Event& e) {
        for (const Action& a : session.Handle(e)) {
            if (const auto* send = std::get_if<action::SendLine>(&a)) {
                Check(!send->line.empty() && send->line.back() == '\n');
                Check(send->line.find('\n') == send->line.size() - 1);
                Check(nlohmann::json::parse(send->line, nullptr, false).is_object());
            } else if (const auto* d = std::get_if<action::DeliverJob>(&a)) {
                Check(d->job && d->job->extranonce2_size >= 1 && d->job->extranonce2_size <= 16);
                Check(!d->job->share_target.IsZero());
                job = d->job;
            } else if (const auto* v = std::get_if<action::ShareVerdict>(&a)) {
                auto it = verdicts.find(v->share.nonce);
                Check(it != verdicts.end() && it->second == 0);
                ++it->second;
                Check(v->kind == VerdictKind::Accepted || !v->reason.empty());
            }
        }
    }

    void Share() {
        core::Share s;
        s.job = job;
        s.nonce = next_share++;
        if (job) {
            s.extranonce2.assign(job->extranonce2_size, 0);
            s.ntime = job->ntime;
            s.version = job->version;
        }
        verdicts[s.nonce] = 0;
        Feed(event::ShareFound{std::move(s), now});
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    SessionConfig config;
    config.user = "fuzz.rig";
    config.password = "fuzz-secret";
    config.response_timeout = std::chrono::milliseconds(1000);
    config.max_pending_requests = 8;
    config.suggest_difficulty = 0.5;
    config.extranonce_subscribe = true;
    Driver d(config);
    d.Feed(event::Connected{d.now});

    std::string_view in(reinterpret_cast<const char*>(data), size);
    while (!in.empty()) {
        const auto nl = in.find('\n');
        const std::string_view seg = in.substr(0, nl);
        in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
        const unsigned char kind = seg.empty() ? 0 : static_cast<unsigned char>(seg[0]);
        switch (kind) {
        case 1:
            d.Share();
            break;
        case 2:
            d.now += std::chrono::milliseconds(100 * (seg.size() > 1 ? uint8_t(seg[1]) : 1));
            d.Feed(event::Tick{d.now});
            break;
        case 3:
            d.Feed(event::Disconnected{"fuzz"});
            break;
        case 4:
            d.Feed(event::Connected{d.now});
            break;
        default:
            d.Feed(event::LineReceived{std::string(seg), d.now});
        }
        Check(d.session.OutstandingShares() <= 8);
    }
    d.Feed(event::Disconnected{"end of input"});
    Check(d.session.OutstandingShares() == 0);
    for (const auto& [nonce, n] : d.verdicts) {
        Check(n == 1);
    }
    return 0;
}
