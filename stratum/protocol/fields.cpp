#include "nonceforge/stratum/fields.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

#include "json_access.hpp"
#include "nonceforge/core/hex.hpp"
#include "nonceforge/core/stratum_fields.hpp"
#include "nonceforge/core/target.hpp"

namespace nonceforge::stratum {

using core::MakeUnexpected;
using detail::AsString;
using detail::json;

namespace {

ProtocolError HexFailure(std::string_view field, const core::HexError& e, std::string_view text) {
    return MakeError(ErrorCode::BadHex, std::string(field), e.Message(), text);
}

Result<std::vector<uint8_t>> BoundedHexBytes(const json& j, std::string_view field,
                                             std::size_t max_bytes) {
    auto text = AsString(j, field, 2 * max_bytes);
    if (!text) {
        return MakeUnexpected(text.error());
    }
    auto bytes = core::HexDecode(*text);
    if (!bytes) {
        return MakeUnexpected(HexFailure(field, bytes.error(), *text));
    }
    return std::move(*bytes);
}

// Whole-string decimal or exponent-form number ("16384", "0.5", "1e3", "1.5e-5"); "inf" and
// "nan" parse here and are refused by the target conversion with its own reason.
Result<double> ParseNumberText(std::string_view text, std::string_view field) {
    double v = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, v);
    if (ec == std::errc::result_out_of_range) {
        return MakeUnexpected(MakeError(ErrorCode::BadDifficulty, std::string(field),
                                        "number outside the range of a double", text));
    }
    if (text.empty() || ec != std::errc() || ptr != end) {
        return MakeUnexpected(
            MakeError(ErrorCode::BadDifficulty, std::string(field), "not a number", text));
    }
    return v;
}

// Shortest round-trip text of a double, "inf" and "nan" included.
std::string FormatDouble(double v) {
    char buf[64];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof(buf), v);
    return ec == std::errc() ? std::string(buf, ptr) : std::string("?");
}

} // namespace

Result<JobId> JobId::FromJson(const json& j, std::string_view field) {
    auto text = AsString(j, field, MAX_LENGTH);
    if (!text) {
        return MakeUnexpected(text.error());
    }
    if (text->empty()) {
        return MakeUnexpected(MakeError(ErrorCode::BadText, std::string(field), "empty job id"));
    }
    for (char c : *text) {
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
            return MakeUnexpected(MakeError(ErrorCode::BadText, std::string(field),
                                            "job id must be printable ASCII", *text));
        }
    }
    return JobId(std::string(*text));
}

Result<PrevHash> PrevHash::FromJson(const json& j, std::string_view field) {
    auto text = AsString(j, field, 64);
    if (!text) {
        return MakeUnexpected(text.error());
    }
    auto h = core::DecodeStratumPrevHash(*text);
    if (!h) {
        return MakeUnexpected(HexFailure(field, h.error(), *text));
    }
    return PrevHash(*h);
}

Result<HexU32> HexU32::FromJson(const json& j, std::string_view field) {
    auto text = AsString(j, field, 8);
    if (!text) {
        return MakeUnexpected(text.error());
    }
    auto v = core::ParseHexU32BE(*text);
    if (!v) {
        return MakeUnexpected(HexFailure(field, v.error(), *text));
    }
    return HexU32(*v);
}

Result<CoinbasePart> CoinbasePart::FromJson(const json& j, std::string_view field) {
    auto bytes = BoundedHexBytes(j, field, MAX_HEX_CHARS / 2);
    if (!bytes) {
        return MakeUnexpected(bytes.error());
    }
    return CoinbasePart(std::move(*bytes));
}

Result<Extranonce1> Extranonce1::FromJson(const json& j, std::string_view field) {
    auto bytes = BoundedHexBytes(j, field, MAX_BYTES);
    if (!bytes) {
        return MakeUnexpected(bytes.error());
    }
    return Extranonce1(std::move(*bytes));
}

Result<Extranonce2Size> Extranonce2Size::FromJson(const json& j, std::string_view field) {
    auto v = detail::AsInteger(j, field, MIN, MAX);
    if (!v) {
        return MakeUnexpected(v.error());
    }
    return Extranonce2Size(static_cast<std::size_t>(*v));
}

Result<MerkleBranch> MerkleBranch::FromJson(const json& j, std::string_view field) {
    if (!j.is_array()) {
        return MakeUnexpected(detail::WrongType(field, "an array", j));
    }
    if (j.size() > MAX_ENTRIES) {
        return MakeUnexpected(MakeError(ErrorCode::TooLong, std::string(field),
                                        std::to_string(j.size()) + " entries, at most " +
                                            std::to_string(MAX_ENTRIES)));
    }
    std::vector<core::Hash256> hashes;
    hashes.reserve(j.size());
    for (std::size_t i = 0; i < j.size(); ++i) {
        const std::string entry = std::string(field) + "[" + std::to_string(i) + "]";
        auto text = AsString(j[i], entry, 64);
        if (!text) {
            return MakeUnexpected(text.error());
        }
        auto h = core::Hash256::FromWireHex(*text);
        if (!h) {
            return MakeUnexpected(HexFailure(entry, h.error(), *text));
        }
        hashes.push_back(*h);
    }
    return MerkleBranch(std::move(hashes));
}

Result<Difficulty> Difficulty::FromJson(const json& j, std::string_view field) {
    if (j.is_number()) {
        return FromDouble(j.get<double>(), field);
    }
    if (j.is_string()) {
        auto text = AsString(j, field, MAX_TEXT_CHARS);
        if (!text) {
            return MakeUnexpected(text.error());
        }
        auto v = ParseNumberText(*text, field);
        if (!v) {
            return MakeUnexpected(v.error());
        }
        auto d = FromDouble(*v, field);
        if (!d) {
            ProtocolError e = d.error();
            e.input = detail::Echo(j);
            return MakeUnexpected(std::move(e));
        }
        return d;
    }
    return MakeUnexpected(detail::WrongType(field, "a number or a numeric string", j));
}

Result<Difficulty> Difficulty::FromDouble(double value, std::string_view field) {
    auto target = core::DifficultyToTarget(value);
    if (!target) {
        ProtocolError e =
            MakeError(ErrorCode::BadDifficulty, std::string(field), core::ToString(target.error()));
        e.input = FormatDouble(value);
        return MakeUnexpected(std::move(e));
    }
    return Difficulty(value, *target);
}

Difficulty Difficulty::One() {
    return Difficulty(1.0, core::Diff1Target());
}

} // namespace nonceforge::stratum
