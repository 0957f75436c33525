// Test support for the monitoring APIs: a miner (MinerRuntime on its own thread, one CPU
// thread) mining on the in-tree pool with its API on ephemeral loopback ports, and a raw TCP
// exchange that runs its own io_context for at most a deadline, so no test can hang.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "miner/app/mine_output.hpp"
#include "miner/app/runtime.hpp"
#include "nonceforge/stratum/pool_server.hpp"

namespace nonceforge::test {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using namespace std::chrono_literals;
using nlohmann::json;

inline constexpr double POOL_DIFFICULTY = 0.0002; // about 860k hashes per share
inline constexpr const char* POOL_PASSWORD = "pa55-w0rd-never-shown";

// Polls `done` every 20 ms until it holds or `limit` passes.
inline bool WaitFor(const std::function<bool()>& done, std::chrono::milliseconds limit) {
    const auto give_up = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > give_up) {
            return false;
        }
        std::this_thread::sleep_for(20ms);
    }
    return true;
}

// A miner on the in-tree pool with the API enabled on 127.0.0.1:0 (and the cgminer API).
class ApiMiner {
public:
    // `tweak` adjusts the options before the start (bind addresses, token, limits).
    // `pool_tweak` adjusts the in-tree pool's configuration (difficulty, job pacing).
    explicit ApiMiner(const std::function<void(miner::app::MineOptions&)>& tweak = {},
                      const std::function<void(stratum::PoolServerConfig&)>& pool_tweak = {}) {
        stratum::PoolServerConfig pc;
        pc.difficulty = POOL_DIFFICULTY;
        pc.job_interval = 0ms;
        pc.block_interval = 0ms;
        pc.seed = 11;
        if (pool_tweak) {
            pool_tweak(pc);
        }
        m_pool = std::make_unique<stratum::PoolServer>(pc);
        if (!m_pool->Start()) {
            ADD_FAILURE() << "the test pool did not start";
            return;
        }
        miner::app::MineOptions o;
        o.pool.urls = {m_pool->Url()};
        o.pool.user = "tester.rig1";
        o.pool.password = POOL_PASSWORD;
        o.backend.threads = 1;
        o.output.status_interval_seconds = 3600;
        o.duration_seconds = 120; // a bound in case a test forgets to stop it
        o.pool.reconnect.initial_backoff = 50ms;
        o.api.enabled = true;
        o.api.bind = "127.0.0.1:0";
        o.api.cgminer_bind = "127.0.0.1:0";
        o.api.on_listening = [this](uint16_t http_port, uint16_t cgminer_port) {
            std::lock_guard lock(m_mutex);
            m_http_port = http_port;
            m_cgminer_port = cgminer_port;
            m_listening = true;
            m_cv.notify_all();
        };
        if (tweak) {
            tweak(o);
        }
        m_runtime = std::make_unique<miner::app::MinerRuntime>(
            o, [this](core::LogLevel, const std::string& t) {
                std::lock_guard lock(m_mutex);
                m_got_job = m_got_job || t.rfind("job ", 0) == 0;
                m_log.push_back(t);
            });
        m_thread = std::thread([this] {
            miner::app::MineResult r = m_runtime->Run();
            std::lock_guard lock(m_mutex);
            m_result = std::move(r);
            m_cv.notify_all();
        });
        std::unique_lock lock(m_mutex);
        m_cv.wait_for(lock, 10s, [this] { return m_listening || m_result.has_value(); });
    }

    ~ApiMiner() { Stop(); }

    miner::app::MineResult Stop() {
        if (m_thread.joinable()) {
            // StratumClient::Stop() during the TCP connect is not seen until the idle timeout
            // (it has no connection to finish yet), so stop only once a job has arrived.
            WaitFor(
                [this] {
                    std::lock_guard lock(m_mutex);
                    return m_result.has_value() || m_got_job;
                },
                10s);
            m_runtime->RequestStop();
            m_thread.join();
        }
        if (m_pool) {
            m_pool->Stop();
        }
        std::lock_guard lock(m_mutex);
        return m_result.value_or(miner::app::MineResult{});
    }

    uint16_t HttpPort() const {
        std::lock_guard lock(m_mutex);
        return m_http_port;
    }
    uint16_t CgminerPort() const {
        std::lock_guard lock(m_mutex);
        return m_cgminer_port;
    }
    bool Listening() const {
        std::lock_guard lock(m_mutex);
        return m_listening;
    }
    miner::StatsSnapshot Snapshot() const { return m_runtime->Snapshot(); }
    std::string Url() const { return m_pool ? m_pool->Url() : std::string(); }
    stratum::PoolServer& Pool() { return *m_pool; }

    // Waits until the 5 s hashrate is above zero and `accepted` shares were accepted.
    bool WaitUntilMining(uint64_t accepted = 1, std::chrono::milliseconds limit = 20s) const {
        return WaitFor(
            [&] {
                const auto s = Snapshot();
                return s.total.rate.h5s > 0 && s.total.shares.accepted >= accepted;
            },
            limit);
    }

    std::string Log() const {
        std::lock_guard lock(m_mutex);
        std::string out;
        for (const auto& l : m_log) {
            out += l + "\n";
        }
        return out;
    }

private:
    std::unique_ptr<stratum::PoolServer> m_pool;
    std::unique_ptr<miner::app::MinerRuntime> m_runtime;
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_listening = false;
    bool m_got_job = false;
    uint16_t m_http_port = 0;
    uint16_t m_cgminer_port = 0;
    std::optional<miner::app::MineResult> m_result;
    std::vector<std::string> m_log;
};

struct Exchange {
    bool connected = false;
    std::string received;
    bool closed_by_peer = false; // EOF or reset before the deadline
    std::chrono::milliseconds elapsed{0};
};

// Connects from `source` (a loopback address such as 127.0.0.2; the whole of 127.0.0.0/8 is
// this machine, so tests can be several clients) to 127.0.0.1:port, writes `chunks` (`gap`
// apart), then reads until the peer closes or `limit` passes.
inline Exchange TalkFrom(const std::string& source, uint16_t port, std::vector<std::string> chunks,
                         std::chrono::milliseconds limit = 5s,
                         std::chrono::milliseconds gap = 0ms) {
    Exchange x;
    asio::io_context ioc;
    const auto start = std::chrono::steady_clock::now();
    auto run = [&]() -> asio::awaitable<void> {
        constexpr auto tuple = asio::as_tuple(asio::use_awaitable);
        asio::ip::tcp::socket s(ioc);
        s.open(asio::ip::tcp::v4());
        s.bind({asio::ip::make_address(source), 0});
        auto [cec] = co_await s.async_connect({asio::ip::make_address("127.0.0.1"), port}, tuple);
        if (cec) {
            co_return;
        }
        x.connected = true;
        asio::steady_timer t(ioc);
        for (std::size_t i = 0; i < chunks.size(); ++i) {
            if (i && gap.count()) {
                t.expires_after(gap);
                co_await t.async_wait(tuple);
            }
            auto [wec, n] = co_await asio::async_write(s, asio::buffer(chunks[i]), tuple);
            (void)n;
            if (wec) {
                break;
            }
        }
        char buf[4096];
        for (;;) {
            auto [rec, n] = co_await s.async_read_some(asio::buffer(buf), tuple);
            x.received.append(buf, n);
            if (rec) {
                x.closed_by_peer = true;
                break;
            }
        }
    };
    asio::co_spawn(ioc, run(), asio::detached);
    ioc.run_for(limit);
    x.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    return x;
}

// The same from 127.0.0.1.
inline Exchange Talk(uint16_t port, std::vector<std::string> chunks,
                     std::chrono::milliseconds limit = 5s, std::chrono::milliseconds gap = 0ms) {
    return TalkFrom("127.0.0.1", port, std::move(chunks), limit, gap);
}

// `n` connections from `source` to 127.0.0.1:port, opened and left idle.
inline std::vector<asio::ip::tcp::socket> OpenIdle(asio::io_context& ioc, const std::string& source,
                                                   uint16_t port, int n) {
    std::vector<asio::ip::tcp::socket> sockets;
    for (int i = 0; i < n; ++i) {
        asio::ip::tcp::socket s(ioc);
        s.open(asio::ip::tcp::v4());
        s.bind({asio::ip::make_address(source), 0});
        boost::system::error_code ec;
        s.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
        EXPECT_FALSE(ec) << ec.message();
        sockets.push_back(std::move(s));
    }
    return sockets;
}

// Whether the server has closed `s` (a read ends at once with EOF or a reset): non-blocking.
inline bool ClosedByServer(asio::ip::tcp::socket& s) {
    s.non_blocking(true);
    char c;
    boost::system::error_code ec;
    s.read_some(asio::buffer(&c, 1), ec);
    return ec && ec != asio::error::would_block;
}

struct HttpResult {
    bool ok = false; // a complete response arrived
    unsigned status = 0;
    std::string content_type;
    std::string body;
    http::response<http::string_body> message;
};

inline HttpResult ParseHttp(const std::string& raw) {
    HttpResult r;
    http::response_parser<http::string_body> parser;
    parser.eager(true);
    boost::beast::error_code ec;
    parser.put(asio::buffer(raw), ec);
    if (ec || !parser.is_done()) {
        return r;
    }
    r.ok = true;
    r.message = parser.release();
    r.status = r.message.result_int();
    r.content_type = std::string(r.message[http::field::content_type]);
    r.body = r.message.body();
    return r;
}

// The text of one request (Connection: close) with optional extra header lines
// ("Name: value") after `host_line` ("Host: 127.0.0.1"; empty for none).
inline std::string RequestText(const std::string& method, const std::string& target,
                               const std::vector<std::string>& headers,
                               const std::string& host_line = "Host: 127.0.0.1") {
    std::string req = method + " " + target + " HTTP/1.1\r\n";
    if (!host_line.empty()) {
        req += host_line + "\r\n";
    }
    for (const auto& h : headers) {
        req += h + "\r\n";
    }
    req += "Connection: close\r\n\r\n";
    return req;
}

inline HttpResult Request(uint16_t port, const std::string& method, const std::string& target,
                          const std::vector<std::string>& headers = {}) {
    return ParseHttp(Talk(port, {RequestText(method, target, headers)}).received);
}

inline HttpResult Get(uint16_t port, const std::string& target,
                      const std::vector<std::string>& headers = {}) {
    return Request(port, "GET", target, headers);
}

inline json GetJson(uint16_t port, const std::string& target) {
    const HttpResult r = Get(port, target);
    EXPECT_EQ(r.status, 200u) << target << ": " << r.body;
    EXPECT_EQ(r.content_type, "application/json") << target;
    return json::parse(r.body, nullptr, false);
}

// One cgminer API request; the reply without its terminating NUL (which must be there).
inline std::string Cgminer(uint16_t port, const std::string& request) {
    const Exchange x = Talk(port, {request});
    EXPECT_TRUE(x.closed_by_peer) << "cgminer API: the connection should close after the reply";
    EXPECT_FALSE(x.received.empty());
    if (x.received.empty()) {
        return {};
    }
    EXPECT_EQ(x.received.back(), '\0') << "cgminer replies end with a NUL byte";
    return x.received.substr(0, x.received.size() - 1);
}

} // namespace nonceforge::test
