// Synthetic but valid jobs for the local pool, and the book of jobs a share may refer to.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "nonceforge/core/work.hpp"
#include "nonceforge/stratum/pool_server.hpp"

namespace nonceforge::stratum::server {

struct PoolJob {
    core::Job job; // extranonce1 stays empty: it belongs to the connection
    uint32_t height = 0;
    std::unordered_set<std::string> shares; // keys of the shares accepted, for duplicates

    // The nine mining.notify params; clean_jobs is a parameter so the job can be resent.
    nlohmann::json NotifyParams(bool clean_jobs) const;
};

// CScript() << height, as BIP 34 compares it: OP_0, OP_1..OP_16, or a minimal little-endian
// CScriptNum push.
std::vector<uint8_t> HeightPush(uint32_t height);

struct CoinbaseParts {
    std::vector<uint8_t> coinb1; // up to the extranonce room
    std::vector<uint8_t> coinb2; // after it
};

// A version 1 coinbase transaction (non-witness serialization, so its sha256d is the txid):
// one input spending the null outpoint with scriptSig = height push, a push of
// `extranonce_size` bytes (extranonce1 || extranonce2), a push of `tag`; one output of `value`
// satoshis to a dummy P2PKH script; lock time 0.
CoinbaseParts MakeCoinbaseParts(uint32_t height, std::size_t extranonce_size, uint64_t value,
                                std::string_view tag);

class JobMaker {
public:
    JobMaker(const PoolServerConfig& config, uint64_t seed);

    // clean_jobs: a new block (next height, new prevhash); otherwise new transactions only.
    std::shared_ptr<PoolJob> Next(bool clean_jobs, uint32_t ntime);

private:
    core::Hash256 RandomHash();

    const PoolServerConfig& m_config;
    std::mt19937_64 m_rng;
    uint64_t m_next_id = 1;
    uint32_t m_height = 0;
    core::Hash256 m_prev_hash;
    bool m_first = true;
};

enum class JobState { Current, Stale, Unknown };

// The jobs shares may still refer to: the last `keep`, all dropped (as stale) by a clean job.
class JobBook {
public:
    explicit JobBook(std::size_t keep)
        : m_keep(keep) {}

    void Add(std::shared_ptr<PoolJob> job);
    JobState State(const std::string& job_id) const;
    PoolJob* Find(const std::string& job_id);
    std::shared_ptr<const PoolJob> Newest() const;

private:
    static constexpr std::size_t STALE_IDS_KEPT = 256;

    std::size_t m_keep;
    std::deque<std::shared_ptr<PoolJob>> m_jobs; // oldest first
    std::deque<std::string> m_stale;             // ids dropped by clean jobs, oldest first
};

} // namespace nonceforge::stratum::server
