#include "miner/app/first_job.hpp"

#include <cstdio>

#include <boost/asio/io_context.hpp>

#include "miner/app/pool_setup.hpp"

namespace nonceforge::miner::app {

core::Expected<std::shared_ptr<const core::Job>, std::string>
FetchFirstJob(const std::string& url_text, const std::string& user, const std::string& password,
              const stratum::TlsOptions& tls, double timeout_seconds) {
    auto pool = PoolConfigFor(url_text, user, password);
    if (!pool) {
        return core::MakeUnexpected(pool.error());
    }
    const std::string url = pool->url.ToString();
    boost::asio::io_context ioc;
    std::shared_ptr<const core::Job> first;
    std::string last_problem = "no job received";
    std::unique_ptr<stratum::StratumClient> client;
    stratum::StratumClient::Handlers h;
    h.on_job = [&](std::shared_ptr<const core::Job> job) {
        if (!first) {
            first = std::move(job);
            client->Stop();
        }
    };
    h.on_log = [&](core::LogLevel level, const std::string& text) {
        if (level == core::LogLevel::Warn || level == core::LogLevel::Error) {
            last_problem = text;
        }
    };
    client = std::make_unique<stratum::StratumClient>(
        ioc.get_executor(), OneShotClientConfig(std::move(*pool), tls), h);
    RunOneShot(ioc, *client, timeout_seconds, {});
    if (!first) {
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%g", timeout_seconds);
        return core::MakeUnexpected("no job from " + url + " within " + seconds + " s (" +
                                    last_problem + ")");
    }
    return first;
}

} // namespace nonceforge::miner::app
