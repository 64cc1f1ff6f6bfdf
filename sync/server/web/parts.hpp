#pragma once
// Pieces several public pages share: a status badge, a list of
// commitments, figures with their formulas, the monthly trend as SVG.
#include <map>
#include <string>
#include <vector>

#include "shared/figures.hpp"
#include "shared/public_record.hpp"
#include "shared/store.hpp"
#include "sync/server/web/html.hpp"

namespace shouxin::server::web {

/// Office code -> name, for every office the district holds.
using OfficeNames = std::map<std::string, std::string, std::less<>>;
OfficeNames officeNames(const Store& store);
/// The office's name, or its code when it has none yet.
std::string nameOf(const OfficeNames& names, std::string_view code);

/// "全市统一承诺" and the like: what a region's own commitments are called.
std::string wideLabel(const PageContext& ctx, std::string_view regionCode);
/// The trail from the overview down to `code` through the regions between
/// the server's `serverCode` and it, each a link; `code` itself last, unlinked.
std::string crumbs(const PageContext& ctx, const OfficeNames& names, std::string_view serverCode,
                   std::string_view code);

/// The search box (a GET form to /search), holding `query`.
std::string searchForm(const PageContext& ctx, std::string_view query);
/// Words and colour: never colour alone.
std::string badge(const PageContext& ctx, Badge b);
/// A progress bar with its number beside it.
std::string progress(int percent);
/// A table of commitments, each linked to its page; with `names`, a column
/// says whose it is.
std::string rowsTable(const PageContext& ctx, const std::vector<Row>& rows, const OfficeNames* names = nullptr);
/// The fulfilment figures, each with its formula in words.
std::string figuresList(const PageContext& ctx, const Figures& f);
/// The residents' voice figures, each with its formula in words.
std::string voiceList(const PageContext& ctx, const VoiceFigures& v);
/// The monthly trend: fulfilment and on-time rate as lines over the number
/// of commitments counted each month, drawn as plain SVG with its numbers
/// in a table beside it (for readers without sight and for print).
std::string trendChart(const PageContext& ctx, const std::vector<MonthFigures>& months);

}  // namespace shouxin::server::web
