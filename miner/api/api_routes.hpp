// The routes of the monitoring HTTP API, without the transport: what a GET of a target returns.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

#include "miner/api/api_view.hpp"
#include "miner/api/http_exchange.hpp"

namespace nonceforge::miner::api {

// A snapshot of the miner; share_limit: how many recent shares to include (0 for none).
using ViewFn = std::function<ApiView(std::size_t share_limit)>;

// The single-page dashboard served at /.
std::string_view DashboardHtml();

// "/", "/metrics", "/api/v1/{summary,devices,pools,history,shares[?limit=N]}"; 404 for anything
// else, 400 for a limit that is not a whole number. At most `share_history` shares are shown.
HttpReply Route(std::string_view target, const ViewFn& view, std::size_t share_history);

} // namespace nonceforge::miner::api
