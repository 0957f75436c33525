// One client connection of the pool, free of I/O: lines in, lines out through `send`. Runs on
// the server thread only.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "nonceforge/core/u256.hpp"
#include "pool_context.hpp"
#include "pool_jobs.hpp"
#include "share_check.hpp"

namespace nonceforge::stratum::server {

class PoolSession {
public:
    using SendFn = std::function<void(std::string line)>; // one JSON text with its '\n'

    PoolSession(PoolContext& ctx, std::string peer, SendFn send);

    void HandleLine(std::string_view line);

    // Server pushes. Each does nothing before the connection is subscribed and authorized
    // (SetExtranonce: unless it sent mining.extranonce.subscribe).
    void SendJob(const PoolJob& job);
    void SetDifficulty(double difficulty);
    void SetExtranonce();

    const std::string& Peer() const { return m_peer; }

private:
    void Reply(const nlohmann::json& id, nlohmann::json result);
    void ReplyError(const nlohmann::json& id, PoolErrorCode code, const std::string& message);
    void ReplyReject(const nlohmann::json& id, const Reject& reject, const std::string& worker);
    void SendNotification(const char* method, nlohmann::json params);

    void OnSubscribe(const nlohmann::json& id);
    void OnAuthorize(const nlohmann::json& id, const nlohmann::json& params);
    void OnConfigure(const nlohmann::json& id, const nlohmann::json& params);
    void OnSuggestDifficulty(const nlohmann::json& id, const nlohmann::json& params);
    void OnSubmit(const nlohmann::json& id, const nlohmann::json& params);

    bool Ready() const { return m_subscribed && !m_workers.empty(); }
    void StartWorkIfReady();
    void SendJobAs(const PoolJob& job, bool clean_jobs);
    double ClampToBounds(double difficulty) const;
    void ApplyDifficulty(double difficulty);

    PoolContext& m_ctx;
    std::string m_peer;
    SendFn m_send;

    bool m_subscribed = false;
    bool m_extranonce_subscribed = false;
    bool m_working = false;      // got its first difficulty and job
    uint64_t m_valid_shares = 0; // shares that passed validation (for refuse_every)
    std::vector<std::string> m_workers;
    std::vector<uint8_t> m_extranonce1;
    uint32_t m_version_mask = 0;
    double m_difficulty = 1;
    core::U256 m_target;
    std::optional<double> m_announced_difficulty; // the last mining.set_difficulty sent
    std::unordered_map<std::string, JobAsSent> m_sent_jobs;
};

} // namespace nonceforge::stratum::server
