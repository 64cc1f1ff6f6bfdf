#include "kiosk/ui/widgets.hpp"

#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <ctime>

#include "kiosk/ui/fonts.hpp"
#include "shared/text.hpp"

namespace shouxin::kiosk {

namespace {

const char* end(std::string_view s) { return s.data() + s.size(); }

bool g_recording = false;  // UI thread only

/// The visible part of a label ("保存##save" -> "保存").
std::string_view visibleLabel(const char* label) {
    return std::string_view(label, static_cast<std::size_t>(ImGui::FindRenderedTextEnd(label) - label));
}

void recordTextIn(std::string_view text, ImVec2 min, ImVec2 max, ImU32 colour, ImVec2 boxMin, ImVec2 boxMax) {
    if (!g_recording || text.empty()) return;
    const ImGuiWindow* window = ImGui::GetCurrentWindow();
    const ImRect clip = window->ClipRect;
    // Scrolled out of its window altogether: nothing of it is cut.
    if (max.y <= clip.Min.y || min.y >= clip.Max.y) return;
    constexpr float kSlack = 0.5f;
    bool cut = min.x < boxMin.x - kSlack || max.x > boxMax.x + kSlack;
    // Text cut by the edge of a window that scrolls is only scrolled away;
    // cut by any other box (a card, a row, a bar) it is lost.
    const bool scrolls = window->ScrollMax.y > 0.0f;
    if (min.y < boxMin.y - kSlack && !(scrolls && std::abs(boxMin.y - clip.Min.y) <= kSlack)) cut = true;
    if (max.y > boxMax.y + kSlack && !(scrolls && std::abs(boxMax.y - clip.Max.y) <= kSlack)) cut = true;
    LayoutRecord r;
    r.kind = LayoutRecord::Kind::text;
    r.label = std::string(text);
    r.min = min;
    r.max = max;
    r.boxMin = boxMin;
    r.boxMax = boxMax;
    r.colour = colour;
    r.cut = cut;
    layoutRecords().push_back(std::move(r));
}

}  // namespace

void setLayoutRecording(bool on) {
    g_recording = on;
    layoutRecords().clear();
}

std::vector<LayoutRecord>& layoutRecords() {
    static std::vector<LayoutRecord> records;  // UI thread only
    return records;
}

void recordText(ImDrawList* list, std::string_view text, ImVec2 min, ImVec2 max, ImU32 colour) {
    if (!g_recording) return;
    recordTextIn(text, min, max, colour, list->GetClipRectMin(), list->GetClipRectMax());
}

void recordTarget(std::string_view name) {
    if (!g_recording || !ImGui::IsItemVisible()) return;
    LayoutRecord r;
    r.kind = LayoutRecord::Kind::target;
    r.label = std::string(name);
    r.min = ImGui::GetItemRectMin();
    r.max = ImGui::GetItemRectMax();
    layoutRecords().push_back(std::move(r));
}

void drawText(ImDrawList* list, ImFont* font, ImVec2 pos, ImU32 colour, std::string_view text) {
    list->AddText(font, font->FontSize, pos, colour, text.data(), end(text));
    recordText(list, text, pos, ImVec2(pos.x + textWidth(font, text), pos.y + font->FontSize), colour);
}

void text(std::string_view t, ImU32 colour, ImFont* font) {
    if (font) ImGui::PushFont(font);
    if (colour != 0) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colour));
    ImGui::TextUnformatted(t.data(), end(t));
    recordText(ImGui::GetWindowDrawList(), t, ImGui::GetItemRectMin(), ImGui::GetItemRectMax(),
               ImGui::GetColorU32(ImGuiCol_Text));
    if (colour != 0) ImGui::PopStyleColor();
    if (font) ImGui::PopFont();
}

std::string deadlineLine(const std::optional<Date>& deadline, const std::optional<int>& daysLeft, Badge badge,
                         Lang lang) {
    if (!deadline) return std::string(tr("kiosk.deadline.no_deadline", lang));
    return std::string(tr("kiosk.label.deadline", lang)) + " " +
           deadlineText(deadline, daysLeft, badge, lang);
}

std::string localDateTime(std::int64_t unixMillis) {
    return formatTime(unixMillis, "%Y-%m-%d %H:%M", Clock::local);
}

float textWidth(ImFont* font, std::string_view text) {
    return font->CalcTextSizeA(font->FontSize, 1e9f, 0.0f, text.data(), end(text)).x;
}

namespace {

bool isCjk(char32_t cp) { return cp >= 0x2E80; }

bool noLineStart(char32_t cp) {
    constexpr std::u32string_view kClosing = U"，。、；：？！）》」』”’】%,.;:!?)";
    return kClosing.find(cp) != std::u32string_view::npos;
}

// Decodes one UTF-8 character at `i`; advances `i`.
char32_t nextChar(std::string_view text, std::size_t& i) {
    unsigned int c = 0;
    const char* start = text.data() + i;
    const int n = ImTextCharFromUtf8(&c, start, text.data() + text.size());
    i += static_cast<std::size_t>(n > 0 ? n : 1);
    return static_cast<char32_t>(c);
}

}  // namespace

std::vector<std::string_view> wrapLines(ImFont* font, std::string_view text, float width) {
    std::vector<std::string_view> lines;
    const float scale = 1.0f;
    std::size_t lineStart = 0;
    std::size_t lastBreak = std::string_view::npos;  // a position where a new line may start
    float lineWidth = 0.0f;
    float widthAtBreak = 0.0f;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t at = i;
        const char32_t cp = nextChar(text, i);
        if (cp == '\n') {
            lines.push_back(text.substr(lineStart, at - lineStart));
            lineStart = i;
            lastBreak = std::string_view::npos;
            lineWidth = 0.0f;
            continue;
        }
        if (at > lineStart && !noLineStart(cp) && (isCjk(cp) || text[at - 1] == ' ')) {
            lastBreak = at;
            widthAtBreak = lineWidth;
        }
        const float advance = font->GetCharAdvance(static_cast<ImWchar>(cp)) * scale;
        if (lineWidth + advance > width && at > lineStart) {
            const std::size_t cut = lastBreak != std::string_view::npos ? lastBreak : at;
            std::string_view line = text.substr(lineStart, cut - lineStart);
            while (!line.empty() && line.back() == ' ')
                line.remove_suffix(1);
            lines.push_back(line);
            lineWidth = cut == at ? 0.0f : lineWidth - widthAtBreak;
            lineStart = cut;
            while (lineStart < text.size() && text[lineStart] == ' ')
                ++lineStart;
            lastBreak = std::string_view::npos;
        }
        lineWidth += advance;
    }
    if (lineStart < text.size()) lines.push_back(text.substr(lineStart));
    return lines;
}

float drawWrapped(ImDrawList* list, ImFont* font, ImVec2 pos, ImU32 colour, std::string_view text,
                  float width) {
    const float lineH = font->FontSize * 1.25f;
    float y = pos.y;
    for (const std::string_view line : wrapLines(font, text, width)) {
        drawText(list, font, ImVec2(pos.x, y), colour, line);
        y += lineH;
    }
    return y - pos.y;
}

void textWrapped(ImFont* font, ImU32 colour, std::string_view text) {
    const float width = std::max(50.0f, ImGui::GetContentRegionAvail().x);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const float lineH = font->FontSize * 1.25f;
    const float h = static_cast<float>(wrapLines(font, text, width).size()) * lineH;
    drawWrapped(ImGui::GetWindowDrawList(), font, pos, colour, text, width);
    ImGui::Dummy(ImVec2(width, h));
}

float touchButtonWidth(const char* label, ImFont* font) {
    ImFont* f = font ? font : fonts().body;
    const char* stop = ImGui::FindRenderedTextEnd(label);
    return f->CalcTextSizeA(f->FontSize, 1e9f, 0.0f, label, stop).x + ImGui::GetStyle().FramePadding.x * 2.0f;
}

bool touchButton(const char* label, ImVec2 size, bool selected, const Palette& p, ImFont* font) {
    ImFont* f = font ? font : fonts().body;
    ImGui::PushFont(f);
    if (selected) {
        ImGui::PushStyleColor(ImGuiCol_Button, ImGui::ColorConvertU32ToFloat4(p.toggleOn));
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImGui::ColorConvertU32ToFloat4(p.toggleOn));
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(p.onToggle));
    }
    if (size.x <= 0) size.x = touchButtonWidth(label, f);
    const bool clicked = ImGui::Button(label, size);
    if (g_recording) {
        // ImGui centres the label inside the frame padding and clips it there.
        const ImVec2 pad = ImGui::GetStyle().FramePadding;
        const ImVec2 min = ImGui::GetItemRectMin();
        const ImVec2 max = ImGui::GetItemRectMax();
        const std::string_view shown = visibleLabel(label);
        const ImVec2 textSize(textWidth(f, shown), f->FontSize);
        const ImVec2 at(min.x + (max.x - min.x - textSize.x) * 0.5f,
                        min.y + (max.y - min.y - textSize.y) * 0.5f);
        recordTextIn(shown, at, ImVec2(at.x + textSize.x, at.y + textSize.y),
                     ImGui::GetColorU32(ImGuiCol_Text), ImVec2(min.x + pad.x, min.y + pad.y),
                     ImVec2(max.x - pad.x, max.y - pad.y));
        recordTarget(shown);
    }
    if (selected) ImGui::PopStyleColor(3);
    ImGui::PopFont();
    return clicked;
}

std::string softWrap(ImFont* font, std::string_view text, float width) {
    std::string out;
    std::size_t copied = 0;
    bool first = true;
    for (const std::string_view line : wrapLines(font, text, width)) {
        const auto at = static_cast<std::size_t>(line.data() - text.data());
        if (!first && at > 0 && text[at - 1] != '\n' && at > copied) {
            out.append(text.substr(copied, at - copied));
            out += "\r\n";
            copied = at;
        }
        first = false;
    }
    out.append(text.substr(copied));
    return out;
}

std::string withoutSoftBreaks(std::string_view shown) {
    std::string out;
    out.reserve(shown.size());
    for (std::size_t i = 0; i < shown.size(); ++i) {
        if (shown[i] == '\r' && i + 1 < shown.size() && shown[i + 1] == '\n') {
            ++i;
            continue;
        }
        out += shown[i];
    }
    return out;
}

namespace {

struct WrapContext {
    ImFont* font;
    float width;
};

// Soft breaks before `at` in `shown` (a cursor inside one counts it).
int softBreaksBefore(std::string_view shown, int at) {
    int n = 0;
    for (int i = 0; i + 1 < static_cast<int>(shown.size()) && i < at; ++i)
        if (shown[static_cast<std::size_t>(i)] == '\r' && shown[static_cast<std::size_t>(i) + 1] == '\n') ++n;
    return n;
}

// Re-wraps the text being edited, keeping the cursor after the same character.
int rewrap(ImGuiInputTextCallbackData* data) {
    const auto* ctx = static_cast<const WrapContext*>(data->UserData);
    const std::string_view shown(data->Buf, static_cast<std::size_t>(data->BufTextLen));
    const std::string plain = withoutSoftBreaks(shown);
    const std::string wrapped = softWrap(ctx->font, plain, ctx->width);
    if (wrapped == shown) return 0;
    const int cursor = data->CursorPos - 2 * softBreaksBefore(shown, data->CursorPos);
    // The same character offset in the new text: step over soft breaks.
    int pos = 0;
    for (int seen = 0; pos < static_cast<int>(wrapped.size()) && seen < cursor; ++pos) {
        if (wrapped[static_cast<std::size_t>(pos)] == '\r' && pos + 1 < static_cast<int>(wrapped.size()) &&
            wrapped[static_cast<std::size_t>(pos) + 1] == '\n') {
            ++pos;
            continue;
        }
        ++seen;
    }
    data->DeleteChars(0, data->BufTextLen);
    data->InsertChars(0, wrapped.data(), wrapped.data() + wrapped.size());
    data->CursorPos = data->SelectionStart = data->SelectionEnd = pos;
    return 0;
}

}  // namespace

bool wrappedInput(const char* id, std::string* value, WrappedField& field, float minLines, float maxLines) {
    ImFont* font = ImGui::GetFont();
    const ImGuiStyle& style = ImGui::GetStyle();
    const float width = ImGui::GetContentRegionAvail().x;
    WrapContext ctx{font, width - style.FramePadding.x * 2.0f - style.ScrollbarSize};
    const bool active = ImGui::GetActiveID() == ImGui::GetID(id);
    // Not being typed in: what it shows follows the value (and the width).
    if (!active) field.shown = softWrap(font, *value, ctx.width);
    const float lines = static_cast<float>(wrapLines(font, *value, ctx.width).size()) + 1.0f;
    const float height = std::clamp(lines, minLines, maxLines) * font->FontSize + style.FramePadding.y * 2.0f;
    const bool changed = ImGui::InputTextMultiline(id, &field.shown, ImVec2(-1.0f, height),
                                                   ImGuiInputTextFlags_CallbackAlways, rewrap, &ctx);
    if (!changed) return false;
    *value = withoutSoftBreaks(field.shown);
    return true;
}

ImVec2 badgeSize(Badge badge, Lang lang, ImFont* font) {
    const std::string_view text = tr(badgeMessageId(badge), lang);
    const float padX = font->FontSize * 0.6f;
    const float padY = font->FontSize * 0.25f;
    return ImVec2(textWidth(font, text) + padX * 2, font->FontSize + padY * 2);
}

ImVec2 drawBadge(ImDrawList* list, ImVec2 pos, Badge badge, Lang lang, const Palette& p, ImFont* font) {
    const std::string_view text = tr(badgeMessageId(badge), lang);
    const ImVec2 size = badgeSize(badge, lang, font);
    const ImVec2 max(pos.x + size.x, pos.y + size.y);
    list->AddRectFilled(pos, max, badgeColour(p, badge), size.y * 0.5f);
    const float padX = font->FontSize * 0.6f;
    const float padY = font->FontSize * 0.25f;
    drawText(list, font, ImVec2(pos.x + padX, pos.y + padY), badgeTextColour(p, badge), text);
    return size;
}

void drawStatusBar(ImDrawList* list, ImVec2 min, ImVec2 max, const Figures& f, const Palette& p) {
    const float radius = (max.y - min.y) * 0.5f;
    list->AddRectFilled(min, max, p.barTrack, radius);
    if (f.total == 0) return;
    // Overdue is carved out of not started / in progress so it shows.
    struct Part {
        Badge badge;
        int count;
    };
    const int overdueOpen = f.overdue;
    int notStarted = f.count(Status::notStarted);
    int inProgress = f.count(Status::inProgress);
    int carve = overdueOpen;
    const int fromNotStarted = std::min(carve, notStarted);
    notStarted -= fromNotStarted;
    carve -= fromNotStarted;
    inProgress -= std::min(carve, inProgress);
    const Part parts[] = {
        {Badge::fulfilled, f.count(Status::fulfilled)},
        {Badge::rectified, f.count(Status::rectified)},
        {Badge::inProgress, inProgress},
        {Badge::notStarted, notStarted},
        {Badge::amended, f.count(Status::amended)},
        {Badge::overdue, overdueOpen},
        {Badge::broken, f.count(Status::broken)},
    };
    const float width = max.x - min.x;
    float x = min.x;
    list->PushClipRect(min, max, true);
    for (const Part& part : parts) {
        if (part.count <= 0) continue;
        const float w = width * static_cast<float>(part.count) / static_cast<float>(f.total);
        list->AddRectFilled(ImVec2(x, min.y), ImVec2(x + w, max.y), badgeColour(p, part.badge));
        x += w;
    }
    list->PopClipRect();
}

float commitmentRowHeight(bool largeText) { return largeText ? 140.0f : 112.0f; }

namespace {

constexpr float kRowLeft = 30.0f;   // text starts after the status stripe
constexpr float kRowRight = 20.0f;  // badge to the row's right edge
constexpr float kRowBadgeGap = 20.0f;

std::string rowSecondLine(const Row& row, Lang lang, bool showArea) {
    std::string second = row.department;
    if (showArea) second = std::string(tr(messageIdOf(row.category), lang)) + " · " + second;
    return second + "   " + deadlineLine(row.deadline, row.daysLeft, row.badge, lang);
}

float rowTextWidth(const Row& row, Lang lang, float width) {
    return width - kRowLeft - kRowRight - kRowBadgeGap - badgeSize(row.badge, lang, fonts().body).x;
}

}  // namespace

float commitmentRowHeight(const Row& row, Lang lang, float width, bool largeText, bool showArea) {
    // A narrow row (the publish preview) wraps its lines and grows.
    const Fonts& f = fonts();
    const float textW = rowTextWidth(row, lang, width);
    const float title =
        static_cast<float>(wrapLines(f.heading, row.title, textW).size()) * f.heading->FontSize * 1.25f;
    const float second =
        static_cast<float>(wrapLines(f.body, rowSecondLine(row, lang, showArea), textW).size()) *
        f.body->FontSize * 1.25f;
    return std::max(commitmentRowHeight(largeText), title + second + 36.0f + ImGui::GetStyle().ItemSpacing.y);
}

bool commitmentRow(const Row& row, Lang lang, const Palette& p, float height, bool showArea) {
    const Fonts& f = fonts();
    ImGui::PushID(row.id.c_str());
    const ImVec2 min = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x;
    // The row plus the item spacing below it is exactly `height`, as the
    // list clipper expects.
    const float drawn = height - ImGui::GetStyle().ItemSpacing.y;
    const bool clicked = ImGui::InvisibleButton("##row", ImVec2(width, drawn));
    recordTarget("row " + row.id);
    const bool hovered = ImGui::IsItemHovered();
    const ImVec2 max(min.x + width, min.y + drawn);
    ImDrawList* list = ImGui::GetWindowDrawList();
    list->AddRectFilled(min, max, hovered ? p.surfaceHover : p.surface, 10.0f);
    list->AddRect(min, max, p.border, 10.0f, 0, 1.5f);
    list->AddRectFilled(min, ImVec2(min.x + 10.0f, max.y), badgeColour(p, row.badge), 10.0f,
                        ImDrawFlags_RoundCornersLeft);

    // Badge on the right, vertically centred.
    const ImVec2 bsize = badgeSize(row.badge, lang, f.body);
    const float right = max.x - kRowRight;
    const ImVec2 bpos(right - bsize.x, min.y + (max.y - min.y - bsize.y) * 0.5f);
    drawBadge(list, bpos, row.badge, lang, p, f.body);

    // Title and second line, each wrapped to the room left of the badge.
    const float left = min.x + kRowLeft;
    const float textW = rowTextWidth(row, lang, width);
    const std::string second = rowSecondLine(row, lang, showArea);
    const float titleH =
        static_cast<float>(wrapLines(f.heading, row.title, textW).size()) * f.heading->FontSize * 1.25f;
    const float secondH =
        static_cast<float>(wrapLines(f.body, second, textW).size()) * f.body->FontSize * 1.25f;
    const float lineGap = std::max(0.0f, (max.y - min.y - titleH - secondH) / 3.0f);
    list->PushClipRect(ImVec2(left, min.y), ImVec2(left + textW, max.y), true);
    drawWrapped(list, f.heading, ImVec2(left, min.y + lineGap), p.text, row.title, textW);
    drawWrapped(list, f.body, ImVec2(left, min.y + lineGap * 2 + titleH), p.mutedText, second, textW);
    list->PopClipRect();
    ImGui::PopID();
    return clicked;
}

void touchScroll() {
    const ImGuiIO& io = ImGui::GetIO();
    if (ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows |
                               ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) &&
        ImGui::IsMouseDragging(ImGuiMouseButton_Left, 12.0f)) {
        ImGui::SetScrollY(ImGui::GetScrollY() - io.MouseDelta.y);
    }
}

std::map<std::string, ImVec2>& probedPositions() {
    static std::map<std::string, ImVec2> positions;  // UI thread only
    return positions;
}

void probe(const std::string& name) {
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    // Only what can be tapped: inside the window it was drawn in.
    if (!ImGui::IsItemVisible()) return;
    recordTarget(name);
    probedPositions()[name] = ImVec2((min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f);
}

void heading(std::string_view t, const Palette& p) { text(t, p.text, fonts().heading); }

bool phraseButtons(const std::vector<std::string>& ids, Lang lang, std::string& text,
                   const std::string& probePrefix, const Palette& p, float touch, float gap) {
    const float avail = ImGui::GetContentRegionAvail().x;
    float x = 0.0f;
    bool changed = false;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const std::string phrase(tr(ids[i], lang));
        const std::string name = probePrefix + std::to_string(i);
        const std::string label = phrase + "##" + name;
        const float w = touchButtonWidth(label.c_str(), nullptr);
        if (x > 0.0f && x + w > avail)
            x = 0.0f;
        else if (x > 0.0f)
            ImGui::SameLine(0.0f, gap);
        if (touchButton(label.c_str(), ImVec2(w, touch), false, p)) {
            if (!text.empty() && text.back() != '\n') text += lang == Lang::zh ? "；" : "; ";
            text += phrase;
            changed = true;
        }
        probe(name);
        x += w + gap;
    }
    return changed;
}

int keypad(const std::vector<std::string>& labels, const std::vector<std::string>& names, int columns,
           ImVec2 keySize, float gap, const std::string& idPrefix, const Palette& p, ImFont* font) {
    int tapped = -1;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i % static_cast<std::size_t>(columns) != 0) ImGui::SameLine(0.0f, gap);
        const std::string name = idPrefix + names[i];
        const std::string label = labels[i] + "##" + name;
        if (touchButton(label.c_str(), keySize, false, p, font)) tapped = static_cast<int>(i);
        probe(name);
    }
    return tapped;
}

std::string breachDatesText(const Store::BreachRecord& record, Lang lang) {
    return format("kiosk.breach.dates", lang,
                  {record.breach.confirmed.toString(), record.breach.objectBy.toString(),
                   record.breach.rectifyBy.toString()});
}

std::string actorText(std::string_view actor, Lang lang) {
    if (actor.starts_with("district:")) return std::string(tr("kiosk.breach.by_district", lang));
    if (actor.starts_with("clerk:"))
        return format("kiosk.breach.by_office", lang,
                      {std::string(actor.substr(std::string_view("clerk:").size()))});
    return std::string(actor);
}

void drawBreachSteps(const Store::BreachRecord& record, Lang lang, const Palette& p) {
    const Fonts& f = fonts();
    ImGui::Indent(24.0f);
    textWrapped(f.body, p.text,
                record.breach.confirmed.toString() + "  " + std::string(tr("breach.stage.confirmed", lang)) +
                    "  · " + actorText(record.actor, lang));
    for (const auto& s : record.steps) {
        textWrapped(f.body, p.text,
                    s.step.date.toString() + "  " + std::string(tr(messageIdOf(s.step.step), lang)) + "  · " +
                        actorText(s.actor, lang));
        if (!s.step.note.empty()) {
            ImGui::Indent(24.0f);
            textWrapped(f.small, p.mutedText, s.step.note);
            ImGui::Unindent(24.0f);
        }
    }
    ImGui::Unindent(24.0f);
}

}  // namespace shouxin::kiosk
