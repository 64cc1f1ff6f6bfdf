#include "sync/server/web/html.hpp"

namespace shouxin::server::web {

std::string levelId(std::string_view prefix, std::string_view code) {
    const std::string_view level = levelOf(code);
    return std::string(prefix) + "." + std::string(level.empty() ? "district" : level);
}

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (const char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string urlEncode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' || u == '_' ||
            u == '.' || u == '~') {
            out += c;
        } else {
            out += '%';
            out += kHex[u >> 4];
            out += kHex[u & 15];
        }
    }
    return out;
}

std::string PageContext::t(std::string_view id) const { return escape(tr(id, lang)); }

std::string PageContext::f(std::string_view id, std::initializer_list<std::string> args) const {
    return escape(format(id, lang, args));
}

namespace {

std::string link(std::string_view path, const Params& params, Lang lang) {
    std::string url(path);
    char sep = '?';
    for (const auto& [key, value] : params) {
        if (value.empty()) continue;
        url += sep;
        url += urlEncode(key) + "=" + urlEncode(value);
        sep = '&';
    }
    if (lang == Lang::en) url += std::string(1, sep) + "lang=en";
    return escape(url);
}

// Small, so that it rides in every page: one request per page on a slow
// link. Colours pass WCAG AA on white; a badge always carries its words.
constexpr std::string_view kStyle = R"css(
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 "Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;color:#1a1a1a;background:#f5f6f8}
a{color:#0b57a4}
header.site{background:#a4161a;color:#fff;padding:.5rem 1rem}
header.site a{color:#fff;text-decoration:none;margin-right:1rem}
header.site .brand{font-weight:700;font-size:1.1rem}
header.site .lang{float:right;border:1px solid #fff;border-radius:4px;padding:0 .5rem;margin:0}
main{max-width:68rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;line-height:1.3;margin:.5rem 0}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem;border-bottom:2px solid #ddd}
.crumbs{font-size:.9rem;color:#555}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.75rem 1rem;margin:.5rem 0}
.badge{display:inline-block;border-radius:4px;padding:0 .5rem;font-weight:700;color:#fff;background:#555;white-space:nowrap}
.b-fulfilled,.b-rectified{background:#1e7b34}.b-overdue,.b-broken{background:#b3261e}
.b-due_soon{background:#8a5300}.b-in_progress{background:#0b57a4}.b-not_started,.b-amended{background:#5f6368}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dl.facts dt{color:#555}dl.facts dd{margin:0}
.bar{background:#e3e6ea;border-radius:4px;height:.6rem;width:10rem;display:inline-block;vertical-align:middle}
.bar span{display:block;height:100%;background:#0b57a4;border-radius:4px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #e3e6ea;padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:#eef0f3;white-space:nowrap}
td.n,th.n{text-align:right;white-space:nowrap}
tr.risk td:first-child{border-left:4px solid #b3261e}
ol.history{list-style:none;padding:0;margin:0}
ol.history li{border-left:4px solid #ccc;padding:.25rem 0 .5rem 1rem;margin-left:.25rem}
.muted,.formula{color:#555;font-size:.9rem}
.tabs a{display:inline-block;margin:.15rem .25rem .15rem 0;padding:.1rem .6rem;border:1px solid #ccc;border-radius:999px;text-decoration:none;background:#fff}
.tabs a.on{background:#0b57a4;color:#fff;border-color:#0b57a4}
form.search input[type=search]{font-size:1rem;padding:.4rem;width:min(30rem,70%)}
form.search button{font-size:1rem;padding:.4rem 1rem}
.pre{white-space:pre-wrap}
svg{max-width:100%;height:auto}
footer{max-width:68rem;margin:2rem auto;padding:0 1rem;color:#555;font-size:.85rem}
@media print{header.site,.tabs,form.search,.noprint{display:none}body{background:#fff}.card{border:0}a{color:#000;text-decoration:none}}
)css";

}  // namespace

std::string PageContext::href(std::string_view target, const Params& query) const { return link(target, query, lang); }

std::string PageContext::otherLanguage() const {
    return link(path, params, lang == Lang::zh ? Lang::en : Lang::zh);
}

std::string document(const PageContext& ctx, std::string_view title, std::string_view main) {
    std::string html;
    html.reserve(main.size() + 4096);
    html += "<!doctype html>\n<html lang=\"";
    html += ctx.lang == Lang::zh ? "zh-CN" : "en";
    html += "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">";
    html += "<title>" + escape(title) + " · " + ctx.t("web.brand") + "</title><style>";
    html += kStyle;
    html += "</style></head><body><header class=\"site\"><a class=\"lang\" href=\"" + ctx.otherLanguage() +
            "\" hreflang=\"" + (ctx.lang == Lang::zh ? "en" : "zh-CN") + "\">" + ctx.t("web.other_language") +
            "</a><a class=\"brand\" href=\"" + ctx.href("/") + "\">" + ctx.t("web.brand") + " · " +
            escape(ctx.districtName) + "</a><br><a href=\"" + ctx.href("/") + "\">" + ctx.t("web.nav.overview") +
            "</a><a href=\"" + ctx.href("/search") + "\">" + ctx.t("web.nav.search") + "</a><a href=\"" +
            ctx.href("/data") + "\">" + ctx.t("web.nav.data") + "</a></header><main>";
    html += main;
    html += "</main><footer>" + ctx.f(levelId("web.footer", ctx.serverCode), {ctx.today.toString()}) +
            "</footer></body></html>\n";
    return html;
}

}  // namespace shouxin::server::web
