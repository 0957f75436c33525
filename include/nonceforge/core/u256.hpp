// U256: an unsigned 256-bit integer for target arithmetic, eight 32-bit limbs, least
// significant first. Kept apart from Hash256 (opaque bytes) on purpose; the conversions between
// them are explicit and say which byte order they assume.
#pragma once

#include <array>
#include <cmath>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "nonceforge/core/bytes.hpp"
#include "nonceforge/core/expected.hpp"
#include "nonceforge/core/hash256.hpp"
#include "nonceforge/core/hex.hpp"

namespace nonceforge::core {

class U256 {
public:
    constexpr U256() = default;
    constexpr explicit U256(uint64_t v) {
        m_limb[0] = uint32_t(v);
        m_limb[1] = uint32_t(v >> 32);
    }

    static constexpr U256 Max() {
        U256 r;
        for (auto& l : r.m_limb) {
            l = 0xffffffffu;
        }
        return r;
    }

    constexpr uint32_t Limb(int i) const { return m_limb[i]; }
    constexpr void SetLimb(int i, uint32_t v) { m_limb[i] = v; }
    // The most significant 32 bits: what a scan compares before the full compare.
    constexpr uint32_t TopWord() const { return m_limb[7]; }

    constexpr bool IsZero() const {
        for (uint32_t l : m_limb) {
            if (l != 0) {
                return false;
            }
        }
        return true;
    }

    // Index of the highest set bit plus one (0 for zero).
    constexpr int Bits() const {
        for (int i = 7; i >= 0; --i) {
            if (m_limb[i] != 0) {
                for (int b = 31; b >= 0; --b) {
                    if (m_limb[i] >> b & 1) {
                        return i * 32 + b + 1;
                    }
                }
            }
        }
        return 0;
    }

    constexpr U256 operator<<(unsigned shift) const {
        U256 r;
        if (shift >= 256) {
            return r;
        }
        const unsigned k = shift / 32, s = shift % 32;
        for (int i = 7; i >= int(k); --i) {
            uint64_t v = uint64_t(m_limb[i - k]) << s;
            if (s != 0 && i - int(k) - 1 >= 0) {
                v |= uint64_t(m_limb[i - k - 1]) >> (32 - s);
            }
            r.m_limb[i] = uint32_t(v);
        }
        return r;
    }

    constexpr U256 operator>>(unsigned shift) const {
        U256 r;
        if (shift >= 256) {
            return r;
        }
        const unsigned k = shift / 32, s = shift % 32;
        for (int i = 0; i + int(k) < 8; ++i) {
            uint64_t v = m_limb[i + k] >> s;
            if (s != 0 && i + int(k) + 1 < 8) {
                v |= uint64_t(m_limb[i + k + 1]) << (32 - s);
            }
            r.m_limb[i] = uint32_t(v);
        }
        return r;
    }

    constexpr std::strong_ordering operator<=>(const U256& o) const {
        for (int i = 7; i >= 0; --i) {
            if (m_limb[i] != o.m_limb[i]) {
                return m_limb[i] <=> o.m_limb[i];
            }
        }
        return std::strong_ordering::equal;
    }
    constexpr bool operator==(const U256& o) const = default;

    // Nearest double (used for difficulty, which is a ratio of targets).
    double ToDouble() const {
        double r = 0;
        for (int i = 7; i >= 0; --i) {
            r = r * 4294967296.0 + double(m_limb[i]);
        }
        return r;
    }

    // floor(v) for a finite v >= 0; nullopt when v >= 2^256.
    static std::optional<U256> FromDouble(double v) {
        if (!(v >= 0) || !std::isfinite(v)) {
            return std::nullopt;
        }
        int exp = 0;
        double frac = std::frexp(v, &exp); // v = frac * 2^exp, frac in [0.5, 1)
        if (v == 0 || exp <= 0) {
            return U256();
        }
        if (exp > 256) {
            return std::nullopt;
        }
        // 53 significant bits: take them as an integer, then shift into place.
        uint64_t mant = uint64_t(std::ldexp(frac, 53));
        if (exp >= 53) {
            return U256(mant) << unsigned(exp - 53);
        }
        return U256(mant >> unsigned(53 - exp));
    }

    // Hash256 bytes read as a little-endian number: how Bitcoin compares a hash to a target.
    static U256 FromHashLE(const Hash256& h) {
        U256 r;
        for (int i = 0; i < 8; ++i) {
            r.m_limb[i] = ReadLE32(h.bytes.data() + 4 * i);
        }
        return r;
    }
    Hash256 ToHashLE() const {
        Hash256 h;
        for (int i = 0; i < 8; ++i) {
            WriteLE32(h.bytes.data() + 4 * i, m_limb[i]);
        }
        return h;
    }

    // 64 hex digits, most significant first (how targets are usually printed).
    std::string ToHex() const { return ToHashLE().ToDisplayHex(); }
    static Expected<U256, HexError> FromHex(std::string_view hex64) {
        auto h = Hash256::FromDisplayHex(hex64);
        if (!h) {
            return MakeUnexpected(h.error());
        }
        return FromHashLE(*h);
    }

private:
    std::array<uint32_t, 8> m_limb{};
};

} // namespace nonceforge::core
