// Solo mining on a Bitcoin Core node as the miner's JobSource: getblocktemplate turned into
// jobs (block_template.hpp), found blocks sent with submitblock, the verdicts back.
//
// Start-up: getblockchaininfo names the chain; the payout address must be one of its addresses;
// a node warming up (-28) or in initial block download is waited for with a log line; a node
// that cannot be reached is retried with a backoff. Bad credentials, a forbidden address, a
// URL that is no RPC port or a payout address of another network end the source at once, as
// an input error (InputError(): the command exits with status 2).
//
// New work: a long poll (getblocktemplate with the template's longpollid, on a connection of
// its own) where the node offers it, and getbestblockhash once a second in any case. A new tip
// gives a clean job (every backend restarts); a template on the same tip replaces the job at
// most every template_refresh (the mempool's new transactions), without a restart.
//
// Verdicts, one per share:
//  - a share below the network target (only with share_difficulty) is a local statistics
//    share: never sent, accepted by the miner itself;
//  - a block: its hex written to blocks_dir (if given) before it is sent; submitblock's null is
//    accepted, "duplicate" is accepted too (the node already has this very block: a retry
//    after a lost reply), every other string ("inconclusive", "high-hash", "bad-txnmrklroot",
//    ...) and a JSON-RPC error are rejected with that reason and a warning;
//  - while the node cannot be reached the block is sent again with a backoff until the tip
//    moves (then it is stale) or the miner stops (lost);
//  - a second block found on a tip this run already found a block on is stale without being
//    sent (it would only make a fork), as is a share of a job of an older tip.
//
// On regtest the network difficulty is about 5e-10: every second hash would be a block. Jobs
// then carry MIN_MINING_DIFFICULTY's target instead (still a real block when met), and the
// source holds work back while the chain's median time past runs more than MAX_CHAIN_AHEAD
// ahead of this clock, so the node never sees a block from over two hours in the future.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "miner/job_source.hpp"
#include "miner/solo/address.hpp"
#include "miner/solo/block_template.hpp"
#include "miner/solo/rpc_client.hpp"

namespace nonceforge::miner::solo {

// Below this network difficulty (regtest's), jobs carry this difficulty's target: at most one
// block per 2^22 hashes. Every public network (signet's minimum is 0.0011) is above it.
constexpr double MIN_MINING_DIFFICULTY = 1.0 / 1024;
// Work is held back while the template's mintime is this far ahead of the wall clock.
constexpr std::chrono::seconds MAX_CHAIN_AHEAD{3600};

// What submitblock's reply means for a found block.
struct SubmitOutcome {
    enum class Kind {
        Accepted,     // null: the block is in the node's chain (or a valid branch of it)
        Duplicate,    // "duplicate": the node already has this very block (a resend)
        Rejected,     // any other result string, or a JSON-RPC error: `reason`
        Inconclusive, // "inconclusive": valid, but not on the node's best chain: stale
        Unreachable,  // no answer (network, timeout, HTTP errors): send it again later
    };
    Kind kind = Kind::Unreachable;
    std::string reason;
};
SubmitOutcome ClassifySubmitReply(const RpcResult<nlohmann::json>& reply);

struct GbtSourceConfig {
    NodeUrl url;
    CredentialSource credentials;
    std::string coinbase_address;
    std::string coinbase_sig = "/nonceforge/";
    // Easier than the network's: shares for local statistics (never sent).
    std::optional<double> share_difficulty;
    std::chrono::milliseconds template_refresh{30'000};
    std::chrono::milliseconds tip_poll{1'000};
    std::chrono::milliseconds call_timeout{30'000};
    std::chrono::milliseconds longpoll_timeout{600'000};
    std::chrono::milliseconds max_backoff{30'000};
    std::filesystem::path blocks_dir; // empty: found blocks are not written
};

class GbtJobSource final : public miner::JobSource {
public:
    GbtJobSource(boost::asio::any_io_executor executor, GbtSourceConfig config);
    ~GbtJobSource() override;

    void Start(Handlers handlers) override;
    void Submit(core::Share share) override;
    void Stop() override;
    miner::SourceStatus Status() const override;

    // After on_end: the failure was the user's input (credentials, URL, payout address).
    bool InputError() const { return m_input_error.load(); }

private:
    struct Entry {
        BlockTemplate tmpl;
        std::shared_ptr<const core::Job> job;
    };
    struct PendingBlock {
        core::Share share;
        std::shared_ptr<const Entry> entry;
        std::string hex;
        std::string hash; // display order
        std::chrono::steady_clock::time_point found;
    };

    boost::asio::awaitable<void> Run();
    boost::asio::awaitable<bool> StartUp(RpcClient& rpc);
    boost::asio::awaitable<void> LongPoll();
    boost::asio::awaitable<void> Submitter();
    boost::asio::awaitable<bool> TipMovedPast(const PendingBlock& b);
    boost::asio::awaitable<bool> FetchTemplate(RpcClient& rpc, bool refresh);
    boost::asio::awaitable<void> Sleep(boost::asio::steady_timer& timer,
                                       std::chrono::milliseconds d);

    void Spawn(boost::asio::awaitable<void> task, const char* name);
    // A template as the current job: always on a new tip (clean), on the same tip only when
    // `refresh` (template_refresh passed).
    void Publish(BlockTemplate tmpl, bool refresh);
    void HandleShare(core::Share share);
    bool OnSubmitReply(const PendingBlock& b, const RpcResult<nlohmann::json>& r,
                       std::chrono::steady_clock::duration latency);
    void Verdict(const core::Share& share, core::VerdictKind kind, std::string reason,
                 std::optional<std::chrono::steady_clock::duration> latency = std::nullopt);
    void Fail(std::string why, bool input_error);
    void Shut();
    void SetConnected(bool connected, const std::string& error = {});
    void Log(core::LogLevel level, const std::string& text);
    std::chrono::milliseconds Backoff(unsigned failures) const;

    boost::asio::any_io_executor m_executor;
    GbtSourceConfig m_config;
    const uint64_t m_source_id;
    Handlers m_handlers;

    // Network thread only.
    std::unique_ptr<RpcClient> m_rpc;     // start-up, templates, tip polls
    std::unique_ptr<RpcClient> m_lp_rpc;  // long polls
    std::unique_ptr<RpcClient> m_sub_rpc; // submitblock
    boost::asio::steady_timer m_wake;     // the tip loop's sleep; cancelled for "now"
    boost::asio::steady_timer m_lp_wake;  // the long poll's wait for a longpollid
    boost::asio::steady_timer m_sub_wake; // the submitter's wait for a block
    std::optional<Chain> m_chain;
    std::vector<uint8_t> m_payout_script;
    std::vector<uint8_t> m_extranonce1;
    std::shared_ptr<const Entry> m_current;
    std::map<uint64_t, std::shared_ptr<const Entry>> m_entries; // job sequence -> template
    std::chrono::steady_clock::time_point m_published_at{};
    bool m_holding = false; // the chain's time is too far ahead: no job handed out
    std::optional<core::Hash256> m_block_found_on; // prev hash of our last block
    std::deque<PendingBlock> m_blocks;             // found, not yet answered
    uint64_t m_sequence = 0;
    double m_share_difficulty = 0;
    bool m_fetch_now = false; // a new template at once (a block was answered)
    // The next template is handed out even on the same tip: the miner stopped at our block
    // (Job::stop_at_block) and waits for a job, also when the node refused the block.
    bool m_republish = false;
    bool m_stopping = false;
    int m_running = 0;
    std::string m_failure;

    std::atomic<bool> m_input_error{false};
    mutable std::mutex m_mutex; // guards m_status
    miner::SourceStatus m_status;
};

} // namespace nonceforge::miner::solo
