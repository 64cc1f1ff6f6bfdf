#include "kiosk/ui/widgets.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <ctime>

#include "kiosk/ui/fonts.hpp"

namespace shouxin::kiosk {

namespace {

const char* end(std::string_view s) { return s.data() + s.size(); }

}  // namespace

std::string format(std::string_view id, Lang lang, std::initializer_list<std::string> args) {
    std::string out(tr(id, lang));
    int index = 0;
    for (const std::string& arg : args) {
        const std::string key = "{" + std::to_string(index++) + "}";
        for (std::size_t at = out.find(key); at != std::string::npos; at = out.find(key, at + arg.size()))
            out.replace(at, key.size(), arg);
    }
    return out;
}

std::string percentText(std::optional<double> rate) {
    if (!rate) return "—";
    return std::to_string(static_cast<int>(*rate * 100.0 + 0.5)) + "%";
}

std::string deadlineText(const std::optional<Date>& deadline, const std::optional<int>& daysLeft, Badge badge,
                         Lang lang) {
    if (!deadline) return std::string(tr("kiosk.deadline.none", lang));
    std::string s = deadline->toString();
    if (!daysLeft) return s;
    if (badge == Badge::overdue)
        return s + " · " + format("kiosk.deadline.overdue_days", lang, {std::to_string(-*daysLeft)});
    if (badge == Badge::notStarted || badge == Badge::inProgress) {
        if (*daysLeft == 0) return s + " · " + std::string(tr("kiosk.deadline.today", lang));
        return s + " · " + format("kiosk.deadline.days_left", lang, {std::to_string(*daysLeft)});
    }
    return s;
}

std::string localDateTime(std::int64_t unixMillis) {
    const std::time_t t = static_cast<std::time_t>(unixMillis / 1000);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return buf;
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
        list->AddText(font, font->FontSize, ImVec2(pos.x, y), colour, line.data(), line.data() + line.size());
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
    if (selected) ImGui::PopStyleColor(3);
    ImGui::PopFont();
    return clicked;
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
    list->AddText(font, font->FontSize, ImVec2(pos.x + padX, pos.y + padY), badgeTextColour(p, badge),
                  text.data(), end(text));
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

bool commitmentRow(const Row& row, Lang lang, const Palette& p, float height, bool showArea) {
    const Fonts& f = fonts();
    ImGui::PushID(row.id.c_str());
    const ImVec2 min = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x;
    // The row plus the item spacing below it is exactly `height`, as the
    // list clipper expects.
    const float drawn = height - ImGui::GetStyle().ItemSpacing.y;
    const bool clicked = ImGui::InvisibleButton("##row", ImVec2(width, drawn));
    const bool hovered = ImGui::IsItemHovered();
    const ImVec2 max(min.x + width, min.y + drawn);
    ImDrawList* list = ImGui::GetWindowDrawList();
    list->AddRectFilled(min, max, hovered ? p.surfaceHover : p.surface, 10.0f);
    list->AddRect(min, max, p.border, 10.0f, 0, 1.5f);
    list->AddRectFilled(min, ImVec2(min.x + 10.0f, max.y), badgeColour(p, row.badge), 10.0f,
                        ImDrawFlags_RoundCornersLeft);

    // Badge on the right, vertically centred.
    const ImVec2 bsize = badgeSize(row.badge, lang, f.body);
    const float right = max.x - 20.0f;
    const ImVec2 bpos(right - bsize.x, min.y + (max.y - min.y - bsize.y) * 0.5f);
    drawBadge(list, bpos, row.badge, lang, p, f.body);

    const float left = min.x + 30.0f;
    const float textRight = bpos.x - 20.0f;
    const float lineGap = (max.y - min.y - f.heading->FontSize - f.body->FontSize) / 3.0f;
    list->PushClipRect(ImVec2(left, min.y), ImVec2(textRight, max.y), true);
    list->AddText(f.heading, f.heading->FontSize, ImVec2(left, min.y + lineGap), p.text, row.title.c_str());
    std::string second = row.department;
    if (showArea) second = std::string(tr(messageIdOf(row.category), lang)) + " · " + second;
    second += "   " + std::string(tr("kiosk.label.deadline", lang)) + " " +
              deadlineText(row.deadline, row.daysLeft, row.badge, lang);
    list->AddText(f.body, f.body->FontSize, ImVec2(left, min.y + lineGap * 2 + f.heading->FontSize),
                  p.mutedText, second.c_str());
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
    probedPositions()[name] = ImVec2((min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f);
}

void heading(std::string_view text, const Palette& p) {
    ImGui::PushFont(fonts().heading);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(p.text));
    ImGui::TextUnformatted(text.data(), end(text));
    ImGui::PopStyleColor();
    ImGui::PopFont();
}

}  // namespace shouxin::kiosk
