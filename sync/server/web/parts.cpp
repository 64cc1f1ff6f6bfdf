#include "sync/server/web/parts.hpp"

#include <algorithm>
#include <cstdio>

namespace shouxin::server::web {

OfficeNames officeNames(const Store& store) {
    OfficeNames names;
    for (const OfficeNamed& o : store.offices(""))
        names.emplace(o.code, o.name);
    return names;
}

std::string nameOf(const OfficeNames& names, std::string_view code) {
    const auto it = names.find(code);
    return it == names.end() ? std::string(code) : it->second;
}

std::string wideLabel(const PageContext& ctx, std::string_view regionCode) {
    return ctx.t(levelId("web.wide", regionCode));
}

std::string crumbs(const PageContext& ctx, const OfficeNames& names, std::string_view serverCode,
                   std::string_view code) {
    std::string h =
        "<nav class=\"crumbs\"><a href=\"" + ctx.href("/") + "\">" + ctx.t("web.nav.overview") + "</a>";
    const std::vector<std::string> above = regionsAbove(code);
    for (auto it = above.rbegin(); it != above.rend(); ++it) {
        if (it->size() > serverCode.size() && inScope(serverCode, *it))
            h += " › <a href=\"" + ctx.href("/o/" + *it) + "\">" + escape(nameOf(names, *it)) + "</a>";
    }
    return h + " › " + escape(nameOf(names, code)) + "</nav>";
}

std::string badge(const PageContext& ctx, Badge b) {
    return "<span class=\"badge b-" + std::string(idOf(b)) + "\">" + ctx.t(badgeMessageId(b)) + "</span>";
}

std::string progress(int percent) {
    const int p = std::clamp(percent, 0, 100);
    return "<span class=\"bar\" role=\"img\" aria-label=\"" + std::to_string(p) + "%\"><span style=\"width:" +
           std::to_string(p) + "%\"></span></span> " + std::to_string(p) + "%";
}

std::string rowsTable(const PageContext& ctx, const std::vector<Row>& rows, const OfficeNames* names) {
    std::string h = "<div class=\"scroll\"><table><thead><tr><th>" + ctx.t("web.col.commitment") + "</th>";
    if (names) h += "<th>" + ctx.t("web.col.office") + "</th>";
    h += "<th>" + ctx.t("kiosk.label.area") + "</th><th>" + ctx.t("web.col.status") + "</th><th>" +
         ctx.t("kiosk.label.deadline") + "</th><th class=\"n\">" + ctx.t("kiosk.label.progress") +
         "</th></tr></thead><tbody>";
    for (const Row& r : rows) {
        h += "<tr><td><a href=\"" + ctx.href("/c/" + r.id) + "\">" + escape(r.title) + "</a><br><span class=\"muted\">" +
             escape(r.department) + "</span></td>";
        if (names) {
            h += "<td>";
            if (isOfficeCode(r.office)) {
                h += "<a href=\"" + ctx.href("/o/" + r.office) + "\">" + escape(nameOf(*names, r.office)) +
                     "</a>";
            } else {
                if (names->count(r.office)) h += escape(nameOf(*names, r.office)) + "<br>";
                h += "<span class=\"muted\">" + wideLabel(ctx, r.office) + "</span>";
            }
            h += "</td>";
        }
        h += "<td>" + ctx.t(messageIdOf(r.category)) + "</td><td>" + badge(ctx, r.badge) + "</td><td>" +
             escape(deadlineText(r.deadline, r.daysLeft, r.badge, ctx.lang)) + "</td><td class=\"n\">" +
             std::to_string(r.progress) + "%</td></tr>";
    }
    return h + "</tbody></table></div>";
}

std::string searchForm(const PageContext& ctx, std::string_view query) {
    std::string h = "<form class=\"search\" action=\"/search\" method=\"get\"><input type=\"search\" name=\"q\" "
                    "maxlength=\"60\" value=\"" + escape(query) + "\" placeholder=\"" + ctx.t("kiosk.search.hint") +
                    "\" aria-label=\"" + ctx.t("web.nav.search") + "\">";
    if (ctx.lang == Lang::en) h += "<input type=\"hidden\" name=\"lang\" value=\"en\">";
    return h + "<button>" + ctx.t("web.nav.search") + "</button></form>";
}

namespace {

std::string figure(const PageContext& ctx, std::string_view nameId, const std::string& value,
                   std::string_view formulaId) {
    return "<dt>" + ctx.t(nameId) + "</dt><dd><strong>" + escape(value) + "</strong><br><span class=\"formula\">" +
           ctx.t(formulaId) + "</span></dd>";
}

std::string daysText(const PageContext& ctx, std::optional<double> days) {
    if (!days) return "—";
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", *days);
    return format("kiosk.figures.days", ctx.lang, {text});
}

}  // namespace

std::string figuresList(const PageContext& ctx, const Figures& f) {
    return "<dl class=\"facts card\">" +
           figure(ctx, "figures.total", std::to_string(f.total), "figures.formula.total") +
           figure(ctx, "figures.fulfilment_rate", percentText(f.fulfilmentRate()), kFulfilmentRateFormula) +
           figure(ctx, "figures.on_time_rate", percentText(f.onTimeRate()), kOnTimeRateFormula) +
           figure(ctx, "figures.overdue", std::to_string(f.overdue), kOverdueFormula) +
           figure(ctx, messageIdOf(Status::broken), std::to_string(f.count(Status::broken)),
                  "figures.formula.by_status") +
           "</dl>";
}

std::string voiceList(const PageContext& ctx, const VoiceFigures& v) {
    std::string mean = "—";
    if (v.meanRating) {
        char text[16];
        std::snprintf(text, sizeof text, "%.1f", *v.meanRating);
        mean = text;
    }
    return "<dl class=\"facts card\">" +
           figure(ctx, "figures.complaints",
                  std::to_string(v.complaints) + " · " + format("kiosk.figures.answered", ctx.lang,
                                                                 {std::to_string(v.answered)}),
                  kComplaintsFormula) +
           figure(ctx, "figures.median_answer", daysText(ctx, v.medianAnswerDays), kMedianAnswerFormula) +
           figure(ctx, "figures.mean_rating",
                  mean + " · " + format("kiosk.figures.ratings", ctx.lang, {std::to_string(v.ratings)}),
                  kMeanRatingFormula) +
           figure(ctx, "figures.breaches",
                  std::to_string(v.openBreaches) + " · " +
                      format("kiosk.figures.repaired", ctx.lang, {std::to_string(v.repairedBreaches)}),
                  kBreachesFormula) +
           "</dl>";
}

namespace {

// A rate's line, broken where a month has nothing to count: a line drawn
// across an empty month would claim a value it never had.
std::string polylines(const std::vector<std::optional<std::pair<int, int>>>& points, const char* colour,
                      const char* dash) {
    std::string out, run;
    int length = 0;
    const auto flush = [&] {
        if (length > 1)
            out += "<polyline points=\"" + run + "\" fill=\"none\" stroke=\"" + colour +
                   "\" stroke-width=\"3\"" + dash + "/>";
        run.clear();
        length = 0;
    };
    for (const auto& p : points) {
        if (!p) {
            flush();
            continue;
        }
        run += std::to_string(p->first) + "," + std::to_string(p->second) + " ";
        ++length;
    }
    flush();
    return out;
}

}  // namespace

std::string trendChart(const PageContext& ctx, const std::vector<MonthFigures>& months) {
    if (months.empty()) return {};
    // A 640 x 270 canvas, the plot from x 56 to 632 and y 44 (100%) to 204
    // (0%); letters large enough to read on a phone, where it is shrunk.
    constexpr int kLeft = 56, kRight = 632, kTop = 44, kBottom = 204;
    const int n = static_cast<int>(months.size());
    const int step = (kRight - kLeft) / n;
    int most = 1;
    for (const MonthFigures& m : months)
        most = std::max(most, m.figures.assessed());
    const auto x = [&](int i) { return kLeft + step * i + step / 2; };
    const auto y = [&](double rate) { return kBottom - static_cast<int>(rate * (kBottom - kTop) + 0.5); };
    const std::string title = ctx.t("kiosk.figures.trend");
    std::string s = "<figure class=\"card\"><svg viewBox=\"0 0 640 270\" width=\"640\" height=\"270\" role=\"img\" "
                    "aria-label=\"" + title + "\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"17\" "
                    "font-family=\"sans-serif\"><title>" + title + "</title>";
    for (const int pct : {0, 50, 100}) {
        const int gy = y(pct / 100.0);
        s += "<line x1=\"" + std::to_string(kLeft) + "\" x2=\"" + std::to_string(kRight) + "\" y1=\"" +
             std::to_string(gy) + "\" y2=\"" + std::to_string(gy) + "\" stroke=\"#d0d4da\"/><text x=\"" +
             std::to_string(kLeft - 6) + "\" y=\"" + std::to_string(gy + 6) + "\" text-anchor=\"end\" fill=\"#555\">" +
             std::to_string(pct) + "%</text>";
    }
    std::vector<std::optional<std::pair<int, int>>> fulfilment, onTime;
    for (int i = 0; i < n; ++i) {
        const MonthFigures& month = months[static_cast<std::size_t>(i)];
        const Figures& f = month.figures;
        // The bar: how many commitments the month's rates count, to scale.
        const int h = f.assessed() * (kBottom - kTop) / most / 2;
        s += "<rect x=\"" + std::to_string(x(i) - step / 4) + "\" y=\"" + std::to_string(kBottom - h) +
             "\" width=\"" + std::to_string(step / 2) + "\" height=\"" + std::to_string(h) + "\" fill=\"#e3e6ea\"/>";
        s += "<text x=\"" + std::to_string(x(i)) + "\" y=\"" + std::to_string(kBottom + 22) +
             "\" text-anchor=\"middle\" fill=\"#333\">" + std::to_string(month.month) + "</text>";
        s += "<text x=\"" + std::to_string(x(i)) + "\" y=\"" + std::to_string(kBottom + 44) +
             "\" text-anchor=\"middle\" fill=\"#777\">" + std::to_string(f.assessed()) + "</text>";
        const auto r = f.fulfilmentRate();
        fulfilment.push_back(r ? std::optional(std::pair(x(i), y(*r))) : std::nullopt);
        if (r)
            s += "<circle cx=\"" + std::to_string(x(i)) + "\" cy=\"" + std::to_string(y(*r)) +
                 "\" r=\"5\" fill=\"#0b57a4\"/>";
        const auto t = f.onTimeRate();
        onTime.push_back(t ? std::optional(std::pair(x(i), y(*t))) : std::nullopt);
        if (t)
            s += "<rect x=\"" + std::to_string(x(i) - 4) + "\" y=\"" + std::to_string(y(*t) - 4) +
                 "\" width=\"8\" height=\"8\" fill=\"#1e7b34\"/>";
    }
    s += polylines(fulfilment, "#0b57a4", "");
    s += polylines(onTime, "#1e7b34", " stroke-dasharray=\"7 5\"");
    s += "<text x=\"4\" y=\"" + std::to_string(kBottom + 22) + "\" fill=\"#333\">" + ctx.t("web.chart.month") +
         "</text><circle cx=\"14\" cy=\"14\" r=\"6\" fill=\"#0b57a4\"/><text x=\"26\" y=\"20\">" +
         ctx.t("figures.fulfilment_rate") + "</text><rect x=\"220\" y=\"8\" width=\"12\" height=\"12\" "
         "fill=\"#1e7b34\"/><text x=\"238\" y=\"20\">" + ctx.t("figures.on_time_rate") + "</text><rect x=\"430\" "
         "y=\"8\" width=\"16\" height=\"12\" fill=\"#e3e6ea\"/><text x=\"452\" y=\"20\">" +
         ctx.t("web.chart.counted") + "</text></svg>";
    s += "<figcaption class=\"muted\">" + title + " · " + ctx.t("kiosk.figures.trend_note") + "</figcaption>";
    // The same numbers as a table.
    s += "<details><summary>" + ctx.t("web.chart.table") + "</summary><div class=\"scroll\"><table><tr><th></th>";
    for (const MonthFigures& m : months)
        s += "<th class=\"n\">" + std::to_string(m.year) + "-" + (m.month < 10 ? "0" : "") + std::to_string(m.month) +
             "</th>";
    s += "</tr><tr><th>" + ctx.t("figures.fulfilment_rate") + "</th>";
    for (const MonthFigures& m : months)
        s += "<td class=\"n\">" + percentText(m.figures.fulfilmentRate()) + "</td>";
    s += "</tr><tr><th>" + ctx.t("figures.on_time_rate") + "</th>";
    for (const MonthFigures& m : months)
        s += "<td class=\"n\">" + percentText(m.figures.onTimeRate()) + "</td>";
    s += "</tr><tr><th>" + ctx.t("web.chart.counted") + "</th>";
    for (const MonthFigures& m : months)
        s += "<td class=\"n\">" + std::to_string(m.figures.assessed()) + "</td>";
    return s + "</tr></table></div></details></figure>";
}

}  // namespace shouxin::server::web
