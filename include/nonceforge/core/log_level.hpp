// The one log level of the whole program. Every layer reports through it (the Stratum session
// and client, the pool server, the dispatcher, the API, the runtime); the front end maps it to
// its logger.
#pragma once

#include <string_view>

namespace nonceforge::core {

// Protocol: the raw lines of a protocol dump (`mine -P`), asked for by the user, so a front end
// shows them whatever its verbosity. Nothing else uses it.
enum class LogLevel { Debug, Info, Warn, Error, Protocol };

constexpr std::string_view ToString(LogLevel level) {
    switch (level) {
    case LogLevel::Debug:
        return "debug";
    case LogLevel::Info:
        return "info";
    case LogLevel::Warn:
        return "warn";
    case LogLevel::Error:
        return "error";
    case LogLevel::Protocol:
        return "protocol";
    }
    return "?";
}

} // namespace nonceforge::core
