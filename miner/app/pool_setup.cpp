#include "miner/app/pool_setup.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>

namespace nonceforge::miner::app {

namespace {

// A one-shot client has a single pool: "fail over" would only mean the same pool again, so it
// never counts failures toward it.
constexpr unsigned ONE_SHOT_FAILOVER_AFTER = 1000;

std::chrono::milliseconds Millis(double seconds) {
    return std::chrono::milliseconds(int64_t(seconds * 1000));
}

} // namespace

core::Expected<stratum::PoolConfig, std::string>
PoolConfigFor(const std::string& url_text, const std::string& user, const std::string& password) {
    auto url = stratum::ParsePoolUrl(url_text);
    if (!url) {
        return core::MakeUnexpected(url.error());
    }
    stratum::PoolConfig p;
    p.url = *url;
    p.session.user = url->user.value_or(user);
    p.session.password = url->password.value_or(password);
    return p;
}

core::Expected<stratum::ClientConfig, std::string>
MineClientConfig(const PoolOptions& o, const std::vector<std::string>& urls) {
    stratum::ClientConfig cc;
    cc.tls = o.tls;
    cc.allow_redirect = o.allow_redirect;
    cc.reconnect = o.reconnect;
    cc.reject_storm = o.reject_storm;
    cc.timeouts = o.timeouts;
    cc.proxy = o.proxy;
    cc.protocol_dump = o.protocol_dump;
    for (const std::string& text : urls) {
        auto p = PoolConfigFor(text, o.user, o.password);
        if (!p) {
            return core::MakeUnexpected(p.error());
        }
        if (!o.version_rolling) {
            p->session.version_rolling.reset();
        }
        p->session.suggest_difficulty = o.suggest_difficulty;
        p->session.extranonce_subscribe = o.extranonce_subscribe;
        p->session.response_timeout = o.response_timeout;
        p->session.follow_redirects = true; // the transport decides, by --allow-redirect
        cc.pools.push_back(std::move(*p));
    }
    return cc;
}

stratum::ClientConfig OneShotClientConfig(stratum::PoolConfig pool,
                                          const stratum::TlsOptions& tls) {
    stratum::ClientConfig cc;
    cc.pools.push_back(std::move(pool));
    cc.tls = tls;
    cc.reconnect.failover_after = ONE_SHOT_FAILOVER_AFTER;
    return cc;
}

void RunOneShot(boost::asio::io_context& ioc, stratum::StratumClient& client,
                double timeout_seconds, const std::function<void()>& on_timeout,
                const std::function<void()>& on_end) {
    boost::asio::steady_timer deadline(ioc, Millis(timeout_seconds));
    deadline.async_wait([&](const boost::system::error_code& ec) {
        if (!ec) {
            if (on_timeout) {
                on_timeout();
            }
            client.Stop();
        }
    });
    boost::asio::co_spawn(ioc, client.Run(), [&](std::exception_ptr) {
        deadline.cancel();
        if (on_end) {
            on_end();
        }
    });
    ioc.run();
}

core::Expected<std::unique_ptr<stratum::PoolServer>, std::string>
StartLocalPool(const LocalPoolOptions& o, LogFn log) {
    stratum::PoolServerConfig pc;
    pc.difficulty = o.difficulty;
    pc.job_interval = Millis(o.job_interval_seconds);
    pc.block_interval = Millis(o.block_interval_seconds);
    // The embedded pool's own lines are detail here (`nonceforge pool` shows them).
    pc.log = [log = std::move(log)](core::LogLevel level, std::string_view text) {
        if (level != core::LogLevel::Debug) {
            log(level == core::LogLevel::Warn ? core::LogLevel::Warn : core::LogLevel::Debug,
                "[local pool] " + std::string(text));
        }
    };
    auto pool = std::make_unique<stratum::PoolServer>(pc);
    if (auto port = pool->Start(); !port) {
        return core::MakeUnexpected("cannot start the embedded local pool: " + port.error());
    }
    return pool;
}

std::vector<std::pair<std::string, std::string>> UrlsAndUsers(const stratum::ClientConfig& cc) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& p : cc.pools) {
        out.emplace_back(p.url.ToString(), p.session.user);
    }
    return out;
}

} // namespace nonceforge::miner::app
