// Reading a coinbase transaction (non-witness serialization, as Stratum assembles it): the
// BIP 34 block height pushed first in its scriptSig, and the total value of its outputs
// (subsidy + fees, in satoshis). Used by `nonceforge probe` and the profitability estimate.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace nonceforge::core {

struct CoinbaseInfo {
    std::optional<uint32_t> height; // BIP 34 push; absent before BIP 34 or when malformed
    std::optional<uint64_t> value;  // sum of the outputs in satoshis; absent when unreadable
    std::size_t outputs = 0;
};

namespace detail {

struct Reader {
    std::span<const uint8_t> data;
    std::size_t pos = 0;
    bool ok = true;

    bool Need(std::size_t n) {
        ok = ok && pos + n <= data.size();
        return ok;
    }
    uint64_t Le(std::size_t n) {
        if (!Need(n)) {
            return 0;
        }
        uint64_t v = 0;
        for (std::size_t i = 0; i < n; ++i) {
            v |= uint64_t(data[pos + i]) << (8 * i);
        }
        pos += n;
        return v;
    }
    uint64_t VarInt() {
        const uint64_t first = Le(1);
        return first < 0xfd ? first : first == 0xfd ? Le(2) : first == 0xfe ? Le(4) : Le(8);
    }
    void Skip(uint64_t n) {
        if (n > data.size() || !Need(std::size_t(n))) {
            ok = false;
            return;
        }
        pos += std::size_t(n);
    }
};

} // namespace detail

inline CoinbaseInfo DecodeCoinbase(std::span<const uint8_t> tx) {
    CoinbaseInfo info;
    detail::Reader r{tx};
    r.Le(4);               // version
    if (r.VarInt() != 1) { // a coinbase has exactly one input
        return info;
    }
    r.Skip(36); // null prevout
    const uint64_t script_len = r.VarInt();
    if (!r.ok || script_len > tx.size() - r.pos) {
        return info;
    }
    const std::size_t script = r.pos;
    // BIP 34: the first push is the height, as a minimal little-endian number (1..4 bytes here).
    if (script_len >= 2) {
        const uint8_t push = tx[script];
        if (push >= 1 && push <= 4 && push < script_len) {
            uint32_t h = 0;
            for (uint8_t i = 0; i < push; ++i) {
                h |= uint32_t(tx[script + 1 + i]) << (8 * i);
            }
            info.height = h;
        } else if (push >= 0x51 && push <= 0x60) { // OP_1..OP_16: heights 1..16
            info.height = uint32_t(push - 0x50);
        }
    }
    r.Skip(script_len);
    r.Le(4); // sequence
    const uint64_t outputs = r.VarInt();
    if (!r.ok || outputs > 10000) {
        return info;
    }
    uint64_t total = 0;
    for (uint64_t i = 0; i < outputs && r.ok; ++i) {
        total += r.Le(8);
        r.Skip(r.VarInt());
    }
    if (r.ok) {
        info.value = total;
        info.outputs = std::size_t(outputs);
    }
    return info;
}

} // namespace nonceforge::core
