// /c/ID: a commitment's whole public record, what the kiosk's QR code
// promises a resident can take home.
#include <algorithm>

#include "sync/server/web/pages.hpp"
#include "sync/server/web/parts.hpp"

namespace shouxin::server::web {
namespace {

std::string fact(const PageContext& ctx, std::string_view labelId, const std::string& valueHtml) {
    if (valueHtml.empty()) return {};
    return "<dt>" + ctx.t(labelId) + "</dt><dd>" + valueHtml + "</dd>";
}

// Who took a step, as the kiosk says it: the district, or the office.
std::string byWhom(const PageContext& ctx, const std::string& actor, const std::string& officeName) {
    if (actor.rfind("district:", 0) == 0) return ctx.t("kiosk.breach.by_district");
    return ctx.f("kiosk.breach.by_office", {officeName});
}

std::string history(const PageContext& ctx, const CommitmentRecord& r) {
    std::string h = "<h2>" + ctx.t("kiosk.detail.history") + "</h2>";
    if (r.history.empty()) return h + "<p class=\"muted\">" + ctx.t("kiosk.detail.no_history") + "</p>";
    if (std::any_of(r.history.begin(), r.history.end(), [](const FulfilmentRecord& f) { return f.concurrent; }))
        h += "<p class=\"card\">" + ctx.t("kiosk.detail.concurrent") + "</p>";
    h += "<ol class=\"history\">";
    for (auto it = r.history.rbegin(); it != r.history.rend(); ++it) {
        const FulfilmentReport& rep = it->report;
        h += "<li><strong>" + escape(rep.date.toString()) + "</strong> " + badge(ctx, badgeOf(rep.status)) + " " +
             ctx.t("kiosk.label.progress") + " " + std::to_string(rep.progress) + "%";
        if (it->concurrent) h += " <span class=\"muted\">(" + ctx.t("kiosk.detail.concurrent_report") + ")</span>";
        if (!rep.note.empty()) h += "<div class=\"pre\">" + escape(rep.note) + "</div>";
        if (!rep.reason.empty())
            h += "<div><span class=\"muted\">" + ctx.t("kiosk.label.amend_reason") + ":</span> " + escape(rep.reason) +
                 "</div>";
        if (!rep.legalBasis.empty())
            h += "<div><span class=\"muted\">" + ctx.t("kiosk.label.legal_basis") + ":</span> " +
                 escape(rep.legalBasis) + "</div>";
        if (!rep.evidence.empty()) {
            std::string ev;
            for (const std::string& e : rep.evidence)
                ev += (ev.empty() ? "" : "；") + escape(e);
            h += "<div><span class=\"muted\">" + ctx.t("kiosk.detail.evidence") + ":</span> " + ev + "</div>";
        }
        h += "</li>";
    }
    return h + "</ol>";
}

std::string revisions(const PageContext& ctx, const CommitmentRecord& r) {
    if (r.revisions.empty()) return {};
    std::string h = "<h2>" + ctx.t("kiosk.detail.revisions") + "</h2><ol class=\"history\">";
    for (auto it = r.revisions.rbegin(); it != r.revisions.rend(); ++it) {
        const CommitmentRevised& v = it->revision;
        h += "<li><strong>" + ctx.f("kiosk.detail.revised_on", {v.date.toString()}) + "</strong><div>" +
             escape(v.title) + "</div><div class=\"pre\">" + escape(v.detail) + "</div><div class=\"muted\">" +
             ctx.t("kiosk.label.department") + ": " + escape(v.department) + " · " + ctx.t("kiosk.label.deadline") +
             ": " + escape(v.deadline ? v.deadline->toString() : std::string(tr("kiosk.deadline.none", ctx.lang))) +
             "</div><div><span class=\"muted\">" + ctx.t("kiosk.detail.revision_reason") + ":</span> " +
             escape(v.reason) + "</div></li>";
    }
    if (r.published) {
        const Commitment& p = *r.published;
        h += "<li><strong>" + ctx.f("kiosk.detail.original", {p.published.toString()}) + "</strong><div>" +
             escape(p.title) + "</div><div class=\"pre\">" + escape(p.detail) + "</div></li>";
    }
    return h + "</ol>";
}

// A breach record's stage in the colour of what it means: open (red),
// put right (green), annulled (grey).
std::string_view stageClass(BreachStage stage) {
    switch (stage) {
        case BreachStage::confirmed:
        case BreachStage::objected:
            return "broken";
        case BreachStage::rectified:
        case BreachStage::repaired:
            return "fulfilled";
        case BreachStage::annulled:
            return "amended";
    }
    return "broken";
}

std::string breaches(const PageContext& ctx, const CommitmentRecord& r, const std::string& officeName) {
    if (r.breaches.empty()) return {};
    std::string h = "<h2>" + ctx.t("kiosk.breach.heading") + "</h2><p class=\"muted\">" + ctx.t("kiosk.breach.intro") +
                    "</p>";
    for (const Store::BreachRecord& b : r.breaches) {
        h += "<div class=\"card\"><p><span class=\"badge b-" + std::string(stageClass(b.stage)) + "\">" +
             ctx.t(messageIdOf(b.stage)) + "</span> " +
             ctx.f("kiosk.breach.dates", {b.breach.confirmed.toString(), b.breach.objectBy.toString(),
                                          b.breach.rectifyBy.toString()}) +
             "</p><p class=\"pre\">" + escape(b.breach.note) + "</p><p class=\"muted\">" +
             byWhom(ctx, b.actor, officeName) + "</p>";
        if (!b.steps.empty()) {
            h += "<ol class=\"history\">";
            for (const auto& step : b.steps) {
                h += "<li><strong>" + escape(step.step.date.toString()) + "</strong> " +
                     ctx.t(messageIdOf(step.step.step)) + " <span class=\"muted\">" +
                     byWhom(ctx, step.actor, officeName) + "</span>";
                if (!step.step.note.empty()) h += "<div class=\"pre\">" + escape(step.step.note) + "</div>";
                h += "</li>";
            }
            h += "</ol>";
        }
        h += "</div>";
    }
    return h;
}

}  // namespace

Rendered commitmentPage(const PageContext& ctx, const Store& store, std::string_view id) {
    const auto record = commitmentRecord(store, id, ctx.today);
    if (!record) return errorPage(ctx, 404, "kiosk.detail.not_found");
    const CommitmentRecord& r = *record;
    const Commitment& c = r.state.commitment;
    const OfficeNames names = officeNames(store);
    const bool districtWide = !isOfficeCode(c.office);
    const std::string officeName = nameOf(names, c.office);

    std::string m = "<nav class=\"crumbs\"><a href=\"" + ctx.href("/") + "\">" + ctx.t("web.nav.overview") + "</a> › ";
    m += districtWide
             ? wideLabel(ctx, c.office)
             : "<a href=\"" + ctx.href("/o/" + c.office) + "\">" + escape(officeName) + "</a> › <a href=\"" +
                   ctx.href("/o/" + c.office, {{"area", std::string(idOf(c.category))}}) + "\">" +
                   ctx.t(messageIdOf(c.category)) + "</a>";
    m += "</nav><h1>" + escape(c.title) + "</h1><p>" + badge(ctx, r.badge) + " " +
         escape(deadlineText(c.deadline, r.daysLeft, r.badge, ctx.lang)) + "</p>";
    m += "<dl class=\"facts card\">";
    m += districtWide ? fact(ctx, "web.col.scope", escape(officeName) + " · " + wideLabel(ctx, c.office))
                      : fact(ctx, "web.col.office", escape(officeName));
    m += fact(ctx, "kiosk.label.area", ctx.t(messageIdOf(c.category)));
    m += fact(ctx, "kiosk.label.kind", ctx.t(messageIdOf(c.kind)));
    m += fact(ctx, "kiosk.label.department", escape(c.department));
    m += fact(ctx, "web.label.responsible", escape(c.responsible));
    m += fact(ctx, "kiosk.label.deadline",
              escape(c.deadline ? c.deadline->toString() : std::string(tr("kiosk.deadline.none", ctx.lang))));
    m += fact(ctx, "kiosk.label.time_limit", escape(c.timeLimit));
    m += fact(ctx, "kiosk.label.published", escape(c.published.toString()));
    m += fact(ctx, "kiosk.label.progress", progress(r.state.progress));
    if (r.state.fulfilledOn) m += fact(ctx, "web.label.fulfilled_on", escape(r.state.fulfilledOn->toString()));
    m += "</dl>";
    m += "<h2>" + ctx.t("web.heading.text") + "</h2><p class=\"pre\">" + escape(c.detail) + "</p>";
    if (r.state.status == Status::amended) {
        m += "<div class=\"card\"><p><strong>" + ctx.t("kiosk.label.amend_reason") + ":</strong> " +
             escape(r.state.amendReason) + "</p><p><strong>" + ctx.t("kiosk.label.legal_basis") + ":</strong> " +
             escape(r.state.amendLegalBasis) + "</p></div>";
    }
    m += history(ctx, r);
    m += revisions(ctx, r);
    m += breaches(ctx, r, officeName);
    m += "<p class=\"muted noprint\">" + ctx.t("web.commitment.record_note") + " <a href=\"" +
         ctx.href("/data/" + c.office + "/history.csv") + "\">" +
         ctx.t("web.data.history") + " (CSV)</a></p>";
    return {200, document(ctx, c.title, m)};
}

}  // namespace shouxin::server::web
