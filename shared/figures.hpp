#pragma once
// The figures: one definition, used by the kiosk, the command line and the
// district server alike, and shown publicly with its formula.
#include <optional>
#include <span>
#include <string>
#include <utility>
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
    /// Adds another set's counts (figures summed commitment by commitment).
    Figures& operator+=(const Figures& other);
    /// fulfilled / assessed; nullopt when nothing is assessed.
    std::optional<double> fulfilmentRate() const;
    /// fulfilled on or before the deadline / fulfilled with a deadline.
    std::optional<double> onTimeRate() const;
};

bool matches(const FiguresFilter& filter, const CommitmentState& c);
Figures computeFigures(std::span<const CommitmentState> commitments, const FiguresFilter& filter, Date today);

/// A rate as a whole percentage ("87%"), "—" when there is none.
std::string percentText(std::optional<double> rate);

/// Catalogue ids of the formulas in plain words, for display beside figures.
inline constexpr const char* kFulfilmentRateFormula = "figures.formula.fulfilment_rate";
inline constexpr const char* kOnTimeRateFormula = "figures.formula.on_time_rate";
inline constexpr const char* kOverdueFormula = "figures.formula.overdue";

/// What the residents' voice figures count, one row per record.
struct VoiceFacts {
    struct ComplaintFact {
        std::string office;
        Date filed;
        std::optional<Date> answered;
    };
    struct RatingFact {
        std::string office;
        int score = 0;
        Date date;
    };
    struct BreachFact {
        std::string office;
        BreachStage stage = BreachStage::confirmed;
        Date confirmed;
    };
    std::vector<ComplaintFact> complaints;
    std::vector<RatingFact> ratings;
    std::vector<BreachFact> breaches;
};

/// Complaints, ratings and breach records in a filter's office scope and
/// period (complaints by filing date, ratings by their date, breaches by
/// confirmation); the service area is not used.
struct VoiceFigures {
    int complaints = 0;
    int answered = 0;
    std::optional<double> medianAnswerDays;  // filing to answer, over answered complaints
    int ratings = 0;
    std::optional<double> meanRating;  // 1-5, over every rating
    int openBreaches = 0;              // confirmed, objected or rectified
    int repairedBreaches = 0;          // credit repaired: in the history, no longer open
};
VoiceFigures computeVoiceFigures(const VoiceFacts& facts, const FiguresFilter& filter);

/// The fulfilment figures with their names and formulas, one per line, in
/// both languages (the command lines print it).
std::string describe(const Figures& f);
/// The voice figures with their names and formulas, one per line, in
/// both languages (the command lines print it).
std::string describe(const VoiceFigures& v);

inline constexpr const char* kComplaintsFormula = "figures.formula.complaints";
inline constexpr const char* kMedianAnswerFormula = "figures.formula.median_answer";
inline constexpr const char* kMeanRatingFormula = "figures.formula.mean_rating";
inline constexpr const char* kBreachesFormula = "figures.formula.breaches";

/// The figures of one calendar month, by due date (see FiguresFilter).
struct MonthFigures {
    int year = 0;
    unsigned month = 0;  // 1-12
    Figures figures;
};
/// The monthly trend summed commitment by commitment, without holding the
/// commitments: the figures of the `months` calendar months that end with
/// today's month, oldest first, each of the commitments due in it.
class MonthlyTally {
public:
    MonthlyTally(Date today, int months);
    void add(const CommitmentState& c);
    const std::vector<MonthFigures>& months() const { return m_months; }

private:
    Date m_today;
    std::vector<std::pair<Date, Date>> m_bounds;  // each month's first and last day
    std::vector<MonthFigures> m_months;
};

/// The figures of the `months` calendar months that end with today's month,
/// oldest first: the monthly trend. `filter`'s from/to are ignored.
std::vector<MonthFigures> monthlyFigures(std::span<const CommitmentState> commitments,
                                         const FiguresFilter& filter, Date today, int months);

}  // namespace shouxin
