#pragma once
// The kiosk's view model: what each screen shows, computed from the store
// once per change and cached, never per frame. No ImGui here, so the view
// logic (filters, sorting, overdue, figures) is tested without a window.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "shared/figures.hpp"
#include "shared/public_record.hpp"
#include "shared/state.hpp"
#include "shared/store.hpp"

namespace shouxin::kiosk {

// What the public sees of a commitment is defined once (public_record.hpp),
// for these screens and the district's web pages alike.

/// A resident's status filter: a stored status, or derived overdue.
enum class StatusFilter : std::uint8_t {
    all,
    overdue,
    notStarted,
    inProgress,
    fulfilled,
    broken,
    rectified,
    amended
};
inline constexpr std::array<StatusFilter, 8> kStatusFilters = {
    StatusFilter::all,       StatusFilter::overdue, StatusFilter::notStarted, StatusFilter::inProgress,
    StatusFilter::fulfilled, StatusFilter::broken,  StatusFilter::rectified,  StatusFilter::amended};

struct AreaFilter {
    StatusFilter status = StatusFilter::all;
    std::optional<Kind> kind;  // nullopt: every kind
    bool operator==(const AreaFilter&) const = default;
};

std::string filterMessageId(StatusFilter f);

bool passes(const AreaFilter& filter, const CommitmentState& c, Date today);

/// The rows of `category` that pass `filter`, sorted by comesBefore().
std::vector<Row> areaRows(std::span<const CommitmentState> all, Category category, const AreaFilter& filter,
                          Date today);

struct AreaTile {
    Category category = Category::convenience;
    Figures figures;
};

struct HomeData {
    bool loading = true;  // not read from the store yet
    std::string officeName;
    Date today;
    Figures overall;
    std::array<AreaTile, kCategoryCount> tiles;
    std::optional<std::int64_t> lastUpdatedMillis;
    std::int64_t pending = 0;
};

struct AreaData {
    bool loading = true;
    Category category = Category::convenience;
    AreaFilter filter;
    int totalInArea = 0;
    std::vector<Row> rows;
};

/// The commitment's public record (public_record.hpp), as loaded for the
/// detail screen, with the address its QR code leads to.
struct DetailData : CommitmentRecord {
    bool loading = true;
    bool found = false;
    std::string publicUrl;
};

struct FiguresData {
    bool loading = true;
    Figures overall;
    std::array<AreaTile, kCategoryCount> areas;
    std::vector<MonthFigures> trend;  // oldest first
    std::vector<Row> overdueAndBroken;
    VoiceFigures voice;  // complaints, ratings and breach records of the office
};

struct SearchData {
    bool loading = true;
    std::string query;
    std::vector<Row> rows;
    double millis = 0;  // how long the search took
};

/// A complaint looked up by the ticket a resident typed.
struct LookupData {
    bool loading = true;
    std::string typed;         // as typed; "" before anything was
    std::string messageId;     // why nothing is shown: mistyped, another office's, unknown ("" when found)
    std::string officeSuffix;  // for another office's ticket: the last digits of its office code
    std::optional<Store::ComplaintView> complaint;
};

/// Breach records (政务失信记录): of one commitment, or of the whole office.
struct BreachesData {
    bool loading = true;
    std::string commitment;  // "" for every record of the office
    std::vector<Store::BreachRecord> records;
};

/// The service area with the most commitments (the first of equals).
Category busiestArea(const HomeData& home);

HomeData homeData(std::span<const CommitmentState> all, Date today);
FiguresData figuresData(std::span<const CommitmentState> all, Date today, int months);


// ---- Reading a screen's data from the store ---------------------------------
// These run on the kiosk's worker thread (its own connection), never on the
// UI thread, and stream the commitments instead of holding them all: the
// figures are the shared computeFigures() summed commitment by commitment.

HomeData loadHome(const Store& store, Date today);
AreaData loadArea(const Store& store, Category category, const AreaFilter& filter, Date today);
/// `publicSite`: the district's public site, for the QR code (publicUrlOf).
DetailData loadDetail(const Store& store, std::string_view id, Date today, std::string_view publicSite);
/// With the node's office's voice figures (Store::voiceFacts).
FiguresData loadFigures(const Store& store, Date today, int months);
SearchData loadSearch(const Store& store, const std::string& query, Date today);
/// The complaint with the ticket `typed` (parseTicket), or why there is
/// none: a mistyped ticket, one of another office than the node's, or unknown.
LookupData loadLookup(const Store& store, std::string_view typed);
/// The breach records of `commitment`, or of the node's office when it is "".
BreachesData loadBreaches(const Store& store, std::string_view commitment);
/// The commitment with the most fulfilment reports ("" when none).
std::string longestHistory(const Store& store);

}  // namespace shouxin::kiosk
