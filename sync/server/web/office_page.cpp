// /o/OFFICE: one township's commitments by service area with filters, its
// figures with their formulas, its trend, and what is overdue or broken.
#include <array>
#include <charconv>

#include "sync/server/web/pages.hpp"
#include "sync/server/web/parts.hpp"

namespace shouxin::server::web {
namespace {

constexpr std::size_t kRowsPerPage = 50;
constexpr int kTrendMonths = 12;

// The status filter: "" every one, "overdue" (derived), or a stored status.
bool passesStatus(std::string_view filter, const CommitmentState& c, Date today) {
    if (filter.empty()) return true;
    if (filter == "overdue") return isOverdue(c, today);
    const auto s = parseStatus(filter);
    return !s || c.status == *s;
}

std::size_t pageOf(const PageContext& ctx) {
    for (const auto& [name, value] : ctx.params) {
        if (name != "page") continue;
        std::size_t page = 1;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), page);
        if (ec == std::errc() && end == value.data() + value.size() && page >= 1 && page <= 100000) return page;
    }
    return 1;
}

std::string param(const PageContext& ctx, std::string_view name) {
    for (const auto& [key, value] : ctx.params) {
        if (key == name) return value;
    }
    return {};
}

// A filter's links: every value of one parameter, the others kept.
std::string tabs(const PageContext& ctx, const std::string& path, const std::string& name,
                 const std::vector<std::pair<std::string, std::string>>& values) {
    const std::string current = param(ctx, name);
    std::string h = "<p class=\"tabs\">";
    for (const auto& [value, labelHtml] : values) {
        Params keep;
        for (const auto& [key, v] : ctx.params) {
            if (key != name && key != "page") keep.emplace_back(key, v);
        }
        keep.emplace_back(name, value);
        h += "<a href=\"" + ctx.href(path, keep) + "\"" + (value == current ? " class=\"on\"" : "") + ">" +
             labelHtml + "</a>";
    }
    return h + "</p>";
}

}  // namespace

Rendered officePage(const PageContext& ctx, const Store& store, std::string_view office) {
    const OfficeNames names = officeNames(store);
    const auto named = names.find(office);
    if (named == names.end()) return errorPage(ctx, 404, "web.error.no_office");
    const std::string code(office);
    const std::string path = "/o/" + code;
    const std::string area = param(ctx, "area");
    const std::string status = param(ctx, "status");
    const std::string kind = param(ctx, "kind");
    const auto areaFilter = parseCategory(area);
    const auto kindFilter = parseKind(kind);

    Figures overall;
    std::array<int, kCategoryCount> perArea{};
    MonthlyTally trend(ctx.today, kTrendMonths);
    RowSorter problems(ctx.today);
    RowSorter listed(ctx.today);
    store.forEachCommitmentSummaryIn(code, [&](const CommitmentState& c) {
        if (c.commitment.office != code) return;
        overall += computeFigures(std::span<const CommitmentState>(&c, 1), {}, ctx.today);
        ++perArea[static_cast<std::size_t>(c.commitment.category)];
        trend.add(c);
        if (isOverdue(c, ctx.today) || c.status == Status::broken) problems.add(c);
        if ((!areaFilter || c.commitment.category == *areaFilter) && (!kindFilter || c.commitment.kind == *kindFilter) &&
            passesStatus(status, c, ctx.today))
            listed.add(c);
    });
    const VoiceFigures voice = computeVoiceFigures(store.voiceFacts(code), FiguresFilter{code, {}, {}, {}});

    std::string m = crumbs(ctx, names, ctx.serverCode, code) + "<h1>" + escape(named->second) + "</h1>";
    m += "<p>" + ctx.f("web.office.summary", {std::to_string(overall.total), std::to_string(overall.overdue),
                                             std::to_string(overall.count(Status::broken))}) + "</p>";
    m += "<h2>" + ctx.t("web.heading.figures") + "</h2>" + figuresList(ctx, overall);
    m += trendChart(ctx, trend.months());
    m += "<h2>" + ctx.t("kiosk.figures.voice") + "</h2>" + voiceList(ctx, voice);

    m += "<h2>" + ctx.t("kiosk.figures.problems") + "</h2>";
    const std::vector<Row> problemRows = problems.take();
    m += problemRows.empty() ? "<p class=\"muted\">" + ctx.t("kiosk.figures.no_problems") + "</p>"
                             : rowsTable(ctx, problemRows);

    const auto breaches = store.breaches(code);
    m += "<h2>" + ctx.t("kiosk.breach.heading") + "</h2>";
    if (breaches.empty()) {
        m += "<p class=\"muted\">" + ctx.t("kiosk.breach.none") + "</p>";
    } else {
        m += "<div class=\"scroll\"><table><thead><tr><th>" + ctx.t("web.col.commitment") + "</th><th>" +
             ctx.t("web.col.status") + "</th><th>" + ctx.t("web.col.confirmed") + "</th></tr></thead><tbody>";
        for (const Store::BreachRecord& b : breaches) {
            m += "<tr><td><a href=\"" + ctx.href("/c/" + b.breach.commitment) + "\">" + escape(b.commitmentTitle) +
                 "</a></td><td>" + ctx.t(messageIdOf(b.stage)) + "</td><td>" +
                 escape(b.breach.confirmed.toString()) + "</td></tr>";
        }
        m += "</tbody></table></div>";
    }

    m += "<h2 id=\"list\">" + ctx.t("web.heading.commitments") + "</h2>";
    std::vector<std::pair<std::string, std::string>> areas{{"", ctx.t("kiosk.filter.all") + " " +
                                                                    std::to_string(overall.total)}};
    for (const Category c : kCategories) {
        const int count = perArea[static_cast<std::size_t>(c)];
        if (count > 0) areas.emplace_back(std::string(idOf(c)), ctx.t(messageIdOf(c)) + " " + std::to_string(count));
    }
    m += tabs(ctx, path, "area", areas);
    std::vector<std::pair<std::string, std::string>> statuses{{"", ctx.t("kiosk.filter.all")},
                                                              {"overdue", ctx.t("status.overdue")}};
    for (const Status s : kStatuses)
        statuses.emplace_back(std::string(idOf(s)), ctx.t(messageIdOf(s)));
    m += tabs(ctx, path, "status", statuses);
    std::vector<std::pair<std::string, std::string>> kinds{{"", ctx.t("kiosk.filter.all")}};
    for (const Kind k : kKinds)
        kinds.emplace_back(std::string(idOf(k)), ctx.t(messageIdOf(k)));
    m += tabs(ctx, path, "kind", kinds);

    std::vector<Row> rows = listed.take();
    const std::size_t total = rows.size();
    const std::size_t pages = std::max<std::size_t>(1, (total + kRowsPerPage - 1) / kRowsPerPage);
    const std::size_t page = std::min(pageOf(ctx), pages);
    const std::size_t from = (page - 1) * kRowsPerPage;
    std::vector<Row> shown(rows.begin() + static_cast<std::ptrdiff_t>(std::min(from, total)),
                           rows.begin() + static_cast<std::ptrdiff_t>(std::min(from + kRowsPerPage, total)));
    m += "<p class=\"muted\">" + ctx.f("web.office.listed", {std::to_string(total)}) + "</p>";
    if (total == 0) {
        m += "<p class=\"muted\">" + ctx.t("web.office.none_listed") + "</p>";
    } else {
        m += rowsTable(ctx, shown);
    }
    if (pages > 1) {
        Params keep;
        for (const auto& [key, v] : ctx.params) {
            if (key != "page") keep.emplace_back(key, v);
        }
        m += "<p class=\"tabs\">";
        if (page > 1) {
            Params prev = keep;
            prev.emplace_back("page", std::to_string(page - 1));
            m += "<a href=\"" + ctx.href(path, prev) + "#list\">" + ctx.t("web.page.previous") + "</a>";
        }
        m += " " + ctx.f("web.page.of", {std::to_string(page), std::to_string(pages)}) + " ";
        if (page < pages) {
            Params next = keep;
            next.emplace_back("page", std::to_string(page + 1));
            m += "<a href=\"" + ctx.href(path, next) + "#list\">" + ctx.t("web.page.next") + "</a>";
        }
        m += "</p>";
    }
    m += "<p class=\"noprint\">" + ctx.t("web.nav.data") + ": ";
    for (const char* what : {"commitments", "history", "figures"}) {
        for (const char* fmt : {"csv", "json"}) {
            m += "<a href=\"/data/" + code + "/" + what + "." + fmt + "\">" + what + "." + fmt + "</a> ";
        }
    }
    m += "</p>";
    return {200, document(ctx, named->second, m)};
}

}  // namespace shouxin::server::web
