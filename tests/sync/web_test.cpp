// The district's public side, from the real `shouxin-district` on
// 127.0.0.1: the overview, a township's page and a commitment's page (the
// kiosk's QR target) over plain HTTP and in Debian's headless Chromium,
// open data with a log that audits, bad requests that get a clear page and
// change nothing, and sync answered while readers crowd the pages.
#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "shared/audit.hpp"
#include "shared/public_record.hpp"
#include "shared/store.hpp"
#include "tests/support/district_data.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/sync_world.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/web_client.hpp"

using namespace shouxin;
using namespace shouxin::test;
namespace fs = std::filesystem;

namespace {

// The day DistrictData's overdue and trend are read for.
constexpr const char* kToday = "2026-12-01";

std::string titleOf(const fs::path& db, const std::string& id) {
    return Store::open(db).commitment(id)->commitment.title;
}

// HTML escapes what a title may hold.
std::string html(std::string text) {
    std::string out;
    for (const char c : text) {
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '"') out += "&quot;";
        else if (c == '\'') out += "&#39;";
        else out += c;
    }
    return out;
}

// No complainant's phone, in clear or sealed, and no PIN verifier on a
// page or in the open data files.
void checkNothingPrivate(const DistrictData& data, const std::string& body) {
    CHECK(body.find(DistrictData::kPhone) == std::string::npos);
    CHECK(body.find(data.sealedContact) == std::string::npos);
    CHECK(body.find("$argon2id$") == std::string::npos);
}

struct District {
    TempDir dir;
    DistrictData data = makeDistrictData(dir.path());
    ServerProcess server{data.db, 0, {"--today", kToday}};
    std::string get(const std::string& path, long status = 200) {
        const WebAnswer a = webRequest(server.url() + path);
        INFO(path);
        CHECK(a.status == status);
        return a.body;
    }
};

}  // namespace

TEST_CASE("the overview, a township and a commitment are public pages in both languages", "[sync][web]") {
    District d;
    const DistrictData& data = d.data;

    const WebAnswer overview = webRequest(d.server.url() + "/");
    REQUIRE(overview.status == 200);
    CHECK(overview.header("content-type") == "text/html; charset=utf-8");
    CHECK(overview.header("cache-control") == "public, max-age=60");
    CHECK(overview.header("content-security-policy").find("default-src 'none'") != std::string::npos);
    const std::string& o = overview.body;
    CHECK(o.find("余杭区政务承诺兑现情况") != std::string::npos);
    CHECK(o.find("<svg") != std::string::npos);
    // Town A has an overdue and a broken commitment, town B neither: A first.
    const auto a = o.find(DistrictData::kTownAName);
    const auto b = o.find(DistrictData::kTownBName);
    REQUIRE(a != std::string::npos);
    REQUIRE(b != std::string::npos);
    CHECK(a < b);
    CHECK(o.find("class=\"risk\"") != std::string::npos);
    // Sorted by name on request: 330110104 before 330110105 still, and the
    // link to sort is there.
    CHECK(d.get("/?sort=name").find(DistrictData::kTownBName) != std::string::npos);
    CHECK(d.get("/?lang=en").find("Townships side by side") != std::string::npos);

    const std::string town = d.get(std::string("/o/") + DistrictData::kTownA);
    CHECK(town.find(DistrictData::kTownAName) != std::string::npos);
    CHECK(town.find(html(titleOf(data.db, data.overdue))) != std::string::npos);
    CHECK(town.find("兑现率 = 已兑现") != std::string::npos);  // the formula beside the figure
    CHECK(town.find("已信用修复") != std::string::npos);        // its breach record
    CHECK(town.find(html(titleOf(data.db, data.late))) == std::string::npos);  // town B's
    const std::string filtered = d.get(std::string("/o/") + DistrictData::kTownA + "?status=overdue");
    CHECK(filtered.find(html(titleOf(data.db, data.overdue))) != std::string::npos);
    CHECK(filtered.find(html(titleOf(data.db, data.onTime))) == std::string::npos);

    const std::string amended = d.get("/c/" + data.amended);
    CHECK(amended.find(html(titleOf(data.db, data.amended))) != std::string::npos);
    CHECK(amended.find("法律依据") != std::string::npos);
    CHECK(amended.find("修改为") != std::string::npos);  // the revision, dated
    const std::string broken = d.get("/c/" + data.broken);
    CHECK(broken.find("失信记录") != std::string::npos);
    CHECK(broken.find("信用修复") != std::string::npos);
    const std::string overdue = d.get("/c/" + data.overdue);
    CHECK(overdue.find("逾期") != std::string::npos);
    CHECK(d.get("/c/" + data.overdue + "?lang=en").find("days overdue") != std::string::npos);
    const std::string wide = d.get("/c/" + data.districtWide);
    CHECK(wide.find("全区统一承诺") != std::string::npos);

    const std::string search = d.get("/search?q=" + std::string("%E8%B7%AF%E7%81%AF"));  // 路灯
    CHECK(search.find("<table>") != std::string::npos);
    for (const std::string& body : {o, town, amended, broken, overdue, wide, search, d.get("/data")}) {
        checkNothingPrivate(data, body);
        CHECK(body.find(DistrictData::kComplaintText) == std::string::npos);
    }
}

TEST_CASE("bad requests to the public side get a clear page and change nothing", "[sync][web]") {
    District d;
    const std::string before = Store::open(d.data.db).digest("");
    const std::string url = d.server.url();

    for (const char* path : {"/c/0190a000-0000-7000-8000-000000000000", "/c/../../etc/passwd",
                             "/c/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/c/", "/c/ZZZ", "/o/12345", "/o/330111001",
                             "/o/330110999", "/data/../district.db", "/data/999999/commitments.csv",
                             "/data/330110104/secrets.csv", "/data/330110104/commitments.exe", "/nothing",
                             "/district.db"}) {
        const WebAnswer a = webRequest(url + path);
        INFO(path);
        CHECK(a.status == 404);
        CHECK(a.header("content-type") == "text/html; charset=utf-8");
        CHECK(a.body.find("<h1>") != std::string::npos);
    }
    CHECK(webRequest(url + "/c/0190a000-0000-7000-8000-000000000000").body.find("找不到这项承诺") != std::string::npos);
    CHECK(webRequest(url + "/nothing?lang=en").body.find("This page was not found") != std::string::npos);
    // The sync API keeps answering in its own words.
    const WebAnswer api = webRequest(url + "/v1/nothing");
    CHECK(api.status == 404);
    CHECK(api.body.find("\"not_found\"") != std::string::npos);

    for (const char* method : {"POST", "PUT", "DELETE", "PATCH"}) {
        const WebAnswer a = webRequest(url + "/c/" + d.data.onTime, method, {"Content-Type: text/plain"}, "x");
        INFO(method);
        CHECK(a.status == 405);
        CHECK(a.header("allow") == "GET, HEAD");
        CHECK(a.body.find("只能查看") != std::string::npos);
    }
    const WebAnswer head = webRequest(url + "/", "HEAD");
    CHECK(head.status == 200);
    CHECK(head.body.empty());
    CHECK(std::stoul(head.header("content-length")) > 1000);

    const WebAnswer tooLong = webRequest(url + "/search?q=" + std::string(300, 'a'));
    CHECK(tooLong.status == 400);
    CHECK(tooLong.body.find("搜索词太长") != std::string::npos);
    // A request line past the server's memory for it: refused, not served.
    const WebAnswer huge = webRequest(url + "/search?q=" + std::string(100000, 'a'));
    CHECK(huge.status != 200);
    CHECK(huge.status != 500);
    // A search that matches everything is bounded and says so.
    const WebAnswer everything = webRequest(url + "/search?q=%E9%95%87");  // 镇
    CHECK(everything.status == 200);

    // The same state, the same tag: a reader's cache is told nothing changed.
    const WebAnswer first = webRequest(url + "/o/330110104");
    REQUIRE(!first.header("etag").empty());
    const WebAnswer again = webRequest(url + "/o/330110104", "GET", {"If-None-Match: " + first.header("etag")});
    CHECK(again.status == 304);
    CHECK(again.body.empty());

    CHECK(webRequest(url + "/").status == 200);
    CHECK(Store::open(d.data.db).digest("") == before);
}

TEST_CASE("open data downloads open in Excel and the published log audits against the district's key",
          "[sync][web]") {
    District d;
    const std::string csv = d.get("/data/330110104/commitments.csv");
    CHECK(csv.rfind("\xEF\xBB\xBF", 0) == 0);
    // Neutralised: no cell begins with the formula, one begins with a quote.
    for (const char* before : {",", "\"", "\n"})
        CHECK(csv.find(before + std::string(DistrictData::kInjection)) == std::string::npos);
    CHECK(csv.find(std::string("'") + DistrictData::kInjection) != std::string::npos);
    const std::string json = d.get("/data/330110/figures.json");
    CHECK(json.rfind("{", 0) == 0);
    CHECK(json.find("shouxin-open-data/1") != std::string::npos);
    const std::string history = d.get("/data/330110105/history.json");
    CHECK(history.find(titleOf(d.data.db, d.data.late).substr(3)) == std::string::npos);  // titles are not history
    // Asked twice, the second is the same file.
    CHECK(d.get("/data/330110104/commitments.csv") == csv);

    const WebAnswer log = webRequest(d.server.url() + "/data/log.jsonl");
    REQUIRE(log.status == 200);
    std::istringstream in(log.body);
    const AuditReport report = auditLog(in, Store::open(d.data.db).node().publicKeyHex);
    INFO(describe(report));
    CHECK(report.ok());
    CHECK(report.events > 0);
    for (const std::string& body : {csv, json, history, d.get("/data/330110/history.csv")}) {
        checkNothingPrivate(d.data, body);
        CHECK(body.find(DistrictData::kComplaintText) == std::string::npos);
    }
    // The log is the records as the kiosks signed them: a complaint's text,
    // and its contact only as the sealed box that the district's secret key
    // alone opens (docs/OPEN-DATA.md); never the phone in clear.
    CHECK(log.body.find(DistrictData::kPhone) == std::string::npos);
    CHECK(log.body.find("$argon2id$") == std::string::npos);
}

TEST_CASE("sync is answered while readers crowd the public pages", "[sync][web]") {
    SyncWorld world;
    const Kiosk kiosk = world.addKiosk("330110104", "青山镇人民政府");
    REQUIRE(kiosk.cli({"demo"}).exitCode == 0);
    world.sync(kiosk);  // the township is known: its page is there
    std::atomic<bool> stop{false};
    std::atomic<int> answered{0}, busy{0}, failed{0};
    std::mutex failuresMutex;
    std::string failures;
    std::vector<std::thread> readers;
    for (int i = 0; i < 12; ++i) {
        readers.emplace_back([&, i] {
            const char* paths[] = {"/", "/o/330110104", "/search?q=%E5%85%BB%E8%80%81", "/data/log.jsonl"};
            while (!stop) {
                const WebAnswer a = webRequest(world.server().url() + paths[i % 4]);
                if (a.status == 200) ++answered;
                else if (a.status == 503) ++busy;
                else {
                    ++failed;
                    std::lock_guard lock(failuresMutex);
                    if (failures.size() < 2000)
                        failures += std::to_string(a.status) + " " + paths[i % 4] + ": " + a.body.substr(0, 80) + "\n";
                }
            }
        });
    }
    std::string open;
    for (const CommitmentState& c : Store::open(kiosk.db).commitments()) {
        if (!isClosed(c.status)) open = c.commitment.id;
    }
    REQUIRE(!open.empty());
    // Three full rounds, each pushing and pulling, while the readers run.
    for (int round = 0; round < 3; ++round) {
        const RunResult reported = kiosk.cli({"report", "--commitment", open, "--status", "in_progress", "--progress",
                                              std::to_string(10 + round), "--note", "进展", "--clerk", "zhang"});
        INFO(reported.err);
        REQUIRE(reported.exitCode == 0);
        world.sync(kiosk);
    }
    stop = true;
    for (std::thread& t : readers)
        t.join();
    INFO(failures);
    CHECK(failed == 0);
    CHECK(answered > 0);
    CHECK(world.districtDigest("330110104") == kiosk.digest());
    WARN("public answers while syncing: " << answered << " served, " << busy << " told to retry");
}

TEST_CASE("the kiosk's QR code after enrolment opens that commitment's page", "[sync][web]") {
    SyncWorld world;
    const Kiosk kiosk = world.addKiosk("330110104", "青山镇人民政府");
    REQUIRE(kiosk.cli({"demo"}).exitCode == 0);
    world.sync(kiosk);
    const Store store = Store::open(kiosk.db);
    const CommitmentState c = store.commitments().front();
    // What the kiosk's detail screen encodes when no --public-url is given.
    const std::string url = publicUrlOf(publicSiteOf(store), c.commitment.id);
    CHECK(url == world.server().url() + "/c/" + c.commitment.id);
    const WebAnswer page = webRequest(url);
    CHECK(page.status == 200);
    CHECK(page.body.find(html(c.commitment.title)) != std::string::npos);

    // A district behind a proxy names its public address at enrolment.
    SyncWorld proxied({"--public-site", "https://shouxin.example.gov.cn"});
    const Kiosk other = proxied.addKiosk("330110105", "瓶窑镇人民政府");
    CHECK(publicSiteOf(Store::open(other.db)) == "https://shouxin.example.gov.cn");
}

TEST_CASE("Chromium renders the overview, a township and a commitment at a phone's width and a desktop's",
          "[sync][web][browser]") {
    REQUIRE(haveChromium());
    District d;
    const std::string title = titleOf(d.data.db, d.data.amended);
    struct Page {
        std::string name;
        std::string path;
        std::string expect;
    };
    const std::vector<Page> pages = {
        {"overview", "/", "各乡镇（街道）对比"},
        {"township", std::string("/o/") + DistrictData::kTownA, DistrictData::kTownAName},
        {"commitment", "/c/" + d.data.amended, html(title)},
        {"commitment-en", "/c/" + d.data.broken + "?lang=en", "Breach records"},
    };
    const fs::path shots = fs::path(SHOUXIN_SOURCE_DIR) / "docs" / "screenshots";
    fs::create_directories(shots);
    for (const Page& p : pages) {
        INFO(p.path);
        const std::string dom = chromiumDom(d.server.url() + p.path);
        INFO(dom.substr(0, 300));
        CHECK(dom.find(p.expect) != std::string::npos);
        checkNothingPrivate(d.data, dom);
        for (const auto& [suffix, width, height] :
             {std::tuple<const char*, int, int>{"phone", 390, 1400}, {"desktop", 1280, 1100}}) {
            const fs::path png = shots / ("web-" + p.name + "-" + suffix + ".png");
            CHECK(chromiumScreenshot(d.server.url() + p.path, png, width, height));
            CHECK(fs::file_size(png) > 10000);
        }
    }
}
