// `nonceforge probe URL`: connect, show what the pool negotiates and the first jobs decoded,
// then exit. A pool operator's and a miner's first debugging tool. Output streams: the
// negotiated session is printed once the pool has authorized us (or with the first job,
// whichever comes first), each job as it arrives, and stdout is flushed after each, so a pool
// that sends a job every 30 s shows the first at once even when stdout is a pipe.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "miner/app/command.hpp"
#include "miner/app/pool_setup.hpp"
#include "nonceforge/core/coinbase.hpp"
#include "nonceforge/core/target.hpp"
#include "nonceforge/stratum/client.hpp"

namespace nonceforge::miner::app {

namespace {

struct ProbeArgs {
    std::string url;
    std::string user = "nonceforge";
    std::string password = "x";
    int jobs = 2;
    std::string timeout = "30"; // seconds; parsed in Run so a bad value exits 2 with one line
    stratum::TlsOptions tls;
    bool no_version_rolling = false;
    std::optional<double> suggest;
};

// The poll of the client's status that notices authorization; a human cannot tell 50 ms.
constexpr auto NEGOTIATION_POLL = std::chrono::milliseconds(50);
// Beyond this a typo is more likely than a wish to wait (and the deadline stays in range).
constexpr double MAX_TIMEOUT_SECONDS = 1e6;

std::optional<double> ParseTimeout(const std::string& text) {
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
        !std::isfinite(v) || v <= 0 || v > MAX_TIMEOUT_SECONDS) {
        return std::nullopt;
    }
    return v;
}

void PrintNegotiated(const stratum::PoolStatus& st, const std::string& user) {
    std::printf("connected to %s\n", st.url.c_str());
    std::printf("  user              %s (%s)\n", user.c_str(),
                st.state == stratum::SessionState::Ready ? "authorized"
                                                         : "job before the authorize reply");
    std::printf("  version rolling   %s\n",
                st.version_mask ? ("granted, mask " + core::FormatHexU32BE(st.version_mask)).c_str()
                                : "not granted");
    if (st.difficulty > 0) {
        std::printf("  share difficulty  %.6g\n", st.difficulty);
    } else {
        std::printf(
            "  share difficulty  not set yet (the pool's default until mining.set_difficulty)\n");
    }
    std::fflush(stdout);
}

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
    std::fflush(stdout);
}

int Run(const ProbeArgs& a) {
    const std::optional<double> timeout = ParseTimeout(a.timeout);
    if (!timeout) {
        std::fprintf(stderr,
                     "nonceforge probe: --timeout '%s': must be a finite number of seconds "
                     "greater than 0 and at most %.0f\n",
                     a.timeout.c_str(), MAX_TIMEOUT_SECONDS);
        return 2;
    }
    auto pool = PoolConfigFor(a.url, a.user, a.password);
    if (!pool) {
        std::fprintf(stderr, "nonceforge: %s\n", pool.error().c_str());
        return 2;
    }
    pool->session.suggest_difficulty = a.suggest;
    if (a.no_version_rolling) {
        pool->session.version_rolling.reset();
    }
    const std::string user = pool->session.user;
    boost::asio::io_context ioc;
    int seen = 0;
    bool ok = false;
    bool negotiated_shown = false;
    std::unique_ptr<stratum::StratumClient> client;
    auto show_negotiated = [&] {
        if (!negotiated_shown) {
            negotiated_shown = true;
            PrintNegotiated(client->Status(), user);
        }
    };
    stratum::StratumClient::Handlers h;
    h.on_job = [&](std::shared_ptr<const core::Job> job) {
        show_negotiated();
        PrintJob(*job, ++seen);
        if (seen >= a.jobs) {
            ok = true;
            client->Stop();
        }
    };
    h.on_log = [](core::LogLevel level, const std::string& text) {
        if (level != core::LogLevel::Debug) {
            std::fprintf(stderr, "[%s] %s\n", std::string(core::ToString(level)).c_str(),
                         text.c_str());
        }
    };
    client = std::make_unique<stratum::StratumClient>(
        ioc.get_executor(), OneShotClientConfig(std::move(*pool), a.tls), h);
    // The client has no callback for "authorized"; its status says so within one poll.
    boost::asio::steady_timer poll(ioc);
    std::function<void()> watch_negotiation = [&] {
        poll.expires_after(NEGOTIATION_POLL);
        poll.async_wait([&](const boost::system::error_code& ec) {
            if (ec || negotiated_shown) {
                return;
            }
            if (client->Status().state == stratum::SessionState::Ready) {
                show_negotiated();
                return;
            }
            watch_negotiation();
        });
    };
    watch_negotiation();
    RunOneShot(
        ioc, *client, *timeout,
        [&] {
            std::fprintf(stderr, "nonceforge: probe timed out after %g s (%d job(s) seen)\n",
                         *timeout, seen);
        },
        [&] { poll.cancel(); });
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
        ->type_name("S")
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

} // namespace nonceforge::miner::app
