// mining.submit validation, free of I/O: parameter shape, the fields against the job as it was
// sent to the connection, and the proof of work rebuilt with the core functions
// (coinbase -> merkle root -> header -> sha256d).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "nonceforge/core/expected.hpp"
#include "nonceforge/core/hash256.hpp"
#include "nonceforge/core/u256.hpp"
#include "nonceforge/core/work.hpp"
#include "nonceforge/stratum/pool_server.hpp"

namespace nonceforge::stratum::server {

struct Reject {
    PoolErrorCode code = PoolErrorCode::Other;
    std::string message; // for error:[code, message, null]
    std::string reason;  // for ckpool's "reject-reason"
};

Reject MakeReject(PoolErrorCode code, std::string message);

struct SubmitRequest {
    std::string worker;
    std::string job_id;
    std::string extranonce2;                 // hex
    std::string ntime;                       // 8 hex digits, big-endian
    std::string nonce;                       // 8 hex digits, big-endian
    std::optional<std::string> version_bits; // BIP 310 sixth parameter
};

// Five or six strings, else 20.
core::Expected<SubmitRequest, Reject> ParseSubmit(const nlohmann::json& params);

// What the connection was told when it got the job.
struct JobAsSent {
    double difficulty = 1;
    core::U256 target;
    std::vector<uint8_t> extranonce1;
};

struct ShareLimits {
    std::size_t extranonce2_size = 0;
    uint32_t version_mask = 0; // granted to the connection; 0 without mining.configure
    std::chrono::seconds ntime_forward{0};
};

struct CheckedShare {
    std::vector<uint8_t> extranonce2;
    uint32_t ntime = 0;
    uint32_t nonce = 0;
    uint32_t version = 0; // full header version
    core::Hash256 hash;
    bool meets_share_target = false;
    bool meets_network_target = false;
    std::string key; // identity for duplicate detection (within one job)
};

// The field checks (all 20) and the hash. The target verdict is left to the caller, which
// checks duplicates (22) first.
core::Expected<CheckedShare, Reject> CheckShare(const SubmitRequest& request, const core::Job& job,
                                                const JobAsSent& sent, const ShareLimits& limits);

} // namespace nonceforge::stratum::server
