// The lottery odds of solo mining at a hashrate: a block needs on average difficulty * 2^32
// hashes, so blocks come as a Poisson process of rate hashrate / (difficulty * 2^32). No I/O.
#pragma once

#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

namespace nonceforge::miner::solo {

struct SoloOdds {
    double expected_hashes_per_block = 0; // difficulty * 2^32
    double blocks_per_day = 0;            // expected, at the hashrate
    double chance_per_day = 0;            // of at least one block in 24 h: 1 - e^-blocks_per_day
    std::optional<double> expected_seconds_to_block; // none at hashrate 0
};

inline SoloOdds ComputeSoloOdds(double network_difficulty, double hashes_per_second) {
    SoloOdds o;
    if (!(network_difficulty > 0) || !std::isfinite(network_difficulty)) {
        return o;
    }
    o.expected_hashes_per_block = std::ldexp(network_difficulty, 32);
    if (!(hashes_per_second > 0) || !std::isfinite(hashes_per_second)) {
        return o;
    }
    o.blocks_per_day = hashes_per_second * 86400.0 / o.expected_hashes_per_block;
    o.chance_per_day = -std::expm1(-o.blocks_per_day); // exact for tiny rates too
    o.expected_seconds_to_block = o.expected_hashes_per_block / hashes_per_second;
    return o;
}

// "12.3 s", "4.5 min", "3.2 h", "17.4 days", "2.1 years", "3.4e+06 years".
inline std::string FormatExpectedTime(double seconds) {
    char buf[48];
    if (seconds < 60) {
        std::snprintf(buf, sizeof buf, "%.3g s", seconds);
    } else if (seconds < 3600) {
        std::snprintf(buf, sizeof buf, "%.3g min", seconds / 60);
    } else if (seconds < 86400) {
        std::snprintf(buf, sizeof buf, "%.3g h", seconds / 3600);
    } else if (seconds < 365.25 * 86400) {
        std::snprintf(buf, sizeof buf, "%.3g days", seconds / 86400);
    } else {
        std::snprintf(buf, sizeof buf, "%.3g years", seconds / (365.25 * 86400));
    }
    return buf;
}

// "1 in 3.2e+06" below 1 %, "12.5 %" above it, "100 %" when a block a day is all but certain.
inline std::string FormatChance(double probability) {
    char buf[48];
    if (probability <= 0) {
        return "0";
    }
    if (probability < 0.01) {
        std::snprintf(buf, sizeof buf, "1 in %.3g", 1 / probability);
    } else if (probability < 0.9995) {
        std::snprintf(buf, sizeof buf, "%.3g %%", probability * 100);
    } else {
        return "100 %";
    }
    return buf;
}

} // namespace nonceforge::miner::solo
