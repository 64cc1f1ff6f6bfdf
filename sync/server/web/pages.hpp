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
/// / (scope: the server's own code) and /o/REGION (a region below it): the
/// units directly below the scope side by side (a district's townships, a
/// city's districts, a province's cities), those at risk first, with the
/// scope's monthly trend, its region-wide commitments, and those of the
/// regions above listed apart and not counted.
Rendered overviewPage(const PageContext& ctx, const Store& store, std::string_view scope);
/// /search?q=: commitments across the district (the kiosk's search rules).
Rendered searchPage(const PageContext& ctx, const Store& store, std::string_view query);
/// /data: what can be downloaded: the whole region, each region below and
/// each township.
Rendered dataPage(const PageContext& ctx, const Store& store);
/// A page that says what went wrong (404, 400, 405, 503), in the reader's
/// language, with a way back.
Rendered errorPage(const PageContext& ctx, int status, std::string_view messageId);

}  // namespace shouxin::server::web
