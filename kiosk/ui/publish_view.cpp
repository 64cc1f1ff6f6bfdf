// Publish a commitment (every DESIGN field, validated) or, for a
// supervisor, revise one's text with a reason; beside the form, how
// residents will see it.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <string>

#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/theme.hpp"
#include "kiosk/ui/views.hpp"
#include "kiosk/ui/widgets.hpp"

namespace shouxin::kiosk {

namespace {

void label(std::string_view text, const Palette& p) { textWrapped(fonts().body, p.mutedText, text); }

bool field(const char* id, std::string* value, Commands& commands) {
    ImGui::PushFont(fonts().body);
    ImGui::SetNextItemWidth(-1.0f);
    const bool changed = ImGui::InputText(id, value);
    ImGui::PopFont();
    if (changed) commands.push(TypedText{*value});
    return changed;
}

}  // namespace

void PublishView::draw(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    if (!state.session) return;
    const bool revise = state.nav.view == View::revise;
    if (revise) {
        if (!may(state.session, ClerkAction::revise)) return;
        if (state.detail.loading) {
            heading(tr("kiosk.loading", s.lang), p);
            return;
        }
        if (!state.detail.found) {
            heading(tr("kiosk.detail.not_found", s.lang), p);
            return;
        }
        if (m_for != state.detail.state.commitment.id) {
            m_for = state.detail.state.commitment.id;
            m_form = formOf(state.detail.state.commitment);
            m_error.clear();
        }
    } else if (m_for.empty()) {
        m_for = "new";
        m_form = CommitmentForm{};
        m_form.kind = Kind::timeLimit;
        m_error.clear();
    }
    const float width = ImGui::GetContentRegionAvail().x;
    const float previewW = std::min(520.0f * m.scale, width * 0.42f);
    ImGui::BeginChild("##publish_form", ImVec2(width - previewW - m.gap * 2, 0), false);
    drawForm(state, commands, revise);
    touchScroll();
    ImGui::EndChild();
    ImGui::SameLine(0.0f, m.gap * 2);
    ImGui::BeginChild("##publish_preview", ImVec2(previewW, 0), false);
    drawPreview(state);
    ImGui::EndChild();
}

void PublishView::drawForm(const AppState& state, Commands& commands, bool revise) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();
    if (revise) {
        textWrapped(f.small, p.mutedText, tr("kiosk.revise.hint", s.lang));
    } else {
        label(tr("kiosk.label.area", s.lang), p);
        ImGui::PushFont(f.body);
        ImGui::SetNextItemWidth(-1.0f);
        const std::string current(tr(messageIdOf(m_form.category), s.lang));
        if (ImGui::BeginCombo("##publish_area", current.c_str(), ImGuiComboFlags_HeightLarge)) {
            for (const Category c : kCategories) {
                const std::string name(tr(messageIdOf(c), s.lang));
                if (ImGui::Selectable(name.c_str(), c == m_form.category, 0, ImVec2(0, m.touch * 0.8f)))
                    m_form.category = c;
            }
            ImGui::EndCombo();
        }
        ImGui::PopFont();
        probe("publish_area");
        label(tr("kiosk.label.kind", s.lang), p);
        bool first = true;
        for (const Kind k : kKinds) {
            if (!first) ImGui::SameLine(0.0f, m.gap * 0.5f);
            first = false;
            const std::string l = std::string(tr(messageIdOf(k), s.lang)) + "##kind_" + std::string(idOf(k));
            if (touchButton(l.c_str(), ImVec2(0, m.touch), m_form.kind == k, p)) m_form.kind = k;
            probe("kind_" + std::string(idOf(k)));
        }
    }
    label(tr("kiosk.field.title", s.lang), p);
    field("##publish_title", &m_form.title, commands);
    probe("publish_title");
    label(tr("kiosk.field.detail", s.lang), p);
    ImGui::PushFont(f.body);
    if (wrappedInput("##publish_detail", &m_form.detail, m_detailField, 4.0f))
        commands.push(TypedText{m_form.detail});
    ImGui::PopFont();
    probe("publish_detail");
    label(tr("kiosk.field.department", s.lang), p);
    field("##publish_department", &m_form.department, commands);
    label(tr("kiosk.field.responsible", s.lang), p);
    field("##publish_responsible", &m_form.responsible, commands);
    label(tr("kiosk.field.deadline", s.lang), p);
    ImGui::PushFont(f.body);
    ImGui::SetNextItemWidth(240.0f * m.scale);
    ImGui::InputTextWithHint("##publish_deadline", "YYYY-MM-DD", &m_form.deadline);
    ImGui::PopFont();
    probe("publish_deadline");
    // Quick deadlines for a touchscreen.
    const Date today = state.home.today;
    for (const int days : {7, 30, 90, 180}) {
        ImGui::SameLine(0.0f, m.gap * 0.5f);
        const std::string l = format("kiosk.publish.in_days", s.lang, {std::to_string(days)}) + "##days_" +
                              std::to_string(days);
        if (touchButton(l.c_str(), ImVec2(0, 0), false, p)) m_form.deadline = today.plusDays(days).toString();
    }
    label(tr("kiosk.field.time_limit", s.lang), p);
    field("##publish_time_limit", &m_form.timeLimit, commands);
    if (revise) {
        label(tr("kiosk.field.reason", s.lang), p);
        ImGui::PushFont(f.body);
        if (wrappedInput("##revise_reason", &m_form.reason, m_reasonField, 3.0f))
            commands.push(TypedText{m_form.reason});
        ImGui::PopFont();
        probe("revise_reason");
    }
    ImGui::Dummy(ImVec2(0, 6.0f));
    if (!m_error.empty())
        textWrapped(f.body, badgeColour(p, Badge::broken), m_error);
    else if (state.notice.error && !state.notice.text.empty())
        textWrapped(f.body, badgeColour(p, Badge::broken), state.notice.text);
    const std::string save =
        std::string(tr(revise ? "kiosk.revise.save" : "kiosk.publish.save", s.lang)) + "##publish_save";
    if (touchButton(save.c_str(), ImVec2(360.0f * m.scale, m.touch * 1.2f), true, p, f.heading)) {
        if (revise) {
            const auto r = buildRevision(m_form, state.detail.state.commitment, today, state.session);
            if (r) {
                m_error.clear();
                commands.push(SubmitRevision{*r});
            } else {
                m_error = describeProblems(r.problems(), s.lang);
            }
        } else {
            const auto c = buildCommitment(m_form, state.office, today, state.session);
            if (c) {
                m_error.clear();
                commands.push(SubmitCommitment{*c});
            } else {
                m_error = describeProblems(c.problems(), s.lang);
            }
        }
    }
    probe("publish_save");
}

void PublishView::drawPreview(const AppState& state) {
    // The room inside the child, a scrollbar taken off.
    const float width = ImGui::GetContentRegionAvail().x;
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Fonts& f = fonts();
    const Date today = state.home.today;
    heading(tr("kiosk.publish.preview", s.lang), p);
    textWrapped(f.small, p.mutedText, tr("kiosk.publish.preview_hint", s.lang));
    ImGui::Dummy(ImVec2(0, 4.0f));
    const CommitmentState c = previewOf(m_form, state.office, today);
    Row row = rowOf(c, today);
    if (row.title.empty()) row.title = std::string(tr("kiosk.publish.untitled", s.lang));
    commitmentRow(row, s.lang, p, commitmentRowHeight(row, s.lang, width, s.largeText, true), true);
    // The detail card, as the detail view shows it.
    const ImVec2 min = ImGui::GetCursorScreenPos();
    ImDrawList* list = ImGui::GetWindowDrawList();
    const float pad = 18.0f;
    list->ChannelsSplit(2);
    list->ChannelsSetCurrent(1);
    ImGui::Indent(pad);
    ImGui::Dummy(ImVec2(0, pad * 0.5f));
    const ImVec2 bpos = ImGui::GetCursorScreenPos();
    const ImVec2 bsize = drawBadge(list, bpos, row.badge, s.lang, p, f.body);
    ImGui::Dummy(bsize);
    ImGui::PushTextWrapPos(min.x + width - pad);
    const float inner = width - pad * 2;
    auto wrappedAt = [&](ImFont* font, ImU32 colour, const std::string& text) {
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const float h = drawWrapped(list, font, at, colour, text, inner);
        ImGui::Dummy(ImVec2(inner, h));
    };
    wrappedAt(f.heading, p.text, row.title);
    if (!c.commitment.detail.empty()) wrappedAt(f.body, p.text, c.commitment.detail);
    std::string department = c.commitment.department;
    if (!c.commitment.responsible.empty()) department += " · " + c.commitment.responsible;
    wrappedAt(f.small, p.mutedText, std::string(tr("kiosk.label.department", s.lang)) + "  " + department);
    wrappedAt(f.small, p.mutedText, deadlineLine(row.deadline, row.daysLeft, row.badge, s.lang));
    if (!c.commitment.timeLimit.empty())
        wrappedAt(f.small, p.mutedText,
                  std::string(tr("kiosk.label.time_limit", s.lang)) + "  " + c.commitment.timeLimit);
    // A revision keeps the date the commitment was first published.
    const Date published = state.nav.view == View::revise ? state.detail.state.commitment.published : today;
    wrappedAt(f.small, p.mutedText,
              std::string(tr("kiosk.label.published", s.lang)) + "  " + published.toString());
    ImGui::PopTextWrapPos();
    ImGui::Unindent(pad);
    ImGui::Dummy(ImVec2(0, pad * 0.5f));
    const float bottom = ImGui::GetCursorScreenPos().y;
    list->ChannelsSetCurrent(0);
    list->AddRectFilled(min, ImVec2(min.x + width, bottom), p.surface, 14.0f);
    list->AddRect(min, ImVec2(min.x + width, bottom), p.border, 14.0f, 0, 1.5f);
    list->ChannelsMerge();
}

}  // namespace shouxin::kiosk
