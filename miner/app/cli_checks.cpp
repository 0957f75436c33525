#include "miner/app/cli_checks.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace nonceforge::miner::app {

bool ParseFinite(const std::string& text, double& out) {
    const char* begin = text.data();
    const char* end = text.data() + text.size();
    if (begin != end && *begin == '+') {
        ++begin; // "+5" is a number to a person; from_chars does not take the sign
    }
    if (begin == end) {
        return false;
    }
    const auto [ptr, ec] = std::from_chars(begin, end, out);
    return ec == std::errc() && ptr == end && std::isfinite(out);
}

std::string HumanNumber(double v) {
    char buf[40];
    if (v == std::floor(v) && std::fabs(v) < 1e16) {
        std::snprintf(buf, sizeof buf, "%.0f", v);
    } else {
        std::snprintf(buf, sizeof buf, "%g", v);
    }
    return buf;
}

namespace {

std::string Quoted(const std::string& text) {
    return "\"" + (text.size() > 40 ? text.substr(0, 40) + "..." : text) + "\"";
}

} // namespace

CLI::Validator Number(const std::string& unit, double min, bool min_inclusive, double max,
                      bool max_inclusive) {
    std::string range = "must be a number";
    if (!unit.empty()) {
        range += " of " + unit;
    }
    range += std::string(min_inclusive ? " >= " : " > ") + HumanNumber(min);
    if (std::isfinite(max)) {
        range += std::string(" and ") + (max_inclusive ? "<= " : "< ") + HumanNumber(max);
    }
    return CLI::Validator(
        [=](std::string& text) -> std::string {
            double v = 0;
            if (!ParseFinite(text, v) || (min_inclusive ? v < min : v <= min) ||
                (max_inclusive ? v > max : v >= max)) {
                return range + ", got " + Quoted(text);
            }
            return {};
        },
        "", "");
}

CLI::Validator Count(long long min, long long max) {
    const std::string range =
        "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max);
    return CLI::Validator(
        [=](std::string& text) -> std::string {
            long long v = 0;
            const char* begin = text.data();
            const char* end = text.data() + text.size();
            const auto [ptr, ec] = std::from_chars(begin, end, v);
            if (begin == end || ec != std::errc() || ptr != end || v < min || v > max) {
                return range + ", got " + Quoted(text);
            }
            return {};
        },
        "", "");
}

CLI::Validator Algorithm() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            if (text == "sha256d" || text == "sha256") {
                return {};
            }
            return "nonceforge mines only sha256d (Bitcoin's proof of work), got " + Quoted(text);
        },
        "", "");
}

} // namespace nonceforge::miner::app
