#pragma once
// The printed disclosure report (公示报告) of an office for a period: what
// the office pins on its notice board every quarter. collectDisclosure()
// gathers it from the store; writeDisclosurePdf() lays it out as an A4 PDF
// (Cairo + Pango, kept inside disclosure.cpp: no Cairo type here).
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "shared/figures.hpp"
#include "shared/open_data.hpp"
#include "shared/store.hpp"

namespace shouxin::cli {

struct DisclosureInput {
    Period period;
    Date today;        // overdue and the figures are computed for this day
    std::string site;  // the district's public site ("" when unknown: no QR code)
};

struct DisclosureReport {
    std::string office;
    std::string officeName;
    Period period;
    Date today;
    std::string officeUrl;  // site + "/o/" + office; "" when the site is unknown

    Figures figures;     // of the commitments due in the period
    VoiceFigures voice;  // complaints, ratings and breach records of the period

    struct Item {
        std::string id;
        std::string title;
        std::string department;
        Category category = Category::convenience;
        Status status = Status::notStarted;
        bool overdue = false;
        int progress = 0;
        std::optional<Date> deadline;
        std::string note;  // the current report's note, or the amendment's reason
    };
    /// The commitments due in the period, by service area, most urgent first.
    std::vector<Item> commitments;
    /// Those of them overdue or broken, with their notes.
    std::vector<Item> overdueOrBroken;
    /// The office's breach records confirmed in the period, or still open at
    /// its end, or with a step taken in it.
    std::vector<Store::BreachRecord> breaches;
};

DisclosureReport collectDisclosure(const Store& store, const DisclosureInput& input);

/// Writes the report as an A4 PDF to `out`; the number of pages, 0 when
/// Cairo failed.
int writeDisclosurePdf(const DisclosureReport& report, std::ostream& out);

}  // namespace shouxin::cli
