#include "shared/demo.hpp"

#include <charconv>
#include <vector>

#include "shared/crypto.hpp"
#include "shared/embedded.hpp"
#include "shared/store.hpp"

namespace shouxin {
namespace {

std::vector<std::string_view> split(std::string_view s, std::string_view sep) {
    std::vector<std::string_view> out;
    for (std::size_t start = 0;;) {
        const std::size_t at = s.find(sep, start);
        out.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
        if (at == std::string_view::npos) return out;
        start = at + sep.size();
    }
}

std::optional<int> toInt(std::string_view s) {
    int v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

Problem badLine(int line, std::string what) {
    return {"office.tsv:" + std::to_string(line), "error.demo.data", std::move(what)};
}

}  // namespace

Result<DemoSummary> fillDemo(Store& store, Date today) {
    if (!store.commitments().empty()) return Problem{"", "error.demo.not_empty", ""};
    const std::string office = store.node().office;
    DemoSummary summary;
    int lineNo = 0;
    for (const std::string_view line : split(embedded::kDemoOfficeTsv, "\n")) {
        ++lineNo;
        if (line.empty() || line.front() == '#') continue;
        const auto cols = split(line, "\t");
        if (cols.size() != 10) return badLine(lineNo, std::to_string(cols.size()) + " columns");
        const auto category = parseCategory(cols[0]);
        const auto kind = parseKind(cols[1]);
        const auto published = toInt(cols[8]);
        if (!category || !kind || !published) return badLine(lineNo, "category, kind or published");

        Commitment c;
        c.id = newUuidV7();
        c.office = office;
        c.category = *category;
        c.kind = *kind;
        c.title = cols[2];
        c.detail = cols[3];
        c.department = cols[4];
        c.responsible = cols[5];
        if (!cols[6].empty()) {
            const auto deadline = toInt(cols[6]);
            if (!deadline) return badLine(lineNo, "deadline");
            c.deadline = today.plusDays(*deadline);
        }
        c.timeLimit = cols[7];
        c.published = today.plusDays(*published);
        if (auto r = store.record(c, "clerk:demo"); !r) return r.problems();
        ++summary.commitments;

        if (cols[9].empty()) continue;
        for (const std::string_view text : split(cols[9], " | ")) {
            const auto f = split(text, ";");
            if (f.size() != 4 && f.size() != 6) return badLine(lineNo, "report fields");
            const auto offset = toInt(f[0]);
            const auto status = parseStatus(f[1]);
            const auto progress = toInt(f[2]);
            if (!offset || !status || !progress) return badLine(lineNo, "report");
            FulfilmentReport r;
            r.commitment = c.id;
            r.status = *status;
            r.progress = *progress;
            r.note = f[3];
            r.date = today.plusDays(*offset);
            if (f.size() == 6) {
                r.reason = f[4];
                r.legalBasis = f[5];
            }
            r.basedOn = store.commitment(c.id)->lastReport;
            if (auto e = store.record(r, "clerk:demo"); !e) return e.problems();
            ++summary.reports;
        }
    }
    return summary;
}

}  // namespace shouxin
