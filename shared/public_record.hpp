#pragma once
// What the public sees of a commitment, one definition for the kiosk's
// screens and the district's web pages: its badge (a stored status, or
// overdue or due soon), the order lists show commitments in, a list's row,
// and the whole public record of one commitment.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "shared/figures.hpp"
#include "shared/i18n.hpp"
#include "shared/state.hpp"
#include "shared/store.hpp"

namespace shouxin {

/// What a resident sees of a commitment's status: the stored status, or
/// overdue or due soon (open, deadline within kDueSoonDays) when that is
/// what it is (never colour alone: text too).
enum class Badge : std::uint8_t {
    notStarted,
    inProgress,
    fulfilled,
    broken,
    rectified,
    amended,
    overdue,
    dueSoon
};
inline constexpr int kBadgeCount = 8;
inline constexpr int kDueSoonDays = 7;
Badge badgeOf(const CommitmentState& c, Date today);
/// The badge of a stored status alone (a report in the history).
Badge badgeOf(Status s);
/// Catalogue id of the badge's text.
std::string badgeMessageId(Badge b);
/// A stable English id ("overdue", "in_progress", ...), for CSS classes.
std::string_view idOf(Badge b);

/// "2026-12-01 · 3 days overdue", "… · 5 days left", "… · due today", the
/// date alone once closed, or "no fixed deadline".
std::string deadlineText(const std::optional<Date>& deadline, const std::optional<int>& daysLeft, Badge badge,
                         Lang lang);

/// Sort key for lists: overdue first (longest overdue first), then open
/// commitments by nearest deadline, then open ones without a deadline, then
/// closed ones, newest verdict first.
bool comesBefore(const CommitmentState& a, const CommitmentState& b, Date today);

/// One line of a list.
struct Row {
    std::string id;
    std::string office;
    std::string title;
    std::string department;
    Category category = Category::convenience;
    Kind kind = Kind::serviceQuality;
    std::optional<Date> deadline;
    std::optional<int> daysLeft;  // negative when overdue
    Badge badge = Badge::notStarted;
    int progress = 0;
};
Row rowOf(const CommitmentState& c, Date today);

/// Rows gathered one by one and handed out in comesBefore() order: the
/// order is computed once per commitment, so a sort of thousands compares
/// numbers, not commitments.
class RowSorter {
public:
    explicit RowSorter(Date today) : m_today(today) {}
    void add(const CommitmentState& c);
    std::size_t size() const { return m_rows.size(); }
    /// The rows in order; the sorter is empty afterwards.
    std::vector<Row> take();

private:
    struct Urgency {
        int group = 0;
        std::int32_t day = 0;
        auto operator<=>(const Urgency&) const = default;
    };
    struct Ranked {
        Urgency urgency;
        Row row;
    };
    static Urgency urgencyOf(const CommitmentState& c, Date today);
    friend bool comesBefore(const CommitmentState& a, const CommitmentState& b, Date today);
    Date m_today;
    std::vector<Ranked> m_rows;
};

/// A commitment's whole public record: its state, its dated history, the
/// supervisors' revisions of its text with the text as first published,
/// and its breach records.
struct CommitmentRecord {
    CommitmentState state;
    Badge badge = Badge::notStarted;
    std::optional<int> daysLeft;
    std::vector<FulfilmentRecord> history;   // oldest first
    std::vector<Store::Revision> revisions;  // supervisors' revisions of the text, oldest first
    std::optional<Commitment> published;     // the text as first published, when revised
    std::vector<Store::BreachRecord> breaches;  // its breach records, oldest first
};
std::optional<CommitmentRecord> commitmentRecord(const Store& store, std::string_view id, Date today);

/// The public address of a commitment on the district's site:
/// site + "/c/" + id ("https://host" or "https://host/" alike); "" when
/// the site is not known.
std::string publicUrlOf(std::string_view site, std::string_view commitmentId);
/// The district's public site as this node learnt it at enrolment, else the
/// district's sync address (the same server serves both); "" when not enrolled.
std::string publicSiteOf(const Store& store);

}  // namespace shouxin
