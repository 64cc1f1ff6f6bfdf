// The disclosure report as an A4 PDF, drawn with Cairo and shaped with
// Pango, so that Chinese text is laid out by HarfBuzz with the Noto CJK
// font and the font is embedded (subset) in the file. Every block is
// measured before it is drawn; one that does not fit on the page starts a
// new one. The document is drawn twice: once to count the pages, once for
// real, so that each footer can say "第 1 / 3 页".
#include "sync/cli/disclosure.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <memory>
#include <utility>

#include "shared/i18n.hpp"
#include "shared/public_record.hpp"

namespace shouxin::cli {

// ---- Gathering ----------------------------------------------------------------

namespace {

bool isOpen(BreachStage s) { return s == BreachStage::confirmed || s == BreachStage::objected; }

bool inPeriod(Date d, const Period& p) { return !(d < p.from) && !(p.to < d); }

}  // namespace

DisclosureReport collectDisclosure(const Store& store, const DisclosureInput& input) {
    DisclosureReport r;
    const NodeInfo node = store.node();
    r.office = node.office;
    r.officeName = node.officeName;
    r.period = input.period;
    r.today = input.today;
    if (!input.site.empty()) {
        std::string site = input.site;
        while (!site.empty() && site.back() == '/')
            site.pop_back();
        r.officeUrl = site + "/o/" + r.office;
    }

    const FiguresFilter filter{r.office, std::nullopt, r.period.from, r.period.to};
    std::vector<CommitmentState> due;
    store.forEachCommitment(r.office, [&](const CommitmentState& c) {
        if (matches(filter, c)) due.push_back(c);
    });
    r.figures = computeFigures(due, filter, r.today);
    r.voice = computeVoiceFigures(store.voiceFacts(r.office), filter);

    std::stable_sort(due.begin(), due.end(), [&](const CommitmentState& a, const CommitmentState& b) {
        if (a.commitment.category != b.commitment.category)
            return a.commitment.category < b.commitment.category;
        return comesBefore(a, b, r.today);
    });
    for (const CommitmentState& c : due) {
        DisclosureReport::Item item;
        item.id = c.commitment.id;
        item.title = c.commitment.title;
        item.department = c.commitment.department;
        item.category = c.commitment.category;
        item.status = c.status;
        item.overdue = isOverdue(c, r.today);
        item.progress = c.progress;
        item.deadline = c.commitment.deadline;
        if (c.status == Status::amended) {
            item.note = c.amendReason;
        } else if (item.overdue || c.status == Status::broken) {
            const auto history = store.history(c.commitment.id);
            if (!history.empty()) item.note = history.back().report.note;
        }
        if (item.overdue || c.status == Status::broken) r.overdueOrBroken.push_back(item);
        r.commitments.push_back(std::move(item));
    }

    for (auto& b : store.breaches(r.office)) {
        if (r.period.to < b.breach.confirmed) continue;
        const bool stepInPeriod = std::any_of(b.steps.begin(), b.steps.end(),
                                              [&](const auto& s) { return inPeriod(s.step.date, r.period); });
        if (inPeriod(b.breach.confirmed, r.period) || stepInPeriod || isOpen(b.stage))
            r.breaches.push_back(std::move(b));
    }
    std::reverse(r.breaches.begin(), r.breaches.end());  // oldest confirmation first
    return r;
}

// ---- Drawing ------------------------------------------------------------------

namespace {

constexpr double kPageWidth = 595.28;  // A4 in points
constexpr double kPageHeight = 841.89;
constexpr double kMargin = 50.0;
constexpr double kContentWidth = kPageWidth - 2 * kMargin;
constexpr double kFooterTop = kPageHeight - 40.0;  // body text stops above this
constexpr const char* kFamily = "Noto Sans CJK SC";

std::string zh(std::string_view id) { return std::string(tr(id, Lang::zh)); }
std::string zhf(std::string_view id, std::initializer_list<std::string> args) {
    return format(id, Lang::zh, args);
}

struct Rgb {
    double r, g, b;
};
constexpr Rgb kInk{0.10, 0.10, 0.10};
constexpr Rgb kGrey{0.38, 0.38, 0.38};
constexpr Rgb kRed{0.70, 0.07, 0.07};
constexpr Rgb kGreen{0.05, 0.45, 0.18};
constexpr Rgb kBlue{0.08, 0.28, 0.60};
constexpr Rgb kRule{0.75, 0.75, 0.75};
constexpr Rgb kBand{0.93, 0.93, 0.93};

struct Font {
    double size = 10.5;
    bool bold = false;
    Rgb colour = kInk;
};
constexpr Font kBody{10.5, false, kInk};
constexpr Font kSmall{8.5, false, kGrey};
constexpr Font kHeading{13.0, true, kInk};
constexpr Font kTitle{20.0, true, kInk};

Rgb colourOf(const DisclosureReport::Item& item) {
    if (item.overdue || item.status == Status::broken) return kRed;
    if (item.status == Status::fulfilled || item.status == Status::rectified) return kGreen;
    if (item.status == Status::inProgress) return kBlue;
    return kInk;
}

std::string statusText(const DisclosureReport::Item& item) {
    const std::string status = zh(messageIdOf(item.status));
    return item.overdue ? zh("status.overdue") + "·" + status : status;
}

std::string periodText(const Period& p) {
    return p.text + "（" + zhf("disclosure.period_range", {p.from.toString(), p.to.toString()}) + "）";
}

std::string daysText(const std::optional<double>& days) {
    if (!days) return "—";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", *days);
    return zhf("disclosure.days", {buf});
}

std::string ratingText(const std::optional<double>& rating) {
    if (!rating) return "—";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", *rating);
    return buf;
}

cairo_status_t writeTo(void* closure, const unsigned char* data, unsigned int length) {
    auto* out = static_cast<std::ostream*>(closure);
    out->write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(length));
    return *out ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

cairo_status_t discard(void*, const unsigned char*, unsigned int) { return CAIRO_STATUS_SUCCESS; }

struct LayoutDeleter {
    void operator()(PangoLayout* l) const { g_object_unref(l); }
};
using Layout = std::unique_ptr<PangoLayout, LayoutDeleter>;

// One pass over the document: a cursor on the current page, blocks that
// move to a new page when they do not fit, and a footer on every page.
class Painter {
public:
    Painter(const DisclosureReport& report, cairo_surface_t* surface, int totalPages)
        : m_report(report), m_cr(cairo_create(surface)), m_totalPages(totalPages) {}
    ~Painter() { cairo_destroy(m_cr); }
    Painter(const Painter&) = delete;
    Painter& operator=(const Painter&) = delete;

    int paint() {
        drawHeader();
        drawFigures();
        drawAreas();
        drawOverdue();
        drawBreaches();
        drawClosing();
        footer();
        cairo_show_page(m_cr);
        return m_page;
    }

    bool ok() const { return cairo_status(m_cr) == CAIRO_STATUS_SUCCESS; }

private:
    Layout layout(const std::string& text, const Font& font, double width) const {
        Layout l(pango_cairo_create_layout(m_cr));
        PangoFontDescription* desc = pango_font_description_new();
        pango_font_description_set_family(desc, kFamily);
        pango_font_description_set_weight(desc, font.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        pango_font_description_set_absolute_size(desc, font.size * PANGO_SCALE);
        pango_layout_set_font_description(l.get(), desc);
        pango_font_description_free(desc);
        pango_layout_set_width(l.get(), static_cast<int>(width * PANGO_SCALE));
        pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
        pango_layout_set_text(l.get(), text.c_str(), static_cast<int>(text.size()));
        return l;
    }

    static double heightOf(PangoLayout* l) {
        int w = 0;
        int h = 0;
        pango_layout_get_size(l, &w, &h);
        return static_cast<double>(h) / PANGO_SCALE;
    }

    void show(PangoLayout* l, double x, double y, const Rgb& c) {
        cairo_set_source_rgb(m_cr, c.r, c.g, c.b);
        cairo_move_to(m_cr, x, y);
        pango_cairo_show_layout(m_cr, l);
    }

    void newPage() {
        footer();
        cairo_show_page(m_cr);
        ++m_page;
        m_y = kMargin;
    }

    // Room for `height` more points on this page, else a new page.
    void need(double height) {
        if (m_y + height > kFooterTop - 8.0 && m_y > kMargin) newPage();
    }

    void footer() {
        cairo_set_source_rgb(m_cr, kRule.r, kRule.g, kRule.b);
        cairo_set_line_width(m_cr, 0.5);
        cairo_move_to(m_cr, kMargin, kFooterTop);
        cairo_line_to(m_cr, kPageWidth - kMargin, kFooterTop);
        cairo_stroke(m_cr);
        const std::string left = m_report.officeName + " · " + zh("disclosure.title") + " · " + m_report.period.text;
        const auto l = layout(left, kSmall, kContentWidth * 0.6);
        show(l.get(), kMargin, kFooterTop + 6.0, kGrey);
        const auto page = layout(
            zhf("disclosure.page", {std::to_string(m_page), std::to_string(std::max(m_totalPages, m_page))}),
            kSmall, kContentWidth * 0.4);
        pango_layout_set_alignment(page.get(), PANGO_ALIGN_RIGHT);
        show(page.get(), kMargin + kContentWidth * 0.6, kFooterTop + 6.0, kGrey);
    }

    // A paragraph across the content width (less `indent`).
    void paragraph(const std::string& text, const Font& font, double indent = 0, double after = 4.0) {
        const auto l = layout(text, font, kContentWidth - indent);
        const double h = heightOf(l.get());
        need(h);
        show(l.get(), kMargin + indent, m_y, font.colour);
        m_y += h + after;
    }

    void heading(const std::string& text) {
        // A heading never ends a page: keep room for it and a few lines.
        const auto l = layout(text, kHeading, kContentWidth);
        const double h = heightOf(l.get());
        need(h + 60.0);
        m_y += 8.0;
        show(l.get(), kMargin, m_y, kHeading.colour);
        m_y += h + 2.0;
        cairo_set_source_rgb(m_cr, kInk.r, kInk.g, kInk.b);
        cairo_set_line_width(m_cr, 1.0);
        cairo_move_to(m_cr, kMargin, m_y);
        cairo_line_to(m_cr, kPageWidth - kMargin, m_y);
        cairo_stroke(m_cr);
        m_y += 6.0;
    }

    struct Cell {
        Cell(std::string text_, Font font_, PangoAlignment align_, std::string sub_ = {})
            : text(std::move(text_)), font(font_), align(align_), sub(std::move(sub_)) {}
        std::string text;
        Font font;
        PangoAlignment align;
        std::string sub;  // a second, smaller grey line (a commitment's department)
    };

    static std::string escaped(const std::string& text) {
        gchar* e = g_markup_escape_text(text.c_str(), static_cast<gssize>(text.size()));
        std::string out(e);
        g_free(e);
        return out;
    }

    // One table row: cells side by side in columns of `widths` (fractions of
    // the content width), as tall as its tallest cell, with a rule below.
    void row(const std::vector<Cell>& cells, const std::vector<double>& widths, bool band = false) {
        std::vector<Layout> layouts;
        double h = 0;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            layouts.push_back(layout(cells[i].text, cells[i].font, widths[i] * kContentWidth - 6.0));
            pango_layout_set_alignment(layouts.back().get(), cells[i].align);
            if (!cells[i].sub.empty()) {
                const std::string markup = escaped(cells[i].text) + "\n<span size=\"85%\" foreground=\"#555555\">" +
                                           escaped(cells[i].sub) + "</span>";
                pango_layout_set_markup(layouts.back().get(), markup.c_str(), static_cast<int>(markup.size()));
            }
            h = std::max(h, heightOf(layouts.back().get()));
        }
        need(h + 6.0);
        if (band) {
            cairo_set_source_rgb(m_cr, kBand.r, kBand.g, kBand.b);
            cairo_rectangle(m_cr, kMargin, m_y, kContentWidth, h + 6.0);
            cairo_fill(m_cr);
        }
        double x = kMargin;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            show(layouts[i].get(), x + 3.0, m_y + 3.0, cells[i].font.colour);
            x += widths[i] * kContentWidth;
        }
        m_y += h + 6.0;
        cairo_set_source_rgb(m_cr, kRule.r, kRule.g, kRule.b);
        cairo_set_line_width(m_cr, 0.4);
        cairo_move_to(m_cr, kMargin, m_y);
        cairo_line_to(m_cr, kPageWidth - kMargin, m_y);
        cairo_stroke(m_cr);
    }

    void drawQr(double x, double y, double size) {
        QRcode* qr = QRcode_encodeString(m_report.officeUrl.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
        if (!qr) return;
        const double module = size / qr->width;
        cairo_set_source_rgb(m_cr, 0, 0, 0);
        for (int my = 0; my < qr->width; ++my) {
            for (int mx = 0; mx < qr->width; ++mx) {
                if (!(qr->data[my * qr->width + mx] & 1)) continue;
                cairo_rectangle(m_cr, x + mx * module, y + my * module, module, module);
            }
        }
        cairo_fill(m_cr);
        QRcode_free(qr);
    }

    void drawHeader() {
        constexpr double kQr = 92.0;
        const double textWidth = kContentWidth - kQr - 16.0;
        const double top = m_y;
        const auto name = layout(m_report.officeName, kTitle, textWidth);
        show(name.get(), kMargin, m_y, kInk);
        m_y += heightOf(name.get()) + 2.0;
        const auto title = layout(zh("disclosure.title"), Font{16.0, true, kInk}, textWidth);
        show(title.get(), kMargin, m_y, kInk);
        m_y += heightOf(title.get()) + 8.0;
        for (const std::string& line :
             {zh("disclosure.period") + "：" + periodText(m_report.period),
              zh("disclosure.as_of") + "：" + m_report.today.toString() + "　　" + zh("disclosure.generated") +
                  "：" + Date::today().toString(),
              zh("disclosure.office_code") + "：" + m_report.office}) {
            const auto l = layout(line, kBody, textWidth);
            show(l.get(), kMargin, m_y, kInk);
            m_y += heightOf(l.get()) + 2.0;
        }
        // The QR code of the office's public page, top right.
        const double qrX = kPageWidth - kMargin - kQr;
        if (!m_report.officeUrl.empty()) {
            drawQr(qrX, top, kQr);
            const auto caption = layout(zh("disclosure.qr_caption"), kSmall, kQr + 20.0);
            pango_layout_set_alignment(caption.get(), PANGO_ALIGN_CENTER);
            show(caption.get(), qrX - 10.0, top + kQr + 3.0, kGrey);
            m_y = std::max(m_y, top + kQr + 3.0 + heightOf(caption.get()));
        }
        m_y += 4.0;
        paragraph(m_report.officeUrl.empty() ? zh("disclosure.no_site")
                                             : zh("disclosure.online") + "：" + m_report.officeUrl,
                  kSmall);
        if (m_report.commitments.empty()) {
            m_y += 6.0;
            paragraph(zh("disclosure.nothing_due"), Font{14.0, true, kRed}, 0, 6.0);
            paragraph(zh("disclosure.nothing_due_detail"), kBody);
        }
    }

    void figureRow(const char* nameId, const std::string& value, const char* formulaId, bool band) {
        row({{zh(nameId), Font{10.5, true, kInk}, PANGO_ALIGN_LEFT},
             {value, Font{12.0, true, kInk}, PANGO_ALIGN_RIGHT},
             {zh(formulaId), kSmall, PANGO_ALIGN_LEFT}},
            {0.22, 0.14, 0.64}, band);
    }

    void drawFigures() {
        heading(zh("disclosure.section.figures"));
        const Figures& f = m_report.figures;
        row({{zh("disclosure.col.figure"), kSmall, PANGO_ALIGN_LEFT},
             {zh("disclosure.col.value"), kSmall, PANGO_ALIGN_RIGHT},
             {zh("disclosure.col.formula"), kSmall, PANGO_ALIGN_LEFT}},
            {0.22, 0.14, 0.64});
        figureRow("disclosure.figure.total", std::to_string(f.total), "disclosure.formula.total", false);
        figureRow("figures.fulfilment_rate", percentText(f.fulfilmentRate()), kFulfilmentRateFormula, true);
        figureRow("figures.on_time_rate", percentText(f.onTimeRate()), kOnTimeRateFormula, false);
        figureRow("figures.overdue", std::to_string(f.overdue), kOverdueFormula, true);
        std::string counts = zh("disclosure.by_status") + "：";
        bool first = true;
        for (const Status s : kStatuses) {
            counts += (first ? "" : "，") + zh(messageIdOf(s)) + " " + std::to_string(f.count(s));
            first = false;
        }
        m_y += 4.0;
        paragraph(counts, kBody);
    }

    void drawAreas() {
        heading(zh("disclosure.section.areas"));
        if (m_report.commitments.empty()) {
            paragraph(zh("disclosure.nothing_due"), kBody);
            return;
        }
        const std::vector<double> widths{0.50, 0.18, 0.18, 0.14};
        std::optional<Category> area;
        for (const auto& item : m_report.commitments) {
            if (area != item.category) {
                area = item.category;
                const auto n = std::count_if(m_report.commitments.begin(), m_report.commitments.end(),
                                             [&](const auto& i) { return i.category == item.category; });
                m_y += 4.0;
                need(95.0);  // the area's name, the column header and its first commitment together
                paragraph(zhf("disclosure.area_count", {zh(messageIdOf(item.category)), std::to_string(n)}),
                          Font{11.5, true, kBlue}, 0, 2.0);
                row({{zh("disclosure.col.title"), kSmall, PANGO_ALIGN_LEFT},
                     {zh("disclosure.col.deadline"), kSmall, PANGO_ALIGN_LEFT},
                     {zh("disclosure.col.status"), kSmall, PANGO_ALIGN_LEFT},
                     {zh("disclosure.col.progress"), kSmall, PANGO_ALIGN_RIGHT}},
                    widths);
            }
            row({{item.title, kBody, PANGO_ALIGN_LEFT, item.department},
                 {item.deadline ? item.deadline->toString() : zh("disclosure.no_deadline"), kBody,
                  PANGO_ALIGN_LEFT},
                 {statusText(item), Font{10.5, true, colourOf(item)}, PANGO_ALIGN_LEFT},
                 {std::to_string(item.progress) + "%", kBody, PANGO_ALIGN_RIGHT}},
                widths);
        }
    }

    void drawOverdue() {
        heading(zh("disclosure.section.overdue"));
        if (m_report.overdueOrBroken.empty()) {
            paragraph(zh("disclosure.none_overdue"), kBody);
            return;
        }
        for (const auto& item : m_report.overdueOrBroken) {
            const std::string head = item.title + "（" + zh(messageIdOf(item.category)) + "）";
            const std::string facts =
                zh("disclosure.col.status") + "：" + statusText(item) + "　" + zh("disclosure.col.deadline") +
                "：" + (item.deadline ? item.deadline->toString() : zh("disclosure.no_deadline")) + "　" +
                zh("disclosure.col.department") + "：" + item.department;
            const std::string note =
                zh("disclosure.note") + "：" + (item.note.empty() ? zh("disclosure.no_note") : item.note);
            const auto a = layout(head, Font{10.5, true, kInk}, kContentWidth);
            need(heightOf(a.get()) + 40.0);
            paragraph(head, Font{10.5, true, kInk}, 0, 1.0);
            paragraph(facts, Font{9.5, false, colourOf(item)}, 12.0, 1.0);
            paragraph(note, Font{9.5, false, kInk}, 12.0, 8.0);
        }
    }

    void drawBreaches() {
        heading(zh("disclosure.section.breaches"));
        if (m_report.breaches.empty()) {
            paragraph(zh("disclosure.no_breaches"), kBody);
            return;
        }
        for (const auto& b : m_report.breaches) {
            const std::string head = b.commitmentTitle + "　" + zh(messageIdOf(b.stage));
            need(50.0);
            paragraph(head, Font{10.5, true, isOpen(b.stage) ? kRed : kInk}, 0, 1.0);
            paragraph(zhf("disclosure.breach_dates", {b.breach.confirmed.toString(), b.breach.objectBy.toString(),
                                                      b.breach.rectifyBy.toString()}),
                      Font{9.5, false, kGrey}, 12.0, 1.0);
            paragraph(zh("disclosure.note") + "：" + b.breach.note, Font{9.5, false, kInk}, 12.0, 1.0);
            for (const auto& s : b.steps) {
                paragraph(s.step.date.toString() + "　" + zh(messageIdOf(s.step.step)) +
                              (s.step.note.empty() ? std::string() : "：" + s.step.note),
                          Font{9.5, false, kInk}, 24.0, 1.0);
            }
            m_y += 7.0;
        }
    }

    void drawClosing() {
        heading(zh("disclosure.section.voice"));
        const VoiceFigures& v = m_report.voice;
        figureRow("figures.complaints", std::to_string(v.complaints), kComplaintsFormula, false);
        figureRow("figures.answered", std::to_string(v.answered), kComplaintsFormula, true);
        figureRow("figures.median_answer", daysText(v.medianAnswerDays), kMedianAnswerFormula, false);
        figureRow("figures.ratings", std::to_string(v.ratings), kMeanRatingFormula, true);
        figureRow("figures.mean_rating", ratingText(v.meanRating), kMeanRatingFormula, false);
        figureRow("figures.open_breaches", std::to_string(v.openBreaches), kBreachesFormula, true);
        m_y += 10.0;
        paragraph(zh("disclosure.closing"), kSmall);
    }

    const DisclosureReport& m_report;
    cairo_t* m_cr;
    int m_totalPages;
    int m_page = 1;
    double m_y = kMargin;
};

// One pass to `write`; the number of pages, 0 when Cairo failed.
int render(const DisclosureReport& report, cairo_write_func_t write, void* closure, int totalPages) {
    cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(write, closure, kPageWidth, kPageHeight);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surface);
        return 0;
    }
    const std::string title = report.officeName + " " + zh("disclosure.title") + " " + report.period.text;
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title.c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "shouxin disclosure");
    int pages = 0;
    bool ok = false;
    {
        Painter painter(report, surface, totalPages);
        pages = painter.paint();
        ok = painter.ok();
    }
    cairo_surface_finish(surface);
    ok = ok && cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(surface);
    return ok ? pages : 0;
}

}  // namespace

int writeDisclosurePdf(const DisclosureReport& report, std::ostream& out) {
    const int pages = render(report, discard, nullptr, 0);
    if (pages == 0) return 0;
    return render(report, writeTo, &out, pages);
}

}  // namespace shouxin::cli
