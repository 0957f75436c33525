// `nonceforge profit --plot FILE.svg`: cumulative profit over the horizon as a standalone SVG
// document written without any library. Pure: returns the text; the caller writes the file.
#pragma once

#include <string>

#include "miner/profit/profit.hpp"

namespace nonceforge::miner::profit {

// One line per scenario (the projection, and the flat scenario when growth or a price change
// was given), axes with units and tick labels, every halving inside the horizon marked, the
// hardware cost as a dashed line when given, and a legend. Well-formed XML (UTF-8).
std::string RenderProfitChartSvg(const ProfitReport& report);

} // namespace nonceforge::miner::profit
