#include "miner/app/first_job.hpp"

#include <cstdio>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace nonceforge::app {

core::Expected<std::shared_ptr<const core::Job>, std::string>
FetchFirstJob(const std::string& url_text, const std::string& user, const std::string& password,
              const stratum::TlsOptions& tls, double timeout_seconds) {
    auto url = stratum::ParsePoolUrl(url_text);
    if (!url) {
        return core::MakeUnexpected(url.error());
    }
    stratum::ClientConfig cc;
    stratum::PoolConfig pool;
    pool.url = *url;
    pool.session.user = url->user.value_or(user);
    pool.session.password = url->password.value_or(password);
    cc.pools.push_back(pool);
    cc.tls = tls;
    cc.reconnect.failover_after = 1000;
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
    h.on_log = [&](stratum::LogLevel level, const std::string& text) {
        if (level == stratum::LogLevel::Warn || level == stratum::LogLevel::Error) {
            last_problem = text;
        }
    };
    client = std::make_unique<stratum::StratumClient>(ioc.get_executor(), cc, h);
    boost::asio::steady_timer deadline(ioc,
                                       std::chrono::milliseconds(int64_t(timeout_seconds * 1000)));
    deadline.async_wait([&](const boost::system::error_code& ec) {
        if (!ec) {
            client->Stop();
        }
    });
    boost::asio::co_spawn(ioc, client->Run(), [&](std::exception_ptr) { deadline.cancel(); });
    ioc.run();
    if (!first) {
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%g", timeout_seconds);
        return core::MakeUnexpected("no job from " + url->ToString() + " within " + seconds +
                                    " s (" + last_problem + ")");
    }
    return first;
}

} // namespace nonceforge::app
