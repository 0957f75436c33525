// `nonceforge probe URL`: connect, show what the pool negotiates and the first jobs decoded,
// then exit. A pool operator's and a miner's first debugging tool.
#include <cstdio>
#include <iostream>
#include <memory>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "miner/app/command.hpp"
#include "nonceforge/core/coinbase.hpp"
#include "nonceforge/core/target.hpp"
#include "nonceforge/stratum/client.hpp"

namespace nonceforge::app {

namespace {

struct ProbeArgs {
    std::string url;
    std::string user = "nonceforge";
    std::string password = "x";
    int jobs = 2;
    double timeout = 30;
    stratum::TlsOptions tls;
    bool no_version_rolling = false;
    std::optional<double> suggest;
};

void PrintJob(const core::Job& job, int n) {
    std::vector<uint8_t> en2(job.extranonce2_size, 0);
    const auto cb = core::DecodeCoinbase(job.Coinbase(en2));
    std::printf("job %d: id %s%s\n", n, job.job_id.c_str(), job.clean_jobs ? " (clean)" : "");
    std::printf("  previous block    %s\n", job.prev_hash.ToDisplayHex().c_str());
    std::printf("  height            %s\n",
                cb.height ? std::to_string(*cb.height).c_str() : "(no BIP 34 height)");
    std::printf("  version           %08x (rolling mask %08x)\n", job.version, job.version_mask);
    std::printf("  nbits             %08x = network difficulty %.6g\n", job.nbits,
                core::DifficultyFromBits(job.nbits));
    std::printf("  ntime             %u\n", job.ntime);
    std::printf("  coinbase value    %s\n",
                cb.value ? (std::to_string(*cb.value) + " sat (" +
                            std::to_string(double(*cb.value) / 1e8) + " BTC, subsidy + fees)")
                               .c_str()
                         : "(unreadable)");
    std::printf("  merkle branch     %zu entries; coinbase %zu bytes\n", job.merkle_branch.size(),
                job.Coinbase(en2).size());
    std::printf("  extranonce1       %s, extranonce2 size %zu\n",
                core::HexEncode(job.extranonce1).c_str(), job.extranonce2_size);
    std::printf("  share difficulty  %.6g, target %s\n", job.share_difficulty,
                job.share_target.ToHex().c_str());
}

int Run(const ProbeArgs& a) {
    auto url = stratum::ParsePoolUrl(a.url);
    if (!url) {
        std::fprintf(stderr, "nonceforge: %s\n", url.error().c_str());
        return 2;
    }
    stratum::ClientConfig cc;
    stratum::PoolConfig pool;
    pool.url = *url;
    pool.session.user = url->user.value_or(a.user);
    pool.session.password = url->password.value_or(a.password);
    pool.session.suggest_difficulty = a.suggest;
    if (a.no_version_rolling) {
        pool.session.version_rolling.reset();
    }
    cc.pools.push_back(pool);
    cc.tls = a.tls;
    cc.reconnect.failover_after = 1000;
    boost::asio::io_context ioc;
    int seen = 0;
    bool ok = false;
    std::unique_ptr<stratum::StratumClient> client;
    stratum::StratumClient::Handlers h;
    h.on_job = [&](std::shared_ptr<const core::Job> job) {
        if (seen == 0) {
            const auto st = client->Status();
            std::printf("connected to %s\n  version rolling   %s\n", st.url.c_str(),
                        st.version_mask
                            ? ("granted, mask " + core::FormatHexU32BE(st.version_mask)).c_str()
                            : "not granted");
        }
        PrintJob(*job, ++seen);
        if (seen >= a.jobs) {
            ok = true;
            client->Stop();
        }
    };
    h.on_log = [](stratum::LogLevel level, const std::string& text) {
        if (level != stratum::LogLevel::Debug) {
            std::fprintf(stderr, "[%s] %s\n", std::string(stratum::ToString(level)).c_str(),
                         text.c_str());
        }
    };
    client = std::make_unique<stratum::StratumClient>(ioc.get_executor(), cc, h);
    boost::asio::steady_timer deadline(ioc, std::chrono::milliseconds(int64_t(a.timeout * 1000)));
    deadline.async_wait([&](const boost::system::error_code& ec) {
        if (!ec) {
            std::fprintf(stderr, "nonceforge: probe timed out after %.0f s (%d job(s) seen)\n",
                         a.timeout, seen);
            client->Stop();
        }
    });
    boost::asio::co_spawn(ioc, client->Run(), [&](std::exception_ptr) { deadline.cancel(); });
    ioc.run();
    return ok ? 0 : 1;
}

} // namespace

Command AddProbeCommand(CLI::App& root) {
    auto a = std::make_shared<ProbeArgs>();
    CLI::App* cmd = root.add_subcommand("probe", "Connect to a pool, show what it sends, exit");
    cmd->add_option("url", a->url, "Pool URL (stratum+tcp://host:port, stratum+ssl://...)")
        ->required();
    cmd->add_option("-u,--user", a->user, "Pool user")->capture_default_str();
    cmd->add_option("-p,--pass", a->password, "Pool password")->capture_default_str();
    cmd->add_option("--jobs", a->jobs, "Jobs to show before exiting")
        ->check(CLI::Range(1, 100))
        ->capture_default_str();
    cmd->add_option("--timeout", a->timeout, "Give up after this many seconds")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_option("--suggest-difficulty", a->suggest, "Ask for this share difficulty")
        ->check(CLI::PositiveNumber);
    cmd->add_flag("--no-version-rolling", a->no_version_rolling, "Do not ask for version rolling");
    cmd->add_option("--tls-ca", a->tls.ca_file, "CA file for the pool's certificate")
        ->check(CLI::ExistingFile);
    cmd->add_option("--tls-fingerprint", a->tls.fingerprint_sha256, "Pinned SHA-256 fingerprint");
    cmd->add_flag("--tls-insecure", a->tls.insecure, "Do not verify the certificate (unsafe)");
    return {cmd, [a] { return Run(*a); }};
}

} // namespace nonceforge::app
