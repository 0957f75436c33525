// A StratumClient on its own io_context thread, recording the jobs, verdicts and log lines it
// delivers, with bounded waits. For transport tests against pools that misbehave.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "nonceforge/stratum/client.hpp"

namespace nonceforge::test {

class ClientHarness {
public:
    explicit ClientHarness(stratum::ClientConfig config) {
        stratum::StratumClient::Handlers h;
        h.on_job = [this](std::shared_ptr<const core::Job> job) {
            std::lock_guard l(m_mutex);
            m_jobs.push_back(std::move(job));
        };
        h.on_log = [this](core::LogLevel level, const std::string& text) {
            if (level == core::LogLevel::Debug) {
                return; // floods of debug lines would make the harness, not the client, grow
            }
            std::lock_guard l(m_mutex);
            m_log += text + "\n";
        };
        h.on_verdict = [this](const stratum::action::ShareVerdict& v) {
            std::lock_guard l(m_mutex);
            m_verdicts.push_back(v);
        };
        m_client =
            std::make_unique<stratum::StratumClient>(m_io.get_executor(), std::move(config), h);
        boost::asio::co_spawn(m_io, m_client->Run(), [this](std::exception_ptr e) {
            m_run_ended = true;
            if (e) {
                std::rethrow_exception(e);
            }
        });
        m_thread = std::thread([this] { m_io.run(); });
    }
    ~ClientHarness() {
        m_client->Stop();
        m_thread.join();
    }
    ClientHarness(const ClientHarness&) = delete;
    ClientHarness& operator=(const ClientHarness&) = delete;

    // Polls `pred` (called under the harness lock) until it holds or `limit` passes.
    template <class Pred>
    bool WaitFor(Pred pred, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
        const auto end = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < end) {
            {
                std::lock_guard l(m_mutex);
                if (pred()) {
                    return true;
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return false;
    }
    bool WaitForLog(const std::string& text,
                    std::chrono::milliseconds limit = std::chrono::seconds(5)) {
        return WaitFor([&] { return m_log.find(text) != std::string::npos; }, limit);
    }
    // Until any of `texts` is in the log.
    bool WaitForAnyLog(const std::vector<std::string>& texts,
                       std::chrono::milliseconds limit = std::chrono::seconds(5)) {
        return WaitFor(
            [&] {
                for (const auto& t : texts) {
                    if (m_log.find(t) != std::string::npos) {
                        return true;
                    }
                }
                return false;
            },
            limit);
    }
    // Until `text` is in the log at least `n` times.
    bool WaitForLogCount(const std::string& text, std::size_t n,
                         std::chrono::milliseconds limit = std::chrono::seconds(5)) {
        return WaitFor(
            [&] {
                std::size_t count = 0;
                for (auto at = m_log.find(text); at != std::string::npos && count < n;
                     at = m_log.find(text, at + 1)) {
                    ++count;
                }
                return count >= n;
            },
            limit);
    }
    // Until any job has come.
    bool WaitForJob(std::chrono::milliseconds limit = std::chrono::seconds(5)) {
        return WaitFor([&] { return !m_jobs.empty(); }, limit);
    }
    bool WaitForJob(const std::string& job_id,
                    std::chrono::milliseconds limit = std::chrono::seconds(5)) {
        return WaitFor(
            [&] {
                for (const auto& j : m_jobs) {
                    if (j->job_id == job_id) {
                        return true;
                    }
                }
                return false;
            },
            limit);
    }
    bool WaitForVerdicts(std::size_t n, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
        return WaitFor([&] { return m_verdicts.size() >= n; }, limit);
    }

    std::string Log() {
        std::lock_guard l(m_mutex);
        return m_log;
    }
    std::vector<std::shared_ptr<const core::Job>> Jobs() {
        std::lock_guard l(m_mutex);
        return m_jobs;
    }
    std::shared_ptr<const core::Job> FirstJob() {
        std::lock_guard l(m_mutex);
        return m_jobs.empty() ? nullptr : m_jobs.front();
    }
    std::shared_ptr<const core::Job> LastJob() {
        std::lock_guard l(m_mutex);
        return m_jobs.empty() ? nullptr : m_jobs.back();
    }
    std::vector<stratum::action::ShareVerdict> Verdicts() {
        std::lock_guard l(m_mutex);
        return m_verdicts;
    }
    stratum::StratumClient& Client() { return *m_client; }
    // Runs `fn` on the client's network thread, in order with Submit and the client's own
    // handlers: a test that blocks there makes the handlers queued behind it run back to back.
    void Post(std::function<void()> fn) { boost::asio::post(m_io, std::move(fn)); }
    // Run() has returned (it gave up, or was stopped).
    bool RunEnded() const { return m_run_ended; }

private:
    boost::asio::io_context m_io;
    std::unique_ptr<stratum::StratumClient> m_client;
    std::thread m_thread;
    std::mutex m_mutex;
    std::vector<std::shared_ptr<const core::Job>> m_jobs;
    std::vector<stratum::action::ShareVerdict> m_verdicts;
    std::string m_log;
    std::atomic<bool> m_run_ended{false};
};

} // namespace nonceforge::test
