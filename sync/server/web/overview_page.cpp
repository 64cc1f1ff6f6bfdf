// / and /o/REGION: the units directly below a region (a district's
// townships, a city's districts, a province's cities) side by side, those at
// risk first, with the region's monthly trend, its region-wide commitments
// and those pulled from the levels above (listed, not counted).
#include <algorithm>
#include <tuple>

#include "sync/server/web/pages.hpp"
#include "sync/server/web/parts.hpp"

namespace shouxin::server::web {
namespace {

constexpr int kTrendMonths = 12;
// A rate falls when the last three months' is this much under the three
// months' before.
constexpr double kFallingBy = 0.05;

struct Unit {
    std::string code;
    std::string name;
    Figures figures;
    MonthlyTally recent;  // six months: three before, then the last three
    VoiceFigures voice;
    std::optional<double> before;
    std::optional<double> lately;

    bool falling() const { return before && lately && *lately < *before - kFallingBy; }
    bool atRisk() const { return figures.overdue > 0 || figures.count(Status::broken) > 0 || falling(); }
};

void settleTrend(Unit& t) {
    Figures before, lately;
    const auto& months = t.recent.months();
    for (std::size_t i = 0; i < months.size(); ++i)
        (i < 3 ? before : lately) += months[i].figures;
    t.before = before.onTimeRate();
    t.lately = lately.onTimeRate();
}

// Those at risk first: most overdue, then most broken, then a falling
// on-time rate, then the lowest fulfilment rate.
bool riskierThan(const Unit& a, const Unit& b) {
    const auto key = [](const Unit& t) {
        return std::make_tuple(-t.figures.overdue, -t.figures.count(Status::broken), !t.falling(),
                               t.figures.fulfilmentRate().value_or(2.0), t.code);
    };
    return key(a) < key(b);
}

void sortBy(std::vector<Unit>& units, std::string_view sort) {
    const auto by = [&](auto key) {
        std::stable_sort(units.begin(), units.end(),
                         [&](const Unit& a, const Unit& b) { return key(a) < key(b); });
    };
    std::sort(units.begin(), units.end(), riskierThan);
    if (sort == "name") by([](const Unit& t) { return t.code; });
    if (sort == "total") by([](const Unit& t) { return -t.figures.total; });
    if (sort == "overdue") by([](const Unit& t) { return -t.figures.overdue; });
    if (sort == "broken") by([](const Unit& t) { return -t.figures.count(Status::broken); });
    if (sort == "rate") by([](const Unit& t) { return t.figures.fulfilmentRate().value_or(2.0); });
    if (sort == "on_time") by([](const Unit& t) { return t.figures.onTimeRate().value_or(2.0); });
    if (sort == "complaints") by([](const Unit& t) { return -t.voice.complaints; });
}

std::string trendWord(const PageContext& ctx, const Unit& t) {
    if (!t.before || !t.lately) return "<span class=\"muted\">—</span>";
    const std::string numbers = percentText(t.before) + " → " + percentText(t.lately);
    if (t.falling()) return "<strong style=\"color:#b3261e\">▼ " + ctx.t("web.trend.falling") + "</strong><br>" + numbers;
    if (*t.lately > *t.before + kFallingBy) return "▲ " + ctx.t("web.trend.rising") + "<br>" + numbers;
    return ctx.t("web.trend.steady") + "<br>" + numbers;
}

// Everything one overview counts, gathered in one pass over the commitments.
struct Gathered {
    std::vector<Unit> units;
    Figures all;
    MonthlyTally trend;
    RowSorter regionWide;                                 // the scope's own
    std::map<std::string, RowSorter, std::less<>> above;  // a region above -> its own, nearest last
};

Gathered gather(const PageContext& ctx, const Store& store, const OfficeNames& names,
                const std::string& scope) {
    Gathered g{{}, {}, MonthlyTally(ctx.today, kTrendMonths), RowSorter(ctx.today), {}};
    const std::size_t childLength = childCodeLength(scope);
    std::map<std::string, std::size_t, std::less<>> index;
    const auto unitOf = [&](std::string_view code) -> Unit& {
        auto it = index.find(code);
        if (it == index.end()) {
            it = index.emplace(std::string(code), g.units.size()).first;
            g.units.push_back(
                {std::string(code), nameOf(names, code), {}, MonthlyTally(ctx.today, 6), {}, {}, {}});
        }
        return g.units[it->second];
    };
    for (const auto& [code, name] : names) {
        if (isChildOf(scope, code)) unitOf(code);
    }
    store.forEachCommitmentSummary(std::nullopt, [&](const CommitmentState& c) {
        const std::string& office = c.commitment.office;
        if (!inScope(scope, office)) {
            if (office.size() < scope.size() && inScope(office, scope))
                g.above.try_emplace(office, ctx.today).first->second.add(c);
            return;
        }
        const Figures one = computeFigures(std::span<const CommitmentState>(&c, 1), {}, ctx.today);
        g.all += one;
        g.trend.add(c);
        const std::string_view child = std::string_view(office).substr(0, childLength);
        if (office.size() >= childLength && isChildOf(scope, child)) {
            Unit& u = unitOf(child);
            u.figures += one;
            u.recent.add(c);
        } else {
            g.regionWide.add(c);
        }
    });
    const VoiceFacts facts = store.voiceFacts(scope);
    for (Unit& u : g.units) {
        u.voice = computeVoiceFigures(facts, FiguresFilter{u.code, {}, {}, {}});
        settleTrend(u);
    }
    return g;
}

std::string unitsTable(const PageContext& ctx, const std::string& scope, const std::vector<Unit>& units,
                       const std::string& sort) {
    const auto head = [&](std::string_view key, const std::string& labelId, bool numeric) {
        const bool on = sort == key || (sort.empty() && key == "risk");
        return std::string("<th") + (numeric ? " class=\"n\"" : "") + "><a href=\"" +
               ctx.href(ctx.path, {{"sort", std::string(key)}}) + "\">" + ctx.t(labelId) + (on ? " ▾" : "") +
               "</a></th>";
    };
    std::string m = "<div class=\"scroll\"><table><thead><tr>" +
                    head("name", levelId("web.overview.col", scope), false) +
                    head("total", "figures.total", true) + head("overdue", "figures.overdue", true) +
                    head("broken", "status.broken", true) + head("rate", "figures.fulfilment_rate", true) +
                    head("on_time", "figures.on_time_rate", true) + "<th>" + ctx.t("web.col.trend") +
                    "</th>" + head("complaints", "figures.complaints", true) + "<th class=\"n\">" +
                    ctx.t("kiosk.figures.open_breaches") + "</th>" + head("risk", "web.col.risk", true) +
                    "</tr></thead><tbody>";
    for (const Unit& t : units) {
        m += std::string("<tr") + (t.atRisk() ? " class=\"risk\"" : "") + "><td><a href=\"" + ctx.href("/o/" + t.code) +
             "\">" + escape(t.name) + "</a></td><td class=\"n\">" + std::to_string(t.figures.total) +
             "</td><td class=\"n\">" + std::to_string(t.figures.overdue) + "</td><td class=\"n\">" +
             std::to_string(t.figures.count(Status::broken)) + "</td><td class=\"n\">" +
             percentText(t.figures.fulfilmentRate()) + "</td><td class=\"n\">" + percentText(t.figures.onTimeRate()) +
             "</td><td>" + trendWord(ctx, t) + "</td><td class=\"n\">" + std::to_string(t.voice.complaints) +
             "</td><td class=\"n\">" + std::to_string(t.voice.openBreaches) + "</td><td class=\"n\">" +
             (t.atRisk() ? "<strong>" + ctx.t("web.risk.yes") + "</strong>" : ctx.t("web.risk.no")) + "</td></tr>";
    }
    return m + "</tbody></table></div>";
}

}  // namespace

Rendered overviewPage(const PageContext& ctx, const Store& store, std::string_view scopeCode) {
    const OfficeNames names = officeNames(store);
    const std::string& server = ctx.serverCode;
    const std::string scope(scopeCode);
    const std::string name = scope == server ? ctx.districtName : nameOf(names, scope);
    Gathered g = gather(ctx, store, names, scope);
    std::string sort;
    for (const auto& [key, value] : ctx.params) {
        if (key == "sort") sort = value;
    }
    sortBy(g.units, sort);
    const auto atRisk =
        std::count_if(g.units.begin(), g.units.end(), [](const Unit& t) { return t.atRisk(); });

    std::string m;
    if (scope != server) m += crumbs(ctx, names, server, scope);
    m += "<h1>" + ctx.f("web.overview.title", {name}) + "</h1>";
    m += "<p>" +
         ctx.f(levelId("web.overview.summary", scope),
               {std::to_string(g.units.size()), std::to_string(g.all.total), std::to_string(g.all.overdue),
                std::to_string(g.all.count(Status::broken)), std::to_string(atRisk)}) +
         "</p>";
    if (scope != server)
        m += "<p><a href=\"" + ctx.href("/") + "\">" + ctx.f("web.overview.back", {ctx.districtName}) +
             "</a></p>";
    m += searchForm(ctx, "");

    m += "<h2>" + ctx.t(levelId("web.overview.units", scope)) + "</h2><p class=\"muted\">" +
         ctx.t("web.overview.sort_note");
    if (!isDistrictCode(scope)) m += " " + ctx.t("web.overview.units_note");
    m += "</p>" + unitsTable(ctx, scope, g.units, sort);

    m += "<h2>" + ctx.t(levelId("web.overview.trend", scope)) + "</h2>" + trendChart(ctx, g.trend.months());
    m += "<h2>" + ctx.t("web.heading.figures") + "</h2>" + figuresList(ctx, g.all);
    m += "<p class=\"formula\">" + ctx.t("web.overview.risk_formula") + "</p>";

    const std::vector<Row> wide = g.regionWide.take();
    if (!wide.empty()) m += "<h2>" + wideLabel(ctx, scope) + "</h2>" + rowsTable(ctx, wide);
    // The nearest level above first.
    for (auto it = g.above.rbegin(); it != g.above.rend(); ++it) {
        const std::vector<Row> rows = it->second.take();
        m += "<h2>" + wideLabel(ctx, it->first) + "</h2><p class=\"muted\">" +
             ctx.t("web.overview.above_note") + "</p>" + rowsTable(ctx, rows);
    }
    return {200, document(ctx, format("web.overview.title", ctx.lang, {name}), m)};
}

}  // namespace shouxin::server::web
