// Shared inputs and helpers for the profitability tests.
#pragma once

#include <cmath>
#include <iomanip>

#include <gtest/gtest.h>

#include "miner/profit/profit.hpp"

namespace nonceforge::miner::profit::testing {

// The worked example of docs/profitability.md: 100 TH/s at 3,000 W, 0.05 USD/kWh, BTC at
// 100,000 USD, difficulty 100 T, block 1,045,000 (subsidy 3.125 BTC, a halving 5,000 blocks
// ahead), 0.0625 BTC fees per block, pool fee 2 %, stale 1 %, uptime 95 %, hardware
// 1,500 USD, share difficulty 65,536; growth, price change and horizon left to their defaults.
inline ProfitInputs WorkedExample() {
    ProfitInputs in;
    in.hashrate_hps = 100e12;
    in.power_watts = 3000;
    in.electricity_price_per_kwh = 0.05;
    in.btc_price = 100000;
    in.network_difficulty = 100e12;
    in.height = 1045000;
    in.fees_per_block_btc = 0.0625;
    in.pool_fee_percent = 2;
    in.stale_rate_percent = 1;
    in.uptime_percent = 95;
    in.hardware_cost = 1500;
    in.share_difficulty = 65536;
    return in;
}

// Only the required inputs: every optional one takes its default.
inline ProfitInputs RequiredOnly() {
    ProfitInputs in;
    in.hashrate_hps = 100e12;
    in.power_watts = 3000;
    in.electricity_price_per_kwh = 0.05;
    in.btc_price = 100000;
    in.network_difficulty = 100e12;
    in.height = 1045000;
    return in;
}

inline ProfitReport Estimate(const ProfitInputs& in) {
    auto r = EstimateProfit(in);
    if (!r) {
        ADD_FAILURE() << "EstimateProfit refused --" << InputName(r.error().input) << ": "
                      << r.error().message;
        return {};
    }
    return *r;
}

// |actual - expected| <= rel * |expected|: the hand values below carry 12+ digits.
inline ::testing::AssertionResult Near(double actual, double expected, double rel = 1e-12) {
    if (std::fabs(actual - expected) <= rel * std::fabs(expected)) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure()
           << std::setprecision(17) << "actual " << actual << " vs expected " << expected
           << ", relative error " << std::fabs(actual - expected) / std::fabs(expected);
}

} // namespace nonceforge::miner::profit::testing
