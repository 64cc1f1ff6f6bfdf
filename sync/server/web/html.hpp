#pragma once
// The district's public pages as HTML: escaping, links that keep the
// reader's language, and the frame every page shares (header, language
// switch, footer, one small inline style sheet that also prints well).
// Pages work without scripts; the Content-Security-Policy forbids them.
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/domain.hpp"
#include "shared/i18n.hpp"

namespace shouxin::server::web {

/// Text for an HTML text node or a quoted attribute value.
std::string escape(std::string_view text);
/// A query value or path segment, percent-encoded (RFC 3986 unreserved kept).
std::string urlEncode(std::string_view text);

using Params = std::vector<std::pair<std::string, std::string>>;

/// A message id by the level `code` names: levelId("web.wide", "3301") is
/// "web.wide.city" (domain.hpp levelOf).
std::string levelId(std::string_view prefix, std::string_view code);

/// What every page of one request shares.
struct PageContext {
    Lang lang = Lang::zh;
    Date today;
    std::string districtName;  // the server's own region's name
    std::string serverCode;    // and code: a district's, a city's or a province's
    std::string path;  // the request's path, for the language switch
    Params params;     // the request's query parameters other than lang

    /// The catalogue's text in the reader's language, escaped.
    std::string t(std::string_view id) const;
    /// format() in the reader's language, escaped.
    std::string f(std::string_view id, std::initializer_list<std::string> args) const;
    /// A link to `path` with `params`, keeping the reader's language.
    std::string href(std::string_view path, const Params& params = {}) const;
    /// This page in the other language.
    std::string otherLanguage() const;
};

/// A whole document: the frame around `main` (already HTML).
std::string document(const PageContext& ctx, std::string_view title, std::string_view main);

}  // namespace shouxin::server::web
