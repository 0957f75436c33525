// Number formatting shared by the profit table and chart (internal to miner/profit). Output
// uses the C locale's decimal point: nonceforge never calls setlocale.
#pragma once

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <string>

namespace nonceforge::miner::profit::text {

inline std::string Format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

// printf into a std::string; every use prints one short number or label (< 256 chars).
inline std::string Format(const char* fmt, ...) {
    char buf[256];
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, args);
    va_end(args);
    return buf;
}

// Thousands separators in the integer part of a printf'd number: "-1234567.89" ->
// "-1,234,567.89". Exponent forms ("1.2e-07") and "inf"/"nan" are left alone.
inline std::string Group(const std::string& s) {
    if (s.find_first_of("eEn") != std::string::npos) {
        return s;
    }
    const std::size_t start = (!s.empty() && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    std::size_t end = s.find('.');
    if (end == std::string::npos) {
        end = s.size();
    }
    std::string out = s.substr(0, start);
    for (std::size_t i = start; i < end; ++i) {
        if (i > start && (end - i) % 3 == 0) {
            out += ',';
        }
        out += s[i];
    }
    out += s.substr(end);
    return out;
}

inline std::string GroupInt(unsigned long long v) {
    return Group(Format("%llu", v));
}

// `decimals` fixed decimals with thousands separators, or three significant digits when the
// fixed form would print a non-zero value as 0 (a CPU miner earns fractions of a satoshi and
// of a cent a day).
inline std::string Fixed(double v, int decimals) {
    if (!std::isfinite(v)) {
        return "n/a";
    }
    if (v == 0 || std::fabs(v) >= 0.5 * std::pow(10.0, -decimals)) {
        return Group(Format("%.*f", decimals, v));
    }
    return Format("%.3g", v);
}

// Money and other amounts: two decimals.
inline std::string Amount(double v) {
    return Fixed(v, 2);
}

// 100e12 -> "100.00 T" (SI prefixes up to E).
inline std::string Si(double v) {
    static constexpr const char* PREFIXES[] = {"", " k", " M", " G", " T", " P", " E"};
    int p = 0;
    while (std::fabs(v) >= 1000.0 && p < 6) {
        v /= 1000.0;
        ++p;
    }
    return Format("%.2f%s", v, PREFIXES[p]);
}

} // namespace nonceforge::miner::profit::text
