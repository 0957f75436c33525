// ProfitReport as JSON (snake_case keys, raw numbers in the units their names say) and as a
// table for people (every number with its unit, or under a column header that names it).
#include <cmath>
#include <cstdio>
#include <sstream>

#include "miner/benchmark.hpp"
#include "miner/profit/profit.hpp"
#include "miner/profit/text_format.hpp"

namespace nonceforge::miner::profit {

namespace {

using nlohmann::json;
using text::Amount;
using text::Fixed;
using text::Format;
using text::Group;
using text::GroupInt;
using text::Si;

// JSON has no infinity or NaN: those become null (e.g. days to a block at zero hashrate).
json Num(double v) {
    return std::isfinite(v) ? json(v) : json(nullptr);
}

json Opt(const std::optional<double>& v) {
    return v ? Num(*v) : json(nullptr);
}

json Opt(const std::optional<int>& v) {
    return v ? json(*v) : json(nullptr);
}

std::string_view JsonKey(Input input) {
    switch (input) {
    case Input::Hashrate:
        return "hashrate_hps";
    case Input::Power:
        return "power_watts";
    case Input::ElectricityPrice:
        return "electricity_price_per_kwh";
    case Input::BtcPrice:
        return "btc_price";
    case Input::Difficulty:
        return "network_difficulty";
    case Input::Nbits:
        return "nbits";
    case Input::Height:
        return "height";
    case Input::FeesPerBlock:
        return "fees_per_block_btc";
    case Input::PoolFee:
        return "pool_fee_percent";
    case Input::StaleRate:
        return "stale_rate_percent";
    case Input::Uptime:
        return "uptime_percent";
    case Input::HardwareCost:
        return "hardware_cost";
    case Input::DifficultyGrowth:
        return "difficulty_growth_percent_per_month";
    case Input::PriceChange:
        return "price_change_percent_per_month";
    case Input::Months:
        return "horizon_months";
    case Input::ShareDifficulty:
        return "share_difficulty";
    case Input::CoinbaseValue:
        return "coinbase_value_sats";
    }
    return "input";
}

// The unit a default is shown with in the table: "--pool-fee 0 %".
std::string_view DefaultUnit(Input input) {
    switch (input) {
    case Input::FeesPerBlock:
        return " BTC";
    case Input::PoolFee:
    case Input::StaleRate:
    case Input::Uptime:
        return " %";
    case Input::DifficultyGrowth:
    case Input::PriceChange:
        return " %/month";
    default:
        return "";
    }
}

json MonthsJson(const std::vector<MonthRow>& months) {
    json a = json::array();
    for (const MonthRow& m : months) {
        a.push_back({{"month", m.month},
                     {"first_height", m.first_height},
                     {"difficulty", Num(m.difficulty)},
                     {"btc_price", Num(m.btc_price)},
                     {"avg_block_reward_sats", Num(m.avg_reward_sats)},
                     {"btc", Num(m.btc)},
                     {"revenue", Num(m.revenue)},
                     {"power_cost", Num(m.power_cost)},
                     {"profit", Num(m.profit)},
                     {"cumulative_profit", Num(m.cumulative_profit)},
                     {"halving_height", m.halving_height ? json(*m.halving_height) : json()}});
    }
    return a;
}

std::string Usd(double v) {
    return Amount(v) + " USD";
}

std::string Sats(int64_t v) {
    return Group(Format("%lld", (long long)v)) + " sat";
}

std::string Duration(double seconds) {
    if (!std::isfinite(seconds)) {
        return "never (zero hashrate)";
    }
    if (seconds < 120) {
        return Format("%.3g s", seconds);
    }
    if (seconds < 2 * 3600) {
        return Format("%.1f min", seconds / 60);
    }
    if (seconds < 2 * 86400) {
        return Format("%.1f h", seconds / 3600);
    }
    if (seconds < 2 * 365 * 86400.0) {
        return Format("%.1f days", seconds / 86400);
    }
    return Group(Format("%.1f", seconds / (365 * 86400.0))) + " years";
}

std::string Percent(double fraction) {
    return Format("%.4g %%", fraction * 100);
}

void Line(std::ostringstream& out, const std::string& label, const std::string& value) {
    out << Format("  %-24s %s\n", label.c_str(), value.c_str());
}

// Column headers in two rows: the quantity, then its unit.
void MonthTable(std::ostringstream& out, const Scenario& s, const Scenario* flat) {
    out << Format("  %6s %11s %10s %11s %12s %11s %10s %10s %10s %11s", "month", "first block",
                  "difficulty", "BTC price", "reward/block", "mined", "revenue", "power cost",
                  "profit", "cumulative");
    out << (flat ? Format(" %11s\n", "flat cum.") : "\n");
    out << Format("  %6s %11s %10s %11s %12s %11s %10s %10s %10s %11s", "", "", "", "USD",
                  "sat (mean)", "BTC", "USD", "USD", "USD", "USD");
    out << (flat ? Format(" %11s\n", "USD") : "\n");
    for (std::size_t i = 0; i < s.months.size(); ++i) {
        const MonthRow& m = s.months[i];
        out << Format("  %5d%c %11s %10s %11s %12s %11s %10s %10s %10s %11s", m.month,
                      m.halving_height ? '*' : ' ', GroupInt(m.first_height).c_str(),
                      Si(m.difficulty).c_str(), Amount(m.btc_price).c_str(),
                      Group(Format("%.0f", m.avg_reward_sats)).c_str(), Fixed(m.btc, 8).c_str(),
                      Amount(m.revenue).c_str(), Amount(m.power_cost).c_str(),
                      Amount(m.profit).c_str(), Amount(m.cumulative_profit).c_str());
        out << (flat ? Format(" %11s\n", Amount(flat->months[i].cumulative_profit).c_str()) : "\n");
    }
}

std::string PaybackText(const ProfitReport& r, const Scenario& s) {
    if (!r.inputs.hardware_cost) {
        return "no hardware cost given (--hardware-cost)";
    }
    if (s.payback_month) {
        return Format("month %d (hardware cost %s)", *s.payback_month,
                      Usd(*r.inputs.hardware_cost).c_str());
    }
    return Format("never within %d months (hardware cost %s, cumulative profit %s)",
                  *r.inputs.horizon_months, Usd(*r.inputs.hardware_cost).c_str(),
                  Usd(s.months.empty() ? 0 : s.months.back().cumulative_profit).c_str());
}

} // namespace

json ProfitReport::ToJson() const {
    const ProfitInputs& in = inputs;
    json j;
    j["inputs"] = {
        {"hashrate_hps", Num(in.hashrate_hps)},
        {"hashrate_source", in.hashrate_source},
        {"power_watts", Num(in.power_watts)},
        {"electricity_price_per_kwh", Num(in.electricity_price_per_kwh)},
        {"btc_price", Num(in.btc_price)},
        {"network_difficulty", Num(in.network_difficulty)},
        {"height", in.height},
        {"fees_per_block_btc", Opt(in.fees_per_block_btc)},
        {"pool_fee_percent", Opt(in.pool_fee_percent)},
        {"stale_rate_percent", Opt(in.stale_rate_percent)},
        {"uptime_percent", Opt(in.uptime_percent)},
        {"hardware_cost", Opt(in.hardware_cost)},
        {"difficulty_growth_percent_per_month", Opt(in.difficulty_growth_percent_per_month)},
        {"price_change_percent_per_month", Opt(in.price_change_percent_per_month)},
        {"horizon_months", Opt(in.horizon_months)},
        {"share_difficulty", Opt(in.share_difficulty)},
    };
    j["defaults_used"] = json::object();
    for (const auto& [input, value] : defaults_used) {
        j["defaults_used"][std::string(JsonKey(input))] = value;
    }
    j["block_subsidy_sats"] = subsidy_sats;
    j["fees_per_block_sats"] = fees_per_block_sats;
    j["block_reward_sats"] = block_reward_sats;
    j["efficiency_factor"] = Num(efficiency_factor);
    j["expected_blocks_per_day"] = Num(expected_blocks_per_day);
    j["btc_per_day"] = Num(btc_per_day);
    j["sats_per_day"] = Num(sats_per_day);
    j["power_kwh_per_day"] = Num(power_kwh_per_day);
    const std::pair<const char*, const PeriodMoney*> periods[] = {
        {"day", &per_day}, {"week", &per_week}, {"month", &per_month}, {"year", &per_year}};
    for (const auto& [name, p] : periods) {
        j[std::string("revenue_per_") + name] = Num(p->revenue);
        j[std::string("power_cost_per_") + name] = Num(p->power_cost);
        j[std::string("profit_per_") + name] = Num(p->profit);
    }
    j["hashprice_usd_per_th_day"] = Num(hashprice_usd_per_th_day);
    j["hashprice_sats_per_th_day"] = Num(hashprice_sats_per_th_day);
    j["joules_per_th"] = Opt(joules_per_th);
    j["breakeven_electricity_price"] = Opt(breakeven_electricity_price);
    j["breakeven_btc_price"] = Opt(breakeven_btc_price);
    j["network_warning"] = network_warning ? json(*network_warning) : json(nullptr);
    j["halvings_in_horizon"] = halvings_in_horizon;
    j["payback_status"] = std::string(ToString(payback_status));
    j["payback_month"] = Opt(projection.payback_month);
    j["scenario"] = projection.label;
    j["monthly"] = MonthsJson(projection.months);
    j["flat"] = {{"scenario", flat.label},
                 {"payback_month", Opt(flat.payback_month)},
                 {"monthly", MonthsJson(flat.months)}};
    j["expected_seconds_to_block"] = Num(expected_seconds_to_block);
    j["expected_days_to_block"] = Num(expected_days_to_block);
    j["block_probability_day"] = Num(block_probability_day);
    j["block_probability_month"] = Num(block_probability_month);
    j["block_probability_year"] = Num(block_probability_year);
    j["expected_seconds_per_share"] = Opt(expected_seconds_per_share);
    return j;
}

std::string ProfitReport::ToTable() const {
    const ProfitInputs& in = inputs;
    std::ostringstream out;
    out << "Inputs\n";
    Line(out, "hashrate", FormatHashrate(in.hashrate_hps) + " (" + in.hashrate_source + ")");
    Line(out, "power", Amount(in.power_watts) + " W");
    Line(out, "electricity price", Fixed(in.electricity_price_per_kwh, 4) + " USD/kWh");
    Line(out, "BTC price", Usd(in.btc_price) + "/BTC");
    Line(out, "network difficulty",
         Si(in.network_difficulty) + Format(" (%.6g)", in.network_difficulty));
    Line(out, "block height",
         GroupInt(in.height) + " (subsidy " + Sats(subsidy_sats) +
             Format(" = %.8f BTC)", double(subsidy_sats) / SATS_PER_BTC));
    Line(out, "fees per block",
         Format("%.8f BTC (", *in.fees_per_block_btc) + Sats(fees_per_block_sats) + ")");
    Line(out, "pool fee", Format("%.2f %%", *in.pool_fee_percent));
    Line(out, "stale/reject rate", Format("%.2f %%", *in.stale_rate_percent));
    Line(out, "uptime", Format("%.2f %%", *in.uptime_percent));
    Line(out, "hardware cost", in.hardware_cost ? Usd(*in.hardware_cost) : "not given");
    Line(out, "difficulty growth", Format("%+g %%/month", *in.difficulty_growth_percent_per_month));
    Line(out, "BTC price change", Format("%+g %%/month", *in.price_change_percent_per_month));
    Line(out, "horizon", Format("%d months", *in.horizon_months));
    if (!defaults_used.empty()) {
        std::string d;
        for (const auto& [input, value] : defaults_used) {
            d += (d.empty() ? "--" : ", --") + std::string(InputName(input)) +
                 Format(" %g", value) + std::string(DefaultUnit(input));
        }
        Line(out, "defaults used", d);
    }

    out << "\nEarnings at today's difficulty and BTC price\n";
    Line(out, "expected",
         Fixed(btc_per_day, 8) + " BTC/day (" + Amount(sats_per_day) + " sat/day)");
    out << Format("  %-24s %16s %16s %16s\n", "", "revenue", "power cost", "profit");
    const std::pair<const char*, const PeriodMoney*> periods[] = {{"per day", &per_day},
                                                                  {"per week", &per_week},
                                                                  {"per month (30 d)", &per_month},
                                                                  {"per year (365 d)", &per_year}};
    for (const auto& [name, p] : periods) {
        out << Format("  %-24s %16s %16s %16s\n", name, Usd(p->revenue).c_str(),
                      Usd(p->power_cost).c_str(), Usd(p->profit).c_str());
    }
    Line(out, "energy", Format("%.2f kWh/day", power_kwh_per_day));
    Line(out, "hashprice",
         Fixed(hashprice_usd_per_th_day, 4) + " USD/TH/day (" + Amount(hashprice_sats_per_th_day) +
             " sat/TH/day; before pool fee, stale and uptime)");
    Line(out, "efficiency",
         joules_per_th ? Amount(*joules_per_th) + " J/TH" : "n/a (zero hashrate)");
    Line(out, "break-even electricity",
         breakeven_electricity_price ? Fixed(*breakeven_electricity_price, 4) + " USD/kWh"
                                     : "any price (no power drawn)");
    Line(out, "break-even BTC price",
         breakeven_btc_price ? Usd(*breakeven_btc_price) + "/BTC"
                             : "none (nothing is mined: zero hashrate or reward)");

    out << "\nProjection: " << projection.label << " (30-day months, 144 blocks a day)\n";
    MonthTable(out, projection, scenarios_differ ? &flat : nullptr);
    for (uint64_t h : halvings_in_horizon) {
        out << Format("  * halving at block %s: subsidy %.8f -> %.8f BTC\n", GroupInt(h).c_str(),
                      double(BlockSubsidySats(h - 1)) / SATS_PER_BTC,
                      double(BlockSubsidySats(h)) / SATS_PER_BTC);
    }
    Line(out, "payback", PaybackText(*this, projection));
    if (scenarios_differ) {
        Line(out, "payback (flat)", PaybackText(*this, flat));
    }

    out << "\nSolo mining (hashrate x uptime x (1 - stale rate); no pool fee)\n";
    Line(out, "expected time to a block", Duration(expected_seconds_to_block));
    Line(out, "P(>= 1 block) in a day", Percent(block_probability_day));
    Line(out, "P(>= 1 block) in 30 days", Percent(block_probability_month));
    Line(out, "P(>= 1 block) in a year", Percent(block_probability_year));
    if (expected_seconds_per_share) {
        Line(out, "time per share",
             Duration(*expected_seconds_per_share) +
                 Format(" at share difficulty %g", *in.share_difficulty));
    }
    return out.str();
}

} // namespace nonceforge::miner::profit
