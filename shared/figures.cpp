#include "shared/figures.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>

#include "shared/i18n.hpp"

namespace shouxin {

Figures& Figures::operator+=(const Figures& other) {
    total += other.total;
    for (std::size_t s = 0; s < kStatusCount; ++s)
        byStatus[s] += other.byStatus[s];
    overdue += other.overdue;
    fulfilledWithDeadline += other.fulfilledWithDeadline;
    fulfilledOnTime += other.fulfilledOnTime;
    return *this;
}

std::string percentText(std::optional<double> rate) {
    if (!rate) return "—";
    return std::to_string(static_cast<int>(*rate * 100.0 + 0.5)) + "%";
}

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

MonthlyTally::MonthlyTally(Date today, int months) : m_today(today) {
    if (months <= 0) return;
    const std::string text = today.toString();  // YYYY-MM-DD
    const int year = std::stoi(text.substr(0, 4));
    const int month = std::stoi(text.substr(5, 2));
    // Month index counted from year 0, so stepping back crosses years.
    const int last = year * 12 + (month - 1);
    for (int index = last - months + 1; index <= last; ++index) {
        MonthFigures m;
        m.year = index / 12;
        m.month = static_cast<unsigned>(index % 12 + 1);
        const int next = index + 1;
        m_bounds.emplace_back(Date::fromCivil(m.year, m.month, 1),
                              Date::fromCivil(next / 12, static_cast<unsigned>(next % 12 + 1), 1).plusDays(-1));
        m_months.push_back(m);
    }
}

void MonthlyTally::add(const CommitmentState& c) {
    if (m_months.empty()) return;
    const Date due = c.commitment.deadline.value_or(c.commitment.published);
    if (due < m_bounds.front().first || due > m_bounds.back().second) return;
    for (std::size_t i = 0; i < m_bounds.size(); ++i) {
        if (due < m_bounds[i].first || due > m_bounds[i].second) continue;
        m_months[i].figures += computeFigures(std::span<const CommitmentState>(&c, 1), {}, m_today);
        return;
    }
}

std::vector<MonthFigures> monthlyFigures(std::span<const CommitmentState> commitments,
                                         const FiguresFilter& filter, Date today, int months) {
    FiguresFilter any = filter;
    any.from.reset();
    any.to.reset();
    MonthlyTally tally(today, months);
    for (const CommitmentState& c : commitments) {
        if (matches(any, c)) tally.add(c);
    }
    return tally.months();
}

namespace {

bool inPeriod(const FiguresFilter& f, Date d) { return (!f.from || d >= *f.from) && (!f.to || d <= *f.to); }

}  // namespace

VoiceFigures computeVoiceFigures(const VoiceFacts& facts, const FiguresFilter& filter) {
    VoiceFigures v;
    const auto covered = [&](const std::string& office, Date d) {
        return (filter.office.empty() || inScope(filter.office, office)) && inPeriod(filter, d);
    };
    std::vector<int> answerDays;
    for (const auto& c : facts.complaints) {
        if (!covered(c.office, c.filed)) continue;
        ++v.complaints;
        if (!c.answered) continue;
        ++v.answered;
        answerDays.push_back(c.answered->days - c.filed.days);
    }
    if (!answerDays.empty()) {
        std::sort(answerDays.begin(), answerDays.end());
        const std::size_t mid = answerDays.size() / 2;
        v.medianAnswerDays =
            answerDays.size() % 2 ? answerDays[mid] : (answerDays[mid - 1] + answerDays[mid]) / 2.0;
    }
    int scoreSum = 0;
    for (const auto& r : facts.ratings) {
        if (!covered(r.office, r.date)) continue;
        ++v.ratings;
        scoreSum += r.score;
    }
    if (v.ratings > 0) v.meanRating = static_cast<double>(scoreSum) / v.ratings;
    for (const auto& b : facts.breaches) {
        if (!covered(b.office, b.confirmed)) continue;
        if (b.stage == BreachStage::repaired)
            ++v.repairedBreaches;
        else if (b.stage != BreachStage::annulled)
            ++v.openBreaches;
    }
    return v;
}

namespace {

// "名称 Name: value" and the formula below it in both languages.
std::string figureLine(const char* name, const std::string& value, const char* formula) {
    return "  " + std::string(tr(name, Lang::zh)) + " " + std::string(tr(name, Lang::en)) + ": " + value +
           "\n    " + std::string(tr(formula, Lang::zh)) + "\n    " + std::string(tr(formula, Lang::en)) +
           "\n";
}

std::string percent(std::optional<double> rate) {
    if (!rate) return "—";
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f%%", *rate * 100.0);
    return buf;
}

}  // namespace

std::string describe(const Figures& f) {
    return figureLine("figures.fulfilment_rate",
                      percent(f.fulfilmentRate()) + " (" + std::to_string(f.count(Status::fulfilled)) + "/" +
                          std::to_string(f.assessed()) + ")",
                      kFulfilmentRateFormula) +
           figureLine("figures.on_time_rate",
                      percent(f.onTimeRate()) + " (" + std::to_string(f.fulfilledOnTime) + "/" +
                          std::to_string(f.fulfilledWithDeadline) + ")",
                      kOnTimeRateFormula) +
           figureLine("figures.overdue", std::to_string(f.overdue), kOverdueFormula);
}

std::string describe(const VoiceFigures& v) {
    const auto number = [](std::optional<double> x, const char* unit) {
        if (!x) return std::string("—");
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f%s", *x, unit);
        return std::string(buf);
    };
    const auto& line = figureLine;
    return line("figures.complaints",
                std::to_string(v.complaints) + " (" + std::string(tr("complaint.status.answered", Lang::zh)) +
                    " " + std::to_string(v.answered) + ")",
                kComplaintsFormula) +
           line("figures.median_answer", number(v.medianAnswerDays, " d"), kMedianAnswerFormula) +
           line("figures.mean_rating", number(v.meanRating, "") + " (" + std::to_string(v.ratings) + ")",
                kMeanRatingFormula) +
           line("figures.breaches",
                std::to_string(v.openBreaches) + " (" + std::string(tr("breach.stage.repaired", Lang::zh)) + " " +
                    std::to_string(v.repairedBreaches) + ")",
                kBreachesFormula);
}

}  // namespace shouxin
