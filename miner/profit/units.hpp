// Parsing the numbers people type for `nonceforge profit`: plain decimals, SI-suffixed values
// ("83.1T" difficulty) and hashrates ("12.5T", "100 MH/s", "3e12"). Pure: no I/O, no throw.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "nonceforge/core/expected.hpp"

namespace nonceforge::miner::profit {

enum class NumberError {
    Empty,      // nothing but blanks
    NotANumber, // no digits where a number should start, or text left over after it
    Negative,   // a leading '-' (every quantity parsed here is >= 0)
    NotFinite,  // NaN, infinity, or a value that overflows a double (with its suffix applied)
    BadSuffix,  // a unit prefix other than k/K, M, G, T, P, E, or a unit other than the one
                // the quantity allows (H/s for a hashrate, W for a power)
};

std::string ToString(NumberError e);

// A finite decimal ("0.05", "1e-3", "-2.5"); surrounding blanks are ignored. Signed, because
// growth rates may be negative; callers check ranges.
std::optional<double> ParseDecimal(std::string_view text);

// The same, saying why a text is refused: NotFinite for "nan", "inf", "-inf" and values beyond
// a double ("1e999"), Empty, or NotANumber.
core::Expected<double, NumberError> ParseFiniteDecimal(std::string_view text);

// A non-negative integer in decimal ("840000"); no sign, no fraction, no exponent.
std::optional<uint64_t> ParseUnsigned(std::string_view text);

// A non-negative number with an optional SI prefix (NaN, infinity and "-inf" are NotFinite
// before they are Negative): k or K = 1e3, M = 1e6, G = 1e9, T = 1e12,
// P = 1e15, E = 1e18 ("3E" is 3e18; "3e18" is an exponent; lowercase m, g, t, p are refused
// because "m" would read as milli). Blanks between the number and the prefix are allowed.
core::Expected<double, NumberError> ParseSiNumber(std::string_view text);

// A hashrate in H/s: an SI number optionally followed by "H/s", "h/s", "H" or "h"
// ("12.5T", "12.5 TH/s", "100M", "3e12", "950 kH/s").
core::Expected<double, NumberError> ParseHashrate(std::string_view text);

// A power in W: an SI number optionally followed by "W" or "w" ("3kW", "3 kW", "3000W", "3000").
core::Expected<double, NumberError> ParsePower(std::string_view text);

} // namespace nonceforge::miner::profit
