// libFuzzer target: the monitoring API's request paths without sockets. The first input byte
// chooses the HTTP routes (ApiServer::Handle on the request target) or the cgminer-compatible
// API (CgminerReply on the request text); the rest is the request. Every JSON reply must parse,
// and no reply may carry the pool password.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "miner/api/api_server.hpp"
#include "miner/api/api_view.hpp"

using namespace nonceforge::miner;

namespace {

constexpr std::string_view SECRET = "fuzz-pool-password";

void Check(bool ok) {
    if (!ok) {
        std::abort();
    }
}

api::ApiView View(std::size_t share_limit) {
    api::ApiView v;
    v.version = "0.1.0";
    v.time_unix = 1700000000;
    BackendStats b;
    b.name = "cpu0/avx2-8way";
    b.hashes = 123456789;
    b.shares.found = 4;
    b.shares.accepted = 2;
    b.shares.rejected = 1;
    b.shares.lost = 1;
    b.shares.rejected_by_reason["Duplicate share"] = 1;
    v.stats.backends.push_back(b);
    v.stats.total = b;
    api::PoolView p;
    p.url = "stratum+tcp://127.0.0.1:3333";
    p.user = "bc1qexample.rig1";
    p.active = p.connected = true;
    p.state = "ready";
    p.difficulty = 0.5;
    v.pools.push_back(p);
    v.network_difficulty = 1.0;
    v.job_id = "job\"1";
    for (std::size_t i = 0; i < share_limit && i < 4; ++i) {
        api::ShareRecord s;
        s.backend = b.name;
        s.verdict = i % 2 ? "accepted" : "rejected";
        s.reason = i % 2 ? "" : "Duplicate share";
        s.job_id = "job1";
        s.nonce = "0000abcd";
        v.shares.push_back(s);
    }
    v.share_capacity = 256;
    v.shares_recorded = 4;
    return v;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    if (size < 1) {
        return 0;
    }
    const std::string_view request(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (data[0] % 2 == 0) {
        static boost::asio::io_context io;
        static api::ApiServer server(io.get_executor(), api::ApiOptions{}, View,
                                     [](int, const std::string&) {});
        const api::HttpReply reply = server.Handle(request);
        Check(reply.status >= 200 && reply.status < 600);
        if (reply.content_type.rfind("application/json", 0) == 0) {
            Check(!nlohmann::json::parse(reply.body, nullptr, false).is_discarded());
        }
        Check(reply.body.find(SECRET) == std::string::npos);
    } else {
        const std::string reply = api::CgminerReply(View(4), request);
        Check(reply.find(SECRET) == std::string::npos);
    }
    return 0;
}
