#include "kiosk/ui/model.hpp"

#include <algorithm>
#include <chrono>
#include <compare>
#include <tuple>

#include "shared/store.hpp"
#include "shared/ticket.hpp"

namespace shouxin::kiosk {

std::string filterMessageId(StatusFilter f) {
    switch (f) {
        case StatusFilter::all:
            return "kiosk.filter.all";
        case StatusFilter::overdue:
            return "status.overdue";
        case StatusFilter::notStarted:
            return messageIdOf(Status::notStarted);
        case StatusFilter::inProgress:
            return messageIdOf(Status::inProgress);
        case StatusFilter::fulfilled:
            return messageIdOf(Status::fulfilled);
        case StatusFilter::broken:
            return messageIdOf(Status::broken);
        case StatusFilter::rectified:
            return messageIdOf(Status::rectified);
        case StatusFilter::amended:
            return messageIdOf(Status::amended);
    }
    return "kiosk.filter.all";
}

bool passes(const AreaFilter& filter, const CommitmentState& c, Date today) {
    if (filter.kind && c.commitment.kind != *filter.kind) return false;
    switch (filter.status) {
        case StatusFilter::all:
            return true;
        case StatusFilter::overdue:
            return isOverdue(c, today);
        case StatusFilter::notStarted:
            return c.status == Status::notStarted;
        case StatusFilter::inProgress:
            return c.status == Status::inProgress;
        case StatusFilter::fulfilled:
            return c.status == Status::fulfilled;
        case StatusFilter::broken:
            return c.status == Status::broken;
        case StatusFilter::rectified:
            return c.status == Status::rectified;
        case StatusFilter::amended:
            return c.status == Status::amended;
    }
    return true;
}

std::vector<Row> areaRows(std::span<const CommitmentState> all, Category category, const AreaFilter& filter,
                          Date today) {
    RowSorter picked(today);
    for (const CommitmentState& c : all) {
        if (c.commitment.category == category && passes(filter, c, today))
            picked.add(c);
    }
    return picked.take();
}

Category busiestArea(const HomeData& home) {
    std::size_t most = 0;
    for (std::size_t i = 0; i < kCategoryCount; ++i) {
        if (home.tiles[i].figures.total > home.tiles[most].figures.total) most = i;
    }
    return kCategories[most];
}

HomeData homeData(std::span<const CommitmentState> all, Date today) {
    HomeData h;
    h.loading = false;
    h.today = today;
    h.overall = computeFigures(all, {}, today);
    for (std::size_t i = 0; i < kCategoryCount; ++i) {
        h.tiles[i].category = kCategories[i];
        FiguresFilter f;
        f.category = kCategories[i];
        h.tiles[i].figures = computeFigures(all, f, today);
    }
    return h;
}

FiguresData figuresData(std::span<const CommitmentState> all, Date today, int months) {
    FiguresData d;
    d.loading = false;
    const HomeData h = homeData(all, today);
    d.overall = h.overall;
    d.areas = h.tiles;
    d.trend = monthlyFigures(all, {}, today, months);
    RowSorter picked(today);
    for (const CommitmentState& c : all) {
        if (isOverdue(c, today) || c.status == Status::broken) picked.add(c);
    }
    d.overdueAndBroken = picked.take();
    return d;
}


// ---- Reading from the store -------------------------------------------------

namespace {

// Overall and per-area figures, summed commitment by commitment.
void countFigures(const CommitmentState& c, Date today, Figures& overall,
                  std::array<AreaTile, kCategoryCount>& tiles) {
    const Figures one = computeFigures(std::span<const CommitmentState>(&c, 1), {}, today);
    overall += one;
    tiles[static_cast<std::size_t>(c.commitment.category)].figures += one;
}

std::array<AreaTile, kCategoryCount> emptyTiles() {
    std::array<AreaTile, kCategoryCount> tiles;
    for (std::size_t i = 0; i < kCategoryCount; ++i)
        tiles[i].category = kCategories[i];
    return tiles;
}

}  // namespace

HomeData loadHome(const Store& store, Date today) {
    HomeData h;
    h.loading = false;
    h.today = today;
    h.tiles = emptyTiles();
    store.forEachCommitmentSummary(
        std::nullopt, [&](const CommitmentState& c) { countFigures(c, today, h.overall, h.tiles); });
    h.officeName = store.node().officeName;
    h.lastUpdatedMillis = store.newestEventMillis();
    h.pending = store.pendingCount();
    return h;
}

AreaData loadArea(const Store& store, Category category, const AreaFilter& filter, Date today) {
    AreaData a;
    a.loading = false;
    a.category = category;
    a.filter = filter;
    RowSorter picked(today);
    store.forEachCommitmentSummary(category, [&](const CommitmentState& c) {
        ++a.totalInArea;
        if (passes(filter, c, today)) picked.add(c);
    });
    a.rows = picked.take();
    return a;
}

DetailData loadDetail(const Store& store, std::string_view id, Date today, std::string_view publicSite) {
    DetailData d;
    d.loading = false;
    auto record = commitmentRecord(store, id, today);
    if (!record) return d;
    d.found = true;
    static_cast<CommitmentRecord&>(d) = std::move(*record);
    d.publicUrl = publicUrlOf(publicSite, id);
    return d;
}

FiguresData loadFigures(const Store& store, Date today, int months) {
    FiguresData d;
    d.loading = false;
    const std::string office = store.node().office;
    d.voice = computeVoiceFigures(store.voiceFacts(office), FiguresFilter{office, {}, {}, {}});
    d.areas = emptyTiles();
    MonthlyTally trend(today, months);
    RowSorter problems(today);
    store.forEachCommitmentSummary(std::nullopt, [&](const CommitmentState& c) {
        countFigures(c, today, d.overall, d.areas);
        trend.add(c);
        if (isOverdue(c, today) || c.status == Status::broken) problems.add(c);
    });
    d.overdueAndBroken = problems.take();
    d.trend = trend.months();
    return d;
}

SearchData loadSearch(const Store& store, const std::string& query, Date today) {
    SearchData s;
    s.loading = false;
    s.query = query;
    if (query.empty()) return s;
    const auto start = std::chrono::steady_clock::now();
    // Best matches first, as the store ranks them.
    for (const CommitmentState& c : store.searchSummaries(query, 500))
        s.rows.push_back(rowOf(c, today));
    s.millis = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return s;
}

std::string longestHistory(const Store& store) {
    std::string best;
    int most = -1;
    store.forEachCommitmentSummary(std::nullopt, [&](const CommitmentState& c) {
        if (c.reportCount > most) {
            most = c.reportCount;
            best = c.commitment.id;
        }
    });
    return best;
}

LookupData loadLookup(const Store& store, std::string_view typed) {
    LookupData d;
    d.loading = false;
    d.typed = std::string(typed);
    if (typed.empty()) return d;
    const auto ticket = parseTicket(typed);
    if (!ticket) {
        d.messageId = "kiosk.lookup.mistyped";
        return d;
    }
    d.complaint = store.complaintByTicket(*ticket);
    if (d.complaint) return d;
    if (!ticketOfOffice(*ticket, store.node().office)) {
        d.messageId = "kiosk.lookup.other_office";
        d.officeSuffix = ticketOfficeSuffix(*ticket);
    } else {
        d.messageId = "kiosk.lookup.unknown";
    }
    return d;
}

BreachesData loadBreaches(const Store& store, std::string_view commitment) {
    BreachesData d;
    d.loading = false;
    d.commitment = std::string(commitment);
    d.records = commitment.empty() ? store.breaches(store.node().office) : store.breachesOf(commitment);
    return d;
}

}  // namespace shouxin::kiosk
