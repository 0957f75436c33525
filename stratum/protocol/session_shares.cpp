// Shares: submit, match the reply, and give every share exactly one verdict.
#include <cctype>
#include <cstdio>

#include "nonceforge/stratum/parser.hpp"
#include "nonceforge/stratum/session.hpp"

namespace nonceforge::stratum {

namespace {

// The words pools use for "the hash is not under the share target".
bool IsLowDifficultyReason(const std::string& reason) {
    std::string r;
    for (char c : reason) {
        r += char(std::tolower(static_cast<unsigned char>(c)));
    }
    for (const char* words : {"low difficulty", "difficulty too low", "above target", "high-hash",
                              "low diff", "lowdiff"}) {
        if (r.find(words) != std::string::npos) {
            return true;
        }
    }
    return false;
}

} // namespace

void Session::Verdict(const core::Share& share, VerdictKind kind, std::string reason,
                      std::optional<Clock::duration> latency) {
    Emit(action::ShareVerdict{share, kind, std::move(reason), latency});
}

void Session::OnShareFound(const event::ShareFound& e) {
    const core::Share& share = e.share;
    if (m_state != SessionState::Ready) {
        Verdict(share, VerdictKind::Lost, "not connected to the pool");
        return;
    }
    if (!share.job) {
        Verdict(share, VerdictKind::Rejected, "share without a job");
        return;
    }
    // Checked here because the pool cannot tell: mining.submit does not carry extranonce1, and
    // another pool may well have a job of the same id.
    if (share.job->source != m_source) {
        Verdict(share, VerdictKind::Stale, "job from another pool");
        return;
    }
    if (share.job->sequence < m_connection_first_sequence) {
        Verdict(share, VerdictKind::Stale, "job from an earlier connection");
        return;
    }
    if (share.job->sequence < m_valid_from_sequence) {
        Verdict(share, VerdictKind::Stale, "job replaced by a new block");
        return;
    }
    if (share.job->extranonce1 != m_extranonce1->Bytes() ||
        share.job->extranonce2_size != m_extranonce2_size->Value()) {
        Verdict(share, VerdictKind::Stale, "extranonce changed since the job");
        return;
    }
    if (share.extranonce2.size() != share.job->extranonce2_size) {
        Verdict(share, VerdictKind::Rejected,
                "extranonce2 has " + std::to_string(share.extranonce2.size()) +
                    " bytes, the job needs " + std::to_string(share.job->extranonce2_size));
        return;
    }
    const uint64_t id = NextId();
    if (!SendRequest(id, {ClientMethod::Submit, e.now, share},
                     EncodeSubmit(id, m_config.user, share.ToSubmitFields(m_xor_version_bits)))) {
        Verdict(share, VerdictKind::Lost,
                "too many requests awaiting a reply (" + std::to_string(m_pending.Size()) + ")");
    }
}

void Session::OnSubmitReply(const Response& r, const core::Share& share, Clock::duration latency) {
    auto outcome = ParseSubmitResult(r);
    if (!outcome) {
        Log(LogLevel::Warn, "unreadable mining.submit reply: " + outcome.error().Message());
        Verdict(share, VerdictKind::Lost, "unreadable reply: " + outcome.error().Message(),
                latency);
        return;
    }
    const bool job_bits_in_mask = share.job && share.job->version_mask != 0 &&
                                  (share.job->version & share.job->version_mask) != 0;
    switch (outcome->kind) {
    case SubmitOutcome::Kind::Accepted:
        if (job_bits_in_mask) {
            m_version_bits_settled = true;
        }
        Verdict(share, VerdictKind::Accepted, {}, latency);
        break;
    case SubmitOutcome::Kind::Rejected:
        if (job_bits_in_mask && !m_version_bits_settled && IsLowDifficultyReason(outcome->reason)) {
            // The header the pool rebuilt is not the one hashed here: it reads the version bits
            // another way. public-pool computes job ^ bits where BIP 310 says
            // (job & ~mask) | (bits & mask); they differ only for such a job.
            m_version_bits_settled = true;
            m_xor_version_bits = true;
            char versions[64];
            std::snprintf(versions, sizeof versions,
                          "version %08x has bits inside the rolling mask %08x", share.job->version,
                          share.job->version_mask);
            Log(LogLevel::Warn,
                "the pool refused a share of a job whose " + std::string(versions) + " (\"" +
                    outcome->reason.substr(0, 60) +
                    "\"): it reads mining.submit's version bits as XOR with the job's version, "
                    "not as BIP 310 says; sending them that way from now on");
        }
        Verdict(share, VerdictKind::Rejected, std::move(outcome->reason), latency);
        break;
    case SubmitOutcome::Kind::Stale:
        Verdict(share, VerdictKind::Stale, std::move(outcome->reason), latency);
        break;
    }
}

void Session::LoseAllOutstanding(const std::string& reason) {
    for (const auto& entry : m_pending.TakeAll()) {
        if (entry.second.share) {
            Verdict(*entry.second.share, VerdictKind::Lost, reason);
        }
    }
}

} // namespace nonceforge::stratum
