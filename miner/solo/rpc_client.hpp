// A JSON-RPC client of Bitcoin Core over HTTP/1.1 (Boost.Beast): one keep-alive connection per
// client, reopened when the node closed it, a deadline on every call, HTTP Basic auth from
// the user and password or the node's cookie file. A long poll needs a client of its own (a
// call holds the connection until the node answers).
//
// The sans-I/O parts (the node URL, the credentials, the classification of a reply into a
// value or an RpcError) are free functions, tested without sockets.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "miner/solo/address.hpp"
#include "nonceforge/core/expected.hpp"

namespace nonceforge::miner::solo {

// http://[user[:password]@]host[:port][/]; the port defaults to mainnet's 8332.
struct NodeUrl {
    std::string host;
    uint16_t port = 8332;
    std::optional<std::string> user;
    std::optional<std::string> password;

    // "http://host:port": never the credentials.
    std::string ToString() const;
};

// True for the URLs that mean a node (http://), not a pool (stratum+tcp://, ...).
bool IsNodeUrl(std::string_view text);
core::Expected<NodeUrl, std::string> ParseNodeUrl(std::string_view text);

// The chain a node on `port` usually runs (Bitcoin Core's default RPC ports).
std::optional<Chain> ChainOfDefaultPort(uint16_t port);

// The cookie Bitcoin Core writes for `chain` under `datadir` (~/.bitcoin): .cookie on main,
// testnet3/.cookie, testnet4/.cookie, signet/.cookie, regtest/.cookie.
std::filesystem::path CookiePath(const std::filesystem::path& datadir, Chain chain);
// $HOME/.bitcoin, or empty without HOME.
std::filesystem::path DefaultDataDir();

struct RpcCredentials {
    std::string user;
    std::string password;
};

// A cookie file's one line, "user:password". The error names the file, never its content.
core::Expected<RpcCredentials, std::string> ReadCookie(const std::filesystem::path& file);

// Where the credentials come from, in this order: the URL's user and password, --rpc-user and
// --rpc-pass, --rpc-cookie, else the default cookie of the chain the port suggests, then the
// other chains' default cookies (the first that exists). A cookie is read again on every
// connection, so a restarted node's new cookie is picked up.
struct CredentialSource {
    std::optional<std::string> user;     // URL or --rpc-user
    std::optional<std::string> password; // URL or --rpc-pass
    std::filesystem::path cookie_file;   // --rpc-cookie; empty: the default cookies
    std::filesystem::path datadir;       // where the default cookies are looked for
    uint16_t port = 8332;

    // The credentials now, or why there are none (a sentence for the user).
    core::Expected<RpcCredentials, std::string> Resolve() const;
    // For the log: "--rpc-user", "the cookie /home/x/.bitcoin/regtest/.cookie", ...
    std::string Describe() const;
};

enum class RpcErrorKind {
    ConnectionRefused, // nothing listens there (node down)
    ConnectionClosed,  // reset, or closed before the reply
    Network,           // cannot resolve, unreachable, other socket errors
    Timeout,           // the call's deadline passed
    Unauthorized,      // HTTP 401: wrong user/password or cookie
    Forbidden,         // HTTP 403: the node's rpcallowip does not include us
    NotFound,          // HTTP 404 without a JSON-RPC body: not an RPC endpoint
    HttpStatus,        // another HTTP status without a JSON-RPC body
    NotJson,           // a body that is not a JSON-RPC reply
    TooLarge,          // a body over the limit
    Rpc,               // a JSON-RPC error object: `code` and `message` are the node's
    NoCredentials,     // no user/password and no default cookie file found
    CookieMissing,     // --rpc-cookie does not exist (yet): the node is not running
};

std::string_view ToString(RpcErrorKind kind);

// Bitcoin Core's JSON-RPC error codes that the miner reacts to.
namespace rpc_code {
constexpr int MISC_ERROR = -1;
constexpr int INVALID_PARAMETER = -8;
constexpr int CLIENT_NOT_CONNECTED = -9;
constexpr int CLIENT_IN_INITIAL_DOWNLOAD = -10;
constexpr int IN_WARMUP = -28;
constexpr int METHOD_NOT_FOUND = -32601;
} // namespace rpc_code

struct RpcError {
    RpcErrorKind kind = RpcErrorKind::Network;
    int code = 0;        // the JSON-RPC code (Rpc), else 0
    int http_status = 0; // when a reply came
    std::string message; // the node's message, or what happened

    // One line for the log: "HTTP 401: the node refused the RPC credentials", "RPC error -28
    // (Loading block index...)".
    std::string Describe() const;
    // Worth trying again later (network trouble, warm-up); false for what needs the user
    // (credentials, rpcallowip, a wrong URL).
    bool Transient() const;
};

template <class T>
using RpcResult = core::Expected<T, RpcError>;

// The `result` of a reply, or its error. Handles both Bitcoin Core dialects: JSON-RPC 1.0
// (errors as HTTP 500/404/400 with a JSON body) and 2.0 (HTTP 200 with an error member).
RpcResult<nlohmann::json> ClassifyReply(unsigned http_status, std::string_view body);

// The body of one request: {"jsonrpc":"1.0","id":ID,"method":M,"params":P}.
std::string MakeRequestBody(std::string_view method, const nlohmann::json& params, uint64_t id);

// The limit on a reply's body: a full block template (4 MB of transactions as hex, and their
// fields) stays well below it.
constexpr std::size_t MAX_REPLY_BYTES = 32 * 1024 * 1024;

class RpcClient {
public:
    struct Config {
        NodeUrl url;
        CredentialSource credentials;
        std::chrono::milliseconds connect_timeout{5'000};
        std::size_t body_limit = MAX_REPLY_BYTES;
    };

    RpcClient(boost::asio::any_io_executor executor, Config config);
    ~RpcClient();
    RpcClient(const RpcClient&) = delete;
    RpcClient& operator=(const RpcClient&) = delete;

    // One call, with `timeout` for all of it (connecting, sending, the reply). Calls on one
    // client must not overlap. A reused connection the node had closed is reopened once.
    boost::asio::awaitable<RpcResult<nlohmann::json>>
    Call(std::string method, nlohmann::json params, std::chrono::milliseconds timeout);

    // Closes the connection (a call in flight ends with ConnectionClosed).
    void Close();
    const Config& GetConfig() const { return m_config; }

private:
    struct Impl;
    Config m_config;
    std::shared_ptr<Impl> m_impl;
};

} // namespace nonceforge::miner::solo
