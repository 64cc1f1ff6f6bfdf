#include "kiosk/ui/model.hpp"

#include <algorithm>
#include <chrono>
#include <compare>
#include <tuple>

#include "shared/store.hpp"
#include "shared/ticket.hpp"

namespace shouxin::kiosk {

Badge badgeOf(const CommitmentState& c, Date today) {
    if (isOverdue(c, today)) return Badge::overdue;
    if (!isClosed(c.status) && c.commitment.deadline && *c.commitment.deadline >= today &&
        *c.commitment.deadline <= today.plusDays(kDueSoonDays))
        return Badge::dueSoon;
    switch (c.status) {
        case Status::notStarted:
            return Badge::notStarted;
        case Status::inProgress:
            return Badge::inProgress;
        case Status::fulfilled:
            return Badge::fulfilled;
        case Status::broken:
            return Badge::broken;
        case Status::rectified:
            return Badge::rectified;
        case Status::amended:
            return Badge::amended;
    }
    return Badge::notStarted;
}

std::string badgeMessageId(Badge b) {
    switch (b) {
        case Badge::notStarted:
            return messageIdOf(Status::notStarted);
        case Badge::inProgress:
            return messageIdOf(Status::inProgress);
        case Badge::fulfilled:
            return messageIdOf(Status::fulfilled);
        case Badge::broken:
            return messageIdOf(Status::broken);
        case Badge::rectified:
            return messageIdOf(Status::rectified);
        case Badge::amended:
            return messageIdOf(Status::amended);
        case Badge::overdue:
            return "status.overdue";
        case Badge::dueSoon:
            return "status.due_soon";
    }
    return "status.overdue";
}

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

namespace {

// comesBefore()'s order up to the title: the urgency group (0 overdue, 1
// open with a deadline, 2 open without one, 3 closed) and the date that
// orders a group, computed once per commitment so that a sort of
// thousands compares numbers, not commitments.
struct Urgency {
    int group = 0;
    std::int32_t day = 0;  // deadline (groups 0, 1), minus the verdict date (3), 0 (2)
    auto operator<=>(const Urgency&) const = default;
};

Urgency urgencyOf(const CommitmentState& c, Date today) {
    if (isOverdue(c, today)) return {0, c.commitment.deadline->days};
    if (!isClosed(c.status))
        return c.commitment.deadline ? Urgency{1, c.commitment.deadline->days} : Urgency{2, 0};
    return {3, -c.statusDate.value_or(c.commitment.published).days};
}

// A row with its urgency, to be sorted.
struct RankedRow {
    Urgency urgency;
    Row row;
};

RankedRow rankedRowOf(const CommitmentState& c, Date today) { return {urgencyOf(c, today), rowOf(c, today)}; }

std::vector<Row> inOrder(std::vector<RankedRow> ranked) {
    std::vector<RankedRow*> order;
    order.reserve(ranked.size());
    for (RankedRow& r : ranked)
        order.push_back(&r);
    std::sort(order.begin(), order.end(), [](const RankedRow* a, const RankedRow* b) {
        return std::tie(a->urgency, a->row.title, a->row.id) < std::tie(b->urgency, b->row.title, b->row.id);
    });
    std::vector<Row> rows;
    rows.reserve(order.size());
    for (RankedRow* r : order)
        rows.push_back(std::move(r->row));
    return rows;
}

}  // namespace

bool comesBefore(const CommitmentState& a, const CommitmentState& b, Date today) {
    const Urgency ua = urgencyOf(a, today);
    const Urgency ub = urgencyOf(b, today);
    return std::tie(ua, a.commitment.title, a.commitment.id) <
           std::tie(ub, b.commitment.title, b.commitment.id);
}

Row rowOf(const CommitmentState& c, Date today) {
    Row r;
    r.id = c.commitment.id;
    r.title = c.commitment.title;
    r.department = c.commitment.department;
    r.category = c.commitment.category;
    r.kind = c.commitment.kind;
    r.deadline = c.commitment.deadline;
    r.daysLeft = daysToDeadline(c, today);
    r.badge = badgeOf(c, today);
    r.progress = c.progress;
    return r;
}

std::vector<Row> areaRows(std::span<const CommitmentState> all, Category category, const AreaFilter& filter,
                          Date today) {
    std::vector<RankedRow> picked;
    for (const CommitmentState& c : all) {
        if (c.commitment.category == category && passes(filter, c, today))
            picked.push_back(rankedRowOf(c, today));
    }
    return inOrder(std::move(picked));
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
    std::vector<RankedRow> picked;
    for (const CommitmentState& c : all) {
        if (isOverdue(c, today) || c.status == Status::broken) picked.push_back(rankedRowOf(c, today));
    }
    d.overdueAndBroken = inOrder(std::move(picked));
    return d;
}

std::string publicUrlOf(std::string_view base, std::string_view commitmentId) {
    std::string url(base);
    if (!url.empty() && url.back() != '/') url += '/';
    url += commitmentId;
    return url;
}

// ---- Reading from the store -------------------------------------------------

namespace {

void addTo(Figures& into, const Figures& f) {
    into.total += f.total;
    for (std::size_t s = 0; s < kStatusCount; ++s)
        into.byStatus[s] += f.byStatus[s];
    into.overdue += f.overdue;
    into.fulfilledWithDeadline += f.fulfilledWithDeadline;
    into.fulfilledOnTime += f.fulfilledOnTime;
}

// Overall and per-area figures, summed commitment by commitment.
void countFigures(const CommitmentState& c, Date today, Figures& overall,
                  std::array<AreaTile, kCategoryCount>& tiles) {
    const Figures one = computeFigures(std::span<const CommitmentState>(&c, 1), {}, today);
    addTo(overall, one);
    addTo(tiles[static_cast<std::size_t>(c.commitment.category)].figures, one);
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
    std::vector<RankedRow> picked;
    store.forEachCommitmentSummary(category, [&](const CommitmentState& c) {
        ++a.totalInArea;
        if (passes(filter, c, today)) picked.push_back(rankedRowOf(c, today));
    });
    a.rows = inOrder(std::move(picked));
    return a;
}

DetailData loadDetail(const Store& store, std::string_view id, Date today, std::string_view publicUrlBase) {
    DetailData d;
    d.loading = false;
    auto state = store.commitment(id);
    if (!state) return d;
    d.found = true;
    d.state = std::move(*state);
    d.badge = badgeOf(d.state, today);
    d.daysLeft = daysToDeadline(d.state, today);
    d.history = store.history(id);
    d.revisions = store.revisions(id);
    if (!d.revisions.empty()) d.published = store.publishedText(id);
    d.breaches = store.breachesOf(id);
    d.publicUrl = publicUrlOf(publicUrlBase, id);
    return d;
}

FiguresData loadFigures(const Store& store, Date today, int months) {
    FiguresData d;
    d.loading = false;
    const std::string office = store.node().office;
    d.voice = computeVoiceFigures(store.voiceFacts(office), FiguresFilter{office, {}, {}, {}});
    d.areas = emptyTiles();
    d.trend = monthlyFigures({}, {}, today, months);
    std::vector<RankedRow> problems;
    store.forEachCommitmentSummary(std::nullopt, [&](const CommitmentState& c) {
        countFigures(c, today, d.overall, d.areas);
        const auto one = monthlyFigures(std::span<const CommitmentState>(&c, 1), {}, today, months);
        for (std::size_t i = 0; i < one.size() && i < d.trend.size(); ++i)
            addTo(d.trend[i].figures, one[i].figures);
        if (isOverdue(c, today) || c.status == Status::broken) problems.push_back(rankedRowOf(c, today));
    });
    d.overdueAndBroken = inOrder(std::move(problems));
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
