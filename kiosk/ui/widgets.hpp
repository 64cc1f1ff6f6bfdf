#pragma once
// Drawing pieces the views share: touch buttons, status badges, bars, list
// rows, and text formatting from the catalogue. They make ImGui calls only.
#include <imgui.h>

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/ui/model.hpp"
#include "kiosk/ui/theme.hpp"
#include "shared/i18n.hpp"

namespace shouxin::kiosk {

// ---- Text -------------------------------------------------------------------

// format() (i18n.hpp), percentText() (figures.hpp) and deadlineText()
// (public_record.hpp) are shared with the district's web pages.

/// "期限 2026-11-17 · 还剩 3 天" / "Due 2026-11-17 · 3 days left", or "无期限" /
/// "No deadline": the deadline as one line of a list.
std::string deadlineLine(const std::optional<Date>& deadline, const std::optional<int>& daysLeft, Badge badge,
                         Lang lang);
/// Local date and time of Unix milliseconds, "2026-11-29 14:02".
std::string localDateTime(std::int64_t unixMillis);
/// Width of `text` in `font`.
float textWidth(ImFont* font, std::string_view text);
/// Breaks `text` into lines no wider than `width`: between any two Chinese
/// characters or at spaces (ImGui only breaks at spaces), keeping closing
/// punctuation off the start of a line.
std::vector<std::string_view> wrapLines(ImFont* font, std::string_view text, float width);
/// Draws wrapped text at `pos`; returns its height.
float drawWrapped(ImDrawList* list, ImFont* font, ImVec2 pos, ImU32 colour, std::string_view text,
                  float width);
/// Wrapped text at the cursor, as an ImGui item.
void textWrapped(ImFont* font, ImU32 colour, std::string_view text);

// ---- Widgets ----------------------------------------------------------------

/// A touch button of at least the mode's touch height; `selected` fills it
/// with the accent colour.
bool touchButton(const char* label, ImVec2 size, bool selected, const Palette& p, ImFont* font = nullptr);
/// Width a touchButton needs for `label` (text before "##").
float touchButtonWidth(const char* label, ImFont* font);

/// A multiline text field that wraps its text at the field's width, as
/// wrapLines() does (ImGui 1.86 only breaks lines at typed newlines): what it
/// shows carries invisible "\r\n" soft breaks, which never reach `value`.
/// It grows with its text from `minLines` up to `maxLines`.
struct WrappedField {
    std::string shown;
};
bool wrappedInput(const char* id, std::string* value, WrappedField& field, float minLines,
                  float maxLines = 8.0f);
/// `text` with a "\r\n" before every line wrapLines() starts within a
/// paragraph; removing every "\r\n" gives `text` back.
std::string softWrap(ImFont* font, std::string_view text, float width);
/// `shown` without its soft breaks.
std::string withoutSoftBreaks(std::string_view shown);

/// Common phrases as touch buttons flowing into lines (where no keyboard is
/// attached): a tapped one joins `text` after a separator. Each is probed
/// as `probePrefix` + its index. True when `text` changed.
bool phraseButtons(const std::vector<std::string>& ids, Lang lang, std::string& text,
                   const std::string& probePrefix, const Palette& p, float touch, float gap);

/// Keys of `labels` in rows of `columns`, each `keySize`, probed and named
/// `idPrefix` + the key's name (`names`, as many as `labels`); returns the
/// index tapped, or -1.
int keypad(const std::vector<std::string>& labels, const std::vector<std::string>& names, int columns,
           ImVec2 keySize, float gap, const std::string& idPrefix, const Palette& p, ImFont* font);

/// "认定 2026-11-02 · 异议截止 2026-11-17 · 整改期限 2026-12-02".
std::string breachDatesText(const Store::BreachRecord& record, Lang lang);
/// Who took a step: "区县" / "办事处 (li)" from an actor ("district:…", "clerk:li").
std::string actorText(std::string_view actor, Lang lang);
/// A breach record's steps, oldest first: date, step, who, and its note.
void drawBreachSteps(const Store::BreachRecord& record, Lang lang, const Palette& p);

/// A status pill (colour and text) at `pos`; returns its size.
ImVec2 drawBadge(ImDrawList* list, ImVec2 pos, Badge badge, Lang lang, const Palette& p, ImFont* font);
ImVec2 badgeSize(Badge badge, Lang lang, ImFont* font);

/// A horizontal bar made of the status counts, in badge colours.
void drawStatusBar(ImDrawList* list, ImVec2 min, ImVec2 max, const Figures& f, const Palette& p);

/// A list row of `height` filling the available width; true when tapped.
bool commitmentRow(const Row& row, Lang lang, const Palette& p, float height, bool showArea);
float commitmentRowHeight(bool largeText);
/// The height `row` needs at `width`: the list height, or more when its
/// lines wrap (a narrow preview).
float commitmentRowHeight(const Row& row, Lang lang, float width, bool largeText, bool showArea);

/// Lets a finger drag the current scrolling window (touchscreens send a
/// dragged mouse, which ImGui does not scroll by itself).
void touchScroll();

/// Notes the centre of the last item under `name`, so that a test can tap
/// it (--probe-file); the app collects and clears them after each frame.
void probe(const std::string& name);
std::map<std::string, ImVec2>& probedPositions();

/// A full-width section heading.
void heading(std::string_view text, const Palette& p);
/// One line of text at the cursor, as an ImGui item (the font pushed, or
/// `font`); `colour` 0 means the style's text colour.
void text(std::string_view text, ImU32 colour = 0, ImFont* font = nullptr);
/// Text drawn straight into `list` at `pos` (one line).
void drawText(ImDrawList* list, ImFont* font, ImVec2 pos, ImU32 colour, std::string_view text);

// ---- Layout report (--layout-report) ----------------------------------------

/// What the text helpers above drew, and where, for the layout test: every
/// text with the box it must stay in (the clip rect it was drawn under, or
/// a button's inside), and every touch target. Off unless the harness asks.
struct LayoutRecord {
    enum class Kind { text, target };
    Kind kind = Kind::text;
    std::string label;
    ImVec2 min;
    ImVec2 max;
    ImVec2 boxMin;  // text: where it must fit
    ImVec2 boxMax;
    ImU32 colour = 0;  // text: its colour
    bool cut = false;  // text: does not fit its box
};
void setLayoutRecording(bool on);
std::vector<LayoutRecord>& layoutRecords();
/// Notes text drawn at [min, max] under the current clip rect of `list`.
void recordText(ImDrawList* list, std::string_view text, ImVec2 min, ImVec2 max, ImU32 colour);
/// Notes the last item as a touch target named `name`.
void recordTarget(std::string_view name);

}  // namespace shouxin::kiosk
