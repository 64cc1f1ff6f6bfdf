// /search, /data and the pages that say what went wrong.
#include "sync/server/web/pages.hpp"
#include "sync/server/web/parts.hpp"

namespace shouxin::server::web {
namespace {

// A search that matches everything shows this many, and says so.
constexpr int kMaxHits = 200;

}  // namespace

Rendered searchPage(const PageContext& ctx, const Store& store, std::string_view query) {
    std::string m = "<h1>" + ctx.t("web.search.title") + "</h1>" + searchForm(ctx, query);
    if (!query.empty()) {
        // The kiosk's rules: FTS5 trigram, one- and two-character queries on
        // titles and departments; best matches first.
        const auto hits = store.searchSummaries(query, kMaxHits + 1);
        std::vector<Row> rows;
        for (std::size_t i = 0; i < hits.size() && i < static_cast<std::size_t>(kMaxHits); ++i)
            rows.push_back(rowOf(hits[i], ctx.today));
        if (rows.empty()) {
            m += "<p>" + ctx.t("kiosk.search.none") + "</p>";
        } else {
            m += "<p>" + (hits.size() > rows.size() ? ctx.f("web.search.more", {std::to_string(kMaxHits)})
                                                     : ctx.f("kiosk.search.results", {std::to_string(rows.size())})) +
                 "</p>";
            const OfficeNames names = officeNames(store);
            m += rowsTable(ctx, rows, &names);
        }
    }
    return {200, document(ctx, tr("web.search.title", ctx.lang), m)};
}

Rendered dataPage(const PageContext& ctx, const Store& store) {
    const NodeInfo node = store.node();
    const OfficeNames names = officeNames(store);
    std::string m = "<h1>" + ctx.t("web.data.title") + "</h1><p>" + ctx.t("web.data.intro") + "</p>";
    m += "<div class=\"scroll\"><table><thead><tr><th>" + ctx.t("web.col.scope") + "</th><th>" +
         ctx.t("web.data.commitments") + "</th><th>" + ctx.t("web.data.history") + "</th><th>" +
         ctx.t("web.data.figures") + "</th></tr></thead><tbody>";
    const auto row = [&](const std::string& scope, const std::string& labelHtml) {
        std::string r = "<tr><td>" + labelHtml + "</td>";
        for (const char* what : {"commitments", "history", "figures"}) {
            r += "<td><a href=\"/data/" + scope + "/" + what + ".csv\">CSV</a> · <a href=\"/data/" + scope + "/" +
                 what + ".json\">JSON</a></td>";
        }
        return r + "</tr>";
    };
    m += row(node.office,
             "<strong>" + ctx.f(levelId("web.data.whole", node.office), {node.officeName}) + "</strong>");
    // Each region below, then the regions and townships inside it (codes in
    // order put each after the region it is in), indented by depth.
    for (const auto& [code, name] : names) {
        if (code.size() <= node.office.size() || !inScope(node.office, code)) continue;
        if (!isRegionCode(code) && !isOfficeCode(code)) continue;
        const std::size_t depth = regionsAbove(code).size() - regionsAbove(node.office).size() - 1;
        std::string indent;
        for (std::size_t i = 0; i < depth; ++i)
            indent += "&emsp;&emsp;";
        if (isRegionCode(code)) {
            m += row(code, indent + "<strong>" + ctx.f(levelId("web.data.whole", code), {name}) +
                               "</strong> <span class=\"muted\">" + code + "</span>");
        } else {
            m += row(code, indent + escape(name) + " <span class=\"muted\">" + code + "</span>");
        }
    }
    m += "</tbody></table></div>";
    m += "<h2>" + ctx.t("web.data.log_title") + "</h2><p>" + ctx.t("web.data.log_intro") +
         "</p><p><a href=\"/data/log.jsonl\">log.jsonl</a></p><p>" +
         ctx.t(levelId("web.data.key", node.office)) + "</p><pre class=\"card\" style=\"overflow-x:auto\">" +
         escape(node.publicKeyHex) + "</pre><p>" + ctx.t("web.data.verify") +
         "</p><pre class=\"card\" style=\"overflow-x:auto\">shouxin audit log.jsonl "
         "--district-key " +
         escape(node.publicKeyHex) + "</pre><p class=\"muted\">" + ctx.t("web.data.never") + "</p>";
    return {200, document(ctx, tr("web.data.title", ctx.lang), m)};
}

Rendered errorPage(const PageContext& ctx, int status, std::string_view messageId) {
    std::string m = "<h1>" + ctx.t(messageId) + "</h1><p class=\"muted\">HTTP " + std::to_string(status) + "</p><p><a href=\"" +
                    ctx.href("/") + "\">" + ctx.t("web.error.back") + "</a></p>";
    if (status == 404) m += searchForm(ctx, "");
    return {status, document(ctx, tr(messageId, ctx.lang), m)};
}

}  // namespace shouxin::server::web
