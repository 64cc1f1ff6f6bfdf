#include "kiosk/ui/model.hpp"

#include <algorithm>
#include <chrono>

#include "shared/store.hpp"

namespace shouxin::kiosk {

Badge badgeOf(const CommitmentState& c, Date today) {
    if (isOverdue(c, today)) return Badge::overdue;
    switch (c.status) {
    case Status::notStarted: return Badge::notStarted;
    case Status::inProgress: return Badge::inProgress;
    case Status::fulfilled: return Badge::fulfilled;
    case Status::broken: return Badge::broken;
    case Status::rectified: return Badge::rectified;
    case Status::amended: return Badge::amended;
    }
    return Badge::notStarted;
}

std::string badgeMessageId(Badge b) {
    switch (b) {
    case Badge::notStarted: return messageIdOf(Status::notStarted);
    case Badge::inProgress: return messageIdOf(Status::inProgress);
    case Badge::fulfilled: return messageIdOf(Status::fulfilled);
    case Badge::broken: return messageIdOf(Status::broken);
    case Badge::rectified: return messageIdOf(Status::rectified);
    case Badge::amended: return messageIdOf(Status::amended);
    case Badge::overdue: return "status.overdue";
    }
    return "status.overdue";
}

std::string filterMessageId(StatusFilter f) {
    switch (f) {
    case StatusFilter::all: return "kiosk.filter.all";
    case StatusFilter::overdue: return "status.overdue";
    case StatusFilter::notStarted: return messageIdOf(Status::notStarted);
    case StatusFilter::inProgress: return messageIdOf(Status::inProgress);
    case StatusFilter::fulfilled: return messageIdOf(Status::fulfilled);
    case StatusFilter::broken: return messageIdOf(Status::broken);
    case StatusFilter::rectified: return messageIdOf(Status::rectified);
    case StatusFilter::amended: return messageIdOf(Status::amended);
    }
    return "kiosk.filter.all";
}

bool passes(const AreaFilter& filter, const CommitmentState& c, Date today) {
    if (filter.kind && c.commitment.kind != *filter.kind) return false;
    switch (filter.status) {
    case StatusFilter::all: return true;
    case StatusFilter::overdue: return isOverdue(c, today);
    case StatusFilter::notStarted: return c.status == Status::notStarted;
    case StatusFilter::inProgress: return c.status == Status::inProgress;
    case StatusFilter::fulfilled: return c.status == Status::fulfilled;
    case StatusFilter::broken: return c.status == Status::broken;
    case StatusFilter::rectified: return c.status == Status::rectified;
    case StatusFilter::amended: return c.status == Status::amended;
    }
    return true;
}

namespace {

// 0 overdue, 1 open with a deadline, 2 open without one, 3 closed.
int urgencyGroup(const CommitmentState& c, Date today) {
    if (isOverdue(c, today)) return 0;
    if (!isClosed(c.status)) return c.commitment.deadline ? 1 : 2;
    return 3;
}

}  // namespace

bool comesBefore(const CommitmentState& a, const CommitmentState& b, Date today) {
    const int ga = urgencyGroup(a, today);
    const int gb = urgencyGroup(b, today);
    if (ga != gb) return ga < gb;
    if (ga == 0 || ga == 1) {
        // Earliest deadline first: longest overdue, then due soonest.
        if (*a.commitment.deadline != *b.commitment.deadline)
            return *a.commitment.deadline < *b.commitment.deadline;
    } else if (ga == 3) {
        const Date da = a.statusDate.value_or(a.commitment.published);
        const Date db = b.statusDate.value_or(b.commitment.published);
        if (da != db) return da > db;
    }
    if (a.commitment.title != b.commitment.title) return a.commitment.title < b.commitment.title;
    return a.commitment.id < b.commitment.id;
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

namespace {

std::vector<Row> sortedRows(std::vector<const CommitmentState*> picked, Date today) {
    std::sort(picked.begin(), picked.end(),
              [today](const CommitmentState* a, const CommitmentState* b) { return comesBefore(*a, *b, today); });
    std::vector<Row> rows;
    rows.reserve(picked.size());
    for (const CommitmentState* c : picked)
        rows.push_back(rowOf(*c, today));
    return rows;
}

}  // namespace

std::vector<Row> areaRows(std::span<const CommitmentState> all, Category category, const AreaFilter& filter,
                          Date today) {
    std::vector<const CommitmentState*> picked;
    for (const CommitmentState& c : all) {
        if (c.commitment.category == category && passes(filter, c, today)) picked.push_back(&c);
    }
    return sortedRows(std::move(picked), today);
}

HomeData homeData(std::span<const CommitmentState> all, Date today) {
    HomeData h;
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
    const HomeData h = homeData(all, today);
    d.overall = h.overall;
    d.areas = h.tiles;
    d.trend = monthlyFigures(all, {}, today, months);
    std::vector<const CommitmentState*> picked;
    for (const CommitmentState& c : all) {
        if (isOverdue(c, today) || c.status == Status::broken) picked.push_back(&c);
    }
    d.overdueAndBroken = sortedRows(std::move(picked), today);
    return d;
}

std::string publicUrlOf(std::string_view base, std::string_view commitmentId) {
    std::string url(base);
    if (!url.empty() && url.back() != '/') url += '/';
    url += commitmentId;
    return url;
}

// ---- Model ----------------------------------------------------------------

Model::Model(Store& store, Date today, std::string publicUrlBase)
    : m_store(store), m_today(today), m_publicUrlBase(std::move(publicUrlBase)) {}

bool Model::reloadIfChanged() {
    if (m_store.changeMark() == m_changeMark) return false;
    reload();
    return true;
}

void Model::reload() {
    m_changeMark = m_store.changeMark();
    m_commitments = m_store.commitments();
    m_byId.clear();
    m_byId.reserve(m_commitments.size());
    for (std::size_t i = 0; i < m_commitments.size(); ++i)
        m_byId.emplace(m_commitments[i].commitment.id, i);
}

HomeData Model::home() const {
    HomeData h = homeData(m_commitments, m_today);
    h.officeName = m_store.node().officeName;
    h.lastUpdatedMillis = m_store.newestEventMillis();
    h.pending = m_store.pendingCount();
    return h;
}

AreaData Model::area(Category category, const AreaFilter& filter) const {
    AreaData a;
    a.category = category;
    a.filter = filter;
    for (const CommitmentState& c : m_commitments) {
        if (c.commitment.category == category) ++a.totalInArea;
    }
    a.rows = areaRows(m_commitments, category, filter, m_today);
    return a;
}

DetailData Model::detail(std::string_view id) const {
    DetailData d;
    const auto it = m_byId.find(std::string(id));
    if (it == m_byId.end()) return d;
    d.found = true;
    d.state = m_commitments[it->second];
    d.badge = badgeOf(d.state, m_today);
    d.daysLeft = daysToDeadline(d.state, m_today);
    d.history = m_store.history(id);
    d.publicUrl = publicUrlOf(m_publicUrlBase, id);
    return d;
}

FiguresData Model::figures() const { return figuresData(m_commitments, m_today, 12); }

SearchData Model::search(const std::string& query) const {
    SearchData s;
    s.query = query;
    if (query.empty()) return s;
    const auto start = std::chrono::steady_clock::now();
    const auto ids = m_store.search(query, 500);
    s.millis = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    // Best matches first, as the store ranks them.
    for (const auto& id : ids) {
        const auto it = m_byId.find(id);
        if (it != m_byId.end()) s.rows.push_back(rowOf(m_commitments[it->second], m_today));
    }
    return s;
}

}  // namespace shouxin::kiosk
