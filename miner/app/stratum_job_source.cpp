#include "miner/app/stratum_job_source.hpp"

#include <boost/asio/co_spawn.hpp>

#include "miner/app/pool_setup.hpp"

namespace nonceforge::miner::app {

namespace {

miner::UpstreamStatus ActiveUpstream(const stratum::PoolStatus& st) {
    miner::UpstreamStatus u;
    u.active = true;
    u.connected = st.connected;
    u.state = std::string(stratum::ToString(st.state));
    u.difficulty = st.difficulty;
    u.version_mask = st.version_mask;
    u.extranonce_subscribed = st.extranonce_subscribed;
    u.outstanding_shares = st.outstanding_shares;
    u.connects = st.connects;
    u.failovers = st.failovers;
    u.last_error = st.last_error;
    if (st.connected) {
        u.connected_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - st.connected_since)
                .count();
    }
    return u;
}

} // namespace

StratumJobSource::StratumJobSource(boost::asio::any_io_executor executor,
                                   stratum::ClientConfig config)
    : m_executor(std::move(executor))
    , m_config(std::move(config))
    , m_urls_users(UrlsAndUsers(m_config)) {}

StratumJobSource::~StratumJobSource() = default;

void StratumJobSource::Start(Handlers handlers) {
    m_handlers = std::move(handlers);
    stratum::StratumClient::Handlers h;
    h.on_job = [this](std::shared_ptr<const core::Job> job) { OnJob(std::move(job)); };
    h.on_verdict = [this](const stratum::action::ShareVerdict& v) { OnVerdict(v); };
    h.on_log = [this](core::LogLevel level, const std::string& text) {
        if (m_handlers.on_log) {
            m_handlers.on_log(level, text);
        }
        WatchConnection();
    };
    m_client = std::make_unique<stratum::StratumClient>(m_executor, m_config, std::move(h));
    boost::asio::co_spawn(m_executor, m_client->Run(),
                          [this](std::exception_ptr e) { OnEnd(std::move(e)); });
}

void StratumJobSource::OnJob(std::shared_ptr<const core::Job> job) {
    WatchConnection();
    if (job->share_difficulty != m_difficulty) {
        m_difficulty = job->share_difficulty;
        if (m_handlers.on_difficulty) {
            m_handlers.on_difficulty(m_difficulty);
        }
    }
    m_handlers.on_job(std::move(job));
}

void StratumJobSource::OnVerdict(const stratum::action::ShareVerdict& v) {
    miner::ShareVerdict out;
    out.share = v.share;
    out.kind = v.kind;
    out.reason = v.reason;
    out.latency = v.latency;
    out.upstream = m_client->Status().pool_index;
    m_handlers.on_verdict(std::move(out));
}

void StratumJobSource::OnEnd(std::exception_ptr e) {
    std::string failure;
    if (e) {
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            failure = std::string("internal error in the Stratum client: ") + ex.what();
        }
    } else if (const stratum::PoolStatus st = m_client->Status(); st.gave_up) {
        failure = st.last_error; // -r/--retries used up
    }
    if (m_handlers.on_end) {
        m_handlers.on_end(failure);
    }
}

void StratumJobSource::WatchConnection() {
    const bool connected = m_client->Status().connected;
    if (connected != m_connected) {
        m_connected = connected;
        if (m_handlers.on_connection) {
            m_handlers.on_connection(Status());
        }
    }
}

void StratumJobSource::Submit(core::Share share) {
    m_client->Submit(std::move(share));
}

void StratumJobSource::Stop() {
    m_client->Stop();
}

miner::SourceStatus StratumJobSource::Status() const {
    const stratum::PoolStatus st = m_client->Status();
    miner::SourceStatus s;
    s.active = st.pool_index;
    s.connected = st.connected;
    s.outstanding_shares = st.outstanding_shares;
    s.difficulty = st.difficulty;
    s.url = st.url;
    for (std::size_t i = 0; i < m_urls_users.size(); ++i) {
        miner::UpstreamStatus u;
        if (i == st.pool_index) {
            u = ActiveUpstream(st);
        } else {
            u.state = "idle";
        }
        u.url = m_urls_users[i].first;
        u.user = m_urls_users[i].second;
        s.upstreams.push_back(std::move(u));
    }
    return s;
}

} // namespace nonceforge::miner::app
