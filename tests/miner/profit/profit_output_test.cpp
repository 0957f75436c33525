// What `nonceforge profit` prints: the JSON keys the issue promises, a table whose numbers
// carry units, and an SVG chart that is well-formed XML with labelled axes.
#include <cctype>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "miner/profit/profit.hpp"
#include "miner/profit/profit_chart.hpp"
#include "profit_test_support.hpp"

using namespace nonceforge::miner::profit;
using nonceforge::miner::profit::testing::Estimate;
using nonceforge::miner::profit::testing::Near;
using nonceforge::miner::profit::testing::WorkedExample;

namespace {

// A small XML well-formedness check, enough for what the chart writer emits: one optional
// <?xml ...?> declaration, comments, elements with name="value" attributes (no duplicates,
// no '<' in values), balanced and properly nested tags, one root element, and '&' only as
// the start of one of the five predefined entities or a character reference. Returns "" when
// well-formed, otherwise what is wrong and where.
std::string XmlProblem(const std::string& s) {
    std::vector<std::string> open;
    int roots = 0;
    std::size_t i = 0;
    auto is_name_char = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':' ||
               c == '.';
    };
    auto check_entities = [&](std::size_t from, std::size_t to) -> std::string {
        static const std::regex ENTITY("^&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);");
        for (std::size_t k = from; k < to; ++k) {
            if (s[k] == '&' && !std::regex_search(s.substr(k, 12), ENTITY)) {
                return "bare '&' at " + std::to_string(k);
            }
        }
        return "";
    };
    auto check_text = [&](std::size_t from, std::size_t to) -> std::string {
        if (open.empty()) {
            for (std::size_t k = from; k < to; ++k) {
                if (!std::isspace(static_cast<unsigned char>(s[k]))) {
                    return "text outside the root element at " + std::to_string(k);
                }
            }
        }
        return check_entities(from, to);
    };
    while (i < s.size()) {
        const std::size_t lt = s.find('<', i);
        if (auto p = check_text(i, lt == std::string::npos ? s.size() : lt); !p.empty()) {
            return p;
        }
        if (lt == std::string::npos) {
            break;
        }
        if (s.compare(lt, 5, "<?xml") == 0) {
            if (lt != 0) {
                return "XML declaration not at the start";
            }
            const std::size_t end = s.find("?>", lt);
            if (end == std::string::npos) {
                return "unterminated XML declaration";
            }
            i = end + 2;
            continue;
        }
        if (s.compare(lt, 4, "<!--") == 0) {
            const std::size_t end = s.find("-->", lt);
            if (end == std::string::npos) {
                return "unterminated comment";
            }
            i = end + 3;
            continue;
        }
        std::size_t k = lt + 1;
        const bool closing = k < s.size() && s[k] == '/';
        if (closing) {
            ++k;
        }
        const std::size_t name_start = k;
        while (k < s.size() && is_name_char(s[k])) {
            ++k;
        }
        const std::string name = s.substr(name_start, k - name_start);
        if (name.empty() || !std::isalpha(static_cast<unsigned char>(name[0]))) {
            return "bad tag name at " + std::to_string(lt);
        }
        std::set<std::string> attributes;
        bool self_closing = false;
        for (;;) {
            while (k < s.size() && std::isspace(static_cast<unsigned char>(s[k]))) {
                ++k;
            }
            if (k >= s.size()) {
                return "unterminated tag <" + name;
            }
            if (s[k] == '>') {
                ++k;
                break;
            }
            if (s[k] == '/' && k + 1 < s.size() && s[k + 1] == '>' && !closing) {
                self_closing = true;
                k += 2;
                break;
            }
            if (closing) {
                return "junk in closing tag </" + name;
            }
            const std::size_t a = k;
            while (k < s.size() && is_name_char(s[k])) {
                ++k;
            }
            const std::string attribute = s.substr(a, k - a);
            if (attribute.empty() || k + 1 >= s.size() || s[k] != '=' || s[k + 1] != '"') {
                return "bad attribute in <" + name + " at " + std::to_string(a);
            }
            if (!attributes.insert(attribute).second) {
                return "duplicate attribute " + attribute + " in <" + name;
            }
            const std::size_t value_end = s.find('"', k + 2);
            if (value_end == std::string::npos) {
                return "unterminated attribute value in <" + name;
            }
            const std::string value = s.substr(k + 2, value_end - k - 2);
            if (value.find('<') != std::string::npos) {
                return "'<' in attribute " + attribute;
            }
            if (auto p = check_entities(k + 2, value_end); !p.empty()) {
                return p;
            }
            k = value_end + 1;
        }
        if (closing) {
            if (open.empty() || open.back() != name) {
                return "</" + name + "> does not close <" + (open.empty() ? "" : open.back()) + ">";
            }
            open.pop_back();
        } else {
            if (open.empty()) {
                ++roots;
            }
            if (!self_closing) {
                open.push_back(name);
            }
        }
        i = k;
    }
    if (!open.empty()) {
        return "<" + open.back() + "> never closed";
    }
    if (roots != 1) {
        return std::to_string(roots) + " root elements";
    }
    return "";
}

std::size_t Count(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t p = haystack.find(needle); p != std::string::npos;
         p = haystack.find(needle, p + 1)) {
        ++n;
    }
    return n;
}

} // namespace

TEST(ProfitJson, HasTheKeysTheIssueNames) {
    const nlohmann::json j = Estimate(WorkedExample()).ToJson();
    for (const char* key : {"btc_per_day",
                            "sats_per_day",
                            "revenue_per_day",
                            "power_cost_per_day",
                            "profit_per_day",
                            "revenue_per_week",
                            "profit_per_month",
                            "profit_per_year",
                            "hashprice_usd_per_th_day",
                            "hashprice_sats_per_th_day",
                            "joules_per_th",
                            "breakeven_electricity_price",
                            "breakeven_btc_price",
                            "network_warning",
                            "expected_days_to_block",
                            "block_probability_day",
                            "block_probability_month",
                            "block_probability_year",
                            "expected_seconds_per_share",
                            "payback_month",
                            "payback_status",
                            "monthly",
                            "defaults_used",
                            "inputs",
                            "block_subsidy_sats",
                            "halvings_in_horizon"}) {
        EXPECT_TRUE(j.contains(key)) << key;
    }
    EXPECT_TRUE(Near(j["btc_per_day"].get<double>(), 5910.0199956446886e-8));
    EXPECT_TRUE(Near(j["profit_per_day"].get<double>(), 2.4900199956446886, 1e-11));
    EXPECT_EQ(j["block_subsidy_sats"].get<int64_t>(), 312'500'000);
    EXPECT_TRUE(Near(j["breakeven_btc_price"].get<double>(), 57867.82451701219, 1e-11));
    EXPECT_TRUE(j["network_warning"].is_null()); // difficulty 100 T at 1,045,000 may be mainnet
    EXPECT_TRUE(j["payback_month"].is_null());   // never within 12 months
    EXPECT_EQ(j["payback_status"], "never");
    ASSERT_TRUE(j["monthly"].is_array());
    ASSERT_EQ(j["monthly"].size(), 12u);
    for (const char* key : {"month", "first_height", "difficulty", "btc_price", "btc", "revenue",
                            "power_cost", "profit", "cumulative_profit", "halving_height"}) {
        EXPECT_TRUE(j["monthly"][0].contains(key)) << key;
    }
    EXPECT_EQ(j["monthly"][1]["halving_height"].get<uint64_t>(), 1'050'000u);
    EXPECT_TRUE(j["monthly"][0]["halving_height"].is_null());
    EXPECT_EQ(j["halvings_in_horizon"], nlohmann::json::array({1'050'000}));
    EXPECT_EQ(j["inputs"]["uptime_percent"].get<double>(), 95);
    EXPECT_EQ(j["defaults_used"]["horizon_months"].get<double>(), 12);
    EXPECT_FALSE(j["defaults_used"].contains("pool_fee_percent")); // it was given
}

TEST(ProfitJson, InfinitiesBecomeNull) {
    ProfitInputs in = WorkedExample();
    in.hashrate_hps = 0;
    const nlohmann::json j = Estimate(in).ToJson();
    EXPECT_TRUE(j["expected_days_to_block"].is_null());
    EXPECT_TRUE(j["expected_seconds_per_share"].is_null());
    EXPECT_TRUE(j["joules_per_th"].is_null());
    EXPECT_EQ(j["block_probability_year"].get<double>(), 0);
    // Still valid JSON text that parses back.
    EXPECT_EQ(nlohmann::json::parse(j.dump()), j);
}

TEST(ProfitTable, NumbersCarryUnits) {
    const std::string t = Estimate(WorkedExample()).ToTable();
    for (const char* s : {"100.00 TH/s",
                          "3,000.00 W",
                          "0.0500 USD/kWh",
                          "100,000.00 USD/BTC",
                          "312,500,000 sat",
                          "0.00005910 BTC/day",
                          "5,910.02 sat/day",
                          "5.91 USD",
                          "3.42 USD",
                          "2.49 USD",
                          "68.40 kWh/day",
                          "USD/TH/day",
                          "sat/TH/day",
                          "30.00 J/TH",
                          "0.0864 USD/kWh",
                          "144.8 years",
                          "2.81 s at share difficulty 65536",
                          "2.00 %",
                          "95.00 %",
                          "halving at block 1,050,000",
                          "never within 12 months"}) {
        EXPECT_NE(t.find(s), std::string::npos) << "missing \"" << s << "\" in\n" << t;
    }
    EXPECT_NE(t.find("defaults used            --difficulty-growth 0 %/month"), std::string::npos)
        << t;
}

TEST(ProfitSvg, CheckerRejectsBrokenXml) {
    // The checker used below must be able to fail.
    EXPECT_EQ(XmlProblem("<svg><g></g></svg>"), "");
    EXPECT_NE(XmlProblem("<svg><g></svg>"), "");
    EXPECT_NE(XmlProblem("<svg><g></svg></g>"), "");
    EXPECT_NE(XmlProblem("<svg a=\"1\" a=\"2\"/>"), "");
    EXPECT_NE(XmlProblem("<svg><text>A & B</text></svg>"), "");
    EXPECT_NE(XmlProblem("<svg x=1/>"), "");
    EXPECT_NE(XmlProblem("<svg/><svg/>"), "");
    EXPECT_EQ(XmlProblem("<?xml version=\"1.0\"?>\n<svg><text>A &amp; B</text></svg>\n"), "");
}

TEST(ProfitSvg, WorkedExampleChartIsWellFormedWithLabelledAxes) {
    const std::string svg = RenderProfitChartSvg(Estimate(WorkedExample()));
    EXPECT_EQ(XmlProblem(svg), "");
    EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
    EXPECT_NE(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
    EXPECT_NE(svg.find("</svg>"), std::string::npos);
    EXPECT_NE(svg.find(">months from now (30-day months)</text>"), std::string::npos);
    EXPECT_NE(svg.find(">cumulative profit (USD)</text>"), std::string::npos);
    EXPECT_NE(svg.find("halving at block 1,050,000"), std::string::npos);
    EXPECT_NE(svg.find("hardware cost 1,500.00 USD"), std::string::npos);
    EXPECT_NE(svg.find("id=\"legend\""), std::string::npos);
    EXPECT_EQ(Count(svg, "<polyline"), 1u); // no growth given: one scenario
    // x tick labels 0..12 months, y tick labels include 0.
    EXPECT_NE(svg.find(">12</text>"), std::string::npos);
    EXPECT_NE(svg.find(">0</text>"), std::string::npos);
    // Each polyline has the origin plus one point per month.
    const std::size_t points = svg.find("points=\"");
    ASSERT_NE(points, std::string::npos);
    const std::string list = svg.substr(points + 8, svg.find('"', points + 8) - points - 8);
    EXPECT_EQ(Count(list, ","), 13u);
}

TEST(ProfitSvg, GrowthAddsASecondScenarioLine) {
    ProfitInputs in = WorkedExample();
    in.difficulty_growth_percent_per_month = 2;
    in.price_change_percent_per_month = 1;
    in.horizon_months = 36;
    const std::string svg = RenderProfitChartSvg(Estimate(in));
    EXPECT_EQ(XmlProblem(svg), "");
    EXPECT_EQ(Count(svg, "<polyline"), 2u);
    EXPECT_NE(svg.find("difficulty +2 %/month, BTC price +1 %/month"), std::string::npos);
    EXPECT_NE(svg.find("difficulty and BTC price as today (flat)"), std::string::npos);
}

TEST(ProfitSvg, DegenerateInputsStillDrawAChart) {
    ProfitInputs in = WorkedExample();
    in.hashrate_hps = 0;
    in.power_watts = 0;
    in.hardware_cost.reset();
    in.horizon_months = 1;
    const std::string svg = RenderProfitChartSvg(Estimate(in));
    EXPECT_EQ(XmlProblem(svg), "");
    EXPECT_EQ(svg.find("nan"), std::string::npos);
    EXPECT_EQ(svg.find("inf"), std::string::npos);
    // A long horizon crossing several halvings marks each.
    ProfitInputs longer = WorkedExample();
    longer.height = 1;
    longer.horizon_months = 1200; // 5,184,000 blocks: halvings 1 .. 24
    const std::string svg2 = RenderProfitChartSvg(Estimate(longer));
    EXPECT_EQ(XmlProblem(svg2), "");
    EXPECT_EQ(Count(svg2, "class=\"halving\""), 24u);
}
