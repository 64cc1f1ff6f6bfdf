#include "kiosk/ui/speech_text.hpp"

#include <array>
#include <cctype>
#include <optional>
#include <vector>

#include "kiosk/ui/widgets.hpp"

namespace shouxin::kiosk {

namespace {

constexpr std::array<std::string_view, 10> kDigit = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
constexpr std::array<std::string_view, 12> kMonthName = {"January", "February", "March",     "April",
                                                         "May",     "June",     "July",      "August",
                                                         "September", "October", "November", "December"};

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// The run of ASCII digits at `at` (possibly empty).
std::string_view digitsAt(std::string_view text, std::size_t at) {
    std::size_t end = at;
    while (end < text.size() && isDigit(text[end])) ++end;
    return text.substr(at, end - at);
}

int valueOf(std::string_view digits) {
    int v = 0;
    for (const char c : digits) v = v * 10 + (c - '0');
    return v;
}

// 0..9999 within a larger number; `leading` when nothing is said before it
// (then 10..19 drop the 一: 十五, not 一十五).
std::string section(int n, bool leading) {
    static constexpr std::array<std::string_view, 4> kUnit = {"", "十", "百", "千"};
    std::string out;
    bool started = false;
    bool zero = false;
    for (int pos = 3; pos >= 0; --pos) {
        int scale = 1;
        for (int i = 0; i < pos; ++i) scale *= 10;
        const int d = n / scale % 10;
        if (d == 0) {
            zero = started;
            continue;
        }
        if (zero) out += kDigit[0];
        zero = false;
        if (pos == 3 && d == 2) {
            out += "两";
        } else if (!(pos == 1 && d == 1 && !started && leading)) {
            out += kDigit[static_cast<std::size_t>(d)];
        }
        out += kUnit[static_cast<std::size_t>(pos)];
        started = true;
    }
    return out;
}

// "52" "." "4" → 五十二点四; the fraction digit by digit.
std::string chineseNumber(std::string_view whole, std::string_view fraction) {
    std::string out = chineseQuantity(whole);
    if (!fraction.empty()) {
        out += "点";
        for (const char c : fraction) out += kDigit[static_cast<std::size_t>(c - '0')];
    }
    return out;
}

struct DateMatch {
    int year = 0, month = 0, day = 0;
    std::size_t length = 0;
};

// 2026-11-11, 2026/11/11 or 2026.11.11 at `at`.
std::optional<DateMatch> dateAt(std::string_view text, std::size_t at) {
    const std::string_view y = digitsAt(text, at);
    if (y.size() != 4) return std::nullopt;
    std::size_t i = at + 4;
    if (i >= text.size() || (text[i] != '-' && text[i] != '/' && text[i] != '.')) return std::nullopt;
    const char sep = text[i];
    const std::string_view m = digitsAt(text, i + 1);
    if (m.empty() || m.size() > 2) return std::nullopt;
    i += 1 + m.size();
    if (i >= text.size() || text[i] != sep) return std::nullopt;
    const std::string_view d = digitsAt(text, i + 1);
    if (d.empty() || d.size() > 2) return std::nullopt;
    i += 1 + d.size();
    const DateMatch match{valueOf(y), valueOf(m), valueOf(d), i - at};
    if (match.month < 1 || match.month > 12 || match.day < 1 || match.day > 31) return std::nullopt;
    return match;
}

bool startsWith(std::string_view text, std::size_t at, std::string_view prefix) {
    return text.substr(at, prefix.size()) == prefix;
}

std::string speakableChinese(std::string_view text) {
    std::string out;
    std::size_t i = 0;
    bool afterNumber = false;  // the last thing said was a number (for 3-5 → 三至五)
    while (i < text.size()) {
        if (!isDigit(text[i])) {
            if (afterNumber && (text[i] == '-' || text[i] == '~') && i + 1 < text.size() && isDigit(text[i + 1])) {
                out += "至";
                ++i;
                afterNumber = false;
                continue;
            }
            out += text[i++];
            afterNumber = false;
            continue;
        }
        if (const auto date = dateAt(text, i)) {
            out += chineseDigits(text.substr(i, 4)) + "年" + chineseQuantity(std::to_string(date->month)) + "月" +
                   chineseQuantity(std::to_string(date->day)) + "日";
            i += date->length;
            afterNumber = true;
            continue;
        }
        const std::string_view whole = digitsAt(text, i);
        std::size_t end = i + whole.size();
        // 09:30 → 九点三十分, 14:00 → 十四点整.
        if (whole.size() <= 2 && end < text.size() && text[end] == ':' &&
            digitsAt(text, end + 1).size() == 2 && valueOf(whole) < 24) {
            const std::string_view minutes = digitsAt(text, end + 1);
            out += chineseQuantity(whole) + "点";
            out += valueOf(minutes) == 0 ? std::string("整") : chineseQuantity(minutes) + "分";
            i = end + 3;
            afterNumber = true;
            continue;
        }
        std::string_view fraction;
        if (end + 1 < text.size() && text[end] == '.' && isDigit(text[end + 1])) {
            fraction = digitsAt(text, end + 1);
            end += 1 + fraction.size();
        }
        if (startsWith(text, end, "%") || startsWith(text, end, "％")) {
            out += "百分之" + chineseNumber(whole, fraction);
            end += startsWith(text, end, "%") ? 1 : std::string_view("％").size();
        } else if (fraction.empty() && whole.size() == 4 && startsWith(text, end, "年")) {
            out += chineseDigits(whole);  // a year, not two thousand of them
        } else if (fraction.empty() && ((whole.size() > 1 && whole[0] == '0') || whole.size() > 12)) {
            out += chineseDigits(whole);  // a code or a telephone number
        } else {
            out += chineseNumber(whole, fraction);
        }
        i = end;
        afterNumber = true;
    }
    return out;
}

std::string speakableEnglish(std::string_view text) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        const bool boundary = i == 0 || !isDigit(text[i - 1]);
        if (boundary && isDigit(text[i])) {
            if (const auto date = dateAt(text, i)) {
                out += std::to_string(date->day) + " " +
                       std::string(kMonthName[static_cast<std::size_t>(date->month - 1)]) + " " +
                       std::to_string(date->year);
                i += date->length;
                continue;
            }
        }
        out += text[i++];
    }
    return out;
}

std::string sentence(std::string_view text, Lang lang) {
    if (text.empty()) return {};
    return std::string(text) + (lang == Lang::zh ? "。" : ". ");
}

std::string labelled(std::string_view labelId, const std::string& value, Lang lang) {
    return sentence(std::string(tr(labelId, lang)) + (lang == Lang::zh ? "：" : ": ") + value, lang);
}

// "2026-11-17 · 还剩 3 天" reads as "2026-11-17，还剩 3 天".
std::string withoutDots(std::string text, Lang lang) {
    const std::string_view dot = " · ";
    const std::string_view comma = lang == Lang::zh ? "，" : ", ";
    for (std::size_t at = text.find(dot); at != std::string::npos; at = text.find(dot, at + comma.size()))
        text.replace(at, dot.size(), comma);
    return text;
}

std::string rateText(std::optional<double> rate, Lang lang) {
    return rate ? percentText(rate) : std::string(tr("figures.no_data", lang));
}

}  // namespace

std::string chineseDigits(std::string_view digits) {
    std::string out;
    for (const char c : digits) out += c == '0' ? std::string_view("〇") : kDigit[static_cast<std::size_t>(c - '0')];
    return out;
}

std::string chineseQuantity(std::string_view digits) {
    while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);
    if (digits.empty() || digits.size() > 16) return chineseDigits(digits);
    static constexpr std::array<std::string_view, 4> kSection = {"", "万", "亿", "万亿"};
    // Sections of four digits, the highest first.
    std::vector<int> sections;
    for (std::size_t end = digits.size(); end > 0;) {
        const std::size_t begin = end >= 4 ? end - 4 : 0;
        sections.insert(sections.begin(), valueOf(digits.substr(begin, end - begin)));
        end = begin;
    }
    std::string out;
    bool zero = false;
    for (std::size_t k = 0; k < sections.size(); ++k) {
        const int s = sections[k];
        const std::string_view unit = kSection[sections.size() - 1 - k];
        if (s == 0) {
            zero = !out.empty();
            continue;
        }
        if (!out.empty() && (zero || s < 1000)) out += kDigit[0];
        zero = false;
        out += s == 2 && !unit.empty() ? std::string("两") : section(s, out.empty());
        out += unit;
    }
    return out.empty() ? std::string(kDigit[0]) : out;
}

std::string speakableText(std::string_view text, Lang lang) {
    return lang == Lang::zh ? speakableChinese(text) : speakableEnglish(text);
}

std::string readoutText(const DetailData& detail, Lang lang) {
    const Commitment& c = detail.state.commitment;
    std::string out = sentence(c.title, lang);
    out += labelled("kiosk.speech.status", std::string(tr(badgeMessageId(detail.badge), lang)), lang);
    if (c.deadline || c.timeLimit.empty())
        out += labelled("kiosk.label.deadline",
                        withoutDots(deadlineText(c.deadline, detail.daysLeft, detail.badge, lang), lang), lang);
    if (!c.timeLimit.empty()) out += labelled("kiosk.label.time_limit", c.timeLimit, lang);
    std::string department = c.department;
    if (!c.responsible.empty()) department += (lang == Lang::zh ? "，" : ", ") + c.responsible;
    if (!department.empty()) out += labelled("kiosk.label.department", department, lang);
    if (detail.history.empty()) {
        out += sentence(tr("kiosk.detail.no_history", lang), lang);
        return out;
    }
    const FulfilmentReport& r = detail.history.back().report;
    const std::string_view comma = lang == Lang::zh ? "，" : ", ";
    std::string latest = r.date.toString() + std::string(comma) + std::string(tr(messageIdOf(r.status), lang)) +
                         std::string(comma) + std::string(tr("kiosk.label.progress", lang)) +
                         (lang == Lang::zh ? "" : " ") + std::to_string(r.progress) + "%";
    out += labelled("kiosk.speech.latest", latest, lang);
    out += sentence(r.note, lang);
    return out;
}

std::string readoutText(const FiguresData& figures, Lang lang) {
    const Figures& all = figures.overall;
    std::string out;
    out += labelled("figures.fulfilment_rate", rateText(all.fulfilmentRate(), lang), lang);
    out += labelled("figures.on_time_rate", rateText(all.onTimeRate(), lang), lang);
    out += labelled("figures.overdue", std::to_string(all.overdue), lang);
    out += labelled("status.broken", std::to_string(all.count(Status::broken)), lang);
    out += sentence(tr("kiosk.figures.by_area", lang), lang);
    const std::string_view comma = lang == Lang::zh ? "，" : ", ";
    const std::string_view space = lang == Lang::zh ? "" : " ";
    for (const AreaTile& t : figures.areas) {
        if (!t.figures.fulfilmentRate() && !t.figures.onTimeRate()) continue;  // nothing to count
        std::string line(tr(messageIdOf(t.category), lang));
        line += std::string(comma) + std::string(tr("figures.fulfilment_rate", lang)) + std::string(space) +
                rateText(t.figures.fulfilmentRate(), lang);
        line += std::string(comma) + std::string(tr("figures.on_time_rate", lang)) + std::string(space) +
                rateText(t.figures.onTimeRate(), lang);
        out += sentence(line, lang);
    }
    return out;
}

}  // namespace shouxin::kiosk
