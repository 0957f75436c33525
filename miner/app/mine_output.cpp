#include "miner/app/mine_output.hpp"

#include <cstdio>
#include <ctime>
#include <fstream>

#include "miner/api/api_server.hpp"
#include "miner/benchmark.hpp"
#include "miner/solo/solo_figures.hpp"
#include "nonceforge/core/coinbase.hpp"

namespace nonceforge::miner::app {

using miner::FormatHashrate;
namespace profit = miner::profit;

namespace {

std::string Duration(std::chrono::seconds s) {
    char buf[32];
    const long long t = s.count();
    if (t >= 3600) {
        std::snprintf(buf, sizeof buf, "%lldh%02lldm", t / 3600, (t / 60) % 60);
    } else {
        std::snprintf(buf, sizeof buf, "%lldm%02llds", t / 60, t % 60);
    }
    return buf;
}

std::string Num(double v, const char* fmt = "%.4g") {
    char buf[32];
    std::snprintf(buf, sizeof buf, fmt, v);
    return buf;
}

std::string Tallies(const miner::ShareCounts& c) {
    return std::to_string(c.accepted) + " accepted, " + std::to_string(c.rejected) + " rejected, " +
           std::to_string(c.stale) + " stale, " + std::to_string(c.lost) + " lost";
}

profit::LiveInputs Inputs(const ProfitOptions& o, const miner::StatsSnapshot& s,
                          const core::Job& job, uint64_t coinbase_value) {
    const miner::ShareCounts& c = s.total.shares;
    const uint64_t resolved = c.accepted + c.rejected + c.stale;
    profit::LiveInputs in;
    in.hashrate_hps = s.total.rate.h1m > 0 ? s.total.rate.h1m : s.total.rate.h5s;
    in.nbits = job.nbits;
    in.coinbase_value_sats = int64_t(coinbase_value);
    in.power_watts = *o.power_watts;
    in.electricity_price_per_kwh = *o.electricity_price;
    in.btc_price = *o.btc_price;
    in.pool_fee_percent = o.pool_fee_percent;
    in.stale_rate_percent = resolved ? 100.0 * double(c.rejected + c.stale) / double(resolved) : 0;
    return in;
}

std::string IsoTime(std::chrono::system_clock::time_point t) {
    const std::time_t tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

void SummaryLines(std::string& out, const miner::BackendStats& b) {
    const miner::ShareCounts& c = b.shares;
    out += "  " + b.name + (b.retired ? " (retired: " + b.retired_reason + ")" : "") + ": " +
           FormatHashrate(b.rate.h15m > 0 ? b.rate.h15m : b.rate.h1m) + " average, " +
           std::to_string(b.hashes) + " hashes; shares found " + std::to_string(c.found) +
           " = accepted " + std::to_string(c.accepted) + " + rejected " +
           std::to_string(c.rejected) + " + stale " + std::to_string(c.stale) + " + lost " +
           std::to_string(c.lost) +
           (c.Pending() ? " + pending " + std::to_string(c.Pending()) : "") + "; hardware errors " +
           std::to_string(c.hardware_errors) + "; best share " + Num(c.best_difficulty) + "\n";
    for (const auto& [reason, n] : c.rejected_by_reason) {
        out += "      rejected: " + reason + " x" + std::to_string(n) + "\n";
    }
    for (const auto& [reason, n] : c.stale_by_reason) {
        out += "      stale: " + reason + " x" + std::to_string(n) + "\n";
    }
    for (const auto& [reason, n] : c.lost_by_reason) {
        out += "      lost: " + reason + " x" + std::to_string(n) + "\n";
    }
}

} // namespace

std::string FormatSoloFigures(const miner::StatsSnapshot& s, const miner::SoloStatus& solo) {
    const double rate = s.total.rate.h1m > 0 ? s.total.rate.h1m : s.total.rate.h5s;
    if (solo.chain.empty() || solo.network_difficulty <= 0) {
        // Never reached the node: no chain, no template, nothing to estimate.
        return "network diff unknown (no template from the node yet) | blocks " +
               std::to_string(solo.blocks_accepted) + " accepted, " +
               std::to_string(solo.blocks_rejected) + " rejected";
    }
    const miner::solo::SoloOdds odds = miner::solo::ComputeSoloOdds(solo.network_difficulty, rate);
    std::string out = "network diff " + Num(solo.network_difficulty) + " (" + solo.chain +
                      ", height " + std::to_string(solo.height) + ") | block chance/day " +
                      miner::solo::FormatChance(odds.chance_per_day);
    if (odds.expected_seconds_to_block) {
        out += ", expected in " + miner::solo::FormatExpectedTime(*odds.expected_seconds_to_block);
    }
    out += " | blocks " + std::to_string(solo.blocks_accepted) + " accepted, " +
           std::to_string(solo.blocks_rejected) + " rejected";
    if (solo.blocks_stale > 0) {
        out += ", " + std::to_string(solo.blocks_stale) + " stale";
    }
    return out;
}

std::string FormatStatusLine(const miner::StatsSnapshot& s, const miner::SourceStatus& source) {
    const miner::ShareCounts& c = s.total.shares;
    if (source.solo) {
        return FormatHashrate(s.total.rate.h5s) + " (5s) " + FormatHashrate(s.total.rate.h1m) +
               " (1m) | best " + Num(c.best_difficulty) + " | " +
               FormatSoloFigures(s, *source.solo) + " | " +
               (source.connected ? "node " + source.url : "node unreachable") + " | up " +
               Duration(s.uptime);
    }
    return FormatHashrate(s.total.rate.h5s) + " (5s) " + FormatHashrate(s.total.rate.h1m) +
           " (1m) | shares " + Tallies(c) + " | hw errors " + std::to_string(c.hardware_errors) +
           " | best " + Num(c.best_difficulty) + " | pool diff " + Num(source.difficulty) + " | " +
           (source.connected ? source.url : "disconnected") + " | up " + Duration(s.uptime);
}

std::string FormatVerdictLine(const miner::ShareVerdict& v, const miner::ShareCounts& totals) {
    const double pool_difficulty = v.share.job ? v.share.job->share_difficulty : 0;
    std::string latency;
    if (v.latency) {
        latency = ", " +
                  Num(std::chrono::duration<double, std::milli>(*v.latency).count(), "%.1f") +
                  " ms";
    }
    return "share " + std::string(core::ToString(v.kind)) +
           (v.reason.empty() ? "" : " (" + v.reason + ")") + ": " + v.share.backend +
           ", difficulty " + Num(v.share.difficulty) + " / " + Num(pool_difficulty) + latency +
           " [" + Tallies(totals) + "]";
}

miner::api::ProfitView LiveProfit(const ProfitOptions& o, const miner::StatsSnapshot& s,
                                  const core::Job* job) {
    miner::api::ProfitView view;
    if (!o.Complete()) {
        view.unavailable = "needs --power-watts, --electricity-price and --btc-price";
        return view;
    }
    if (!job) {
        view.unavailable = "no job yet";
        return view;
    }
    const std::vector<uint8_t> en2(job->extranonce2_size, 0);
    const auto coinbase = core::DecodeCoinbase(job->Coinbase(en2));
    if (!coinbase.value) {
        view.unavailable = "coinbase value unreadable";
        return view;
    }
    auto e = profit::EstimateLive(Inputs(o, s, *job, *coinbase.value));
    if (!e) {
        view.unavailable = e.error().message;
        return view;
    }
    view.estimate = *e;
    if (coinbase.height) {
        view.network_warning =
            profit::NotMainnetReason(core::DifficultyFromBits(job->nbits), *coinbase.height);
    }
    return view;
}

std::string FormatLiveProfit(const ProfitOptions& o, const miner::StatsSnapshot& s,
                             const core::Job* job) {
    if (!job || !o.Complete()) {
        return {};
    }
    const miner::api::ProfitView p = LiveProfit(o, s, job);
    if (!p.estimate) {
        return " | profit: " + p.unavailable;
    }
    const profit::LiveEstimate& e = *p.estimate;
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  " | est. %.8f BTC/day, revenue %.4f/day, power %.4f/day, profit %.4f/day",
                  e.btc_per_day, e.revenue_per_day, e.power_cost_per_day, e.profit_per_day);
    return buf + std::string(p.network_warning ? " (not mainnet: test figures)" : "");
}

std::string FormatSummary(const miner::StatsSnapshot& s) {
    std::string out = "summary after " + Duration(s.uptime) + ":\n";
    for (const auto& b : s.backends) {
        SummaryLines(out, b);
    }
    SummaryLines(out, s.total);
    out +=
        "  effective hashrate from accepted shares: " + FormatHashrate(s.effective_hashrate) + "\n";
    return out;
}

nlohmann::json SummaryJson(const RunRecord& r) {
    nlohmann::json j = miner::Stats::ToJson(r.stats);
    j["version"] = std::string(miner::api::Version());
    j["start_time"] = IsoTime(r.started);
    j["stop_time"] = IsoTime(r.stopped);
    j["stop_reason"] = r.stop_reason;
    j["exit_code"] = r.exit_code;
    const double seconds = std::chrono::duration<double>(r.stopped - r.started).count();
    j["elapsed_seconds"] = seconds;
    j["average_hashrate"] = seconds > 0 ? double(r.stats.total.hashes) / seconds : 0.0;
    j["pools"] = nlohmann::json::array();
    for (const auto& [url, user] : r.pools) {
        j["pools"].push_back({{"url", url}, {"user", user}});
    }
    if (r.solo) {
        miner::api::ApiView view;
        view.stats = r.stats;
        view.solo = r.solo;
        j["solo"] = miner::api::SoloJson(view);
    } else {
        j["solo"] = nullptr;
    }
    return j;
}

bool WriteJsonSummary(const std::string& path, const RunRecord& r) {
    std::ofstream out(path);
    out << SummaryJson(r).dump(2) << "\n";
    return bool(out);
}

} // namespace nonceforge::miner::app
