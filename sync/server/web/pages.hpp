#pragma once
// The public pages, each rendered from a read connection into one HTML
// document (html.hpp's frame). They read what the kiosk shows residents
// (public_record.hpp) and the shared figures, never anything private.
#include <optional>
#include <string>
#include <string_view>

#include "shared/public_record.hpp"
#include "shared/store.hpp"
#include "sync/server/web/html.hpp"

namespace shouxin::server::web {

/// A page's HTTP status and document.
struct Rendered {
    int status = 200;
    std::string html;
};

/// /c/ID: one commitment's whole public record (the kiosk's QR target).
Rendered commitmentPage(const PageContext& ctx, const Store& store, std::string_view id);
/// /o/OFFICE: a township's figures with formulas, trend, overdue and broken
/// commitments, breach records, and its commitments by area with filters.
Rendered officePage(const PageContext& ctx, const Store& store, std::string_view office);
/// /: every township side by side, those at risk first, with the
/// district's monthly trend.
Rendered overviewPage(const PageContext& ctx, const Store& store);
/// /search?q=: commitments across the district (the kiosk's search rules).
Rendered searchPage(const PageContext& ctx, const Store& store, std::string_view query);
/// /data: what can be downloaded, per township and district-wide.
Rendered dataPage(const PageContext& ctx, const Store& store);
/// A page that says what went wrong (404, 400, 405, 503), in the reader's
/// language, with a way back.
Rendered errorPage(const PageContext& ctx, int status, std::string_view messageId);

}  // namespace shouxin::server::web
