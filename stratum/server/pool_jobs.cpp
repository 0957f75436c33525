#include "pool_jobs.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "nonceforge/core/bytes.hpp"
#include "nonceforge/core/hex.hpp"
#include "nonceforge/core/merkle.hpp"
#include "nonceforge/core/stratum_fields.hpp"

namespace nonceforge::stratum::server {

namespace {

constexpr uint8_t OP_0 = 0x00;
constexpr uint8_t OP_1 = 0x51;
constexpr uint8_t OP_DUP = 0x76;
constexpr uint8_t OP_HASH160 = 0xa9;
constexpr uint8_t OP_EQUALVERIFY = 0x88;
constexpr uint8_t OP_CHECKSIG = 0xac;
constexpr uint8_t MAX_DIRECT_PUSH = 75; // larger pushes need OP_PUSHDATA1

// Byte by byte: GCC 12 warns (falsely, -Wstringop-overflow) about range inserts here.
void AppendLE(std::vector<uint8_t>& out, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) {
        out.push_back(uint8_t(v >> (8 * i)));
    }
}

void AppendLE32(std::vector<uint8_t>& out, uint32_t v) {
    AppendLE(out, v, 4);
}

void AppendLE64(std::vector<uint8_t>& out, uint64_t v) {
    AppendLE(out, v, 8);
}

void AppendZeros(std::vector<uint8_t>& out, std::size_t n) {
    out.resize(out.size() + n, 0);
}

} // namespace

nlohmann::json PoolJob::NotifyParams(bool clean_jobs) const {
    nlohmann::json branch = nlohmann::json::array();
    for (const core::Hash256& h : job.merkle_branch) {
        branch.push_back(h.ToWireHex());
    }
    return nlohmann::json::array(
        {job.job_id, core::EncodeStratumPrevHash(job.prev_hash), core::HexEncode(job.coinb1),
         core::HexEncode(job.coinb2), std::move(branch), core::FormatHexU32BE(job.version),
         core::FormatHexU32BE(job.nbits), core::FormatHexU32BE(job.ntime), clean_jobs});
}

std::vector<uint8_t> HeightPush(uint32_t height) {
    if (height == 0) {
        return {OP_0};
    }
    if (height <= 16) {
        return {uint8_t(OP_1 + height - 1)};
    }
    std::vector<uint8_t> num;
    for (uint32_t v = height; v != 0; v >>= 8) {
        num.push_back(uint8_t(v));
    }
    if (num.back() & 0x80) { // the top bit is the sign in a CScriptNum
        num.push_back(0);
    }
    std::vector<uint8_t> push{uint8_t(num.size())};
    push.insert(push.end(), num.begin(), num.end());
    return push;
}

CoinbaseParts MakeCoinbaseParts(uint32_t height, std::size_t extranonce_size, uint64_t value,
                                std::string_view tag) {
    const std::vector<uint8_t> height_push = HeightPush(height);
    const std::size_t tag_size = std::min<std::size_t>(tag.size(), MAX_DIRECT_PUSH);
    const std::size_t script_sig_size =
        height_push.size() + 1 + extranonce_size + (tag_size > 0 ? 1 + tag_size : 0);

    CoinbaseParts parts;
    std::vector<uint8_t>& b1 = parts.coinb1;
    AppendLE32(b1, 1);                      // tx version
    b1.push_back(1);                        // one input
    AppendZeros(b1, 32);                    // null outpoint: txid 0 ...
    AppendLE32(b1, 0xffffffffu);            // ... index 0xffffffff
    b1.push_back(uint8_t(script_sig_size)); // compact size; at most 100 for a coinbase
    b1.insert(b1.end(), height_push.begin(), height_push.end());
    b1.push_back(uint8_t(extranonce_size)); // push opcode: the extranonces follow

    std::vector<uint8_t>& b2 = parts.coinb2;
    if (tag_size > 0) {
        b2.push_back(uint8_t(tag_size));
        b2.insert(b2.end(), tag.begin(), tag.begin() + std::ptrdiff_t(tag_size));
    }
    AppendLE32(b2, 0xffffffffu); // sequence
    b2.push_back(1);             // one output
    AppendLE64(b2, value);
    const uint8_t script[] = {OP_DUP, OP_HASH160, 20}; // P2PKH to hash160 zero
    b2.push_back(25);
    for (uint8_t op : script) {
        b2.push_back(op);
    }
    AppendZeros(b2, 20);
    b2.push_back(OP_EQUALVERIFY);
    b2.push_back(OP_CHECKSIG);
    AppendLE32(b2, 0); // lock time
    return parts;
}

JobMaker::JobMaker(const PoolServerConfig& config, uint64_t seed)
    : m_config(config)
    , m_rng(seed)
    , m_height(config.start_height) {}

core::Hash256 JobMaker::RandomHash() {
    core::Hash256 h;
    for (std::size_t i = 0; i < h.bytes.size(); i += 8) {
        core::WriteLE64(h.bytes.data() + i, m_rng());
    }
    return h;
}

std::shared_ptr<PoolJob> JobMaker::Next(bool clean_jobs, uint32_t ntime) {
    if (m_first || clean_jobs) {
        if (!m_first) {
            ++m_height;
        }
        m_prev_hash = RandomHash();
        m_first = false;
        clean_jobs = true;
    }
    auto pool_job = std::make_shared<PoolJob>();
    pool_job->height = m_height;
    core::Job& job = pool_job->job;
    char id[17];
    std::snprintf(id, sizeof(id), "%llx", static_cast<unsigned long long>(m_next_id++));
    job.job_id = id;
    job.prev_hash = m_prev_hash;
    CoinbaseParts parts =
        MakeCoinbaseParts(m_height, m_config.extranonce1_size + m_config.extranonce2_size,
                          m_config.coinbase_value, m_config.coinbase_tag);
    job.coinb1 = std::move(parts.coinb1);
    job.coinb2 = std::move(parts.coinb2);

    const std::size_t transactions =
        std::uniform_int_distribution<std::size_t>(0, m_config.max_transactions)(m_rng);
    std::vector<core::Hash256> txids(1 + transactions); // [0] stands for the coinbase
    for (std::size_t i = 1; i < txids.size(); ++i) {
        txids[i] = RandomHash();
    }
    job.merkle_branch = core::MerkleBranchForCoinbase(std::move(txids));
    job.version = m_config.job_version;
    job.nbits = m_config.nbits;
    job.ntime = ntime;
    job.clean_jobs = clean_jobs;
    job.extranonce2_size = m_config.extranonce2_size;
    return pool_job;
}

void JobBook::Add(std::shared_ptr<PoolJob> job) {
    if (job->job.clean_jobs) {
        for (const auto& old : m_jobs) {
            m_stale.push_back(old->job.job_id);
        }
        m_jobs.clear();
    }
    m_jobs.push_back(std::move(job));
    while (m_jobs.size() > std::max<std::size_t>(m_keep, 1)) {
        m_jobs.pop_front(); // evicted, not stale: it answers "Job not found"
    }
    while (m_stale.size() > STALE_IDS_KEPT) {
        m_stale.pop_front();
    }
}

JobState JobBook::State(const std::string& job_id) const {
    for (const auto& j : m_jobs) {
        if (j->job.job_id == job_id) {
            return JobState::Current;
        }
    }
    if (std::find(m_stale.begin(), m_stale.end(), job_id) != m_stale.end()) {
        return JobState::Stale;
    }
    return JobState::Unknown;
}

PoolJob* JobBook::Find(const std::string& job_id) {
    for (const auto& j : m_jobs) {
        if (j->job.job_id == job_id) {
            return j.get();
        }
    }
    return nullptr;
}

std::shared_ptr<const PoolJob> JobBook::Newest() const {
    return m_jobs.empty() ? nullptr : m_jobs.back();
}

} // namespace nonceforge::stratum::server
