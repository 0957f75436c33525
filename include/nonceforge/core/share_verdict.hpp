// The final state of a share: every share found ends in exactly one of these. A work source
// (a pool session, a node) decides it, or the miner itself (a share found after its job was
// replaced is stale before it is sent).
#pragma once

#include <string_view>

namespace nonceforge::core {

enum class VerdictKind {
    Accepted,
    Rejected, // the pool refused the share (or it was refused before sending); reason says why
    Stale,    // the job was no longer valid
    Lost,     // no verdict will come: connection closed, no reply in time, unreadable reply
};

constexpr std::string_view ToString(VerdictKind kind) {
    switch (kind) {
    case VerdictKind::Accepted:
        return "accepted";
    case VerdictKind::Rejected:
        return "rejected";
    case VerdictKind::Stale:
        return "stale";
    case VerdictKind::Lost:
        return "lost";
    }
    return "?";
}

} // namespace nonceforge::core
