// Settings of the monitoring APIs (`nonceforge mine --api-*`): addresses, the bearer token and
// every limit and deadline of the listeners, in one place.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace nonceforge::miner::api {

struct HttpLimits {
    std::size_t max_connections = 32; // per listener; the next connection is closed at once
    // Per client address and listener, so that one client's idle sockets cannot take every
    // slot; the next connection from that address is closed at once. Above the 6 connections
    // a browser opens to one host (the dashboard fetches its endpoints in parallel).
    std::size_t max_connections_per_client = 8;
    // The request headers must arrive in this (counted from the connect, or from the previous
    // reply on a keep-alive connection): an idle socket holds its slot no longer.
    std::chrono::milliseconds header_timeout{3'000};
    std::chrono::milliseconds request_timeout{10'000}; // the whole request must arrive in this
    std::chrono::milliseconds write_timeout{10'000};   // the whole reply must leave in this
    std::size_t max_header_bytes = 8 * 1024;
    std::size_t max_body_bytes = 1024; // GET requests carry none; a little slack for odd clients
};

struct ApiOptions {
    bool enabled = false; // `nonceforge mine` turns it on unless --no-api; tests opt in
    std::string bind = "127.0.0.1:4048";
    // Required to bind a non-loopback address; at least 16 visible ASCII characters, no spaces.
    std::string token;
    // Host header values accepted besides the loopback names and the bind address (port
    // ignored, case-insensitive); "*" accepts any. The defence against DNS rebinding.
    std::vector<std::string> allowed_hosts;
    std::string cgminer_bind;        // empty: no cgminer API (4028 is its usual port)
    bool cgminer_remote = false;     // allow the cgminer API (which has no auth) off loopback
    HttpLimits limits;               // for both listeners
    std::size_t share_history = 256; // verdicts kept for /api/v1/shares
    // /api/v1/history: one point per interval, the newest `history_points` kept (an hour).
    std::chrono::seconds history_interval{10};
    std::size_t history_points = 360;
    // Called on the network thread once the listeners are bound, with their ports (0 for one
    // that is off or could not bind): the way to learn the ports after binding port 0.
    std::function<void(uint16_t http_port, uint16_t cgminer_port)> on_listening;
};

} // namespace nonceforge::miner::api
