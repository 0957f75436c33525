// A pool that completes the Stratum V1 handshake correctly and then misbehaves in one exact way,
// for the hostile-pool tests. Built on ScriptedServer: one connection at a time, blocking I/O,
// reads give up after 2 s. It remembers every job it sent and checks each mining.submit it
// reads against that job and the share target, so an invalid share is counted, never hidden.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "nonceforge/core/hex.hpp"
#include "nonceforge/core/stratum_fields.hpp"
#include "nonceforge/core/target.hpp"
#include "nonceforge/core/work.hpp"
#include "support/scripted_server.hpp"

namespace nonceforge::test {

class HostilePool {
public:
    using Socket = ScriptedServer::Socket;

    struct Options {
        std::string extranonce1 = "01020304";
        // The subscribe result's third element, as JSON text (hostile tests put 0 or 100 here).
        std::string extranonce2_size = "4";
        double difficulty = 0.0002; // a share every ~860k hashes
        bool send_job = true;       // set_difficulty + notify right after authorizing
    };

    // One connection, handed to the behaviour once the handshake is done.
    struct Conn {
        Socket& socket;
        int index;
        HostilePool& pool;
        std::string buffer;

        std::string ReadLine() { return ScriptedServer::ReadLine(socket, buffer); }
        // Writes `text` as is; false once the client has gone.
        bool Write(const std::string& text) {
            boost::system::error_code ec;
            boost::asio::write(socket, boost::asio::buffer(text), ec);
            return !ec;
        }
        bool Send(const std::string& line) { return Write(line + "\n"); }
        bool SendJob(bool clean = true) { return Send(pool.MakeJob(clean)); }
        // Reads lines until the client leaves or `limit` lines came; each mining.submit is
        // checked and then answered by `reply` (id as JSON text -> lines to send, may be none).
        void ServeSubmits(const std::function<std::string(const std::string& id)>& reply,
                          int limit = 1 << 30) {
            for (int i = 0; i < limit; ++i) {
                const std::string line = ReadLine();
                if (line.empty()) {
                    return;
                }
                auto req = nlohmann::json::parse(line, nullptr, false);
                if (req.is_object() && req.value("method", "") == "mining.submit") {
                    pool.CheckSubmit(req.at("params"));
                    const std::string r = reply(req.at("id").dump());
                    if (!r.empty() && !Write(r)) {
                        return;
                    }
                }
            }
        }
    };
    using Behaviour = std::function<void(Conn&)>;

    explicit HostilePool(Behaviour behaviour)
        : HostilePool(Options{}, std::move(behaviour)) {}
    HostilePool(Options options, Behaviour behaviour)
        : m_options(std::move(options))
        , m_behaviour(std::move(behaviour))
        , m_server([this](Socket& s, int index) { Serve(s, index); }) {}

    std::string Url() const { return m_server.Url(); }
    uint16_t Port() const { return m_server.Port(); }
    int Connections() const { return m_server.Connections(); }
    uint64_t ValidSubmits() const { return m_valid; }
    uint64_t InvalidSubmits() const { return m_invalid; }

    static std::string Accept(const std::string& id) {
        return R"({"id":)" + id + R"(,"result":true,"error":null})" + "\n";
    }

    // A mining.notify for a fresh job id (the slush documentation's coinbase, version
    // 0x20000000, nbits 1c2ac4af), remembered for checking submits.
    std::string MakeJob(bool clean) {
        std::lock_guard l(m_mutex);
        core::Job job;
        job.job_id = "j" + std::to_string(++m_jobs_made);
        job.prev_hash = *core::DecodeStratumPrevHash(PREV_HASH);
        job.coinb1 = *core::HexDecode(COINB1);
        job.coinb2 = *core::HexDecode(COINB2);
        job.version = 0x20000000;
        job.nbits = 0x1c2ac4af;
        job.ntime = 0x504e86b9;
        job.extranonce1 = *core::HexDecode(m_options.extranonce1);
        m_jobs[job.job_id] = job;
        nlohmann::json params = {
            job.job_id, PREV_HASH,  COINB1,     COINB2, nlohmann::json::array(),
            "20000000", "1c2ac4af", "504e86b9", clean};
        return nlohmann::json{{"id", nullptr}, {"method", "mining.notify"}, {"params", params}}
            .dump();
    }

private:
    static constexpr const char* PREV_HASH =
        "4d16b6f85af6e2198f44ae2a6de67f78487ae5611b77c6c0440b921e00000000";
    static constexpr const char* COINB1 =
        "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff2002"
        "0862062f503253482f04b8864e5008";
    static constexpr const char* COINB2 =
        "072f736c7573682f000000000100f2052a010000001976a914d23fcdf86f7e756a64a7a9688ef990332704"
        "8ed988ac00000000";

    void Serve(Socket& socket, int index) {
        Conn conn{socket, index, *this, {}};
        if (Handshake(conn)) {
            m_behaviour(conn);
        }
    }

    // Answers configure (no extensions), subscribe and authorize; false if the client left.
    bool Handshake(Conn& c) {
        for (;;) {
            const std::string line = c.ReadLine();
            if (line.empty()) {
                return false;
            }
            auto req = nlohmann::json::parse(line, nullptr, false);
            if (!req.is_object()) {
                continue;
            }
            const std::string method = req.value("method", "");
            const std::string id = req.value("id", nlohmann::json()).dump();
            if (method == "mining.configure") {
                c.Send(R"({"id":)" + id + R"(,"result":{"version-rolling":false},"error":null})");
            } else if (method == "mining.subscribe") {
                c.Send(R"({"id":)" + id + R"(,"result":[[],")" + m_options.extranonce1 + R"(",)" +
                       m_options.extranonce2_size + R"(],"error":null})");
            } else if (method == "mining.authorize") {
                c.Send(R"({"id":)" + id + R"(,"result":true,"error":null})");
                if (m_options.send_job) {
                    c.Send(R"({"id":null,"method":"mining.set_difficulty","params":[)" +
                           nlohmann::json(m_options.difficulty).dump() + "]}");
                    c.SendJob(true);
                }
                return true;
            }
        }
    }

    void CheckSubmit(const nlohmann::json& p) {
        bool ok = false;
        if (p.is_array() && p.size() >= 5) {
            std::lock_guard l(m_mutex);
            auto job = m_jobs.find(p[1].get<std::string>());
            auto en2 = core::HexDecode(p[2].get<std::string>());
            auto ntime = core::ParseHexU32BE(p[3].get<std::string>());
            auto nonce = core::ParseHexU32BE(p[4].get<std::string>());
            if (job != m_jobs.end() && en2 && ntime && nonce) {
                const auto header = job->second.Header(*en2, *ntime, *nonce, job->second.version);
                ok = core::HashMeetsTarget(header.Hash(),
                                           *core::DifficultyToTarget(m_options.difficulty));
            }
        }
        ++(ok ? m_valid : m_invalid);
    }

    Options m_options;
    Behaviour m_behaviour;
    std::mutex m_mutex;
    std::map<std::string, core::Job> m_jobs;
    int m_jobs_made = 0;
    std::atomic<uint64_t> m_valid{0};
    std::atomic<uint64_t> m_invalid{0};
    ScriptedServer m_server; // last: its thread calls Serve at once
};

} // namespace nonceforge::test
