#pragma once
// What the read-out says: the text of a commitment or of the figures, and
// that text with its numbers, dates and percentages written out as a person
// says them, so that the speech synthesiser reads "百分之八十" and not
// "八十百分号". Pure functions of the data: no synthesiser, no ImGui.
#include <string>
#include <string_view>

#include "kiosk/ui/model.hpp"
#include "shared/i18n.hpp"

namespace shouxin::kiosk {

/// `text` with every number spoken as a person says it.
/// Chinese: 2026-11-11 → 二〇二六年十一月十一日, 2026年 → 二〇二六年,
/// 80% → 百分之八十, 52.4% → 百分之五十二点四, 10个工作日 → 十个工作日,
/// 2026 (a quantity) → 两千零二十六, 09:30 → 九点三十分, 0571… (a code) →
/// digit by digit. English: ISO dates become "11 November 2026"; the English
/// voice reads the rest of the numbers itself.
std::string speakableText(std::string_view text, Lang lang);

/// A whole number as a quantity: 48 → 四十八, 2026 → 两千零二十六,
/// 10500 → 一万零五百. Digits only (no sign), at most 16 of them.
std::string chineseQuantity(std::string_view digits);
/// Digit by digit, zero as 〇: 2026 → 二〇二六.
std::string chineseDigits(std::string_view digits);

/// A commitment read aloud, before speakableText(): title, status, deadline
/// or time limit, responsible department, the latest report.
std::string readoutText(const DetailData& detail, Lang lang);
/// The figures read aloud: each rate and count with its name, overall and
/// by service area.
std::string readoutText(const FiguresData& figures, Lang lang);

}  // namespace shouxin::kiosk
