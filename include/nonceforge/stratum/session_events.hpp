// What flows into and out of the sans-I/O session (session.hpp). The transport turns socket
// and timer activity into events, feeds them to Session::Handle, and performs the actions it
// gets back, in order.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "nonceforge/core/log_level.hpp"
#include "nonceforge/core/share_verdict.hpp"
#include "nonceforge/core/work.hpp"
#include "nonceforge/stratum/pending_requests.hpp"

namespace nonceforge::stratum {

namespace event {

// The connection to the pool is up: the session starts its handshake.
struct Connected {
    TimePoint now;
};
// One line from the pool, with or without its "\n".
struct LineReceived {
    std::string line;
    TimePoint now;
};
// The connection is gone; every share still awaiting a reply becomes lost.
struct Disconnected {
    std::string reason;
};
// A share the miner found and re-verified, to be submitted.
struct ShareFound {
    core::Share share;
    TimePoint now;
};
// Time passed: requests unanswered for SessionConfig::response_timeout expire. The transport
// calls it at Session::NextDeadline() or periodically.
struct Tick {
    TimePoint now;
};

} // namespace event

using Event = std::variant<event::Connected, event::LineReceived, event::Disconnected,
                           event::ShareFound, event::Tick>;

// The program's log level and share verdict (core), used here unqualified.
using core::LogLevel;
using core::ToString;
using core::VerdictKind;

namespace action {

// Write this line (already "\n"-terminated) to the pool.
struct SendLine {
    std::string line;
};
// Hand this job to the miner. When job->clean_jobs is set, work on earlier jobs is stale.
struct DeliverJob {
    std::shared_ptr<const core::Job> job;
};
// The definite outcome of one share.
struct ShareVerdict {
    core::Share share;
    VerdictKind kind;
    std::string reason; // empty when accepted
    // From sending mining.submit (PendingRequest::sent_at) to the pool's reply; absent when no
    // reply came (lost: disconnected, expired, never sent) or the share was refused unsent.
    std::optional<Clock::duration> latency = std::nullopt;
};
struct Log {
    LogLevel level;
    std::string text;
};
// Drop the connection and connect again after `delay`: to the same pool, or, when the pool sent
// client.reconnect with a host and redirects are allowed, to host:port.
struct Reconnect {
    std::string reason;
    std::optional<std::string> host;
    std::optional<uint16_t> port;
    std::chrono::seconds delay{0};
    // True for the pool's client.reconnect; false when the session itself gave up on the
    // connection (malformed stream, refused subscribe, no reply): the transport backs off then.
    bool requested_by_pool = false;
};
// Give up on this pool (for example the worker was refused); the transport may fail over.
struct Close {
    std::string reason;
};

} // namespace action

using Action = std::variant<action::SendLine, action::DeliverJob, action::ShareVerdict, action::Log,
                            action::Reconnect, action::Close>;

} // namespace nonceforge::stratum
