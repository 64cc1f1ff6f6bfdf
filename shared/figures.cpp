#include "shared/figures.hpp"

namespace shouxin {

bool isOverdue(const CommitmentState& c, Date today) {
    return !isClosed(c.status) && c.commitment.deadline && *c.commitment.deadline < today;
}

std::optional<int> daysToDeadline(const CommitmentState& c, Date today) {
    if (!c.commitment.deadline) return std::nullopt;
    return c.commitment.deadline->days - today.days;
}

bool isOnTime(const CommitmentState& c) {
    return c.status == Status::fulfilled && c.fulfilledOn && c.commitment.deadline &&
           *c.fulfilledOn <= *c.commitment.deadline;
}

bool matches(const FiguresFilter& filter, const CommitmentState& c) {
    if (!filter.office.empty() && c.commitment.office.rfind(filter.office, 0) != 0) return false;
    if (filter.category && c.commitment.category != *filter.category) return false;
    const Date due = c.commitment.deadline.value_or(c.commitment.published);
    if (filter.from && due < *filter.from) return false;
    if (filter.to && due > *filter.to) return false;
    return true;
}

Figures computeFigures(std::span<const CommitmentState> commitments, const FiguresFilter& filter,
                       Date today) {
    Figures f;
    for (const CommitmentState& c : commitments) {
        if (!matches(filter, c)) continue;
        ++f.total;
        ++f.byStatus[static_cast<int>(c.status)];
        if (isOverdue(c, today)) ++f.overdue;
        if (c.status == Status::fulfilled && c.commitment.deadline) {
            ++f.fulfilledWithDeadline;
            if (isOnTime(c)) ++f.fulfilledOnTime;
        }
    }
    return f;
}

int Figures::assessed() const {
    return count(Status::fulfilled) + count(Status::broken) + count(Status::rectified) + overdue;
}

std::optional<double> Figures::fulfilmentRate() const {
    if (assessed() == 0) return std::nullopt;
    return static_cast<double>(count(Status::fulfilled)) / assessed();
}

std::optional<double> Figures::onTimeRate() const {
    if (fulfilledWithDeadline == 0) return std::nullopt;
    return static_cast<double>(fulfilledOnTime) / fulfilledWithDeadline;
}

}  // namespace shouxin
