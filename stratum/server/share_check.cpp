#include "share_check.hpp"

#include <utility>

#include "nonceforge/core/header.hpp"
#include "nonceforge/core/hex.hpp"
#include "nonceforge/core/merkle.hpp"
#include "nonceforge/core/stratum_fields.hpp"
#include "nonceforge/core/target.hpp"

namespace nonceforge::stratum::server {

namespace {

// ckpool's words where it has them, so clients meet the strings real pools send.
std::string CkpoolReason(PoolErrorCode code, const std::string& message) {
    switch (code) {
    case PoolErrorCode::JobNotFound:
        return message == "Stale job" ? "Stale" : "Invalid JobID";
    case PoolErrorCode::DuplicateShare:
        return "Duplicate";
    case PoolErrorCode::LowDifficulty:
        return "Above target";
    case PoolErrorCode::Unauthorized:
        return "Unauthorised";
    case PoolErrorCode::NotSubscribed:
        return "Not subscribed";
    case PoolErrorCode::Other:
        return message;
    }
    return message;
}

core::Expected<CheckedShare, Reject> Malformed(std::string message) {
    return core::MakeUnexpected(MakeReject(PoolErrorCode::Other, std::move(message)));
}

} // namespace

Reject MakeReject(PoolErrorCode code, std::string message) {
    Reject r;
    r.code = code;
    r.reason = CkpoolReason(code, message);
    r.message = std::move(message);
    return r;
}

core::Expected<SubmitRequest, Reject> ParseSubmit(const nlohmann::json& params) {
    if (!params.is_array() || (params.size() != 5 && params.size() != 6)) {
        return core::MakeUnexpected(
            MakeReject(PoolErrorCode::Other, "mining.submit takes 5 or 6 parameters"));
    }
    for (const auto& p : params) {
        if (!p.is_string()) {
            return core::MakeUnexpected(
                MakeReject(PoolErrorCode::Other, "mining.submit parameters must be strings"));
        }
    }
    SubmitRequest r;
    r.worker = params[0].get<std::string>();
    r.job_id = params[1].get<std::string>();
    r.extranonce2 = params[2].get<std::string>();
    r.ntime = params[3].get<std::string>();
    r.nonce = params[4].get<std::string>();
    if (params.size() == 6) {
        r.version_bits = params[5].get<std::string>();
    }
    return r;
}

core::Expected<CheckedShare, Reject> CheckShare(const SubmitRequest& request, const core::Job& job,
                                                const JobAsSent& sent, const ShareLimits& limits) {
    CheckedShare s;
    auto en2 = core::HexDecode(request.extranonce2);
    if (!en2) {
        return Malformed("Invalid extranonce2: " + en2.error().Message());
    }
    if (en2->size() != limits.extranonce2_size) {
        return Malformed("Invalid extranonce2 length: expected " +
                         std::to_string(limits.extranonce2_size) + " bytes, got " +
                         std::to_string(en2->size()));
    }
    s.extranonce2 = std::move(*en2);

    auto ntime = core::ParseHexU32BE(request.ntime);
    if (!ntime) {
        return Malformed("Invalid ntime: " + ntime.error().Message());
    }
    if (*ntime < job.ntime) {
        return Malformed("Time too old");
    }
    if (uint64_t(*ntime) > uint64_t(job.ntime) + uint64_t(limits.ntime_forward.count())) {
        return Malformed("Time too new");
    }
    s.ntime = *ntime;

    auto nonce = core::ParseHexU32BE(request.nonce);
    if (!nonce) {
        return Malformed("Invalid nonce: " + nonce.error().Message());
    }
    s.nonce = *nonce;

    s.version = job.version;
    if (request.version_bits) {
        auto bits = core::ParseHexU32BE(*request.version_bits);
        if (!bits) {
            return Malformed("Invalid version bits: " + bits.error().Message());
        }
        if ((*bits & ~limits.version_mask) != 0) {
            return Malformed("Invalid version mask: bits " + core::FormatHexU32BE(*bits) +
                             " outside " + core::FormatHexU32BE(limits.version_mask));
        }
        s.version = core::RollVersion(job.version, limits.version_mask, *bits);
    }

    const std::vector<uint8_t> coinbase =
        core::AssembleCoinbase(job.coinb1, sent.extranonce1, s.extranonce2, job.coinb2);
    core::BlockHeader header;
    header.version = s.version;
    header.prev_hash = job.prev_hash;
    header.merkle_root = core::MerkleRootFromBranch(core::Sha256d(coinbase), job.merkle_branch);
    header.time = s.ntime;
    header.bits = job.nbits;
    header.nonce = s.nonce;
    s.hash = header.Hash();
    s.meets_share_target = core::HashMeetsTarget(s.hash, sent.target);
    s.meets_network_target = core::HashMeetsTarget(s.hash, job.NetworkTarget());

    s.key = core::HexEncode(sent.extranonce1) + ':' + core::HexEncode(s.extranonce2) + ':' +
            core::FormatHexU32BE(s.ntime) + ':' + core::FormatHexU32BE(s.nonce) + ':' +
            core::FormatHexU32BE(s.version);
    return s;
}

} // namespace nonceforge::stratum::server
