// /: every township of the district side by side, those at risk first,
// with the district's monthly trend and its district-wide commitments.
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

struct Township {
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

void settleTrend(Township& t) {
    Figures before, lately;
    const auto& months = t.recent.months();
    for (std::size_t i = 0; i < months.size(); ++i)
        (i < 3 ? before : lately) += months[i].figures;
    t.before = before.onTimeRate();
    t.lately = lately.onTimeRate();
}

// Those at risk first: most overdue, then most broken, then a falling
// on-time rate, then the lowest fulfilment rate.
bool riskierThan(const Township& a, const Township& b) {
    const auto key = [](const Township& t) {
        return std::make_tuple(-t.figures.overdue, -t.figures.count(Status::broken), !t.falling(),
                               t.figures.fulfilmentRate().value_or(2.0), t.code);
    };
    return key(a) < key(b);
}

void sortBy(std::vector<Township>& towns, std::string_view sort) {
    const auto by = [&](auto key) {
        std::stable_sort(towns.begin(), towns.end(), [&](const Township& a, const Township& b) {
            return key(a) < key(b);
        });
    };
    std::sort(towns.begin(), towns.end(), riskierThan);
    if (sort == "name") by([](const Township& t) { return t.code; });
    if (sort == "total") by([](const Township& t) { return -t.figures.total; });
    if (sort == "overdue") by([](const Township& t) { return -t.figures.overdue; });
    if (sort == "broken") by([](const Township& t) { return -t.figures.count(Status::broken); });
    if (sort == "rate") by([](const Township& t) { return t.figures.fulfilmentRate().value_or(2.0); });
    if (sort == "on_time") by([](const Township& t) { return t.figures.onTimeRate().value_or(2.0); });
    if (sort == "complaints") by([](const Township& t) { return -t.voice.complaints; });
}

std::string trendWord(const PageContext& ctx, const Township& t) {
    if (!t.before || !t.lately) return "<span class=\"muted\">—</span>";
    const std::string numbers = percentText(t.before) + " → " + percentText(t.lately);
    if (t.falling()) return "<strong style=\"color:#b3261e\">▼ " + ctx.t("web.trend.falling") + "</strong><br>" + numbers;
    if (*t.lately > *t.before + kFallingBy) return "▲ " + ctx.t("web.trend.rising") + "<br>" + numbers;
    return ctx.t("web.trend.steady") + "<br>" + numbers;
}

}  // namespace

Rendered overviewPage(const PageContext& ctx, const Store& store) {
    const OfficeNames names = officeNames(store);
    const std::string district = store.node().office;
    std::vector<Township> towns;
    std::map<std::string, std::size_t, std::less<>> index;
    for (const auto& [code, name] : names) {
        if (!isOfficeCode(code)) continue;
        index[code] = towns.size();
        towns.push_back({code, name, {}, MonthlyTally(ctx.today, 6), {}, {}, {}});
    }
    Figures all;
    MonthlyTally trend(ctx.today, kTrendMonths);
    RowSorter districtWide(ctx.today);
    store.forEachCommitmentSummary(std::nullopt, [&](const CommitmentState& c) {
        const Figures one = computeFigures(std::span<const CommitmentState>(&c, 1), {}, ctx.today);
        all += one;
        trend.add(c);
        const auto it = index.find(c.commitment.office);
        if (it != index.end()) {
            Township& t = towns[it->second];
            t.figures += one;
            t.recent.add(c);
        } else if (!isOfficeCode(c.commitment.office)) {
            districtWide.add(c);
        }
    });
    const VoiceFacts facts = store.voiceFacts(district);
    for (Township& t : towns) {
        t.voice = computeVoiceFigures(facts, FiguresFilter{t.code, {}, {}, {}});
        settleTrend(t);
    }
    std::string sort;
    for (const auto& [key, value] : ctx.params) {
        if (key == "sort") sort = value;
    }
    sortBy(towns, sort);
    const auto atRisk = std::count_if(towns.begin(), towns.end(), [](const Township& t) { return t.atRisk(); });

    std::string m = "<h1>" + ctx.f("web.overview.title", {ctx.districtName}) + "</h1>";
    m += "<p>" + ctx.f("web.overview.summary", {std::to_string(towns.size()), std::to_string(all.total),
                                               std::to_string(all.overdue),
                                               std::to_string(all.count(Status::broken)),
                                               std::to_string(atRisk)}) + "</p>";
    m += searchForm(ctx, "");

    m += "<h2>" + ctx.t("web.overview.townships") + "</h2><p class=\"muted\">" + ctx.t("web.overview.sort_note") + "</p>";
    const auto head = [&](std::string_view key, std::string_view labelId, bool numeric) {
        const bool on = sort == key || (sort.empty() && key == "risk");
        return std::string("<th") + (numeric ? " class=\"n\"" : "") + "><a href=\"" +
               ctx.href("/", {{"sort", std::string(key)}}) + "\">" + ctx.t(labelId) + (on ? " ▾" : "") + "</a></th>";
    };
    m += "<div class=\"scroll\"><table><thead><tr>" + head("name", "web.col.office", false) +
         head("total", "figures.total", true) + head("overdue", "figures.overdue", true) +
         head("broken", "status.broken", true) + head("rate", "figures.fulfilment_rate", true) +
         head("on_time", "figures.on_time_rate", true) + "<th>" + ctx.t("web.col.trend") + "</th>" +
         head("complaints", "figures.complaints", true) + "<th class=\"n\">" + ctx.t("kiosk.figures.open_breaches") +
         "</th>" + head("risk", "web.col.risk", true) + "</tr></thead><tbody>";
    for (const Township& t : towns) {
        m += std::string("<tr") + (t.atRisk() ? " class=\"risk\"" : "") + "><td><a href=\"" + ctx.href("/o/" + t.code) +
             "\">" + escape(t.name) + "</a></td><td class=\"n\">" + std::to_string(t.figures.total) +
             "</td><td class=\"n\">" + std::to_string(t.figures.overdue) + "</td><td class=\"n\">" +
             std::to_string(t.figures.count(Status::broken)) + "</td><td class=\"n\">" +
             percentText(t.figures.fulfilmentRate()) + "</td><td class=\"n\">" + percentText(t.figures.onTimeRate()) +
             "</td><td>" + trendWord(ctx, t) + "</td><td class=\"n\">" + std::to_string(t.voice.complaints) +
             "</td><td class=\"n\">" + std::to_string(t.voice.openBreaches) + "</td><td class=\"n\">" +
             (t.atRisk() ? "<strong>" + ctx.t("web.risk.yes") + "</strong>" : ctx.t("web.risk.no")) + "</td></tr>";
    }
    m += "</tbody></table></div>";

    m += "<h2>" + ctx.t("web.overview.trend") + "</h2>" + trendChart(ctx, trend.months());
    m += "<h2>" + ctx.t("web.heading.figures") + "</h2>" + figuresList(ctx, all);
    m += "<p class=\"formula\">" + ctx.t("web.overview.risk_formula") + "</p>";

    const std::vector<Row> wide = districtWide.take();
    if (!wide.empty()) m += "<h2>" + ctx.t("web.district_wide") + "</h2>" + rowsTable(ctx, wide);
    return {200, document(ctx, format("web.overview.title", ctx.lang, {ctx.districtName}), m)};
}

}  // namespace shouxin::server::web
