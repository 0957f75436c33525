// The JSON-RPC envelope and the server's notifications and requests.
#include "nonceforge/stratum/parser.hpp"

#include "json_access.hpp"

namespace nonceforge::stratum {

using core::MakeUnexpected;
using detail::json;
using detail::ParamField;

namespace {

std::string_view Trim(std::string_view s) {
    constexpr std::string_view SPACE = " \t\r\n";
    const auto first = s.find_first_not_of(SPACE);
    if (first == std::string_view::npos) {
        return {};
    }
    return s.substr(first, s.find_last_not_of(SPACE) - first + 1);
}

// nlohmann's parser recurses per nesting level; refuse deep garbage before it gets there.
std::optional<ProtocolError> CheckDepth(std::string_view line) {
    std::size_t depth = 0;
    bool in_string = false, escaped = false;
    for (char c : line) {
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > MAX_JSON_DEPTH) {
                return MakeError(ErrorCode::TooDeep, "line",
                                 "more than " + std::to_string(MAX_JSON_DEPTH) + " levels", line);
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return std::nullopt;
}

Result<RequestId> ParseId(const json& msg) {
    auto it = msg.find("id");
    if (it == msg.end() || it->is_null()) {
        return RequestId{};
    }
    if (it->is_number_integer()) {
        auto v = detail::AsInteger(*it, "id", INT64_MIN, INT64_MAX);
        if (!v) {
            return MakeUnexpected(v.error());
        }
        return RequestId{*v};
    }
    if (it->is_string()) {
        auto s = detail::AsString(*it, "id", RequestId::MAX_STRING);
        if (!s) {
            return MakeUnexpected(s.error());
        }
        return RequestId{std::string(*s)};
    }
    return MakeUnexpected(detail::WrongType("id", "null, an integer or a string", *it));
}

// The "params" array of a method, holding min..max elements.
Result<const json*> Params(const json& msg, std::string_view method, std::size_t min,
                           std::size_t max) {
    const std::string field = std::string(method) + " params";
    auto it = msg.find("params");
    if (it == msg.end()) {
        return MakeUnexpected(MakeError(ErrorCode::MissingField, field, "no params"));
    }
    if (!it->is_array()) {
        return MakeUnexpected(detail::WrongType(field, "an array", *it));
    }
    if (it->size() < min || it->size() > max) {
        const std::string want =
            min == max ? std::to_string(min) : std::to_string(min) + ".." + std::to_string(max);
        ProtocolError e = MakeError(ErrorCode::WrongCount, field,
                                    "expected " + want + ", got " + std::to_string(it->size()));
        e.input = detail::Echo(*it);
        return MakeUnexpected(std::move(e));
    }
    return &*it;
}

PoolError ParsePoolError(const json& e) {
    PoolError out;
    const json* code = nullptr;
    const json* message = nullptr;
    if (e.is_array()) {
        code = !e.empty() ? &e[0] : nullptr;
        message = e.size() > 1 ? &e[1] : nullptr;
    } else if (e.is_object()) {
        auto c = e.find("code");
        auto m = e.find("message");
        code = c != e.end() ? &*c : nullptr;
        message = m != e.end() ? &*m : nullptr;
    } else {
        message = &e;
    }
    if (code && code->is_number_unsigned()) {
        if (code->get<uint64_t>() <= uint64_t(INT64_MAX)) {
            out.code = static_cast<int64_t>(code->get<uint64_t>());
        }
    } else if (code && code->is_number_integer()) {
        out.code = code->get<int64_t>();
    }
    if (message && message->is_string()) {
        out.message = SanitizeText(message->get_ref<const std::string&>(), PoolError::MAX_MESSAGE);
    } else if (message && !message->is_null()) {
        out.message = SanitizeText(detail::Dump(*message), PoolError::MAX_MESSAGE);
    } else if (!code || !code->is_number_integer()) {
        out.message = SanitizeText(detail::Dump(e), PoolError::MAX_MESSAGE);
    }
    return out;
}

Result<ServerMessage> ParseResponse(const json& msg, RequestId id) {
    auto result = msg.find("result");
    auto error = msg.find("error");
    if (result == msg.end() && error == msg.end()) {
        return MakeUnexpected(
            MakeError(ErrorCode::MissingField, "response", "neither method nor result nor error"));
    }
    Response r;
    r.id = std::move(id);
    if (result != msg.end()) {
        r.result = *result;
    }
    if (error != msg.end() && !error->is_null()) {
        r.error = ParsePoolError(*error);
    }
    auto reason = msg.find("reject-reason");
    if (reason != msg.end() && reason->is_string()) {
        r.reject_reason =
            SanitizeText(reason->get_ref<const std::string&>(), PoolError::MAX_MESSAGE);
    }
    return ServerMessage(std::move(r));
}

Result<ServerMessage> ParseNotify(const json& msg) {
    constexpr std::string_view M = "mining.notify";
    auto params = Params(msg, M, 9, 9);
    if (!params) {
        return MakeUnexpected(params.error());
    }
    const json& p = **params;
    auto job_id = JobId::FromJson(p[0], ParamField(M, 0, "job_id"));
    if (!job_id) {
        return MakeUnexpected(job_id.error());
    }
    auto prev = PrevHash::FromJson(p[1], ParamField(M, 1, "prevhash"));
    if (!prev) {
        return MakeUnexpected(prev.error());
    }
    auto coinb1 = CoinbasePart::FromJson(p[2], ParamField(M, 2, "coinb1"));
    if (!coinb1) {
        return MakeUnexpected(coinb1.error());
    }
    auto coinb2 = CoinbasePart::FromJson(p[3], ParamField(M, 3, "coinb2"));
    if (!coinb2) {
        return MakeUnexpected(coinb2.error());
    }
    auto branch = MerkleBranch::FromJson(p[4], ParamField(M, 4, "merkle_branch"));
    if (!branch) {
        return MakeUnexpected(branch.error());
    }
    auto version = HexU32::FromJson(p[5], ParamField(M, 5, "version"));
    if (!version) {
        return MakeUnexpected(version.error());
    }
    auto nbits = HexU32::FromJson(p[6], ParamField(M, 6, "nbits"));
    if (!nbits) {
        return MakeUnexpected(nbits.error());
    }
    auto ntime = HexU32::FromJson(p[7], ParamField(M, 7, "ntime"));
    if (!ntime) {
        return MakeUnexpected(ntime.error());
    }
    if (!p[8].is_boolean()) {
        return MakeUnexpected(detail::WrongType(ParamField(M, 8, "clean_jobs"), "a boolean", p[8]));
    }
    return ServerMessage(Notify{*job_id, *prev, std::move(*coinb1), std::move(*coinb2),
                                std::move(*branch), *version, *nbits, *ntime, p[8].get<bool>()});
}

Result<ServerMessage> ParseSetDifficulty(const json& msg) {
    constexpr std::string_view M = "mining.set_difficulty";
    auto params = Params(msg, M, 1, 1);
    if (!params) {
        return MakeUnexpected(params.error());
    }
    auto d = Difficulty::FromJson((**params)[0], ParamField(M, 0, "difficulty"));
    if (!d) {
        return MakeUnexpected(d.error());
    }
    return ServerMessage(SetDifficulty{*d});
}

Result<ServerMessage> ParseSetExtranonce(const json& msg) {
    constexpr std::string_view M = "mining.set_extranonce";
    auto params = Params(msg, M, 1, 2);
    if (!params) {
        return MakeUnexpected(params.error());
    }
    const json& p = **params;
    auto en1 = Extranonce1::FromJson(p[0], ParamField(M, 0, "extranonce1"));
    if (!en1) {
        return MakeUnexpected(en1.error());
    }
    SetExtranonce out{std::move(*en1), std::nullopt};
    if (p.size() > 1) {
        auto size = Extranonce2Size::FromJson(p[1], ParamField(M, 1, "extranonce2_size"));
        if (!size) {
            return MakeUnexpected(size.error());
        }
        out.extranonce2_size = *size;
    }
    return ServerMessage(std::move(out));
}

Result<ServerMessage> ParseSetVersionMask(const json& msg) {
    constexpr std::string_view M = "mining.set_version_mask";
    auto params = Params(msg, M, 1, 1);
    if (!params) {
        return MakeUnexpected(params.error());
    }
    auto mask = HexU32::FromJson((**params)[0], ParamField(M, 0, "mask"));
    if (!mask) {
        return MakeUnexpected(mask.error());
    }
    return ServerMessage(SetVersionMask{*mask});
}

// A JSON integer or a string of decimal digits (pools send ports both ways).
Result<int64_t> LooseInteger(const json& j, std::string_view field, int64_t max) {
    if (j.is_string()) {
        const auto& s = j.get_ref<const std::string&>();
        if (s.empty() || s.size() > 10 || s.find_first_not_of("0123456789") != s.npos) {
            return MakeUnexpected(
                MakeError(ErrorCode::WrongType, std::string(field), "expected decimal digits", s));
        }
        return detail::AsInteger(json(std::stoll(s)), field, 0, max);
    }
    return detail::AsInteger(j, field, 0, max);
}

Result<ServerMessage> ParseReconnect(const json& msg) {
    constexpr std::string_view M = "client.reconnect";
    ClientReconnect out;
    if (auto it = msg.find("params"); it == msg.end() || it->is_null()) {
        return ServerMessage(out);
    }
    auto params = Params(msg, M, 0, 3);
    if (!params) {
        return MakeUnexpected(params.error());
    }
    const json& p = **params;
    if (!p.empty()) {
        const std::string field = ParamField(M, 0, "host");
        auto host = detail::AsString(p[0], field, ClientReconnect::MAX_HOST);
        if (!host) {
            return MakeUnexpected(host.error());
        }
        for (char c : *host) {
            if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f ||
                c == '/' || c == '@') {
                return MakeUnexpected(
                    MakeError(ErrorCode::BadText, field, "not a host name", *host));
            }
        }
        if (!host->empty()) { // "" means the same host
            out.host = std::string(*host);
        }
    }
    if (p.size() > 1) {
        auto port = LooseInteger(p[1], ParamField(M, 1, "port"), 65535);
        if (!port) {
            return MakeUnexpected(port.error());
        }
        if (*port != 0) { // 0 means the same port
            out.port = static_cast<uint16_t>(*port);
        }
    }
    if (p.size() > 2) {
        auto wait = LooseInteger(p[2], ParamField(M, 2, "wait"), ClientReconnect::MAX_WAIT_SECONDS);
        if (!wait) {
            return MakeUnexpected(wait.error());
        }
        out.wait = std::chrono::seconds(*wait);
    }
    return ServerMessage(std::move(out));
}

Result<ServerMessage> ParseShowMessage(const json& msg) {
    constexpr std::string_view M = "client.show_message";
    auto params = Params(msg, M, 1, 1);
    if (!params) {
        return MakeUnexpected(params.error());
    }
    const json& text = (**params)[0];
    if (!text.is_string()) {
        return MakeUnexpected(detail::WrongType(ParamField(M, 0, "text"), "a string", text));
    }
    return ServerMessage(
        ShowMessage{SanitizeText(text.get_ref<const std::string&>(), ShowMessage::MAX_TEXT)});
}

} // namespace

Result<ServerMessage> ParseServerLine(std::string_view line) {
    if (line.size() > MAX_LINE_BYTES) {
        return MakeUnexpected(MakeError(ErrorCode::LineTooLong, "line",
                                        std::to_string(line.size()) + " bytes, at most " +
                                            std::to_string(MAX_LINE_BYTES),
                                        line));
    }
    line = Trim(line);
    if (line.empty()) {
        return MakeUnexpected(MakeError(ErrorCode::EmptyLine, "line", ""));
    }
    if (auto e = CheckDepth(line)) {
        return MakeUnexpected(std::move(*e));
    }
    const json msg = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (msg.is_discarded()) {
        return MakeUnexpected(MakeError(ErrorCode::NotJson, "line", "", line));
    }
    if (!msg.is_object()) {
        ProtocolError e =
            MakeError(ErrorCode::NotAnObject, "line",
                      std::string("a JSON-RPC message is an object, got ") + msg.type_name());
        e.input = detail::Echo(msg);
        return MakeUnexpected(std::move(e));
    }
    auto id = ParseId(msg);
    if (!id) {
        return MakeUnexpected(id.error());
    }
    auto method_it = msg.find("method");
    if (method_it == msg.end() || method_it->is_null()) {
        return ParseResponse(msg, std::move(*id));
    }
    if (!method_it->is_string()) {
        return MakeUnexpected(detail::WrongType("method", "a string", *method_it));
    }
    const std::string& method = method_it->get_ref<const std::string&>();
    if (method == "mining.notify") {
        return ParseNotify(msg);
    }
    if (method == "mining.set_difficulty") {
        return ParseSetDifficulty(msg);
    }
    if (method == "mining.set_extranonce") {
        return ParseSetExtranonce(msg);
    }
    if (method == "mining.set_version_mask") {
        return ParseSetVersionMask(msg);
    }
    if (method == "client.reconnect") {
        return ParseReconnect(msg);
    }
    if (method == "client.show_message") {
        return ParseShowMessage(msg);
    }
    if (method == "client.get_version") {
        return ServerMessage(GetVersion{std::move(*id)});
    }
    if (method == "mining.ping") {
        return ServerMessage(Ping{std::move(*id)});
    }
    return ServerMessage(
        UnknownMethod{SanitizeText(method, UnknownMethod::MAX_METHOD), std::move(*id)});
}

} // namespace nonceforge::stratum
