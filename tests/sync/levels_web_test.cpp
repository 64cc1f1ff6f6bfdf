// The public side at every level (逐级归集): a city's overview shows its
// districts side by side and its city-wide commitments, /o/DISTRICT is that
// district's overview, /o/OFFICE a township's page, and the open data covers
// every region and office inside the city; each district's figures as the
// city shows them are those its own server shows. Real servers at every
// level, over plain HTTP and in Debian's headless Chromium.
#include <catch2/catch.hpp>

#include <sstream>

#include "tests/support/levels_world.hpp"
#include "tests/support/web_client.hpp"

using namespace shouxin;
using namespace shouxin::test;
namespace fs = std::filesystem;

namespace {

constexpr const char* kCityWide = kCityWideTitle;

std::string get(const Level& level, const std::string& path, long status = 200) {
    const WebAnswer a = webRequest(level.server->url() + path);
    INFO(level.code << path << "\n" << a.body.substr(0, 400));
    CHECK(a.status == status);
    return a.body;
}

bool has(const std::string& body, const std::string& text) { return body.find(text) != std::string::npos; }

// The overview's summary line: the paragraph after its heading.
std::string summaryOf(const std::string& page) {
    const auto from = page.find("</h1><p>");
    REQUIRE(from != std::string::npos);
    return page.substr(from + 8, page.find("</p>", from) - from - 8);
}

// The number of commitments a summary line counts: "N 项承诺".
int commitmentsIn(const std::string& summary) {
    const auto at = summary.find(" 项承诺");
    REQUIRE(at != std::string::npos);
    const auto from = summary.rfind("，", at);
    return std::stoi(summary.substr(from == std::string::npos ? 0 : from + 3, at));
}

// The first figure of the row that links to `path` in an overview's table.
int firstFigureOfRow(const std::string& page, const std::string& path) {
    const auto link = page.find("<td><a href=\"" + path + "\">");
    REQUIRE(link != std::string::npos);
    const std::string cell = "<td class=\"n\">";
    const auto at = page.find(cell, link);
    REQUIRE(at != std::string::npos);
    return std::stoi(page.substr(at + cell.size()));
}

// The CSV line that begins with `prefix`.
std::string lineStarting(const std::string& csv, const std::string& prefix) {
    std::istringstream in(csv);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(prefix, 0) == 0) return line;
    }
    return {};
}

}  // namespace

TEST_CASE("a city's public side shows its districts side by side, each as its own server counts it",
          "[sync][web][levels]") {
    Province p;
    p.demoAndSync({&p.a1, &p.a2, &p.b1});
    p.a.relay();
    p.b.relay();
    p.publishCityWide();
    p.a.relay();
    p.b.relay();

    // /: the districts, each linked, with its figures; the city's own
    // commitment as city-wide; no township directly.
    const std::string city = get(p.city, "/");
    CHECK(has(city, "杭州市政务承诺兑现情况"));
    CHECK(has(city, "2 个区县"));
    CHECK(has(city, "各区县对比"));
    CHECK(has(city, "<td><a href=\"/o/330110\">余杭区</a>"));
    CHECK(has(city, "<td><a href=\"/o/330106\">西湖区</a>"));
    CHECK_FALSE(has(city, "href=\"/o/330110104\""));
    CHECK(has(city, "<h2>全市统一承诺</h2>"));
    CHECK(has(city, kCityWide));
    CHECK(has(city, "本页由市守信平台"));
    const std::string cityEn = get(p.city, "/?lang=en");
    CHECK(has(cityEn, "Districts side by side"));
    CHECK(has(cityEn, "<h2>City-wide</h2>"));

    // Each district's figures at the city are those of its own server,
    // which lists the city-wide commitment apart and does not count it.
    for (const Level* d : {&p.a, &p.b}) {
        INFO(d->code);
        const std::string own = get(*d, "/");
        CHECK(has(own, "<h2>全市统一承诺</h2>"));
        CHECK(has(own, kCityWide));
        CHECK(has(own, "各乡镇（街道）对比"));
        const std::string scoped = get(p.city, "/o/" + d->code);
        CHECK(summaryOf(scoped) == summaryOf(own));
        CHECK(firstFigureOfRow(city, "/o/" + d->code) == commitmentsIn(summaryOf(own)));
        CHECK(has(scoped, "<a href=\"/\">返回杭州市总览</a>"));
        CHECK(has(scoped, kCityWide));
        const std::string figures = "/data/" + d->code + "/figures.csv";
        const std::string total = lineStarting(get(*d, figures), "total," + d->code + ",");
        CHECK_FALSE(total.empty());
        CHECK(lineStarting(get(p.city, figures), "total," + d->code + ",") == total);
    }
    const int whole = commitmentsIn(summaryOf(city));
    CHECK(whole == firstFigureOfRow(city, "/o/330110") + firstFigureOfRow(city, "/o/330106") + 1);

    // A district's overview at the city lists its townships, linked.
    const std::string a = get(p.city, "/o/330110");
    CHECK(has(a, "<td><a href=\"/o/330110104\">青山镇人民政府</a>"));
    CHECK(has(a, "<td><a href=\"/o/330110105\">溪口镇人民政府</a>"));
    CHECK_FALSE(has(a, "/o/330106001"));

    // A township's page at the city, with the way up through its district.
    const std::string town = get(p.city, "/o/330110104");
    CHECK(has(town, "<h1>青山镇人民政府</h1>"));
    CHECK(has(town, "<a href=\"/o/330110\">余杭区</a> › 青山镇人民政府"));

    // Outside the city, not a unit, the city itself, or not held: 404.
    for (const char* path : {"/o/330201", "/o/330201001", "/o/330199", "/o/3301", "/o/33", "/o/330110999"}) {
        INFO(path);
        CHECK(has(get(p.city, path, 404), "HTTP 404"));
    }

    // Open data for the whole city, each district and each township.
    const std::string data = get(p.city, "/data");
    for (const char* scope : {"3301", "330110", "330106", "330110104", "330110105", "330106001"})
        CHECK(has(data, std::string("/data/") + scope + "/figures.csv"));
    CHECK(has(data, "杭州市（全市）"));
    CHECK(has(data, "余杭区（全区）"));
    CHECK(has(data, "市公钥"));
    const std::string wholeCsv = get(p.city, "/data/3301/figures.csv");
    CHECK(has(wholeCsv, "\ncity,3301,杭州市,1,"));
    CHECK(has(wholeCsv, "\ndistrict,330110,余杭区,"));
    CHECK(has(wholeCsv, "\noffice,330106001,北山街道办事处,"));
    CHECK_FALSE(lineStarting(wholeCsv, "total,3301,合计," + std::to_string(whole) + ",").empty());
    const std::string aCsv = get(p.city, "/data/330110/figures.csv");
    CHECK(has(aCsv, "\noffice,330110104,"));
    CHECK_FALSE(has(aCsv, "\noffice,330106001,"));
    CHECK_FALSE(has(aCsv, "\ncity,"));
    const std::string json = get(p.city, "/data/330110104/commitments.json");
    CHECK(has(json, "\"330110104\""));
    CHECK_FALSE(has(json, "\"330110105\""));
    get(p.city, "/data/330201/figures.csv", 404);
    get(p.city, "/data/33/figures.csv", 404);

    // How the city's overview reads in a browser.
    REQUIRE(haveChromium());
    const fs::path shots = fs::path(SHOUXIN_SOURCE_DIR) / "docs" / "screenshots";
    fs::create_directories(shots);
    const fs::path png = shots / "web-city-overview-desktop.png";
    CHECK(chromiumScreenshot(p.city.server->url() + "/", png, 1200, 1600));
    CHECK(fs::file_size(png) > 10000);
}
