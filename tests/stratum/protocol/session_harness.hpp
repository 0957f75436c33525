// Drives a Session with literal lines at controlled times and picks the actions apart.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "nonceforge/core/work.hpp"
#include "nonceforge/stratum/session.hpp"

namespace nonceforge::test {

using stratum::Action;
using Actions = std::vector<Action>;

template <class A>
std::vector<A> OfType(const Actions& actions) {
    std::vector<A> out;
    for (const Action& a : actions) {
        if (const A* p = std::get_if<A>(&a)) {
            out.push_back(*p);
        }
    }
    return out;
}

inline std::vector<std::string> SentLines(const Actions& actions) {
    std::vector<std::string> lines;
    for (const auto& s : OfType<stratum::action::SendLine>(actions)) {
        lines.push_back(s.line);
    }
    return lines;
}

inline std::vector<std::shared_ptr<const core::Job>> Jobs(const Actions& actions) {
    std::vector<std::shared_ptr<const core::Job>> jobs;
    for (const auto& d : OfType<stratum::action::DeliverJob>(actions)) {
        jobs.push_back(d.job);
    }
    return jobs;
}

inline std::vector<stratum::action::ShareVerdict> Verdicts(const Actions& actions) {
    return OfType<stratum::action::ShareVerdict>(actions);
}

inline bool HasLog(const Actions& actions, core::LogLevel level, std::string_view text) {
    for (const auto& l : OfType<stratum::action::Log>(actions)) {
        if (l.level == level && l.text.find(text) != std::string::npos) {
            return true;
        }
    }
    return false;
}

// The one line sent, parsed; fails the test unless exactly one line was sent.
inline nlohmann::json OnlySent(const Actions& actions) {
    auto lines = SentLines(actions);
    EXPECT_EQ(lines.size(), 1u);
    if (lines.empty()) {
        return nullptr;
    }
    EXPECT_EQ(lines[0].back(), '\n');
    return nlohmann::json::parse(lines[0]);
}

inline std::string Reply(uint64_t id, std::string_view result_json) {
    return "{\"id\":" + std::to_string(id) + ",\"result\":" + std::string(result_json) +
           ",\"error\":null}";
}

inline std::string ErrorReply(uint64_t id, std::string_view error_json) {
    return "{\"id\":" + std::to_string(id) +
           ",\"result\":null,\"error\":" + std::string(error_json) + "}";
}

// The slush pool documentation's subscribe result: extranonce1 08000002, extranonce2 size 4.
constexpr std::string_view SUBSCRIBE_RESULT =
    R"([[["mining.set_difficulty","b4b6693b72a50c7116db18d6497cac52"],)"
    R"(["mining.notify","ae6812eb4cd7735a302a8a9dd95cf71f"]],"08000002",4])";

constexpr std::string_view PREV_A =
    "4d16b6f85af6e2198f44ae2a6de67f78487ae5611b77c6c0440b921e00000000";
constexpr std::string_view PREV_B =
    "00000000440b921e1b77c6c0487ae5618f44ae2a5af6e2194d16b6f86de67f78";

// A mining.notify line (the slush documentation's job, with id, prevhash and flag varied).
inline std::string NotifyLine(std::string_view job_id, std::string_view prevhash = PREV_A,
                              bool clean = false) {
    return R"({"params":[")" + std::string(job_id) + R"(",")" + std::string(prevhash) +
           R"(","01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff20020862062f503253482f04b8864e5008",)"
           R"("072f736c7573682f000000000100f2052a010000001976a914d23fcdf86f7e756a64a7a9688ef9903327048ed988ac00000000",)"
           R"([],"20000000","1c2ac4af","504e86b9",)" +
           (clean ? "true" : "false") + R"(],"id":null,"method":"mining.notify"})";
}

class Harness {
public:
    explicit Harness(stratum::SessionConfig config = Config())
        : m_session(std::move(config)) {}

    static stratum::SessionConfig Config() {
        stratum::SessionConfig c;
        c.user = "bc1qexample.rig1";
        c.user_agent = "nonceforge/test";
        return c;
    }

    Actions Connect() { return m_session.Handle(stratum::event::Connected{m_now}); }
    Actions Line(std::string_view line) {
        return m_session.Handle(stratum::event::LineReceived{std::string(line), m_now});
    }
    Actions Disconnect(std::string reason = "eof") {
        return m_session.Handle(stratum::event::Disconnected{std::move(reason)});
    }
    Actions Submit(const core::Share& share) {
        return m_session.Handle(stratum::event::ShareFound{share, m_now});
    }
    Actions Advance(std::chrono::milliseconds d) {
        m_now += d;
        return m_session.Handle(stratum::event::Tick{m_now});
    }

    // Connects and answers every handshake request with success, up to Ready. Returns the
    // actions of the last step (the authorize reply).
    Actions Handshake(std::string_view configure_result =
                          R"({"version-rolling":true,"version-rolling.mask":"1fffe000"})",
                      std::string_view subscribe_result = SUBSCRIBE_RESULT) {
        Actions a = Connect();
        for (int step = 0; step < 3 && m_session.State() != stratum::SessionState::Ready; ++step) {
            nlohmann::json req = OnlySent(a);
            if (req.is_null()) {
                break;
            }
            const uint64_t id = req.at("id").get<uint64_t>();
            const std::string method = req.at("method").get<std::string>();
            if (method == "mining.configure") {
                a = Line(Reply(id, configure_result));
            } else if (method == "mining.subscribe") {
                a = Line(Reply(id, subscribe_result));
            } else {
                a = Line(Reply(id, "true"));
            }
        }
        EXPECT_EQ(m_session.State(), stratum::SessionState::Ready);
        return a;
    }

    // A share for `job` (as the miner would report it) with the job's full version.
    static core::Share ShareFor(const std::shared_ptr<const core::Job>& job, uint32_t nonce = 7) {
        core::Share s;
        s.job = job;
        s.extranonce2.assign(job->extranonce2_size, 0x01);
        s.ntime = job->ntime;
        s.nonce = nonce;
        s.version = job->version;
        return s;
    }

    stratum::Session& Session() { return m_session; }
    stratum::TimePoint Now() const { return m_now; }

private:
    stratum::Session m_session;
    stratum::TimePoint m_now{std::chrono::hours(1)};
};

} // namespace nonceforge::test
