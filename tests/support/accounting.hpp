// The share accounting every end-to-end run must satisfy: each share found ends in exactly one
// of accepted, rejected, stale or lost, in total and per backend, with none left pending.
#pragma once

#include <gtest/gtest.h>

#include "miner/stats.hpp"

namespace nonceforge::test {

inline void ExpectAccountingHolds(const miner::StatsSnapshot& s) {
    const auto& c = s.total.shares;
    EXPECT_EQ(c.found, c.accepted + c.rejected + c.stale + c.lost);
    EXPECT_EQ(c.Pending(), 0u);
    EXPECT_EQ(c.hardware_errors, 0u);
    for (const auto& b : s.backends) {
        EXPECT_EQ(b.shares.found,
                  b.shares.accepted + b.shares.rejected + b.shares.stale + b.shares.lost)
            << b.name;
    }
}

} // namespace nonceforge::test
