#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "shared/domain.hpp"
#include "shared/embedded.hpp"
#include "shared/i18n.hpp"
#include "shared/text.hpp"

using namespace shouxin;

namespace {

std::set<std::string> catalogueSet() {
    std::set<std::string> ids;
    for (const auto id : catalogueIds())
        ids.emplace(id);
    return ids;
}

// The code points of well-formed UTF-8 text.
std::vector<char32_t> codePoints(std::string_view text) {
    std::vector<char32_t> out;
    for (std::size_t i = 0; i < text.size();) {
        const auto b0 = static_cast<std::uint8_t>(text[i]);
        const std::size_t len = b0 < 0x80 ? 1 : b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4;
        char32_t cp = static_cast<char32_t>(len == 1 ? b0 : (b0 & (0xFFu >> (len + 1))));
        for (std::size_t k = 1; k < len && i + k < text.size(); ++k) {
            cp = (cp << 6) | (static_cast<std::uint8_t>(text[i + k]) & 0x3Fu);
        }
        out.push_back(cp);
        i += len;
    }
    return out;
}

bool isCjkIdeograph(char32_t cp) {
    return (cp >= 0x3400 && cp <= 0x4DBF) ||  // extension A
           (cp >= 0x4E00 && cp <= 0x9FFF) ||  // unified ideographs
           (cp >= 0xF900 && cp <= 0xFAFF) ||  // compatibility ideographs
           (cp >= 0x20000 && cp <= 0x3134F);  // extensions B-G
}

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("every catalogue line has an id, Chinese and English text", "[i18n]") {
    // i18n.cpp skips malformed lines; this is where they are reported.
    std::istringstream lines{std::string(embedded::kMessagesTsv)};
    std::string line;
    int number = 0;
    int entries = 0;
    while (std::getline(lines, line)) {
        ++number;
        if (line.empty() || line.front() == '#') continue;
        INFO("messages.tsv line " << number << ": " << line);
        CHECK(std::count(line.begin(), line.end(), '\t') == 2);
        CHECK(line.find('\r') == std::string::npos);
        CHECK(isValidUtf8(line));
        ++entries;
    }
    CHECK(entries == static_cast<int>(catalogueIds().size()));
}

TEST_CASE("catalogue ids are unique and each has non-empty zh and en text", "[i18n]") {
    const auto ids = catalogueIds();
    REQUIRE(ids.size() > 50);
    std::set<std::string_view> seen;
    for (const auto id : ids) {
        INFO(id);
        CHECK(seen.insert(id).second);
        CHECK_FALSE(id.empty());
        CHECK(std::regex_match(std::string(id), std::regex("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)+")));
        const auto zh = tr(id, Lang::zh);
        const auto en = tr(id, Lang::en);
        CHECK_FALSE(zh.empty());
        CHECK_FALSE(en.empty());
        CHECK(zh != en);
        if (!zh.empty() && !en.empty()) {
            CHECK(zh.front() != ' ');
            CHECK(en.back() != ' ');
        }
    }
}

TEST_CASE("the Chinese text of every id contains a CJK character", "[i18n]") {
    for (const auto id : catalogueIds()) {
        const auto zh = tr(id, Lang::zh);
        INFO(id << ": " << zh);
        REQUIRE(isValidUtf8(zh));
        const auto cps = codePoints(zh);
        CHECK(std::any_of(cps.begin(), cps.end(), isCjkIdeograph));
    }
}

TEST_CASE("every category, kind and status has a catalogue entry, and so does overdue", "[i18n]") {
    const auto ids = catalogueSet();
    for (const Category c : kCategories) {
        INFO(messageIdOf(c));
        CHECK(ids.count(messageIdOf(c)) == 1);
    }
    for (const Kind k : kKinds) {
        INFO(messageIdOf(k));
        CHECK(ids.count(messageIdOf(k)) == 1);
    }
    for (const Status s : kStatuses) {
        INFO(messageIdOf(s));
        CHECK(ids.count(messageIdOf(s)) == 1);
    }
    CHECK(ids.count("status.overdue") == 1);
    CHECK(tr(messageIdOf(Category::fireTheft), Lang::zh) == "防火防盗");
    CHECK(tr(messageIdOf(Status::broken), Lang::zh) == "未兑现");
}

TEST_CASE("every message id used in shared and sync sources is in the catalogue", "[i18n]") {
    const auto ids = catalogueSet();
    // A string literal that is exactly a message id (a literal ending in
    // '.' is a prefix matched against ids, not an id).
    const std::regex literal(R"re("((?:error|cli|figures|sync|kiosk)\.[a-z0-9_.]*[a-z0-9_])")re");
    std::map<std::string, std::string> used;  // id -> a file that uses it
    int files = 0;
    for (const char* dir : {SHOUXIN_SOURCE_DIR "/shared", SHOUXIN_SOURCE_DIR "/sync", SHOUXIN_SOURCE_DIR "/kiosk"}) {
        REQUIRE(std::filesystem::is_directory(dir));
        for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
            const auto ext = entry.path().extension();
            if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp")) continue;
            ++files;
            const std::string text = readFile(entry.path());
            for (auto it = std::sregex_iterator(text.begin(), text.end(), literal);
                 it != std::sregex_iterator(); ++it) {
                used.emplace((*it)[1].str(), entry.path().string());
            }
        }
    }
    CHECK(files > 10);
    // The scan itself works: it finds ids we know are used.
    CHECK(used.count("error.text.utf8") == 1);
    CHECK(used.count("error.status.fulfilled_needs_100") == 1);
    CHECK(used.count("figures.formula.on_time_rate") == 1);
    CHECK(used.count("cli.verify_ok") == 1);
    CHECK(used.count("kiosk.idle.countdown") == 1);
    CHECK(used.size() > 40);
    for (const auto& [id, file] : used) {
        INFO(id << " used in " << file);
        CHECK(ids.count(id) == 1);
    }
}

TEST_CASE("tr of an unknown id returns the id itself", "[i18n]") {
    CHECK(tr("error.no_such_message", Lang::zh) == "error.no_such_message");
    CHECK(tr("error.no_such_message", Lang::en) == "error.no_such_message");
    CHECK(tr("", Lang::en).empty());
    CHECK(tr("status.broken", Lang::en) == "Broken");
}

TEST_CASE("describe gives a problem in both languages with its field and detail", "[i18n]") {
    const Problem p{"title", "error.text.empty", "0 < 1"};
    const std::string zh(tr(p.message, Lang::zh));
    const std::string en(tr(p.message, Lang::en));
    REQUIRE(zh != p.message);
    REQUIRE(en != p.message);
    const std::string text = describe(p);
    CHECK(text.find(zh) != std::string::npos);
    CHECK(text.find(en) != std::string::npos);
    CHECK(text.find("title") != std::string::npos);
    CHECK(text.find("0 < 1") != std::string::npos);
    CHECK(text == "title: " + bilingual(p.message) + " (0 < 1)");
    CHECK(bilingual("error.score") ==
          std::string(tr("error.score", Lang::zh)) + " / " + std::string(tr("error.score", Lang::en)));

    const Problems two = {p, {"score", "error.score", "9"}};
    const std::string both = describe(two);
    CHECK(both == describe(two[0]) + "\n" + describe(two[1]));
    CHECK(both.find(tr("error.score", Lang::zh)) != std::string::npos);
    CHECK(both.find(tr("error.score", Lang::en)) != std::string::npos);
}

TEST_CASE("the kiosk's month names exist for every month it builds an id for", "[i18n]") {
    const auto ids = catalogueSet();
    for (int month = 1; month <= 12; ++month) {
        INFO(month);
        CHECK(ids.count("kiosk.month." + std::to_string(month)) == 1);
    }
}
