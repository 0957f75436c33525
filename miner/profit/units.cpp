#include "miner/profit/units.hpp"

#include <charconv>
#include <cmath>

namespace nonceforge::miner::profit {

namespace {

bool IsBlank(char c) {
    return c == ' ' || c == '\t';
}

std::string_view Trim(std::string_view s) {
    while (!s.empty() && IsBlank(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && IsBlank(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

// The longest decimal at the start of `s` (std::from_chars grammar: no leading '+', and an
// 'e'/'E' not followed by digits is not part of the number, so "3E" leaves "E" as the prefix).
struct Leading {
    double value = 0;
    std::string_view rest;
    bool ok = false;
    bool out_of_range = false;
};

Leading ParseLeading(std::string_view s) {
    Leading r;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), r.value);
    if (ec == std::errc::result_out_of_range) {
        r.out_of_range = true;
        return r;
    }
    if (ec != std::errc()) {
        return r;
    }
    r.ok = true;
    r.rest = s.substr(std::size_t(end - s.data()));
    return r;
}

std::optional<double> SiFactor(char prefix) {
    switch (prefix) {
    case 'k':
    case 'K':
        return 1e3;
    case 'M':
        return 1e6;
    case 'G':
        return 1e9;
    case 'T':
        return 1e12;
    case 'P':
        return 1e15;
    case 'E':
        return 1e18;
    default:
        return std::nullopt;
    }
}

enum class Unit { None, Hash, Watt };

bool IsUnit(std::string_view s, Unit unit) {
    switch (unit) {
    case Unit::None:
        return false;
    case Unit::Hash:
        return s == "H/s" || s == "h/s" || s == "H" || s == "h";
    case Unit::Watt:
        return s == "W" || s == "w";
    }
    return false;
}

// Shared by ParseSiNumber, ParseHashrate and ParsePower: a number, an optional SI prefix, and
// optionally `unit` after it. Non-finite values are reported before the sign, so "-inf" is
// NotFinite rather than Negative.
core::Expected<double, NumberError> ParseScaled(std::string_view text, Unit unit) {
    std::string_view s = Trim(text);
    if (s.empty()) {
        return core::MakeUnexpected(NumberError::Empty);
    }
    const Leading lead = ParseLeading(s);
    if (lead.out_of_range) {
        return core::MakeUnexpected(NumberError::NotFinite);
    }
    if (!lead.ok) {
        return core::MakeUnexpected(NumberError::NotANumber);
    }
    if (!std::isfinite(lead.value)) { // from_chars accepts "nan" and "inf"
        return core::MakeUnexpected(NumberError::NotFinite);
    }
    if (s.front() == '-') {
        return core::MakeUnexpected(NumberError::Negative);
    }
    std::string_view rest = Trim(lead.rest);
    double factor = 1;
    if (!rest.empty()) {
        if (auto f = SiFactor(rest.front())) {
            factor = *f;
            rest = Trim(rest.substr(1));
        }
    }
    if (IsUnit(rest, unit)) {
        rest = {};
    }
    if (!rest.empty()) {
        const char c = rest.front();
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        return core::MakeUnexpected(letter ? NumberError::BadSuffix : NumberError::NotANumber);
    }
    const double value = lead.value * factor;
    if (!std::isfinite(value)) {
        return core::MakeUnexpected(NumberError::NotFinite);
    }
    return value;
}

} // namespace

std::string ToString(NumberError e) {
    switch (e) {
    case NumberError::Empty:
        return "empty value";
    case NumberError::NotANumber:
        return "not a number";
    case NumberError::Negative:
        return "must not be negative";
    case NumberError::NotFinite:
        return "must be a finite number";
    case NumberError::BadSuffix:
        return "unknown unit (use k, M, G, T, P or E)";
    }
    return "bad number";
}

std::optional<double> ParseDecimal(std::string_view text) {
    auto v = ParseFiniteDecimal(text);
    if (!v) {
        return std::nullopt;
    }
    return *v;
}

core::Expected<double, NumberError> ParseFiniteDecimal(std::string_view text) {
    const std::string_view s = Trim(text);
    if (s.empty()) {
        return core::MakeUnexpected(NumberError::Empty);
    }
    const Leading lead = ParseLeading(s);
    if (lead.out_of_range) {
        return core::MakeUnexpected(NumberError::NotFinite);
    }
    if (!lead.ok || !lead.rest.empty()) {
        return core::MakeUnexpected(NumberError::NotANumber);
    }
    if (!std::isfinite(lead.value)) {
        return core::MakeUnexpected(NumberError::NotFinite);
    }
    return lead.value;
}

std::optional<uint64_t> ParseUnsigned(std::string_view text) {
    const std::string_view s = Trim(text);
    uint64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
        return std::nullopt;
    }
    return v;
}

core::Expected<double, NumberError> ParseSiNumber(std::string_view text) {
    return ParseScaled(text, Unit::None);
}

core::Expected<double, NumberError> ParseHashrate(std::string_view text) {
    return ParseScaled(text, Unit::Hash);
}

core::Expected<double, NumberError> ParsePower(std::string_view text) {
    return ParseScaled(text, Unit::Watt);
}

} // namespace nonceforge::miner::profit
