// The Stratum client as the miner's JobSource: jobs and verdicts from the pool sessions, shares
// to mining.submit, the pool list's state for the status line and the API.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "miner/job_source.hpp"
#include "nonceforge/stratum/client.hpp"

namespace nonceforge::miner::app {

class StratumJobSource final : public miner::JobSource {
public:
    StratumJobSource(boost::asio::any_io_executor executor, stratum::ClientConfig config);
    ~StratumJobSource() override;

    // Spawns the client's Run on the executor; its end (Stop, retries used up, a bug) is
    // reported through on_end.
    void Start(Handlers handlers) override;
    void Submit(core::Share share) override;
    void Stop() override;
    miner::SourceStatus Status() const override;

private:
    void OnJob(std::shared_ptr<const core::Job> job);
    void OnVerdict(const stratum::action::ShareVerdict& v);
    void OnEnd(std::exception_ptr e);
    void WatchConnection(); // on_connection when the client's connected flag changed

    boost::asio::any_io_executor m_executor;
    stratum::ClientConfig m_config;
    std::vector<std::pair<std::string, std::string>> m_urls_users;
    Handlers m_handlers;
    std::unique_ptr<stratum::StratumClient> m_client;
    // Network thread only.
    bool m_connected = false;
    double m_difficulty = 0;
};

} // namespace nonceforge::miner::app
