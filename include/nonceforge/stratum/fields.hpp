// Validated Stratum V1 field types. Each one can only be made by parsing (or from a value that
// is checked), so a value of these types is always within its bounds and already converted out
// of its wire form: the prevhash word swap and the big-endian hex u32s live here and nowhere
// else in the protocol layer (the conversions themselves are core's, see stratum_fields.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "nonceforge/core/hash256.hpp"
#include "nonceforge/core/u256.hpp"
#include "nonceforge/stratum/error.hpp"

namespace nonceforge::stratum {

// mining.notify job id: 1..MAX_LENGTH printable ASCII characters. Echoed back in mining.submit.
class JobId {
public:
    static constexpr std::size_t MAX_LENGTH = 128;
    static Result<JobId> FromJson(const nlohmann::json& j, std::string_view field);
    const std::string& Str() const { return m_value; }
    friend bool operator==(const JobId&, const JobId&) = default;

private:
    explicit JobId(std::string v)
        : m_value(std::move(v)) {}
    std::string m_value;
};

// mining.notify prevhash: 64 hex digits, the internal-order hash with each 4-byte word
// byte-reversed. Holds the hash in internal (header) order.
class PrevHash {
public:
    static Result<PrevHash> FromJson(const nlohmann::json& j, std::string_view field);
    const core::Hash256& Internal() const { return m_internal; }
    friend bool operator==(const PrevHash&, const PrevHash&) = default;

private:
    explicit PrevHash(const core::Hash256& h)
        : m_internal(h) {}
    core::Hash256 m_internal;
};

// version, nbits, ntime, version masks: exactly 8 hex digits, the u32 as big-endian text.
class HexU32 {
public:
    static Result<HexU32> FromJson(const nlohmann::json& j, std::string_view field);
    uint32_t Value() const { return m_value; }

private:
    explicit HexU32(uint32_t v)
        : m_value(v) {}
    uint32_t m_value;
};

// coinb1 / coinb2: raw bytes as hex, at most MAX_HEX_CHARS digits.
class CoinbasePart {
public:
    static constexpr std::size_t MAX_HEX_CHARS = 64 * 1024;
    static Result<CoinbasePart> FromJson(const nlohmann::json& j, std::string_view field);
    const std::vector<uint8_t>& Bytes() const { return m_bytes; }

private:
    explicit CoinbasePart(std::vector<uint8_t> b)
        : m_bytes(std::move(b)) {}
    std::vector<uint8_t> m_bytes;
};

// extranonce1: raw bytes as hex, 0..MAX_BYTES bytes.
class Extranonce1 {
public:
    static constexpr std::size_t MAX_BYTES = 32;
    static Result<Extranonce1> FromJson(const nlohmann::json& j, std::string_view field);
    const std::vector<uint8_t>& Bytes() const { return m_bytes; }
    friend bool operator==(const Extranonce1&, const Extranonce1&) = default;

private:
    explicit Extranonce1(std::vector<uint8_t> b)
        : m_bytes(std::move(b)) {}
    std::vector<uint8_t> m_bytes;
};

// extranonce2 size: a JSON integer in MIN..MAX bytes.
class Extranonce2Size {
public:
    static constexpr std::size_t MIN = 1;
    static constexpr std::size_t MAX = 16;
    static Result<Extranonce2Size> FromJson(const nlohmann::json& j, std::string_view field);
    std::size_t Value() const { return m_value; }

private:
    explicit Extranonce2Size(std::size_t v)
        : m_value(v) {}
    std::size_t m_value;
};

// mining.notify merkle branch: at most MAX_ENTRIES hashes of 32 raw bytes each (64 hex digits,
// never reversed), bottom-up.
class MerkleBranch {
public:
    static constexpr std::size_t MAX_ENTRIES = 32;
    static Result<MerkleBranch> FromJson(const nlohmann::json& j, std::string_view field);
    const std::vector<core::Hash256>& Hashes() const { return m_hashes; }

private:
    explicit MerkleBranch(std::vector<core::Hash256> h)
        : m_hashes(std::move(h)) {}
    std::vector<core::Hash256> m_hashes;
};

// Pool share difficulty with its target. Accepted forms: a JSON number (integer or float,
// exponent form included) or a string holding one ("16384", "1e3", "0.00001"). NaN, infinity,
// zero, negatives and values whose target does not fit 256 bits are rejected with the reason
// core::DifficultyToTarget gives.
class Difficulty {
public:
    static constexpr std::size_t MAX_TEXT_CHARS = 64;
    static Result<Difficulty> FromJson(const nlohmann::json& j, std::string_view field);
    static Result<Difficulty> FromDouble(double value, std::string_view field);
    static Difficulty One();
    double Value() const { return m_value; }
    const core::U256& Target() const { return m_target; }

private:
    Difficulty(double v, const core::U256& t)
        : m_value(v)
        , m_target(t) {}
    double m_value;
    core::U256 m_target;
};

} // namespace nonceforge::stratum
