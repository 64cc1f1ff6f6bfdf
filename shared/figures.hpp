#pragma once
// The figures: one definition, used by the kiosk, the command line and the
// district server alike, and shown publicly with its formula.
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "shared/state.hpp"

namespace shouxin {

/// Overdue is derived, never stored: a deadline before today on a
/// commitment that is not started or in progress.
bool isOverdue(const CommitmentState& c, Date today);
/// Days from today to the deadline (negative when past); nullopt without one.
std::optional<int> daysToDeadline(const CommitmentState& c, Date today);
/// Kept on time: fulfilled on or before its deadline.
bool isOnTime(const CommitmentState& c);

/// Which commitments a figure covers. A commitment falls in a period by its
/// due date: the deadline, or the published date when it has none.
struct FiguresFilter {
    std::string office;  // scope code (prefix); "" for all
    std::optional<Category> category;
    std::optional<Date> from;  // inclusive
    std::optional<Date> to;    // inclusive
};

struct Figures {
    int total = 0;
    int byStatus[kStatusCount] = {};
    int overdue = 0;  // also counted in not started / in progress
    int fulfilledWithDeadline = 0;
    int fulfilledOnTime = 0;

    int count(Status s) const { return byStatus[static_cast<int>(s)]; }
    /// Commitments that have come to a verdict or are late: fulfilled +
    /// broken + rectified + overdue. Amended ones and those not yet due are
    /// left out.
    int assessed() const;
    /// fulfilled / assessed; nullopt when nothing is assessed.
    std::optional<double> fulfilmentRate() const;
    /// fulfilled on or before the deadline / fulfilled with a deadline.
    std::optional<double> onTimeRate() const;
};

bool matches(const FiguresFilter& filter, const CommitmentState& c);
Figures computeFigures(std::span<const CommitmentState> commitments, const FiguresFilter& filter, Date today);

/// Catalogue ids of the formulas in plain words, for display beside figures.
inline constexpr const char* kFulfilmentRateFormula = "figures.formula.fulfilment_rate";
inline constexpr const char* kOnTimeRateFormula = "figures.formula.on_time_rate";
inline constexpr const char* kOverdueFormula = "figures.formula.overdue";

/// The figures of one calendar month, by due date (see FiguresFilter).
struct MonthFigures {
    int year = 0;
    unsigned month = 0;  // 1-12
    Figures figures;
};
/// The figures of the `months` calendar months that end with today's month,
/// oldest first: the monthly trend. `filter`'s from/to are ignored.
std::vector<MonthFigures> monthlyFigures(std::span<const CommitmentState> commitments,
                                         const FiguresFilter& filter, Date today, int months);

}  // namespace shouxin
