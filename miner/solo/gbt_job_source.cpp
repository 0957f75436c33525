#include "miner/solo/gbt_job_source.hpp"

#include <cstdio>
#include <fstream>
#include <random>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include "nonceforge/core/target.hpp"

namespace nonceforge::miner::solo {

namespace asio = boost::asio;
using asio::awaitable;
using core::LogLevel;
using core::VerdictKind;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto AS_TUPLE = asio::as_tuple(asio::use_awaitable);
// Entries (job id -> template) kept for the current tip; older ones of it are dropped.
constexpr std::size_t MAX_ENTRIES_PER_TIP = 16;
// A node in initial block download is asked again after this long.
constexpr std::chrono::seconds IBD_RECHECK{10};

// Job sources of the Stratum sessions count from 1; nodes count from 2^63, so the two never
// share a source number within one process.
std::atomic<uint64_t> g_next_node_source{uint64_t(1) << 63};

std::string Num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

std::string Secs(std::chrono::milliseconds d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f s", double(d.count()) / 1000.0);
    return buf;
}

nlohmann::json TemplateParams(const std::string& longpollid = {}) {
    nlohmann::json request = nlohmann::json::object();
    request["rules"] = nlohmann::json::array({"segwit"});
    if (!longpollid.empty()) {
        request["longpollid"] = longpollid;
    }
    nlohmann::json params = nlohmann::json::array();
    params.push_back(std::move(request));
    return params;
}

std::vector<uint8_t> RandomBytes(std::size_t n) {
    std::random_device rd;
    std::vector<uint8_t> out(n);
    for (auto& b : out) {
        b = uint8_t(rd());
    }
    return out;
}

int64_t UnixNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

GbtJobSource::GbtJobSource(asio::any_io_executor executor, GbtSourceConfig config)
    : m_executor(std::move(executor))
    , m_config(std::move(config))
    , m_source_id(g_next_node_source.fetch_add(1, std::memory_order_relaxed))
    , m_wake(m_executor)
    , m_lp_wake(m_executor)
    , m_sub_wake(m_executor)
    , m_extranonce1(RandomBytes(4)) {
    RpcClient::Config rc;
    rc.url = m_config.url;
    rc.credentials = m_config.credentials;
    m_rpc = std::make_unique<RpcClient>(m_executor, rc);
    m_lp_rpc = std::make_unique<RpcClient>(m_executor, rc);
    m_sub_rpc = std::make_unique<RpcClient>(m_executor, rc);
    miner::UpstreamStatus u;
    u.url = m_config.url.ToString();
    u.user = m_config.coinbase_address;
    u.active = true;
    u.state = "starting";
    m_status.upstreams.push_back(u);
    m_status.url = u.url;
    m_status.solo = miner::SoloStatus{};
}

GbtJobSource::~GbtJobSource() = default;

void GbtJobSource::Log(LogLevel level, const std::string& text) {
    if (m_handlers.on_log) {
        m_handlers.on_log(level, text);
    }
}

std::chrono::milliseconds GbtJobSource::Backoff(unsigned failures) const {
    std::chrono::milliseconds d{1000};
    for (unsigned i = 1; i < failures && d < m_config.max_backoff; ++i) {
        d *= 2;
    }
    return std::min(d, m_config.max_backoff);
}

awaitable<void> GbtJobSource::Sleep(asio::steady_timer& timer, std::chrono::milliseconds d) {
    timer.expires_after(d);
    co_await timer.async_wait(AS_TUPLE); // cancelled: woken early
}

void GbtJobSource::Spawn(awaitable<void> task, const char* name) {
    ++m_running;
    asio::co_spawn(m_executor, std::move(task), [this, name](std::exception_ptr e) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                Fail(std::string("internal error in the node client (") + name + "): " + ex.what(),
                     false);
            }
        }
        if (--m_running > 0) {
            return;
        }
        // Everything has ended: blocks still unanswered get their one verdict.
        while (!m_blocks.empty()) {
            Verdict(m_blocks.front().share, VerdictKind::Lost,
                    "stopped before the node answered submitblock");
            m_blocks.pop_front();
        }
        {
            std::lock_guard lock(m_mutex);
            m_status.outstanding_shares = 0;
        }
        if (m_handlers.on_end) {
            m_handlers.on_end(m_failure);
        }
    });
}

void GbtJobSource::Start(Handlers handlers) {
    m_handlers = std::move(handlers);
    Log(LogLevel::Info, "solo mining on the node at " + m_config.url.ToString() + " with " +
                            m_config.credentials.Describe());
    Spawn(Run(), "start-up and tip polls");
}

void GbtJobSource::Stop() {
    asio::post(m_executor, [this] { Shut(); });
}

void GbtJobSource::Shut() {
    m_stopping = true;
    m_wake.cancel();
    m_lp_wake.cancel();
    m_sub_wake.cancel();
    m_rpc->Close();
    m_lp_rpc->Close();
    m_sub_rpc->Close();
}

void GbtJobSource::Fail(std::string why, bool input_error) {
    if (m_failure.empty()) {
        m_failure = std::move(why);
        m_input_error = input_error;
    }
    Shut();
}

void GbtJobSource::SetConnected(bool connected, const std::string& error) {
    bool changed = false;
    {
        std::lock_guard lock(m_mutex);
        auto& u = m_status.upstreams.front();
        changed = u.connected != connected;
        u.connected = connected;
        m_status.connected = connected;
        u.state = connected ? "ready" : "unreachable";
        if (!error.empty()) {
            u.last_error = error;
        }
        if (changed && connected) {
            ++u.connects;
        }
    }
    if (changed && connected) {
        m_sub_wake.cancel(); // a block waiting to be sent again goes now
    }
    if (changed && m_handlers.on_connection) {
        m_handlers.on_connection(Status());
    }
}

miner::SourceStatus GbtJobSource::Status() const {
    std::lock_guard lock(m_mutex);
    return m_status;
}

void GbtJobSource::Verdict(const core::Share& share, VerdictKind kind, std::string reason,
                           std::optional<Clock::duration> latency) {
    miner::ShareVerdict v;
    v.share = share;
    v.kind = kind;
    v.reason = std::move(reason);
    v.latency = latency;
    v.upstream = 0;
    m_handlers.on_verdict(std::move(v));
}

// ---- start-up ----

awaitable<bool> GbtJobSource::StartUp(RpcClient& rpc) {
    const std::string where = m_config.url.ToString();
    unsigned failures = 0;
    while (!m_stopping) {
        auto r =
            co_await rpc.Call("getblockchaininfo", nlohmann::json::array(), m_config.call_timeout);
        if (m_stopping) {
            co_return false;
        }
        if (!r) {
            const RpcError& e = r.error();
            if (!e.Transient()) {
                std::string why = "the node at " + where + ": " + e.Describe();
                if (e.kind == RpcErrorKind::Unauthorized) {
                    why += " (the credentials came from " + m_config.credentials.Describe() +
                           "; see --rpc-cookie, --rpc-user and --rpc-pass)";
                }
                Fail(why, true);
                co_return false;
            }
            const auto wait = Backoff(++failures);
            if (e.kind == RpcErrorKind::Rpc) {
                SetConnected(true);
                Log(LogLevel::Info, "the node at " + where + " is not ready (" + e.Describe() +
                                        "); asking again in " + Secs(wait));
            } else {
                SetConnected(false, e.Describe());
                Log(LogLevel::Warn, "cannot reach the node at " + where + ": " + e.Describe() +
                                        "; retrying in " + Secs(wait));
            }
            co_await Sleep(m_wake, wait);
            continue;
        }
        SetConnected(true);
        const nlohmann::json& info = *r;
        const std::string name =
            info.is_object() && info.contains("chain") && info["chain"].is_string()
                ? info["chain"].get<std::string>()
                : std::string();
        const auto chain = ChainFromName(name);
        if (!chain) {
            Fail("the node at " + where + " runs an unknown chain '" + name + "'", true);
            co_return false;
        }
        auto address = DecodeAddress(m_config.coinbase_address, *chain);
        if (!address) {
            Fail("--coinbase-addr: " + address.error(), true);
            co_return false;
        }
        auto number = [&](const char* key) {
            return info.contains(key) && info[key].is_number() ? info[key].get<double>() : 0.0;
        };
        // A regtest node counts as in initial block download until its tip is recent, which a
        // fresh one never is without mining: there it is no reason to wait.
        if (*chain != Chain::Regtest && info.contains("initialblockdownload") &&
            info["initialblockdownload"].is_boolean() && info["initialblockdownload"].get<bool>()) {
            Log(LogLevel::Info, "the node at " + where + " is in initial block download (block " +
                                    Num(number("blocks")) + " of " + Num(number("headers")) +
                                    " headers); waiting");
            co_await Sleep(m_wake, IBD_RECHECK);
            continue;
        }
        m_chain = *chain;
        m_payout_script = address->script_pubkey;
        {
            std::lock_guard lock(m_mutex);
            m_status.solo->chain = std::string(ToString(*chain));
        }
        Log(LogLevel::Info, "node " + where + ": chain " + name + ", " + Num(number("blocks")) +
                                " blocks; coinbase pays " + std::string(ToString(address->type)) +
                                " " + m_config.coinbase_address);
        co_return true;
    }
    co_return false;
}

// ---- templates ----

awaitable<void> GbtJobSource::Run() {
    if (!co_await StartUp(*m_rpc)) {
        co_return;
    }
    Spawn(LongPoll(), "long poll");
    Spawn(Submitter(), "submitblock");
    unsigned failures = 0;
    bool fetch = true;
    while (!m_stopping) {
        const bool refresh_due =
            m_current && Clock::now() - m_published_at >= m_config.template_refresh;
        if (fetch || m_fetch_now || !m_current || refresh_due || m_holding) {
            fetch = m_fetch_now = false;
            if (!co_await FetchTemplate(*m_rpc, refresh_due)) {
                fetch = true;
                co_await Sleep(m_wake, Backoff(++failures));
                continue;
            }
            failures = 0;
        }
        if (!m_fetch_now) {
            co_await Sleep(m_wake, m_config.tip_poll);
        }
        if (m_stopping || m_fetch_now) {
            continue;
        }
        auto best = co_await m_rpc->Call("getbestblockhash", nlohmann::json::array(),
                                         m_config.call_timeout);
        if (m_stopping) {
            break;
        }
        if (!best) {
            const auto wait = Backoff(++failures);
            if (!best.error().Transient() || best.error().kind == RpcErrorKind::Rpc) {
                Log(LogLevel::Warn,
                    "getbestblockhash: " + best.error().Describe() + "; again in " + Secs(wait));
            } else {
                SetConnected(false, best.error().Describe());
                Log(LogLevel::Warn, "lost the node at " + m_config.url.ToString() + ": " +
                                        best.error().Describe() + "; retrying in " + Secs(wait));
            }
            co_await Sleep(m_wake, wait);
            continue;
        }
        if (failures > 0) {
            Log(LogLevel::Info, "the node at " + m_config.url.ToString() + " answers again");
        }
        failures = 0;
        SetConnected(true);
        std::optional<core::Hash256> hash;
        if (best->is_string()) {
            if (auto h = core::Hash256::FromDisplayHex(best->get<std::string>())) {
                hash = *h;
            }
        }
        if (!hash) {
            Log(LogLevel::Warn,
                "getbestblockhash: not a block hash: " + best->dump().substr(0, 80));
            continue;
        }
        if (!m_current || *hash != m_current->tmpl.previous_block_hash) {
            fetch = true; // a new tip: a new template at once
        }
    }
}

awaitable<bool> GbtJobSource::FetchTemplate(RpcClient& rpc, bool refresh) {
    auto r = co_await rpc.Call("getblocktemplate", TemplateParams(), m_config.call_timeout);
    if (m_stopping) {
        co_return false;
    }
    if (!r) {
        const RpcError& e = r.error();
        if (e.Transient() && e.kind != RpcErrorKind::Rpc) {
            SetConnected(false, e.Describe());
        }
        Log(LogLevel::Warn, "getblocktemplate: " + e.Describe());
        co_return false;
    }
    SetConnected(true);
    auto tmpl = ParseBlockTemplate(*r);
    if (!tmpl) {
        Log(LogLevel::Error, "the node's block template is not usable: " + tmpl.error());
        co_return false;
    }
    Publish(std::move(*tmpl), refresh);
    co_return true;
}

void GbtJobSource::Publish(BlockTemplate tmpl, bool refresh) {
    if (m_current && tmpl.height < m_current->tmpl.height) {
        return; // a template of an older tip that arrived late
    }
    const bool new_tip =
        !m_current || tmpl.previous_block_hash != m_current->tmpl.previous_block_hash;
    if (!new_tip && !refresh && !m_holding && !m_republish) {
        return; // the same tip, and a fresh template is not due yet
    }
    const int64_t ahead = int64_t(tmpl.mintime) - UnixNow();
    if (ahead > MAX_CHAIN_AHEAD.count()) {
        if (!m_holding) {
            m_holding = true;
            Log(LogLevel::Warn,
                "the chain's median time past is " + std::to_string(ahead) +
                    " s ahead of this clock (blocks faster than one a second): mining paused "
                    "until it is less than " +
                    std::to_string(MAX_CHAIN_AHEAD.count()) +
                    " s ahead, so that no block is too far in the future for the node");
            if (m_current && m_handlers.on_hold) {
                m_handlers.on_hold(); // no hashing until the clock catches up
            }
        }
        return;
    }

    // The target of the jobs: the network's (or MIN_MINING_DIFFICULTY's on regtest), or the
    // easier local statistics target.
    core::U256 mining = tmpl.target;
    if (auto floor = core::DifficultyToTarget(MIN_MINING_DIFFICULTY); floor && mining > *floor) {
        mining = *floor;
    }
    core::U256 share_target = mining;
    if (m_config.share_difficulty) {
        if (auto t = core::DifficultyToTarget(*m_config.share_difficulty); t && *t > mining) {
            share_target = *t;
        }
    }
    CoinbaseOptions options;
    options.payout_script = m_payout_script;
    options.coinbase_sig = m_config.coinbase_sig;
    options.extranonce1 = m_extranonce1;
    options.extranonce2_size = 8;
    // MakeSoloJob takes the network target or an easier one; MIN_MINING_DIFFICULTY's harder
    // target is set on the job below.
    auto made = MakeSoloJob(
        tmpl, options, share_target > tmpl.target ? std::optional(share_target) : std::nullopt);
    if (!made) {
        Log(LogLevel::Error, "cannot build a job from the node's template (height " +
                                 std::to_string(tmpl.height) + "): " + made.error());
        return;
    }
    std::shared_ptr<core::Job> job = std::move(*made);
    job->sequence = ++m_sequence;
    job->job_id = std::to_string(m_sequence);
    job->source = m_source_id;
    job->clean_jobs = new_tip || m_holding;
    // A second block on the same tip would only fork our own: the dispatcher stops every
    // backend at the first one until the next job.
    job->stop_at_block = true;
    m_republish = false;
    job->share_target = share_target;
    job->share_difficulty = core::TargetToDifficulty(share_target);
    if (m_holding) {
        Log(LogLevel::Info, "the chain's time is close enough to this clock again: mining on");
    }
    m_holding = false;

    auto entry = std::make_shared<Entry>();
    entry->tmpl = std::move(tmpl);
    entry->job = job;
    if (new_tip) {
        m_entries.clear();
    }
    m_entries[job->sequence] = entry;
    while (m_entries.size() > MAX_ENTRIES_PER_TIP) {
        m_entries.erase(m_entries.begin()); // the oldest
    }
    m_current = entry;
    m_published_at = Clock::now();
    const BlockTemplate& t = entry->tmpl;
    int64_t fees = 0;
    for (const auto& tx : t.transactions) {
        fees += tx.fee;
    }
    const double network_difficulty = core::TargetToDifficulty(t.target);
    {
        std::lock_guard lock(m_mutex);
        m_status.difficulty = network_difficulty;
        m_status.upstreams.front().difficulty = network_difficulty;
        m_status.upstreams.front().version_mask = job->version_mask;
        m_status.solo->network_difficulty = network_difficulty;
        m_status.solo->height = t.height;
        ++m_status.solo->templates;
    }
    Log(LogLevel::Debug, std::string(new_tip ? "new tip: " : "fresh template: ") + "height " +
                             std::to_string(t.height) + ", " +
                             std::to_string(t.transactions.size()) + " transactions, " +
                             std::to_string(fees) + " sat fees, coinbase " +
                             std::to_string(t.coinbase_value) + " sat");
    if (job->share_difficulty != m_share_difficulty) {
        m_share_difficulty = job->share_difficulty;
        if (m_handlers.on_difficulty) {
            m_handlers.on_difficulty(m_share_difficulty);
        }
    }
    m_handlers.on_job(std::move(job));
}

awaitable<void> GbtJobSource::LongPoll() {
    std::string lpid;
    unsigned failures = 0;
    while (!m_stopping) {
        if (m_current && lpid.empty()) {
            lpid = m_current->tmpl.longpollid;
        }
        if (lpid.empty()) {
            // No template yet, or a node without long polling: the tip poll does it all.
            co_await Sleep(m_lp_wake, std::chrono::seconds(1));
            continue;
        }
        auto r = co_await m_lp_rpc->Call("getblocktemplate", TemplateParams(lpid),
                                         m_config.longpoll_timeout);
        if (m_stopping) {
            break;
        }
        if (!r) {
            if (r.error().kind != RpcErrorKind::Timeout) {
                const auto wait = Backoff(++failures);
                Log(LogLevel::Debug, "long poll: " + r.error().Describe() + "; again in " +
                                         Secs(wait) + " (the tip poll goes on)");
                co_await Sleep(m_lp_wake, wait);
            }
            lpid.clear();
            continue;
        }
        failures = 0;
        auto tmpl = ParseBlockTemplate(*r);
        if (!tmpl) {
            Log(LogLevel::Warn,
                "long poll: the node's block template is not usable: " + tmpl.error());
            lpid.clear();
            co_await Sleep(m_lp_wake, Backoff(++failures));
            continue;
        }
        lpid = tmpl->longpollid;
        Publish(std::move(*tmpl), Clock::now() - m_published_at >= m_config.template_refresh);
    }
}

// ---- shares and blocks ----

void GbtJobSource::Submit(core::Share share) {
    asio::post(m_executor,
               [this, share = std::move(share)]() mutable { HandleShare(std::move(share)); });
}

void GbtJobSource::HandleShare(core::Share share) {
    if (m_stopping) {
        // Found while the source ends (after a failure, hashing stops a moment later).
        Verdict(share, VerdictKind::Lost, "the node client stopped");
        return;
    }
    std::shared_ptr<const Entry> entry;
    if (share.job && share.job->source == m_source_id) {
        if (auto it = m_entries.find(share.job->sequence);
            it != m_entries.end() && it->second->job == share.job) {
            entry = it->second;
        }
    }
    if (!entry) {
        Verdict(share, VerdictKind::Stale, "job of an older tip");
        return;
    }
    const BlockTemplate& t = entry->tmpl;
    if (!core::HashMeetsTarget(share.hash, t.target)) {
        // Only with --solo-share-difficulty: a share for the local statistics, never sent.
        Verdict(share, VerdictKind::Accepted, "");
        return;
    }
    auto stale = [&](const std::string& why) {
        {
            std::lock_guard lock(m_mutex);
            ++m_status.solo->blocks_stale;
        }
        // The verdict line says it too; this one adds the block's hash and height.
        Log(LogLevel::Debug, "block " + share.hash.ToDisplayHex() + " at height " +
                                 std::to_string(t.height) + " not sent: " + why);
        Verdict(share, VerdictKind::Stale, why);
    };
    if (m_block_found_on && *m_block_found_on == t.previous_block_hash) {
        stale("a block of ours at this height was already sent");
        return;
    }
    if (m_current && t.previous_block_hash != m_current->tmpl.previous_block_hash) {
        stale("the tip moved");
        return;
    }
    m_block_found_on = t.previous_block_hash;
    PendingBlock b;
    b.share = share;
    b.entry = entry;
    b.hex = SerializeBlockHex(t, share);
    b.hash = share.hash.ToDisplayHex();
    b.found = Clock::now();
    std::string saved;
    if (!m_config.blocks_dir.empty()) {
        const auto path = m_config.blocks_dir / (b.hash + ".hex");
        std::ofstream out(path, std::ios::trunc);
        out << b.hex << "\n";
        out.close();
        if (out) {
            saved = " (saved as " + path.string() + ")";
        } else {
            Log(LogLevel::Error,
                "cannot write the found block to " + path.string() + "; sending it anyway");
        }
    }
    Log(LogLevel::Info, "block found at height " + std::to_string(t.height) + ": " + b.hash +
                            saved + "; submitting it");
    m_blocks.push_back(std::move(b));
    {
        std::lock_guard lock(m_mutex);
        m_status.outstanding_shares = m_blocks.size();
        m_status.upstreams.front().outstanding_shares = m_blocks.size();
    }
    m_sub_wake.cancel();
}

// submitblock's reply as the block's verdict; false: not decided (the node cannot be reached
// and the tip has not moved), send it again later.
SubmitOutcome ClassifySubmitReply(const RpcResult<nlohmann::json>& reply) {
    using K = SubmitOutcome::Kind;
    if (reply) {
        const nlohmann::json& v = *reply;
        if (v.is_null()) {
            return {K::Accepted, ""};
        }
        if (v == "duplicate") {
            return {K::Duplicate, ""};
        }
        if (v == "inconclusive") {
            // Core's answer for a block it stored but did not connect: one on a branch that
            // is not its best chain, i.e. a block of a tip that has moved on.
            return {K::Inconclusive, "inconclusive"};
        }
        return {K::Rejected, v.is_string() ? v.get<std::string>()
                                           : "unexpected reply " + v.dump().substr(0, 80)};
    }
    if (reply.error().kind == RpcErrorKind::Rpc) {
        return {K::Rejected, reply.error().Describe()}; // -22 block decode failed, ...
    }
    return {K::Unreachable, reply.error().Describe()};
}

// submitblock's reply as the block's verdict; false: not decided (no answer from the node and
// the tip has not moved), send it again later.
bool GbtJobSource::OnSubmitReply(const PendingBlock& b, const RpcResult<nlohmann::json>& r,
                                 Clock::duration latency) {
    using K = SubmitOutcome::Kind;
    const uint32_t height = b.entry->tmpl.height;
    const std::string block = "block " + b.hash + " at height " + std::to_string(height);
    auto count = [this](uint64_t miner::SoloStatus::*field) {
        std::lock_guard lock(m_mutex);
        ++((*m_status.solo).*field);
    };
    const SubmitOutcome outcome = ClassifySubmitReply(r);
    switch (outcome.kind) {
    case K::Accepted:
    case K::Duplicate:
        SetConnected(true);
        count(&miner::SoloStatus::blocks_submitted);
        count(&miner::SoloStatus::blocks_accepted);
        {
            std::lock_guard lock(m_mutex);
            m_status.solo->last_block_hash = b.hash;
        }
        Log(LogLevel::Info, block + (outcome.kind == K::Accepted
                                         ? std::string(" accepted by the node")
                                         : std::string(": the node already has it (duplicate), "
                                                       "counted as accepted")));
        Verdict(b.share, VerdictKind::Accepted, "", latency);
        return true;
    case K::Inconclusive:
        SetConnected(true);
        count(&miner::SoloStatus::blocks_submitted);
        count(&miner::SoloStatus::blocks_stale);
        Log(LogLevel::Warn, block +
                                " is stale: the node answered \"inconclusive\" (it keeps the block "
                                "off its best chain; the tip had moved)");
        Verdict(b.share, VerdictKind::Stale, "inconclusive: not on the node's best chain", latency);
        return true;
    case K::Rejected:
        SetConnected(true);
        count(&miner::SoloStatus::blocks_submitted);
        count(&miner::SoloStatus::blocks_rejected);
        Log(LogLevel::Warn, block + " rejected by the node: " + outcome.reason);
        Verdict(b.share, VerdictKind::Rejected, outcome.reason, latency);
        m_block_found_on.reset(); // the height is still open
        return true;
    case K::Unreachable:
        break;
    }
    if (m_current && m_current->tmpl.height > height) {
        count(&miner::SoloStatus::blocks_stale);
        Log(LogLevel::Warn,
            block + " given up: the tip moved before the node answered (" + outcome.reason + ")");
        Verdict(b.share, VerdictKind::Stale, "the tip moved before the node answered");
        return true;
    }
    if (r.error().Transient()) {
        SetConnected(false, outcome.reason);
    }
    return false;
}

// Before a block that got no answer is sent again: the node's best block. When it is no longer
// the block's parent, the block is stale (sending it would only add a side branch, which the
// node answers "inconclusive"), and true. False when the tip is unchanged or cannot be read.
awaitable<bool> GbtJobSource::TipMovedPast(const PendingBlock& b) {
    auto best = co_await m_sub_rpc->Call("getbestblockhash", nlohmann::json::array(),
                                         m_config.call_timeout);
    if (!best || !best->is_string()) {
        co_return false;
    }
    const auto hash = core::Hash256::FromDisplayHex(best->get<std::string>());
    if (!hash || *hash == b.entry->tmpl.previous_block_hash) {
        co_return false;
    }
    {
        std::lock_guard lock(m_mutex);
        ++m_status.solo->blocks_stale;
    }
    Log(LogLevel::Warn, "block " + b.hash + " at height " + std::to_string(b.entry->tmpl.height) +
                            " given up: the tip moved while the node was unreachable (best block "
                            "now " +
                            best->get<std::string>() + ")");
    Verdict(b.share, VerdictKind::Stale, "the tip moved before the node answered");
    co_return true;
}

awaitable<void> GbtJobSource::Submitter() {
    while (!m_stopping) {
        if (m_blocks.empty()) {
            co_await Sleep(m_sub_wake, std::chrono::hours(1));
            continue;
        }
        const PendingBlock b = m_blocks.front();
        unsigned failures = 0;
        bool done = false;
        while (!done && !m_stopping) {
            if (failures > 0 && co_await TipMovedPast(b)) {
                done = true; // stale, counted there
                break;
            }
            const auto sent = Clock::now();
            nlohmann::json params = nlohmann::json::array();
            params.push_back(b.hex);
            auto r = co_await m_sub_rpc->Call("submitblock", std::move(params),
                                              m_config.call_timeout * 2);
            if (m_stopping) {
                break; // lost, when everything has ended
            }
            done = OnSubmitReply(b, r, Clock::now() - sent);
            if (!done) {
                const auto wait = Backoff(++failures);
                Log(LogLevel::Warn, "block " + b.hash + ": submitblock: " + r.error().Describe() +
                                        "; sending it again in " + Secs(wait));
                co_await Sleep(m_sub_wake, wait);
            }
        }
        if (!done) {
            break;
        }
        m_blocks.pop_front();
        {
            std::lock_guard lock(m_mutex);
            m_status.outstanding_shares = m_blocks.size();
            m_status.upstreams.front().outstanding_shares = m_blocks.size();
        }
        m_fetch_now = true; // the tip moved (or the height is open again): a new template now
        m_republish = true;
        m_wake.cancel();
    }
}

} // namespace nonceforge::miner::solo
