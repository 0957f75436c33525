#include "miner/profit/profit_chart.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include "miner/benchmark.hpp"
#include "miner/profit/text_format.hpp"

namespace nonceforge::miner::profit {

namespace {

using text::Amount;
using text::Format;
using text::Group;
using text::GroupInt;

// Canvas and plot area in SVG user units (pixels at 100 % zoom).
// The legend sits below the x-axis label, one row per entry, so the canvas grows with it.
constexpr double WIDTH = 960;
constexpr double PLOT_LEFT = 110;
constexpr double PLOT_RIGHT = WIDTH - 40;
constexpr double PLOT_TOP = 80;
constexpr double PLOT_BOTTOM = 480;
constexpr double X_LABEL_Y = PLOT_BOTTOM + 45;
constexpr double LEGEND_TOP = X_LABEL_Y + 20;
constexpr double LEGEND_ROW = 20;
constexpr int MAX_TICKS = 40; // per axis; NiceStep aims at 8 to 12

constexpr const char* PROJECTION_COLOR = "#d95f02";
constexpr const char* FLAT_COLOR = "#1b6ac9";
constexpr const char* HALVING_COLOR = "#7b3294";
constexpr const char* HARDWARE_COLOR = "#444444";

// Text content and attribute values: the five XML special characters.
std::string Escape(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&apos;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

// Coordinates with two decimals in the C locale.
std::string Coord(double v) {
    return Format("%.2f", v);
}

// A "nice" tick step (1, 2 or 5 times a power of ten) giving about `target` intervals.
double NiceStep(double span, int target) {
    const double raw = span / target;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double r = raw / magnitude;
    const double nice = r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10;
    return nice * magnitude;
}

struct Axis {
    double lo = 0;
    double hi = 1;
    double step = 1;
};

// Covers [lo, hi] with whole ticks; a flat range is widened so the axis still has a span.
Axis MakeAxis(double lo, double hi, int target) {
    if (!(hi > lo)) {
        const double pad = std::max(1.0, std::fabs(lo) * 0.1);
        lo -= pad;
        hi += pad;
    }
    Axis a;
    a.step = NiceStep(hi - lo, target);
    a.lo = std::floor(lo / a.step) * a.step;
    a.hi = std::ceil(hi / a.step) * a.step;
    return a;
}

std::string TickLabel(double v, double step) {
    if (std::fabs(v) < step * 1e-9) {
        v = 0; // no "-0" from floating-point steps
    }
    if (step >= 1) {
        return Group(Format("%.0f", v));
    }
    return Format("%g", v);
}

struct Series {
    const Scenario* scenario;
    const char* color;
};

} // namespace

std::string RenderProfitChartSvg(const ProfitReport& r) {
    const ProfitInputs& in = r.inputs;
    const int months = in.horizon_months.value_or(0);
    std::vector<Series> series;
    if (r.scenarios_differ) {
        series.push_back({&r.flat, FLAT_COLOR});
        series.push_back({&r.projection, PROJECTION_COLOR});
    } else {
        series.push_back({&r.projection, FLAT_COLOR});
    }

    const double legend_rows = double(series.size()) + (in.hardware_cost ? 1 : 0) +
                               (r.halvings_in_horizon.empty() ? 0 : 1);
    const double canvas_height = LEGEND_TOP + legend_rows * LEGEND_ROW + 16;

    double lo = 0;
    double hi = 0;
    for (const Series& s : series) {
        for (const MonthRow& m : s.scenario->months) {
            if (std::isfinite(m.cumulative_profit)) {
                lo = std::min(lo, m.cumulative_profit);
                hi = std::max(hi, m.cumulative_profit);
            }
        }
    }
    if (in.hardware_cost) {
        hi = std::max(hi, *in.hardware_cost);
    }
    const Axis y = MakeAxis(lo, hi, 8);
    const Axis x{0, double(std::max(months, 1)), std::max(1.0, std::ceil(NiceStep(months, 12)))};
    auto px = [&](double month) {
        return PLOT_LEFT + (month - x.lo) / (x.hi - x.lo) * (PLOT_RIGHT - PLOT_LEFT);
    };
    auto py = [&](double usd) {
        return PLOT_BOTTOM - (usd - y.lo) / (y.hi - y.lo) * (PLOT_BOTTOM - PLOT_TOP);
    };

    std::ostringstream o;
    o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << WIDTH << "\" height=\""
      << canvas_height << "\" viewBox=\"0 0 " << WIDTH << " " << canvas_height
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n";
    const std::string title = "Cumulative mining profit: " + FormatHashrate(in.hashrate_hps) +
                              ", " + Amount(in.power_watts) + " W, " +
                              text::Fixed(in.electricity_price_per_kwh, 4) + " USD/kWh, BTC at " +
                              Amount(in.btc_price) + " USD";
    o << "<title>" << Escape(title) << "</title>\n";
    o << "<rect x=\"0\" y=\"0\" width=\"" << WIDTH << "\" height=\"" << canvas_height
      << "\" fill=\"white\"/>\n";
    o << "<text x=\"" << WIDTH / 2 << "\" y=\"30\" text-anchor=\"middle\" font-size=\"16\">"
      << Escape(title) << "</text>\n";
    o << "<text x=\"" << WIDTH / 2 << "\" y=\"52\" text-anchor=\"middle\" fill=\"#555555\">"
      << Escape("revenue minus electricity, before hardware cost; difficulty " +
                text::Si(in.network_difficulty) + " at block " + GroupInt(in.height) +
                "; 144 blocks a day")
      << "</text>\n";

    // Grid and y ticks.
    o << "<g id=\"y-axis\" stroke=\"#dddddd\" stroke-width=\"1\">\n";
    // Ticks by index, not by accumulation: no drift, and a bounded count even for extreme
    // inputs (the range always contains 0, so a step is at least 1/20 of every value).
    for (int i = 0; i <= MAX_TICKS; ++i) {
        const double v = y.lo + i * y.step;
        if (!(v <= y.hi + y.step * 1e-9)) {
            break;
        }
        o << "<line x1=\"" << Coord(PLOT_LEFT) << "\" y1=\"" << Coord(py(v)) << "\" x2=\""
          << Coord(PLOT_RIGHT) << "\" y2=\"" << Coord(py(v)) << "\"/>\n";
        o << "<text x=\"" << Coord(PLOT_LEFT - 8) << "\" y=\"" << Coord(py(v) + 4)
          << "\" text-anchor=\"end\" stroke=\"none\" fill=\"black\">" << TickLabel(v, y.step)
          << "</text>\n";
    }
    o << "</g>\n";
    // x ticks: whole months.
    o << "<g id=\"x-axis\" stroke=\"black\" stroke-width=\"1\">\n";
    for (int i = 0; i <= MAX_TICKS; ++i) {
        const double m = i * x.step;
        if (m > x.hi + 1e-9) {
            break;
        }
        o << "<line x1=\"" << Coord(px(m)) << "\" y1=\"" << Coord(PLOT_BOTTOM) << "\" x2=\""
          << Coord(px(m)) << "\" y2=\"" << Coord(PLOT_BOTTOM + 6) << "\"/>\n";
        o << "<text x=\"" << Coord(px(m)) << "\" y=\"" << Coord(PLOT_BOTTOM + 20)
          << "\" text-anchor=\"middle\" stroke=\"none\" fill=\"black\">" << Format("%.0f", m)
          << "</text>\n";
    }
    o << "</g>\n";
    // Axes: the zero line is drawn darker when it lies inside the plot.
    o << "<line x1=\"" << Coord(PLOT_LEFT) << "\" y1=\"" << Coord(PLOT_TOP) << "\" x2=\""
      << Coord(PLOT_LEFT) << "\" y2=\"" << Coord(PLOT_BOTTOM) << "\" stroke=\"black\"/>\n";
    o << "<line x1=\"" << Coord(PLOT_LEFT) << "\" y1=\"" << Coord(PLOT_BOTTOM) << "\" x2=\""
      << Coord(PLOT_RIGHT) << "\" y2=\"" << Coord(PLOT_BOTTOM) << "\" stroke=\"black\"/>\n";
    if (y.lo < 0 && y.hi > 0) {
        o << "<line x1=\"" << Coord(PLOT_LEFT) << "\" y1=\"" << Coord(py(0)) << "\" x2=\""
          << Coord(PLOT_RIGHT) << "\" y2=\"" << Coord(py(0)) << "\" stroke=\"#888888\"/>\n";
    }
    o << "<text x=\"" << Coord((PLOT_LEFT + PLOT_RIGHT) / 2) << "\" y=\"" << Coord(X_LABEL_Y)
      << "\" text-anchor=\"middle\">months from now (30-day months)</text>\n";
    o << "<text x=\"0\" y=\"0\" text-anchor=\"middle\" transform=\"translate(24 "
      << Coord((PLOT_TOP + PLOT_BOTTOM) / 2) << ") rotate(-90)\">cumulative profit (USD)</text>\n";

    if (in.hardware_cost) {
        const double yh = py(*in.hardware_cost);
        o << "<g id=\"hardware-cost\">\n<line x1=\"" << Coord(PLOT_LEFT) << "\" y1=\"" << Coord(yh)
          << "\" x2=\"" << Coord(PLOT_RIGHT) << "\" y2=\"" << Coord(yh) << "\" stroke=\""
          << HARDWARE_COLOR << "\" stroke-dasharray=\"8 4\"/>\n";
        o << "<text x=\"" << Coord(PLOT_RIGHT - 4) << "\" y=\"" << Coord(yh - 6)
          << "\" text-anchor=\"end\" fill=\"" << HARDWARE_COLOR << "\">"
          << Escape("hardware cost " + Amount(*in.hardware_cost) + " USD (payback line)")
          << "</text>\n</g>\n";
    }

    for (uint64_t h : r.halvings_in_horizon) {
        const double month = double(h - in.height) / double(BLOCKS_PER_MONTH);
        o << "<g class=\"halving\">\n<line x1=\"" << Coord(px(month)) << "\" y1=\""
          << Coord(PLOT_TOP) << "\" x2=\"" << Coord(px(month)) << "\" y2=\"" << Coord(PLOT_BOTTOM)
          << "\" stroke=\"" << HALVING_COLOR << "\" stroke-dasharray=\"4 4\"/>\n";
        o << "<text x=\"" << Coord(px(month) + 4) << "\" y=\"" << Coord(PLOT_TOP + 14)
          << "\" fill=\"" << HALVING_COLOR << "\">"
          << Escape("halving at block " + GroupInt(h) + Format(" (month %.1f)", month))
          << "</text>\n</g>\n";
    }

    for (const Series& s : series) {
        o << "<polyline fill=\"none\" stroke=\"" << s.color
          << "\" stroke-width=\"2.5\" stroke-linejoin=\"round\" points=\"" << Coord(px(0)) << ","
          << Coord(py(0));
        for (const MonthRow& m : s.scenario->months) {
            if (std::isfinite(m.cumulative_profit)) {
                o << " " << Coord(px(m.month)) << "," << Coord(py(m.cumulative_profit));
            }
        }
        o << "\"/>\n";
    }

    // Legend, below the plot: nothing in the plot area is hidden behind it.
    const double legend_x = PLOT_LEFT + 10;
    double ly = LEGEND_TOP + LEGEND_ROW - 6;
    o << "<g id=\"legend\">\n<rect x=\"" << Coord(PLOT_LEFT) << "\" y=\"" << Coord(LEGEND_TOP)
      << "\" width=\"" << Coord(PLOT_RIGHT - PLOT_LEFT) << "\" height=\""
      << Coord(legend_rows * LEGEND_ROW + 6) << "\" fill=\"none\" stroke=\"#999999\"/>\n";
    auto legend_row = [&](const char* color, const char* dash, const std::string& label) {
        o << "<line x1=\"" << Coord(legend_x) << "\" y1=\"" << Coord(ly - 4) << "\" x2=\""
          << Coord(legend_x + 30) << "\" y2=\"" << Coord(ly - 4) << "\" stroke=\"" << color
          << "\" stroke-width=\"2.5\""
          << (dash ? std::string(" stroke-dasharray=\"") + dash + "\"" : "") << "/>\n";
        o << "<text x=\"" << Coord(legend_x + 40) << "\" y=\"" << Coord(ly) << "\">"
          << Escape(label) << "</text>\n";
        ly += LEGEND_ROW;
    };
    for (const Series& s : series) {
        legend_row(s.color, nullptr,
                   s.scenario->label +
                       (s.scenario == &r.flat && r.scenarios_differ ? " (flat)" : ""));
    }
    if (in.hardware_cost) {
        legend_row(HARDWARE_COLOR, "8 4", "hardware cost (USD)");
    }
    if (!r.halvings_in_horizon.empty()) {
        legend_row(HALVING_COLOR, "4 4", "subsidy halving");
    }
    o << "</g>\n</svg>\n";
    return o.str();
}

} // namespace nonceforge::miner::profit
