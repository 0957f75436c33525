// Typed Stratum V1 messages from the server, in two levels: the JSON-RPC envelope (a response
// to one of our requests, a notification, or a request that wants a reply), then one struct per
// method whose fields are the validated types of fields.hpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "nonceforge/stratum/fields.hpp"

namespace nonceforge::stratum {

// A JSON-RPC id as pools send them: null, an integer, or a string (at most MAX_STRING chars).
// Our own requests use non-negative integers; replies to server requests echo the id as sent.
struct RequestId {
    static constexpr std::size_t MAX_STRING = 128;
    std::variant<std::monostate, int64_t, std::string> value;

    bool IsNull() const { return std::holds_alternative<std::monostate>(value); }
    // The id as one of ours (a non-negative integer), if it is one.
    std::optional<uint64_t> AsClientId() const;
    nlohmann::json ToJson() const;
    std::string ToString() const;
    friend bool operator==(const RequestId&, const RequestId&) = default;
};

// An error a pool reports: `[code, "message", traceback]`, `{"code": .., "message": ..}`, a
// plain string, or anything else (kept as its JSON text). The message is sanitized and bounded.
struct PoolError {
    static constexpr std::size_t MAX_MESSAGE = 256;
    std::optional<int64_t> code;
    std::string message;
    std::string ToString() const; // "Difficulty too low (code 23)"
};

// A reply to one of our requests. Which request it answers is known only to whoever sent it
// (the session's pending table); the typed readers in parser.hpp take it from there.
struct Response {
    RequestId id;
    nlohmann::json result;                    // null when absent
    std::optional<PoolError> error;           // absent when null or missing
    std::optional<std::string> reject_reason; // ckpool's "reject-reason" member, sanitized
};

// mining.notify
struct Notify {
    JobId job_id;
    PrevHash prev_hash;
    CoinbasePart coinb1;
    CoinbasePart coinb2;
    MerkleBranch merkle_branch;
    HexU32 version;
    HexU32 nbits;
    HexU32 ntime;
    bool clean_jobs;
};

// mining.set_difficulty: applies to jobs received after it.
struct SetDifficulty {
    Difficulty difficulty;
};

// mining.set_extranonce: applies from the next job. The size is optional on the wire; when it is
// absent the subscribed size stays.
struct SetExtranonce {
    Extranonce1 extranonce1;
    std::optional<Extranonce2Size> extranonce2_size;
};

// mining.set_version_mask (BIP 310): the new mask applies from the next job.
struct SetVersionMask {
    HexU32 mask;
};

// client.reconnect: [host, port, wait_seconds], each optional. No host means "the same pool".
struct ClientReconnect {
    static constexpr std::size_t MAX_HOST = 255;
    static constexpr int64_t MAX_WAIT_SECONDS = 3600;
    std::optional<std::string> host;
    std::optional<uint16_t> port;
    std::chrono::seconds wait{0};
};

// client.show_message: free text for the operator, sanitized and bounded.
struct ShowMessage {
    static constexpr std::size_t MAX_TEXT = 1024;
    std::string text;
};

// Server requests that want a reply; with a null id they are notifications and get none.
struct GetVersion {
    RequestId id;
};
struct Ping {
    RequestId id;
};

// Any other method. The session logs it and, when it carries an id, replies with an error.
struct UnknownMethod {
    static constexpr std::size_t MAX_METHOD = 64;
    std::string method; // sanitized, bounded
    RequestId id;
};

using ServerMessage = std::variant<Response, Notify, SetDifficulty, SetExtranonce, SetVersionMask,
                                   ClientReconnect, ShowMessage, GetVersion, Ping, UnknownMethod>;

// The requests a client sends, which a Response can answer.
enum class ClientMethod {
    Configure,
    Subscribe,
    Authorize,
    SuggestDifficulty,
    ExtranonceSubscribe,
    Submit,
};

std::string_view MethodName(ClientMethod m); // "mining.subscribe", ...

// mining.subscribe result: [subscriptions, extranonce1, extranonce2_size]. The subscriptions
// are read loosely (pools vary); the id of the mining.notify subscription, or else the first
// one, becomes the session id a later subscribe may ask to resume.
struct SubscribeResult {
    static constexpr std::size_t MAX_SESSION_ID = 128;
    std::optional<std::string> session_id;
    Extranonce1 extranonce1;
    Extranonce2Size extranonce2_size;
};

// mining.configure result. `version_mask` is set when version rolling was granted.
struct ConfigureResult {
    std::optional<uint32_t> version_mask;
    std::optional<bool> minimum_difficulty;
};

// What a mining.submit reply says about the share.
struct SubmitOutcome {
    enum class Kind { Accepted, Rejected, Stale };
    Kind kind;
    std::string reason; // empty when accepted
};

} // namespace nonceforge::stratum
