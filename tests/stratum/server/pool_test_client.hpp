// A tiny blocking Stratum client for the pool server tests: every operation runs the client's
// own io_context for at most a timeout (the Asio "blocking client with timeouts" pattern), so a
// test can never hang. Also a CPU share finder built on the core reference hash.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <nlohmann/json.hpp>

#include "nonceforge/core/hex.hpp"
#include "nonceforge/core/stratum_fields.hpp"
#include "nonceforge/core/work.hpp"

namespace nonceforge::test {

namespace asio = boost::asio;
using nlohmann::json;
using std::chrono::milliseconds;

constexpr milliseconds IO_TIMEOUT{5000};

class PoolClient {
public:
    // `tls`: a client context (verification set up by the caller); null for plain TCP.
    explicit PoolClient(uint16_t port, asio::ssl::context* tls = nullptr)
        : m_socket(m_io) {
        const asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
        bool done = false;
        boost::system::error_code result;
        m_socket.async_connect(endpoint, [&](boost::system::error_code ec) {
            result = ec;
            done = true;
        });
        if (!Run(done, IO_TIMEOUT) || result) {
            return;
        }
        if (tls != nullptr) {
            m_tls.emplace(std::move(m_socket), *tls);
            m_tls->set_verify_callback(asio::ssl::host_name_verification("localhost"));
            done = false;
            m_tls->async_handshake(asio::ssl::stream_base::client,
                                   [&](boost::system::error_code ec) {
                                       result = ec;
                                       done = true;
                                   });
            if (!Run(done, IO_TIMEOUT) || result) {
                m_error = result;
                return;
            }
        }
        m_connected = true;
    }

    bool Connected() const { return m_connected; }
    boost::system::error_code Error() const { return m_error; }

    // Raw bytes; write errors are ignored (the server may close mid-write on purpose).
    void SendRaw(const std::string& data) {
        bool done = false;
        auto handler = [&](boost::system::error_code, std::size_t) { done = true; };
        if (m_tls) {
            asio::async_write(*m_tls, asio::buffer(data), handler);
        } else {
            asio::async_write(m_socket, asio::buffer(data), handler);
        }
        Run(done, IO_TIMEOUT);
    }
    void Send(const json& message) { SendRaw(message.dump() + "\n"); }

    // The next line as JSON, nullopt on timeout, EOF or unparsable text.
    std::optional<json> Read(milliseconds timeout = IO_TIMEOUT) {
        bool done = false;
        boost::system::error_code result;
        std::size_t n = 0;
        auto handler = [&](boost::system::error_code ec, std::size_t len) {
            result = ec;
            n = len;
            done = true;
        };
        auto buffer = asio::dynamic_buffer(m_in);
        if (m_tls) {
            asio::async_read_until(*m_tls, buffer, '\n', handler);
        } else {
            asio::async_read_until(m_socket, buffer, '\n', handler);
        }
        if (!Run(done, timeout) || result) {
            m_error = result;
            return std::nullopt;
        }
        json j = json::parse(m_in.substr(0, n), nullptr, false);
        m_in.erase(0, n);
        if (j.is_discarded()) {
            return std::nullopt;
        }
        return j;
    }

    // Sends a request and returns its response; notifications read meanwhile are kept.
    json Call(const std::string& method, json params, milliseconds timeout = IO_TIMEOUT) {
        const int id = ++m_next_id;
        Send(json{{"id", id}, {"method", method}, {"params", std::move(params)}});
        while (auto msg = Read(timeout)) {
            if (msg->contains("method")) {
                m_notifications.push_back(*msg);
            } else if ((*msg)["id"] == id) {
                return *msg;
            }
        }
        return json{{"timeout", method}};
    }

    // The first notification received (kept or new), nullopt on timeout.
    std::optional<json> NextNotification(milliseconds timeout = IO_TIMEOUT) {
        if (m_notifications.empty()) {
            auto msg = Read(timeout);
            if (!msg) {
                return std::nullopt;
            }
            m_notifications.push_back(*msg);
        }
        json first = m_notifications.front();
        m_notifications.pop_front();
        return first;
    }

    // Skips other notifications until one of `method`.
    std::optional<json> WaitFor(const std::string& method, milliseconds timeout = IO_TIMEOUT) {
        while (auto msg = NextNotification(timeout)) {
            if ((*msg)["method"] == method) {
                return msg;
            }
        }
        return std::nullopt;
    }

    // True when the server closes the connection within the timeout.
    bool WaitClosed(milliseconds timeout = IO_TIMEOUT) {
        const auto until = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < until) {
            if (!Read(std::chrono::duration_cast<milliseconds>(until -
                                                               std::chrono::steady_clock::now()))) {
                return m_error && m_error != asio::error::operation_aborted;
            }
        }
        return false;
    }

private:
    // Runs the io_context until `done` or the timeout; on timeout cancels the socket's
    // operations so the pending one completes (with operation_aborted) before returning, and
    // the connection stays usable.
    bool Run(const bool& done, milliseconds timeout) {
        m_io.restart();
        m_io.run_for(timeout);
        if (!done) {
            boost::system::error_code ignored;
            (m_tls ? m_tls->next_layer() : m_socket).cancel(ignored);
            m_io.restart();
            m_io.run();
            m_error = asio::error::operation_aborted;
            return false;
        }
        return true;
    }

    asio::io_context m_io;
    asio::ip::tcp::socket m_socket;
    std::optional<asio::ssl::stream<asio::ip::tcp::socket>> m_tls;
    std::string m_in;
    std::deque<json> m_notifications;
    boost::system::error_code m_error;
    bool m_connected = false;
    int m_next_id = 0;
};

// A mining.notify as the client sees it, decoded with the core byte-order helpers.
inline core::Job JobFromNotify(const json& params) {
    core::Job job;
    job.job_id = params[0].get<std::string>();
    job.prev_hash = *core::DecodeStratumPrevHash(params[1].get<std::string>());
    job.coinb1 = *core::HexDecode(params[2].get<std::string>());
    job.coinb2 = *core::HexDecode(params[3].get<std::string>());
    for (const auto& h : params[4]) {
        job.merkle_branch.push_back(*core::Hash256::FromWireHex(h.get<std::string>()));
    }
    job.version = *core::ParseHexU32BE(params[5].get<std::string>());
    job.nbits = *core::ParseHexU32BE(params[6].get<std::string>());
    job.ntime = *core::ParseHexU32BE(params[7].get<std::string>());
    job.clean_jobs = params[8].get<bool>();
    return job;
}

// The text of a mining.submit after the worker name.
struct Solution {
    std::string extranonce2;
    std::string ntime;
    std::string nonce;
    std::optional<std::string> version_bits;
};

// Scans nonces from 0 for one whose hash meets `target` (or, with meets false, misses it).
inline std::optional<Solution> Solve(const core::Job& job, const std::vector<uint8_t>& en1,
                                     const std::vector<uint8_t>& en2, const core::U256& target,
                                     bool meets = true, uint32_t version_bits = 0,
                                     uint32_t mask = 0) {
    core::Job j = job;
    j.extranonce1 = en1;
    const uint32_t version = core::RollVersion(job.version, mask, version_bits);
    const core::WorkUnit w =
        core::WorkUnit::FromHeader(j.Header(en2, job.ntime, 0, version), target);
    std::array<uint8_t, 16> tail;
    std::copy(w.Tail().begin(), w.Tail().end(), tail.begin());
    for (uint64_t nonce = 0; nonce < (uint64_t(1) << 32); ++nonce) {
        core::WriteLE32(tail.data() + 12, uint32_t(nonce));
        core::Hash256 hash;
        core::sha256::Sha256dFromMidstate(w.midstate.data(), tail.data(), hash.bytes.data());
        if (core::HashMeetsTarget(hash, target) == meets) {
            Solution s{core::HexEncode(en2), core::FormatHexU32BE(job.ntime),
                       core::FormatHexU32BE(uint32_t(nonce)), std::nullopt};
            if (mask != 0) {
                s.version_bits = core::FormatHexU32BE(version_bits & mask);
            }
            return s;
        }
    }
    return std::nullopt;
}

} // namespace nonceforge::test
