// The pool side of every command that talks to a pool, in one place: a URL into a pool's
// configuration, the client configuration of `mine`, the one-shot client of `probe` and
// `profit --from-pool`, and the embedded local pool.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "miner/app/mine_options.hpp"
#include "nonceforge/core/expected.hpp"
#include "nonceforge/core/log_level.hpp"
#include "nonceforge/stratum/client.hpp"
#include "nonceforge/stratum/pool_server.hpp"

namespace nonceforge::miner::app {

using LogFn = std::function<void(core::LogLevel, const std::string&)>;

// `url_text` parsed; the user and password of the URL win over the given ones.
core::Expected<stratum::PoolConfig, std::string>
PoolConfigFor(const std::string& url_text, const std::string& user, const std::string& password);

// Every pool of `urls` (primary first) with the session settings of `o`; or the first bad URL.
core::Expected<stratum::ClientConfig, std::string>
MineClientConfig(const PoolOptions& o, const std::vector<std::string>& urls);

// One pool and no failover: the client retries that pool until it is stopped.
stratum::ClientConfig OneShotClientConfig(stratum::PoolConfig pool, const stratum::TlsOptions& tls);

// Runs `client` on `ioc` until it ends or `timeout_seconds` pass (then `on_timeout` runs and the
// client is stopped). `on_end` runs when the client has ended.
void RunOneShot(boost::asio::io_context& ioc, stratum::StratumClient& client,
                double timeout_seconds, const std::function<void()>& on_timeout,
                const std::function<void()>& on_end = {});

// The embedded local demo pool, started; its lines go to `log` ("[local pool] ...", warnings
// as warnings, the rest as debug).
core::Expected<std::unique_ptr<stratum::PoolServer>, std::string>
StartLocalPool(const LocalPoolOptions& o, LogFn log);

// "url as user" for each pool (the URL without credentials), primary first.
std::vector<std::pair<std::string, std::string>> UrlsAndUsers(const stratum::ClientConfig& cc);

} // namespace nonceforge::miner::app
