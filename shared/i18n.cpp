#include "shared/i18n.hpp"

#include <unordered_map>

#include "shared/embedded.hpp"

namespace shouxin {
namespace {

struct Entry {
    std::string_view zh;
    std::string_view en;
};

struct Catalogue {
    std::vector<std::string_view> ids;
    std::unordered_map<std::string_view, Entry> entries;
};

// Parses the compiled-in TSV once: "id<TAB>zh<TAB>en", '#' comments.
const Catalogue& catalogue() {
    static const Catalogue kCatalogue = [] {
        Catalogue c;
        std::string_view rest = embedded::kMessagesTsv;
        while (!rest.empty()) {
            const std::size_t eol = rest.find('\n');
            std::string_view line = rest.substr(0, eol);
            rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);
            if (line.empty() || line.front() == '#') continue;
            const std::size_t t1 = line.find('\t');
            const std::size_t t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
            if (t2 == std::string_view::npos) continue;  // reported by the catalogue test
            const std::string_view id = line.substr(0, t1);
            c.ids.push_back(id);
            c.entries[id] = Entry{line.substr(t1 + 1, t2 - t1 - 1), line.substr(t2 + 1)};
        }
        return c;
    }();
    return kCatalogue;
}

}  // namespace

std::string_view tr(std::string_view id, Lang lang) {
    const auto& entries = catalogue().entries;
    const auto it = entries.find(id);
    if (it == entries.end()) return id;
    return lang == Lang::zh ? it->second.zh : it->second.en;
}

std::string format(std::string_view id, Lang lang, std::initializer_list<std::string> args) {
    std::string out(tr(id, lang));
    int index = 0;
    for (const std::string& arg : args) {
        const std::string key = "{" + std::to_string(index++) + "}";
        for (std::size_t at = out.find(key); at != std::string::npos; at = out.find(key, at + arg.size()))
            out.replace(at, key.size(), arg);
    }
    return out;
}

std::string bilingual(std::string_view id) {
    std::string out(tr(id, Lang::zh));
    out += " / ";
    out += tr(id, Lang::en);
    return out;
}

std::vector<std::string_view> catalogueIds() { return catalogue().ids; }

std::string describe(const Problem& problem) {
    std::string out;
    if (!problem.field.empty()) out += problem.field + ": ";
    out += bilingual(problem.message);
    if (!problem.detail.empty()) out += " (" + problem.detail + ")";
    return out;
}

std::string describe(const Problems& problems) {
    std::string out;
    for (const auto& p : problems) {
        if (!out.empty()) out += "\n";
        out += describe(p);
    }
    return out;
}

}  // namespace shouxin
