// A small validating Stratum V1 pool: synthetic but valid jobs, full share validation with the
// usual error codes 20-25, loopback by default. The tests mine against it, `nonceforge` uses it
// as the embedded local pool when no pool is given, and `nonceforge pool` runs it alone.
//
// The server owns an io_context and runs it on its own thread between Start() and Stop(); every
// public method may be called from any other thread. The log callback runs on the server thread
// (and on the caller's for the lines Start and Stop write) and must not call back into the
// server's waiting methods (Start, Stop, PushJob, SetExtranonce, SetDifficulty).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nonceforge/core/expected.hpp"
#include "nonceforge/core/hash256.hpp"
#include "nonceforge/core/log_level.hpp"

namespace nonceforge::stratum {

// The classic Stratum V1 share error codes (slush's list, used by most pools).
enum class PoolErrorCode : int {
    Other = 20,       // malformed request, bad field, ntime/version out of range
    JobNotFound = 21, // unknown job, or stale after a clean job
    DuplicateShare = 22,
    LowDifficulty = 23, // the hash misses the share target
    Unauthorized = 24,  // no authorized worker (or not this worker) on the connection
    NotSubscribed = 25,
};

// How a rejected share (and a refused authorization) is reported.
enum class RejectStyle {
    Error,  // {"result":null,"error":[code,"message",null]} (slush, public-pool)
    Ckpool, // {"result":false,"error":null,"reject-reason":"Above target"} (ckpool)
};

using core::LogLevel; // the pool reports Debug, Info and Warn

struct PoolTlsFiles {
    std::string certificate_chain_file; // PEM
    std::string private_key_file;       // PEM, unencrypted
};

struct PoolServerConfig {
    std::string bind_address = "127.0.0.1";
    uint16_t port = 0; // 0: an ephemeral port; PoolServer::Port() reports the bound one

    // Share difficulty: below 1 is allowed (0.0001 is about 430k hashes per share). What a
    // client suggests (mining.suggest_difficulty, the minimum-difficulty extension) is honoured,
    // clamped to [min_difficulty, max_difficulty]; `difficulty` itself is not clamped.
    double difficulty = 1.0;
    double min_difficulty = 1e-6;
    double max_difficulty = 1e12;

    std::size_t extranonce1_size = 4;   // 2..8 bytes, unique per connection
    std::size_t extranonce2_size = 8;   // 1..16 bytes
    uint32_t version_mask = 0x1fffe000; // granted BIP 310 mask (answer = requested & granted)

    // A new job (clean_jobs false) every job_interval, a new block (clean_jobs true) every
    // block_interval; zero disables either. PoolServer::PushJob pushes one at once.
    std::chrono::milliseconds job_interval = std::chrono::seconds(30);
    std::chrono::milliseconds block_interval = std::chrono::minutes(10);

    // Synthetic chain: the network target of every job (difficulty 1 by default, so "block
    // found" stays rare; 0x207fffff makes about every second hash a block), the BIP 34 height
    // of the first block, the coinbase output value in satoshis (subsidy + fees), the
    // transactions besides the coinbase (random txids; each job picks 0..max_transactions, so
    // branches of every length are exercised), and a tag pushed at the end of the scriptSig.
    uint32_t nbits = 0x1d00ffff;
    uint32_t job_version = 0x20000000;
    uint32_t start_height = 900000;
    uint64_t coinbase_value = 312500000;
    std::size_t max_transactions = 12;
    std::string coinbase_tag = "/nonceforge/"; // at most 40 bytes
    uint64_t seed = 0;                         // jobs and extranonces; 0: random_device

    // ntime accepted in [job ntime, job ntime + ntime_forward] (ckpool allows 7000 s).
    std::chrono::seconds ntime_forward = std::chrono::seconds(7000);
    std::size_t jobs_kept = 16; // older jobs answer 21 "Job not found"

    std::optional<PoolTlsFiles> tls; // stratum+ssl when set
    RejectStyle reject_style = RejectStyle::Error;
    std::vector<std::string> rejected_users; // mining.authorize refused for these names
    // Refuse every share that passes validation, as [23, reason, null] (public-pool's "low
    // difficulty" answer; ckpool style: "reject-reason": reason), and count it as rejected
    // (code 23). A pool gone wrong, for testing a miner's reaction to a reject storm. Shares
    // that fail validation keep their own answer (stale 21, duplicate 22, ...).
    std::optional<std::string> refuse_shares;
    // With refuse_shares: refuse one valid share in this many on each connection (the Nth, 2Nth,
    // ...), accepting the others: isolated rejects between accepts. 1: every share.
    unsigned refuse_every = 1;

    std::size_t max_line_length = 64 * 1024; // a longer line closes the connection
    std::size_t max_connections = 64;        // further connections are closed at once
    std::size_t max_queued_lines = 1024;     // a client that stops reading is dropped
    std::chrono::milliseconds idle_timeout = std::chrono::minutes(10); // no line received
    std::chrono::milliseconds write_timeout = std::chrono::seconds(10);
    std::chrono::milliseconds handshake_timeout = std::chrono::seconds(10); // TLS
    std::chrono::milliseconds stop_timeout = std::chrono::seconds(5);

    // Human-readable lines ("share accepted from worker x diff 0.0012"); on the server thread.
    std::function<void(LogLevel, std::string_view)> log;
};

// Totals since Start(); a consistent snapshot.
struct PoolCounters {
    uint64_t connections = 0;         // accepted TCP connections, refused ones included
    uint64_t open_connections = 0;    // currently open
    uint64_t refused_connections = 0; // over max_connections
    uint64_t subscribed = 0;          // mining.subscribe answered
    uint64_t authorized = 0;          // mining.authorize granted
    uint64_t accepted = 0;            // shares
    uint64_t rejected = 0;            // shares, all codes
    std::map<int, uint64_t> rejected_by_code;
    uint64_t blocks_found = 0;    // accepted shares that also met the network target
    uint64_t jobs = 0;            // jobs made (clean or not)
    uint64_t protocol_errors = 0; // unparsable, oversized or invalid requests
    double accepted_work = 0;     // sum of the share difficulties of accepted shares

    uint64_t Rejected(PoolErrorCode code) const {
        auto it = rejected_by_code.find(int(code));
        return it == rejected_by_code.end() ? 0 : it->second;
    }
};

struct AcceptedShare {
    std::string worker;
    std::string job_id;
    std::string extranonce1; // hex
    std::string extranonce2; // hex
    uint32_t ntime = 0;
    uint32_t nonce = 0;
    uint32_t version = 0;        // the full header version
    core::Hash256 hash;          // sha256d of the header, wire order
    double share_difficulty = 0; // the difficulty it was checked against
    double hash_difficulty = 0;  // the difficulty it achieved
    bool block = false;          // also met the network target
};

class PoolServer {
public:
    explicit PoolServer(PoolServerConfig config);
    ~PoolServer(); // Stop()
    PoolServer(const PoolServer&) = delete;
    PoolServer& operator=(const PoolServer&) = delete;

    // Validates the config, loads the TLS files, binds, makes the first job and starts the
    // server thread. Returns the bound port, or why it could not start. Once per server.
    core::Expected<uint16_t, std::string> Start();
    // Closes the listener and every connection and joins the thread; idempotent.
    void Stop();

    bool Running() const;
    uint16_t Port() const;
    std::string Url() const; // stratum+tcp://address:port or stratum+ssl://...

    // Each waits until the server thread has queued the messages; false when not running.
    // A new job to every ready connection; clean_jobs makes all earlier jobs stale (21).
    bool PushJob(bool clean_jobs = true);
    // A fresh extranonce1 to every connection that sent mining.extranonce.subscribe, as
    // mining.set_extranonce; it applies from the next job (earlier jobs keep the old one).
    bool SetExtranonce();
    // mining.set_difficulty to every ready connection (and the default for new ones). It
    // applies to the jobs sent from then on (PushJob to apply it now), and to the jobs sent
    // before only when it is lower: clients differ on when they apply a new difficulty.
    bool SetDifficulty(double difficulty);

    PoolCounters Counters() const;
    std::vector<AcceptedShare> AcceptedShares() const; // the latest 10000

private:
    class Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace nonceforge::stratum
