// The dashboard in a real browser: headless Chromium loads the page of a running miner, runs
// its script against the live JSON endpoints, and must render a hashrate above zero with its
// unit, money with thousands separators and its currency label, BTC with 8 decimals, and the
// history chart with a HH:MM time axis. The rendered DOM is checked and a screenshot is saved
// in the build tree (NF_BROWSER_OUTPUT_DIR).
// Skips itself, saying why, when Chromium is not installed.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "api_test_support.hpp"

using namespace nonceforge;
using namespace nonceforge::test;
namespace fs = std::filesystem;

namespace {

std::string FindChromium() {
    if (const char* env = std::getenv("NF_CHROMIUM"); env && *env) {
        return env;
    }
    for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
        if (fs::exists(p)) {
            return p;
        }
    }
    return {};
}

std::string ReadFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Runs Chromium headless on `url` with `mode` arguments; stdout goes to `out`. A fresh, empty
// profile each time; `timeout` bounds it in case the browser hangs.
int RunChromium(const std::string& chromium, const fs::path& work, const std::string& url,
                const std::string& mode, const fs::path& out) {
    const fs::path profile = work / ("profile-" + std::to_string(std::rand()));
    fs::create_directories(profile);
    const std::string cmd =
        "timeout -k 5 90 '" + chromium +
        "' --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking"
        " --disable-component-update --disable-sync --disable-dev-shm-usage"
        " --user-data-dir='" +
        profile.string() + "' --window-size=1280,1300 --virtual-time-budget=8000 " + mode + " '" +
        url + "' >'" + out.string() + "' 2>'" + (work / "chromium.log").string() + "'";
    const int rc = std::system(cmd.c_str());
    std::error_code ec;
    fs::remove_all(profile, ec);
    return rc;
}

} // namespace

TEST(DashboardBrowser, RendersALiveHashrateAndSavesAScreenshot) {
    const std::string chromium = FindChromium();
    if (chromium.empty()) {
        GTEST_SKIP() << "chromium is not installed (apt-get install chromium); the dashboard "
                        "browser test needs /usr/bin/chromium or NF_CHROMIUM";
    }
    ApiMiner m([](miner::app::MineOptions& o) {
        o.backend.threads = 2;
        o.output.profit.power_watts = 100;
        o.output.profit.electricity_price = 0.1;
        o.output.profit.btc_price = 50000;
        o.api.history_interval = std::chrono::seconds(1); // a chart with a few points at once
    });
    ASSERT_TRUE(m.Listening()) << m.Log();
    ASSERT_TRUE(m.WaitUntilMining(2)) << m.Log();
    ASSERT_TRUE(WaitFor(
        [&] { return GetJson(m.HttpPort(), "/api/v1/history").value("count", 0) >= 5; }, 15s));
    ASSERT_TRUE(WaitFor(
        [&] {
            const auto s = m.Snapshot();
            return s.backends.size() == 2 && s.backends[1].rate.h5s > 0;
        },
        10s));

    const fs::path out_dir = NF_BROWSER_OUTPUT_DIR;
    const fs::path work = out_dir / "dashboard-browser-work";
    fs::create_directories(work);
    const std::string url = "http://127.0.0.1:" + std::to_string(m.HttpPort()) + "/";

    const fs::path dom_file = work / "dashboard-dom.html";
    const int rc = RunChromium(chromium, work, url, "--dump-dom", dom_file);
    const std::string dom = ReadFile(dom_file);
    ASSERT_EQ(rc, 0) << "chromium failed; its log:\n" << ReadFile(work / "chromium.log");
    ASSERT_FALSE(dom.empty()) << ReadFile(work / "chromium.log");

    // The script ran, fetched /api/v1/summary and wrote the 5 s hashrate into the page.
    std::smatch hr;
    ASSERT_TRUE(std::regex_search(
        dom, hr, std::regex(R"re(id="hashrate" data-hps="([0-9.eE+-]+)">([^<]*)<)re")))
        << dom.substr(0, 4000);
    EXPECT_GT(std::stod(hr[1].str()), 0) << "rendered: " << hr[2];
    EXPECT_TRUE(std::regex_search(hr[2].str(), std::regex(R"([0-9.]+ [kMGTPE]?H/s)"))) << hr[2];
    EXPECT_NE(dom.find(R"(id="pool-badge" class="ok">connected<)"), std::string::npos);
    EXPECT_NE(dom.find("<td>cpu0/"), std::string::npos) << "the devices table is filled";
    EXPECT_NE(dom.find("<td>cpu1/"), std::string::npos);
    EXPECT_NE(dom.find(R"(<td class="ok">accepted</td>)"), std::string::npos)
        << "the recent shares table is filled";
    EXPECT_NE(dom.find(R"(id="error" style="display: none;")"), std::string::npos)
        << "the page reports an error fetching the API";
    // Hashrates carry their unit in the devices table too.
    EXPECT_TRUE(std::regex_search(dom, std::regex(R"(<td>[0-9.]+ [kMGTPE]?H/s</td>)")));
    // The profit card: money with thousands separators and what currency it is in (the
    // in-tree pool's difficulty 1 makes a CPU's estimate well above 1,000 a day), BTC with
    // exactly 8 decimals.
    std::smatch revenue;
    EXPECT_TRUE(std::regex_search(
        dom, revenue, std::regex(R"re(id="profit-revenue">([0-9]{1,3}(,[0-9]{3})+\.[0-9]{2})<)re")))
        << dom.substr(dom.find("id=\"profit\""), 800);
    EXPECT_TRUE(std::regex_search(
        dom, std::regex(R"re(id="profit-power">0\.24<)re"))) // 100 W at 0.1 per kWh
        << dom.substr(dom.find("id=\"profit\""), 800);
    EXPECT_TRUE(std::regex_search(
        dom, std::regex(R"re(id="profit-btc">[0-9]{1,3}(,[0-9]{3})*\.[0-9]{8} BTC<)re")))
        << dom.substr(dom.find("id=\"profit\""), 800);
    EXPECT_NE(dom.find("Profit estimate (per day)"), std::string::npos);
    EXPECT_NE(dom.find("money in the currency of <code>--btc-price</code>"), std::string::npos);
    // The pool URL stays on one line (ellipsis), with the whole URL in its title.
    EXPECT_NE(dom.find(R"(class="oneline" id="pool-url" title="stratum+tcp://)"), std::string::npos)
        << dom.substr(dom.find("pool-url"), 300);
    // The history chart: a HH:MM time axis under it and its two series in the legend.
    std::smatch axis;
    EXPECT_TRUE(std::regex_search(
        dom, axis,
        std::regex(
            R"re(id="time-axis">(<span style="left: [0-9.]+px;">[0-2][0-9]:[0-5][0-9]</span>){3,})re")))
        << dom.substr(dom.find("time-axis"), 600);
    EXPECT_NE(dom.find("</i>5 s average<"), std::string::npos);
    EXPECT_NE(dom.find("</i>1 min average<"), std::string::npos);

    const fs::path shot = out_dir / "dashboard.png";
    fs::remove(shot);
    ASSERT_EQ(RunChromium(chromium, work, url, "--screenshot='" + shot.string() + "'",
                          work / "screenshot-stdout.txt"),
              0)
        << ReadFile(work / "chromium.log");
    ASSERT_TRUE(fs::exists(shot)) << ReadFile(work / "chromium.log");
    const std::string png = ReadFile(shot);
    ASSERT_GT(png.size(), 10'000u) << "a blank page is a few kB";
    EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    std::cout << "dashboard screenshot: " << shot.string() << "\n";
}
