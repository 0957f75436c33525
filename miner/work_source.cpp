#include "miner/work_source.hpp"

namespace nonceforge::miner {

std::vector<uint8_t> Extranonce2Bytes(uint64_t counter, std::size_t size) {
    std::vector<uint8_t> out(size, 0);
    for (std::size_t i = 0; i < size && i < 8; ++i) {
        out[i] = uint8_t(counter >> (8 * i));
    }
    return out;
}

void WorkSource::SetJob(std::shared_ptr<const core::Job> job, bool restart) {
    std::lock_guard lock(m_mutex);
    // The extranonce2 counter never goes back: a pool that sends the same job again (some
    // resend it with every difficulty change) must not get the same headers hashed twice.
    if (m_job) {
        ++m_extranonce2_counter;
    }
    m_job = std::move(job);
    if (restart) {
        ++m_generation;
    }
    m_version_bits = 0;
    BuildHeader();
}

void WorkSource::Clear() {
    std::lock_guard lock(m_mutex);
    m_job.reset();
    ++m_generation;
}

uint64_t WorkSource::Generation() const {
    std::lock_guard lock(m_mutex);
    return m_generation;
}

std::shared_ptr<const core::Job> WorkSource::CurrentJob() const {
    std::lock_guard lock(m_mutex);
    return m_job;
}

void WorkSource::BuildHeader() {
    const core::Job& job = *m_job;
    auto en2 = Extranonce2Bytes(m_extranonce2_counter, job.extranonce2_size);
    const uint32_t version =
        core::RollVersion(job.version, job.RollableVersionMask(), m_version_bits);
    core::BlockHeader h = job.Header(en2, job.ntime, 0, version);
    m_header = core::WorkUnit::FromHeader(h, job.share_target);
    m_header.job = m_job;
    m_header.extranonce2 = std::move(en2);
    m_next_nonce = 0;
}

std::optional<WorkSource::Range> WorkSource::NextRange(uint64_t max_nonces) {
    std::lock_guard lock(m_mutex);
    if (!m_job || max_nonces == 0) {
        return std::nullopt;
    }
    if (m_next_nonce >= 0x100000000ull) {
        const uint32_t mask = m_job->RollableVersionMask();
        m_version_bits = mask ? NextVersionBits(m_version_bits, mask) : 0;
        if (m_version_bits == 0) {
            ++m_extranonce2_counter; // all version values used (or none granted)
        }
        BuildHeader();
    }
    Range r;
    r.work = m_header;
    r.work.nonce_first = uint32_t(m_next_nonce);
    r.work.nonce_count = std::min<uint64_t>(max_nonces, 0x100000000ull - m_next_nonce);
    m_next_nonce += r.work.nonce_count;
    r.generation = m_generation;
    return r;
}

} // namespace nonceforge::miner
