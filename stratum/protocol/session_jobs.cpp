// Jobs: mining.notify becomes an immutable core::Job under the state negotiated so far.
// Difficulty, extranonce and version mask changes apply to jobs received after them.
#include <cstdio>
#include <memory>

#include "nonceforge/core/stratum_fields.hpp"
#include "nonceforge/stratum/session.hpp"

namespace nonceforge::stratum {

namespace {

std::string FormatDifficulty(double d) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.8g", d);
    return buf;
}

} // namespace

void Session::OnMessage(Notify&& n, TimePoint) {
    if (!m_extranonce1 || !m_extranonce2_size) {
        Log(LogLevel::Warn,
            "mining.notify before the subscribe reply, ignored (job " + n.job_id.Str() + ")");
        return;
    }
    const core::Hash256& prev = n.prev_hash.Internal();
    const bool new_prev = !m_last_prev_hash || *m_last_prev_hash != prev;
    if (new_prev && m_last_prev_hash && !n.clean_jobs) {
        Log(LogLevel::Debug, "job " + n.job_id.Str() +
                                 " has a new prevhash with clean_jobs false: treated as clean");
    }
    // A new prevhash means a new block whatever the flag says; the first job of a connection
    // and the first job after mining.set_extranonce replace all earlier work too.
    const bool clean = n.clean_jobs || new_prev || m_force_clean;
    m_last_prev_hash = prev;
    m_force_clean = false;

    core::Job job;
    job.job_id = n.job_id.Str();
    job.prev_hash = prev;
    job.coinb1 = n.coinb1.Bytes();
    job.coinb2 = n.coinb2.Bytes();
    job.merkle_branch = n.merkle_branch.Hashes();
    job.version = n.version.Value();
    job.nbits = n.nbits.Value();
    job.ntime = n.ntime.Value();
    job.clean_jobs = clean;
    job.extranonce1 = m_extranonce1->Bytes();
    job.extranonce2_size = m_extranonce2_size->Value();
    job.share_difficulty = m_difficulty.Value();
    job.share_target = m_difficulty.Target();
    job.version_mask = m_version_mask;
    job.sequence = m_next_sequence++;
    job.source = m_source;
    if (new_prev) {
        m_valid_from_sequence = job.sequence; // earlier jobs built on the previous block
    }
    Log(LogLevel::Debug, "job " + job.job_id + (clean ? " (clean)" : "") + ", difficulty " +
                             FormatDifficulty(job.share_difficulty));
    DeliverOrHold(std::move(job));
}

// Until authorized, only the latest job is kept; it stays clean if any job it replaces was.
void Session::DeliverOrHold(core::Job job) {
    if (m_state == SessionState::Ready) {
        Emit(action::DeliverJob{std::make_shared<const core::Job>(std::move(job))});
        return;
    }
    job.clean_jobs = job.clean_jobs || (m_held_job && m_held_job->clean_jobs);
    m_held_job = std::move(job);
}

void Session::OnMessage(SetDifficulty&& m, TimePoint) {
    m_difficulty = m.difficulty;
    Log(LogLevel::Info,
        "share difficulty " + FormatDifficulty(m_difficulty.Value()) + " from the next job");
}

void Session::OnMessage(SetExtranonce&& m, TimePoint) {
    m_extranonce1 = std::move(m.extranonce1);
    if (m.extranonce2_size) {
        m_extranonce2_size = *m.extranonce2_size;
    }
    m_force_clean = true;
    Log(LogLevel::Info, "extranonce1 " + core::HexEncode(m_extranonce1->Bytes()) +
                            (m_extranonce2_size ? ", extranonce2 size " +
                                                      std::to_string(m_extranonce2_size->Value())
                                                : std::string()) +
                            " from the next job");
}

void Session::OnMessage(SetVersionMask&& m, TimePoint) {
    if (!m_config.version_rolling) {
        Log(LogLevel::Debug, "mining.set_version_mask ignored: version rolling is off");
        return;
    }
    // Roll only bits we asked for, whatever the pool allows.
    m_version_mask = m.mask.Value() & m_config.version_rolling->mask;
    Log(LogLevel::Info,
        "version mask " + core::FormatHexU32BE(m_version_mask) + " from the next job");
}

} // namespace nonceforge::stratum
