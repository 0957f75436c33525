// Targets: compact nBits <-> 256-bit target (Bitcoin Core's arith_uint256::SetCompact and
// GetCompact), pool difficulty <-> share target, and the proof-of-work comparison.
//
// Pool difficulty 1 is the target 0xFFFF * 2^208 (0x00000000FFFF0000...0). A share target is
// diff1 / difficulty; difficulty may be far below 1 (0.00001 on some pools) or very large.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

#include "nonceforge/core/bytes.hpp"
#include "nonceforge/core/expected.hpp"
#include "nonceforge/core/hash256.hpp"
#include "nonceforge/core/u256.hpp"

namespace nonceforge::core {

struct CompactTarget {
    U256 target;
    bool negative = false; // the sign bit 0x00800000 was set on a non-zero mantissa
    bool overflow = false; // the value does not fit in 256 bits
    bool IsValidPow() const { return !negative && !overflow && !target.IsZero(); }
};

constexpr CompactTarget DecodeCompact(uint32_t nbits) {
    CompactTarget r;
    const unsigned size = nbits >> 24;
    uint32_t word = nbits & 0x007fffffu;
    if (size <= 3) {
        word >>= 8 * (3 - size);
        r.target = U256(word);
    } else {
        r.target = U256(word) << (8 * (size - 3));
    }
    r.negative = word != 0 && (nbits & 0x00800000u) != 0;
    r.overflow =
        word != 0 && ((size > 34) || (word > 0xff && size > 33) || (word > 0xffff && size > 32));
    if (r.overflow) {
        r.target = U256();
    }
    return r;
}

constexpr uint32_t EncodeCompact(const U256& target) {
    unsigned size = unsigned(target.Bits() + 7) / 8;
    uint32_t compact = 0;
    if (size <= 3) {
        compact = target.Limb(0) << (8 * (3 - size));
    } else {
        compact = (target >> (8 * (size - 3))).Limb(0);
    }
    if (compact & 0x00800000u) { // keep the mantissa positive
        compact >>= 8;
        ++size;
    }
    return compact | (size << 24);
}

// 0x00000000FFFF0000000000000000000000000000000000000000000000000000.
inline U256 Diff1Target() {
    return U256(0xFFFF) << 208;
}

enum class DifficultyError {
    NotFinite,   // NaN or infinity
    NotPositive, // zero or negative
    TooSmall,    // the target would not fit in 256 bits (difficulty below ~2.3e-10)
    TooLarge,    // the target would be zero
};

inline std::string ToString(DifficultyError e) {
    switch (e) {
    case DifficultyError::NotFinite:
        return "difficulty is not a finite number";
    case DifficultyError::NotPositive:
        return "difficulty must be positive";
    case DifficultyError::TooSmall:
        return "difficulty too small (target exceeds 2^256)";
    case DifficultyError::TooLarge:
        return "difficulty too large (target is zero)";
    }
    return "bad difficulty";
}

// Share target = floor(diff1 / difficulty). The quotient 65535 / difficulty is computed in
// double precision (correctly rounded, 53 significant bits) and scaled by 2^208 exactly, which
// is how pools compute it too (cpuminer's diff_to_target, ckpool's target_from_diff).
inline Expected<U256, DifficultyError> DifficultyToTarget(double difficulty) {
    if (!std::isfinite(difficulty)) {
        return MakeUnexpected(DifficultyError::NotFinite);
    }
    if (!(difficulty > 0)) {
        return MakeUnexpected(DifficultyError::NotPositive);
    }
    const double scaled = std::ldexp(65535.0 / difficulty, 208);
    auto target = U256::FromDouble(scaled);
    if (!target) {
        return MakeUnexpected(DifficultyError::TooSmall);
    }
    if (target->IsZero()) {
        return MakeUnexpected(DifficultyError::TooLarge);
    }
    return *target;
}

// diff1 / target: the difficulty a target stands for (infinity for a zero target).
inline double TargetToDifficulty(const U256& target) {
    if (target.IsZero()) {
        return INFINITY;
    }
    return std::ldexp(65535.0, 208) / target.ToDouble();
}

// Network difficulty as Bitcoin Core's getdifficulty reports it.
inline double DifficultyFromBits(uint32_t nbits) {
    return TargetToDifficulty(DecodeCompact(nbits).target);
}

// A hash meets a target when, read as a little-endian 256-bit number, it is <= the target.
inline bool HashMeetsTarget(const Hash256& hash, const U256& target) {
    return U256::FromHashLE(hash) <= target;
}

// The scans' cheap pre-filter: the hash's most significant 32 bits (bytes 28..31, read
// little-endian) against the target's. Every hash that meets the target passes; a survivor
// still needs HashMeetsTarget.
inline bool HashPassesTopWord(const Hash256& hash, const U256& target) {
    return ReadLE32(hash.bytes.data() + 28) <= target.TopWord();
}

// The difficulty a hash achieved (diff1 / hash): what "best share" reports.
inline double HashDifficulty(const Hash256& hash) {
    return TargetToDifficulty(U256::FromHashLE(hash));
}

} // namespace nonceforge::core
