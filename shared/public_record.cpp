#include "shared/public_record.hpp"

#include <algorithm>
#include <tuple>

namespace shouxin {

Badge badgeOf(const CommitmentState& c, Date today) {
    if (isOverdue(c, today)) return Badge::overdue;
    if (!isClosed(c.status) && c.commitment.deadline && *c.commitment.deadline >= today &&
        *c.commitment.deadline <= today.plusDays(kDueSoonDays))
        return Badge::dueSoon;
    return badgeOf(c.status);
}

Badge badgeOf(Status s) {
    switch (s) {
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

std::string_view idOf(Badge b) {
    switch (b) {
        case Badge::notStarted:
            return "not_started";
        case Badge::inProgress:
            return "in_progress";
        case Badge::fulfilled:
            return "fulfilled";
        case Badge::broken:
            return "broken";
        case Badge::rectified:
            return "rectified";
        case Badge::amended:
            return "amended";
        case Badge::overdue:
            return "overdue";
        case Badge::dueSoon:
            return "due_soon";
    }
    return "overdue";
}

// The urgency group (0 overdue, 1 open with a deadline, 2 open without one,
// 3 closed) and the date that orders a group: the deadline (groups 0, 1),
// minus the verdict date (3), 0 (2).
RowSorter::Urgency RowSorter::urgencyOf(const CommitmentState& c, Date today) {
    if (isOverdue(c, today)) return {0, c.commitment.deadline->days};
    if (!isClosed(c.status))
        return c.commitment.deadline ? Urgency{1, c.commitment.deadline->days} : Urgency{2, 0};
    return {3, -c.statusDate.value_or(c.commitment.published).days};
}

bool comesBefore(const CommitmentState& a, const CommitmentState& b, Date today) {
    const auto ua = RowSorter::urgencyOf(a, today);
    const auto ub = RowSorter::urgencyOf(b, today);
    return std::tie(ua, a.commitment.title, a.commitment.id) <
           std::tie(ub, b.commitment.title, b.commitment.id);
}

Row rowOf(const CommitmentState& c, Date today) {
    Row r;
    r.id = c.commitment.id;
    r.office = c.commitment.office;
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

void RowSorter::add(const CommitmentState& c) { m_rows.push_back({urgencyOf(c, m_today), rowOf(c, m_today)}); }

std::vector<Row> RowSorter::take() {
    std::vector<Ranked*> order;
    order.reserve(m_rows.size());
    for (Ranked& r : m_rows)
        order.push_back(&r);
    std::sort(order.begin(), order.end(), [](const Ranked* a, const Ranked* b) {
        return std::tie(a->urgency, a->row.title, a->row.id) < std::tie(b->urgency, b->row.title, b->row.id);
    });
    std::vector<Row> rows;
    rows.reserve(order.size());
    for (Ranked* r : order)
        rows.push_back(std::move(r->row));
    m_rows.clear();
    return rows;
}

std::optional<CommitmentRecord> commitmentRecord(const Store& store, std::string_view id, Date today) {
    auto state = store.commitment(id);
    if (!state) return std::nullopt;
    CommitmentRecord r;
    r.state = std::move(*state);
    r.badge = badgeOf(r.state, today);
    r.daysLeft = daysToDeadline(r.state, today);
    r.history = store.history(id);
    r.revisions = store.revisions(id);
    if (!r.revisions.empty()) r.published = store.publishedText(id);
    r.breaches = store.breachesOf(id);
    return r;
}

std::string deadlineText(const std::optional<Date>& deadline, const std::optional<int>& daysLeft, Badge badge,
                         Lang lang) {
    if (!deadline) return std::string(tr("kiosk.deadline.none", lang));
    std::string s = deadline->toString();
    if (!daysLeft) return s;
    if (badge == Badge::overdue)
        return s + " · " + format("kiosk.deadline.overdue_days", lang, {std::to_string(-*daysLeft)});
    if (badge == Badge::notStarted || badge == Badge::inProgress || badge == Badge::dueSoon) {
        if (*daysLeft == 0) return s + " · " + std::string(tr("kiosk.deadline.today", lang));
        return s + " · " + format("kiosk.deadline.days_left", lang, {std::to_string(*daysLeft)});
    }
    return s;
}

std::string publicSiteOf(const Store& store) {
    std::string site = store.setting(Setting::publicSite);
    return site.empty() ? store.setting(Setting::serverUrl) : site;
}

std::string publicUrlOf(std::string_view site, std::string_view commitmentId) {
    if (site.empty()) return {};
    std::string url(site);
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    url += "/c/";
    url += commitmentId;
    return url;
}

}  // namespace shouxin
