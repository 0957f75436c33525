// cgminer's RPC API (API-README of cgminer 4.x, API version 3.7), the read-only part fleet
// tools poll: summary, devs, pools, version. Replies keep cgminer's key names, key order,
// status codes and the trailing "id":1; the differences are listed in docs/api.md.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "miner/api/api_view.hpp"

namespace nonceforge::miner::api {

namespace {

using ojson = nlohmann::ordered_json;

constexpr const char* API_VERSION = "3.7";

// cgminer's message codes for the commands answered here.
constexpr int CODE_POOLS = 7;
constexpr int CODE_DEVS = 9;
constexpr int CODE_SUMMARY = 11;
constexpr int CODE_INVALID_COMMAND = 14;
constexpr int CODE_VERSION = 22;
constexpr int CODE_INVALID_JSON = 23;
constexpr int CODE_MISSING_COMMAND = 24;
constexpr int CODE_ACCESS_DENIED = 45;

// cgminer's privileged commands: known, refused (this API is read-only).
constexpr std::string_view PRIVILEGED[] = {
    "addpool",    "switchpool",   "enablepool", "disablepool", "removepool",    "poolpriority",
    "poolquota",  "restart",      "quit",       "save",        "gpuenable",     "gpudisable",
    "gpurestart", "gpuintensity", "gpumem",     "gpuengine",   "gpufan",        "gpuvddc",
    "ascenable",  "ascdisable",   "ascset",     "pgaenable",   "pgadisable",    "pgaset",
    "setconfig",  "zero",         "debug",      "hotplug",     "failover-only", "lockstats"};

// Bytes that are not UTF-8 (a pool's error text) become U+FFFD instead of throwing.
std::string Dump(const ojson& j) {
    return j.dump(-1, ' ', false, ojson::error_handler_t::replace);
}

// cgminer prints its floats with printf and fixed decimals (api.c): MH/s and utility "%.2f",
// total MH "%.4f", difficulties "%.8f", percentages "%.4f". JSON numbers here are the same
// values rounded the same way, so that no 0.04000000000000002 reaches a fleet tool (the
// trailing zeros of printf are not kept: 10.0, not 10.00).
double Fixed(double x, int decimals) {
    if (!std::isfinite(x)) {
        return 0.0;
    }
    const double scale = std::pow(10.0, decimals);
    const double r = std::round(x * scale) / scale;
    return r == 0 ? 0.0 : r; // never -0
}

double Mhs(double hps) {
    return Fixed(hps / 1e6, 2);
}

double TotalMh(double hashes) {
    return Fixed(hashes / 1e6, 4);
}

double Diff(double difficulty) {
    return Fixed(difficulty, 8);
}

double Utility(double per_minute) {
    return Fixed(per_minute, 2);
}

double Percent(double part, double whole) {
    return whole > 0 ? Fixed(100.0 * part / whole, 4) : 0.0;
}

ojson Status(const ApiView& v, bool ok, int code, std::string msg) {
    return ojson::array({ojson{{"STATUS", ok ? "S" : "E"},
                               {"When", v.time_unix},
                               {"Code", code},
                               {"Msg", std::move(msg)},
                               {"Description", "nonceforge " + v.version}}});
}

ojson Reply(ojson status, const char* section = nullptr, ojson items = {}) {
    ojson r;
    r["STATUS"] = std::move(status);
    if (section) {
        r[section] = std::move(items);
    }
    r["id"] = 1;
    return r;
}

ojson Summary(const ApiView& v) {
    const BackendStats& t = v.stats.total;
    const ShareCounts& c = t.shares;
    const double elapsed = double(v.stats.uptime.count());
    const double minutes = elapsed / 60;
    const double resolved = double(c.accepted + c.rejected + c.stale);
    ojson s = {{"Elapsed", v.stats.uptime.count()},
               {"MHS av", elapsed > 0 ? Mhs(double(t.hashes) / elapsed) : 0.0},
               {"MHS 5s", Mhs(t.rate.h5s)},
               {"MHS 1m", Mhs(t.rate.h1m)},
               {"MHS 5m", Mhs(t.rate.h5m)},
               {"MHS 15m", Mhs(t.rate.h15m)},
               {"Found Blocks", c.blocks},
               {"Getworks", 0},
               {"Accepted", c.accepted},
               {"Rejected", c.rejected},
               {"Hardware Errors", c.hardware_errors},
               {"Utility", minutes > 0 ? Utility(double(c.accepted) / minutes) : 0.0},
               {"Discarded", 0},
               {"Stale", c.stale},
               {"Get Failures", 0},
               {"Local Work", c.found},
               {"Remote Failures", 0},
               {"Network Blocks", 0},
               {"Total MH", TotalMh(double(t.hashes))},
               {"Work Utility", minutes > 0 ? Utility(c.accepted_difficulty_sum / minutes) : 0.0},
               {"Difficulty Accepted", Diff(c.accepted_difficulty_sum)},
               {"Difficulty Rejected", 0},
               {"Difficulty Stale", 0},
               {"Best Share", Diff(c.best_difficulty)},
               {"Device Hardware%",
                Percent(double(c.hardware_errors), double(c.hardware_errors + c.found))},
               {"Device Rejected%", Percent(double(c.rejected), double(c.found))},
               {"Pool Rejected%", Percent(double(c.rejected), resolved)},
               {"Pool Stale%", Percent(double(c.stale), resolved)},
               {"Last getwork", v.time_unix}};
    return Reply(Status(v, true, CODE_SUMMARY, "Summary"), "SUMMARY", ojson::array({s}));
}

ojson Devs(const ApiView& v) {
    ojson devs = ojson::array();
    int cpus = 0, gpus = 0;
    const double elapsed = double(v.stats.uptime.count());
    for (std::size_t i = 0; i < v.stats.backends.size(); ++i) {
        const BackendStats& b = v.stats.backends[i];
        const ShareCounts& c = b.shares;
        const std::string kind = DeviceKind(b.name);
        const bool cpu = kind == "cpu";
        const int id = cpu ? cpus++ : gpus++;
        ojson d;
        d[cpu ? "CPU" : "GPU"] = id;
        d["Name"] = b.name;
        d["ID"] = id;
        d["Enabled"] = "Y";
        d["Status"] = b.retired ? "Dead" : "Alive"; // cgminer's word for a device that failed
        d["Temperature"] = 0;
        d["MHS av"] = elapsed > 0 ? Mhs(double(b.hashes) / elapsed) : 0.0;
        d["MHS 5s"] = Mhs(b.rate.h5s);
        d["MHS 1m"] = Mhs(b.rate.h1m);
        d["MHS 5m"] = Mhs(b.rate.h5m);
        d["MHS 15m"] = Mhs(b.rate.h15m);
        d["Accepted"] = c.accepted;
        d["Rejected"] = c.rejected;
        d["Hardware Errors"] = c.hardware_errors;
        d["Utility"] = elapsed > 0 ? Utility(double(c.accepted) * 60 / elapsed) : 0.0;
        d["Total MH"] = TotalMh(double(b.hashes));
        d["Difficulty Accepted"] = Diff(c.accepted_difficulty_sum);
        d["Difficulty Rejected"] = 0;
        d["No Device"] = false;
        d["Device Hardware%"] =
            Percent(double(c.hardware_errors), double(c.hardware_errors + c.found));
        d["Device Rejected%"] = Percent(double(c.rejected), double(c.found));
        d["Device Elapsed"] = v.stats.uptime.count();
        devs.push_back(std::move(d));
    }
    const std::string msg = std::to_string(cpus) + " CPU(s) - " + std::to_string(gpus) + " GPU(s)";
    return Reply(Status(v, true, CODE_DEVS, msg), "DEVS", std::move(devs));
}

ojson Pools(const ApiView& v) {
    ojson pools = ojson::array();
    const ShareCounts& c = v.stats.total.shares;
    const double resolved = double(c.accepted + c.rejected + c.stale);
    for (const PoolView& p : v.pools) {
        // Share counts are per miner, not per pool: they go to the active pool's entry.
        const bool a = p.active;
        std::string host = p.url;
        if (auto at = host.find("://"); at != std::string::npos) {
            host = host.substr(at + 3);
        }
        ojson e;
        e["POOL"] = p.index;
        e["URL"] = p.url;
        e["Status"] = p.active ? (p.connected ? "Alive" : "Dead") : "Alive";
        e["Priority"] = p.index;
        e["Quota"] = 1;
        e["Long Poll"] = "N";
        e["Getworks"] = 0;
        e["Accepted"] = a ? c.accepted : 0;
        e["Rejected"] = a ? c.rejected : 0;
        e["Works"] = a ? c.found : 0;
        e["Discarded"] = 0;
        e["Stale"] = a ? c.stale : 0;
        e["Get Failures"] = 0;
        e["Remote Failures"] = 0;
        e["User"] = p.user;
        e["Diff1 Shares"] = 0;
        e["Proxy Type"] = "";
        e["Proxy"] = "";
        e["Difficulty Accepted"] = a ? Diff(c.accepted_difficulty_sum) : 0.0;
        e["Difficulty Rejected"] = 0;
        e["Difficulty Stale"] = 0;
        e["Last Share Difficulty"] = a ? Diff(p.difficulty) : 0.0;
        e["Work Difficulty"] = Diff(p.difficulty);
        e["Has Stratum"] = true;
        e["Stratum Active"] = p.active && p.connected;
        e["Stratum URL"] = p.active && p.connected ? host : "";
        e["Stratum Difficulty"] = Diff(p.difficulty);
        e["Has Vmask"] = p.version_mask != 0;
        e["Has GBT"] = false;
        e["Best Share"] = a ? Diff(c.best_difficulty) : 0.0;
        e["Pool Rejected%"] = a ? Percent(double(c.rejected), resolved) : 0.0;
        e["Pool Stale%"] = a ? Percent(double(c.stale), resolved) : 0.0;
        e["Bad Work"] = 0;
        pools.push_back(std::move(e));
    }
    return Reply(Status(v, true, CODE_POOLS, std::to_string(v.pools.size()) + " Pool(s)"), "POOLS",
                 std::move(pools));
}

ojson Version(const ApiView& v) {
    ojson ver = {{"CGMiner", "nonceforge " + v.version}, {"API", API_VERSION}};
    return Reply(Status(v, true, CODE_VERSION, "CGMiner versions"), "VERSION", ojson::array({ver}));
}

ojson One(const ApiView& v, std::string_view command) {
    if (command == "summary") {
        return Summary(v);
    }
    if (command == "devs") {
        return Devs(v);
    }
    if (command == "pools") {
        return Pools(v);
    }
    if (command == "version") {
        return Version(v);
    }
    if (std::find(std::begin(PRIVILEGED), std::end(PRIVILEGED), command) != std::end(PRIVILEGED)) {
        return Reply(Status(v, false, CODE_ACCESS_DENIED,
                            "Access denied to '" + std::string(command) + "' command"));
    }
    return Reply(Status(v, false, CODE_INVALID_COMMAND, "Invalid command"));
}

std::string Scalar(const ojson& j) {
    if (j.is_string()) {
        return j.get<std::string>();
    }
    return Dump(j);
}

// cgminer's plain-text form: sections separated by '|', fields by ','. Single-record sections
// (SUMMARY, VERSION) start with their name; per-item ones (DEVS, POOLS) with the item's index.
std::string PlainText(const ojson& reply) {
    std::string out;
    auto fields = [&](const ojson& obj) {
        bool first = true;
        for (const auto& [k, val] : obj.items()) {
            out += (first ? "" : ",") + k + "=" + Scalar(val);
            first = false;
        }
        out += '|';
    };
    for (const auto& [section, items] : reply.items()) {
        if (!items.is_array()) {
            continue; // "id"
        }
        for (const auto& item : items) {
            if (section == "SUMMARY" || section == "VERSION") {
                out += section + ",";
            }
            fields(item);
        }
    }
    return out;
}

std::string_view Trim(std::string_view s) {
    auto junk = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\0'; };
    while (!s.empty() && junk(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && junk(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

} // namespace

std::string CgminerReply(const ApiView& v, std::string_view request) {
    request = Trim(request);
    if (request.empty() || request.front() != '{') {
        const std::string_view command = request.substr(0, request.find('|'));
        return PlainText(One(v, command));
    }
    const ojson req = ojson::parse(request, nullptr, false);
    if (req.is_discarded() || !req.is_object()) {
        return Dump(Reply(Status(v, false, CODE_INVALID_JSON, "Invalid JSON")));
    }
    const auto it = req.find("command");
    if (it == req.end() || !it->is_string()) {
        return Dump(Reply(Status(v, false, CODE_MISSING_COMMAND, "Missing JSON 'command'")));
    }
    const std::string command = it->get<std::string>();
    if (command.find('+') == std::string::npos) {
        return Dump(One(v, command));
    }
    // "summary+devs": one reply per command, each in an array under the command's name.
    ojson multi = ojson::object();
    std::string_view rest = command;
    while (!rest.empty()) {
        const std::size_t plus = rest.find('+');
        const std::string_view one = rest.substr(0, plus);
        if (!one.empty() && !multi.contains(std::string(one))) {
            multi[std::string(one)] = ojson::array({One(v, one)});
        }
        rest = plus == std::string_view::npos ? std::string_view() : rest.substr(plus + 1);
    }
    return Dump(multi);
}

} // namespace nonceforge::miner::api
