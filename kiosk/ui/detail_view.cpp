#include <algorithm>
#include <string>

#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/speak_button.hpp"
#include "kiosk/ui/theme.hpp"
#include "kiosk/ui/views.hpp"
#include "kiosk/ui/widgets.hpp"
#include "shared/rules.hpp"

namespace shouxin::kiosk {

namespace {

void wrapped(ImFont* font, ImU32 colour, std::string_view text) { textWrapped(font, colour, text); }

// "修改理由：…" / "Reason for the change: …": Chinese takes the full-width colon.
std::string labelled(std::string_view labelId, Lang lang, const std::string& value) {
    return std::string(tr(labelId, lang)) + (lang == Lang::zh ? "：" : ": ") + value;
}

// "Label  value" on one line, the label muted.
void fact(std::string_view label, const std::string& value, const Palette& p) {
    const Fonts& f = fonts();
    ImGui::PushFont(f.body);
    text(label, p.mutedText);
    ImGui::SameLine(f.body->FontSize * 6.5f);
    ImGui::PopFont();
    textWrapped(f.body, p.text, value);
}

void progressBar(float fraction, float width, float height, ImU32 fill, const Palette& p) {
    const ImVec2 min = ImGui::GetCursorScreenPos();
    ImDrawList* list = ImGui::GetWindowDrawList();
    list->AddRectFilled(min, ImVec2(min.x + width, min.y + height), p.barTrack, height * 0.5f);
    if (fraction > 0.0f)
        list->AddRectFilled(
            min, ImVec2(min.x + std::max(height, width * std::min(fraction, 1.0f)), min.y + height), fill,
            height * 0.5f);
    ImGui::Dummy(ImVec2(width, height));
}

}  // namespace

void DetailView::draw(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const DetailData& d = state.detail;
    if (d.loading) {
        ImGui::Dummy(ImVec2(0, 40.0f));
        heading(tr("kiosk.loading", s.lang), p);
        return;
    }
    if (!d.found) {
        ImGui::Dummy(ImVec2(0, 40.0f));
        heading(tr("kiosk.detail.not_found", s.lang), p);
        return;
    }
    const float qrWidth = s.largeText ? 380.0f : 340.0f;
    const float gap = metrics(s.largeText).gap;
    ImGui::BeginChild("##detail_main", ImVec2(ImGui::GetContentRegionAvail().x - qrWidth - gap, 0), false);
    drawSpeakButton(state, commands, "detail_speak");
    drawFacts(state);
    drawClerkActions(state, commands);
    drawBreachActions(state, commands);
    drawTimeline(state);
    touchScroll();
    ImGui::EndChild();
    ImGui::SameLine(0.0f, gap);
    ImGui::BeginChild("##detail_qr", ImVec2(qrWidth, 0), false);
    // Its own width: less a scrollbar when the voice panel makes it scroll.
    // No QR code until the kiosk knows the district's site (enrolment).
    if (!state.detail.publicUrl.empty()) drawQrPanel(state, ImGui::GetContentRegionAvail().x);
    drawVoice(state, commands);
    touchScroll();
    ImGui::EndChild();
}

void DetailView::drawFacts(const AppState& state) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Fonts& f = fonts();
    const DetailData& d = state.detail;
    const Commitment& c = d.state.commitment;

    // Status first, in colour and words, then the title.
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const ImVec2 size = drawBadge(ImGui::GetWindowDrawList(), at, d.badge, s.lang, p, f.heading);
    ImGui::Dummy(size);
    ImGui::SameLine();
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + (size.y - f.body->FontSize) * 0.5f);
    text(deadlineText(c.deadline, d.daysLeft, d.badge, s.lang), 0, f.body);
    wrapped(f.title, p.text, c.title);
    ImGui::Dummy(ImVec2(0, 4.0f));
    wrapped(f.body, p.text, c.detail);
    ImGui::Dummy(ImVec2(0, 8.0f));

    fact(tr("kiosk.label.area", s.lang), std::string(tr(messageIdOf(c.category), s.lang)), p);
    fact(tr("kiosk.label.kind", s.lang), std::string(tr(messageIdOf(c.kind), s.lang)), p);
    std::string department = c.department;
    if (!c.responsible.empty()) department += " · " + c.responsible;
    fact(tr("kiosk.label.department", s.lang), department, p);
    fact(tr("kiosk.label.deadline", s.lang), deadlineText(c.deadline, d.daysLeft, d.badge, s.lang), p);
    if (!c.timeLimit.empty()) fact(tr("kiosk.label.time_limit", s.lang), c.timeLimit, p);
    fact(tr("kiosk.label.published", s.lang), c.published.toString(), p);
    if (d.state.status == Status::amended) {
        fact(tr("kiosk.label.amend_reason", s.lang), d.state.amendReason, p);
        fact(tr("kiosk.label.legal_basis", s.lang), d.state.amendLegalBasis, p);
    }
    {
        // Progress: label, percentage and a bar in the status colour.
        ImGui::PushFont(f.body);
        text(tr("kiosk.label.progress", s.lang), p.mutedText);
        ImGui::SameLine(f.body->FontSize * 6.5f);
        text(std::to_string(d.state.progress) + "%");
        ImGui::SameLine();
        ImGui::PopFont();
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + f.body->FontSize * 0.2f);
        progressBar(static_cast<float>(d.state.progress) / 100.0f,
                    std::max(100.0f, ImGui::GetContentRegionAvail().x - 20.0f), f.body->FontSize * 0.6f,
                    badgeColour(p, d.badge), p);
    }
    if (d.state.concurrentReport) {
        ImGui::Dummy(ImVec2(0, 4.0f));
        wrapped(f.body, badgeColour(p, Badge::amended), tr("kiosk.detail.concurrent", s.lang));
    }
    ImGui::Dummy(ImVec2(0, 12.0f));
}

void DetailView::drawClerkActions(const AppState& state, Commands& commands) {
    // Only with a clerk logged in; residents never see these.
    const auto actions = actionsFor(state.session);
    if (actions.empty()) return;
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const std::string& id = state.detail.state.commitment.id;
    const bool open = state.detail.state.status != Status::amended;
    bool first = true;
    auto button = [&](const char* text, const char* name, Command command) {
        if (!first) ImGui::SameLine(0.0f, m.gap);
        first = false;
        const std::string label = std::string(tr(text, s.lang)) + "##" + name;
        if (touchButton(label.c_str(), ImVec2(0, m.touch), true, p)) commands.push(std::move(command));
        probe(name);
    };
    if (open && may(state.session, ClerkAction::report))
        button("kiosk.action.report", "action_report", OpenReport{id, false});
    if (open && may(state.session, ClerkAction::revise))
        button("kiosk.action.revise", "action_revise", OpenRevise{id});
    if (open && may(state.session, ClerkAction::amend))
        button("kiosk.action.amend", "action_amend", OpenReport{id, true});
    ImGui::Dummy(ImVec2(0, 8.0f));
}

void DetailView::drawBreachActions(const AppState& state, Commands& commands) {
    // A supervisor's steps on a broken commitment's breach record; the
    // district's own (rulings, credit repair) never show at the kiosk.
    const DetailData& d = state.detail;
    const BreachActions actions = breachActions(state.session, d.state, d.breaches, state.home.today);
    if (!actions.confirm && actions.steps.empty()) return;
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    bool first = true;
    auto button = [&](const char* text, const char* name, BreachForm form) {
        if (!first) ImGui::SameLine(0.0f, m.gap);
        first = false;
        const std::string label = std::string(tr(text, s.lang)) + "##" + name;
        if (touchButton(label.c_str(), ImVec2(0, m.touch), m_breachForm == form, p)) {
            m_breachForm = m_breachForm == form ? BreachForm::none : form;
            m_breachNote.clear();
            m_breachNoteField = WrappedField{};
        }
        probe(name);
    };
    if (actions.confirm) button("kiosk.breach.confirm", "breach_confirm", BreachForm::confirm);
    for (const BreachStepKind k : actions.steps) {
        if (k == BreachStepKind::objected) button("kiosk.breach.object", "breach_object", BreachForm::object);
        if (k == BreachStepKind::rectified)
            button("kiosk.breach.rectify", "breach_rectify", BreachForm::rectify);
    }
    drawBreachForm(state, commands);
    ImGui::Dummy(ImVec2(0, 8.0f));
}

void DetailView::drawBreachForm(const AppState& state, Commands& commands) {
    if (m_breachForm == BreachForm::none) return;
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();
    const DetailData& d = state.detail;
    const Date today = state.home.today;
    const char* noteLabel = m_breachForm == BreachForm::confirm  ? "kiosk.breach.note_confirm"
                            : m_breachForm == BreachForm::object ? "kiosk.breach.note_object"
                                                                 : "kiosk.breach.note_rectify";
    text(tr(noteLabel, s.lang), p.text, f.heading);
    ImGui::PushFont(f.body);
    if (wrappedInput("##breach_note", &m_breachNote, m_breachNoteField, 2.4f))
        commands.push(TypedText{m_breachNote});
    ImGui::PopFont();
    probe("breach_note");
    if (m_breachForm == BreachForm::confirm) {
        // The rectification deadline in days from today, on buttons.
        text(format("kiosk.breach.rectify_by", s.lang, {today.plusDays(m_rectifyDays).toString()}), p.text,
             f.body);
        for (const int days : {15, 30, 60}) {
            if (days != 15) ImGui::SameLine(0.0f, m.gap * 0.5f);
            const std::string name = "breach_days_" + std::to_string(days);
            const std::string label =
                format("kiosk.breach.days", s.lang, {std::to_string(days)}) + "##" + name;
            if (touchButton(label.c_str(), ImVec2(0, m.touch), m_rectifyDays == days, p))
                m_rectifyDays = days;
            probe(name);
        }
        textWrapped(f.small, p.mutedText,
                    format("kiosk.breach.objection_window", s.lang, {std::to_string(rules::kObjectionDays)}));
    }
    if (state.notice.error && !state.notice.text.empty())
        textWrapped(f.body, badgeColour(p, Badge::broken), state.notice.text);
    const std::string save = std::string(tr("kiosk.breach.save", s.lang)) + "##breach_save";
    if (touchButton(save.c_str(), ImVec2(0, m.touch), true, p, f.heading)) {
        if (m_breachForm == BreachForm::confirm) {
            commands.push(
                SubmitBreach{draftBreach(d.state, m_breachNote, today.plusDays(m_rectifyDays), today)});
        } else if (const Store::BreachRecord* open = openBreach(d.breaches)) {
            const BreachStepKind kind =
                m_breachForm == BreachForm::object ? BreachStepKind::objected : BreachStepKind::rectified;
            commands.push(SubmitBreachStep{BreachStep{open->breach.id, kind, m_breachNote, today},
                                           d.state.commitment.id});
        }
    }
    probe("breach_save");
}

void DetailView::drawBreachHistory(const AppState& state) {
    const DetailData& d = state.detail;
    if (d.breaches.empty()) return;
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Fonts& f = fonts();
    heading(tr("kiosk.breach.heading", s.lang), p);
    for (const Store::BreachRecord& r : d.breaches) {
        text(tr(messageIdOf(r.stage), s.lang), badgeColour(p, Badge::broken), f.heading);
        textWrapped(f.small, p.mutedText, breachDatesText(r, s.lang));
        if (!r.breach.note.empty()) wrapped(f.body, p.text, r.breach.note);
        drawBreachSteps(r, s.lang, p);
        ImGui::Dummy(ImVec2(0, 6.0f));
    }
}

void DetailView::drawVoice(const AppState& state, Commands& commands) {
    // What a resident may say about the commitment: a rating (once a
    // session), a complaint, and its breach records when it has any.
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();
    const DetailData& d = state.detail;
    const std::string& id = d.state.commitment.id;
    const float w = ImGui::GetContentRegionAvail().x;
    ImGui::Dummy(ImVec2(0, 8.0f));
    if (state.session) {
        // A clerk neither rates nor complains as a resident.
        drawBreachesButton(state, commands, w);
        return;
    }
    textWrapped(f.heading, p.text, tr("kiosk.rate.heading", s.lang));
    const bool rated = state.rated.count(id) > 0;
    const float gap = 4.0f;
    const float key = (w - gap * 4) / 5.0f;
    for (int score = 1; score <= 5; ++score) {
        if (score > 1) ImGui::SameLine(0.0f, gap);
        const std::string name = "rate_" + std::to_string(score);
        const std::string label = std::to_string(score) + "##" + name;
        if (touchButton(label.c_str(), ImVec2(key, m.touch), false, p, f.heading))
            commands.push(Rate{Rating{id, "", score, state.home.today}});
        probe(name);
    }
    textWrapped(f.small, p.mutedText, tr("kiosk.rate.scale", s.lang));
    if (!state.residentNotice.text.empty())
        textWrapped(f.body, state.residentNotice.error ? badgeColour(p, Badge::broken) : p.text,
                    state.residentNotice.text);
    else if (rated)
        textWrapped(f.body, p.text, tr("kiosk.rate.thanks", s.lang));
    ImGui::Dummy(ImVec2(0, 8.0f));
    const std::string complain = std::string(tr("kiosk.complaint.open", s.lang)) + "##detail_complain";
    if (touchButton(complain.c_str(), ImVec2(w, m.touch), false, p, f.heading))
        commands.push(OpenComplaint{id});
    probe("detail_complain");
    drawBreachesButton(state, commands, w);
}

void DetailView::drawBreachesButton(const AppState& state, Commands& commands, float width) {
    const DetailData& d = state.detail;
    if (d.breaches.empty()) return;
    const Settings& s = state.settings;
    const std::string label =
        format("kiosk.breach.open_count", s.lang, {std::to_string(d.breaches.size())}) + "##detail_breaches";
    if (touchButton(label.c_str(), ImVec2(width, metrics(s.largeText).touch), false, palette(s.highContrast),
                    fonts().heading))
        commands.push(OpenBreaches{d.state.commitment.id});
    probe("detail_breaches");
}

void DetailView::drawRevisions(const AppState& state) {
    // The text before each revision stays public: the original first, then
    // every revision with its date and reason.
    const DetailData& d = state.detail;
    if (d.revisions.empty()) return;
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Fonts& f = fonts();
    heading(tr("kiosk.detail.revisions", s.lang), p);
    auto version = [&](const std::string& head, const std::string& title, const std::string& detail,
                       const std::string& reason) {
        text(head, 0, f.body);
        ImGui::Indent(24.0f);
        wrapped(f.body, p.text, title);
        if (!detail.empty()) wrapped(f.small, p.mutedText, detail);
        if (!reason.empty())
            wrapped(f.small, p.mutedText, labelled("kiosk.detail.revision_reason", s.lang, reason));
        ImGui::Unindent(24.0f);
        ImGui::Dummy(ImVec2(0, 4.0f));
    };
    for (auto it = d.revisions.rbegin(); it != d.revisions.rend(); ++it) {
        const CommitmentRevised& r = it->revision;
        version(format("kiosk.detail.revised_on", s.lang, {r.date.toString()}), r.title, r.detail, r.reason);
    }
    if (d.published)
        version(format("kiosk.detail.original", s.lang, {d.published->published.toString()}),
                d.published->title, d.published->detail, "");
    ImGui::Dummy(ImVec2(0, 8.0f));
}

void DetailView::drawTimeline(const AppState& state) {
    drawRevisions(state);
    drawBreachHistory(state);
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Fonts& f = fonts();
    const DetailData& d = state.detail;
    heading(tr("kiosk.detail.history", s.lang), p);
    if (d.history.empty()) {
        wrapped(f.body, p.mutedText, tr("kiosk.detail.no_history", s.lang));
        return;
    }
    ImDrawList* list = ImGui::GetWindowDrawList();
    const float lineX = ImGui::GetCursorScreenPos().x + 14.0f;
    const float indent = 44.0f;
    // Newest first: the current state is on top.
    for (auto it = d.history.rbegin(); it != d.history.rend(); ++it) {
        const FulfilmentRecord& r = *it;
        const Badge badge = badgeOf(r.report.status);
        const ImVec2 top = ImGui::GetCursorScreenPos();
        ImGui::Indent(indent);
        text(r.report.date.toString(), 0, f.heading);
        ImGui::SameLine();
        const ImVec2 bpos = ImGui::GetCursorScreenPos();
        const ImVec2 bsize = drawBadge(list, ImVec2(bpos.x, bpos.y + 2.0f), badge, s.lang, p, f.body);
        ImGui::Dummy(bsize);
        ImGui::SameLine();
        ImGui::PushFont(f.body);
        text(std::to_string(r.report.progress) + "%");
        if (r.concurrent) {
            ImGui::SameLine();
            text(tr("kiosk.detail.concurrent_report", s.lang), badgeColour(p, Badge::amended));
        }
        ImGui::PopFont();
        if (!r.report.note.empty()) wrapped(f.body, p.text, r.report.note);
        if (!r.report.reason.empty())
            wrapped(f.small, p.mutedText, labelled("kiosk.label.amend_reason", s.lang, r.report.reason));
        if (!r.report.legalBasis.empty())
            wrapped(f.small, p.mutedText, labelled("kiosk.label.legal_basis", s.lang, r.report.legalBasis));
        if (!r.report.evidence.empty()) {
            std::string ev;
            for (const auto& e : r.report.evidence)
                ev += (ev.empty() ? "" : " ") + e;
            wrapped(f.small, p.mutedText, labelled("kiosk.detail.evidence", s.lang, ev));
        }
        ImGui::Unindent(indent);
        const float bottom = ImGui::GetCursorScreenPos().y;
        // The timeline: a line down the left, a dot in the status colour.
        list->AddLine(ImVec2(lineX, top.y), ImVec2(lineX, bottom), p.border, 4.0f);
        list->AddCircleFilled(ImVec2(lineX, top.y + f.heading->FontSize * 0.55f), 11.0f,
                              badgeColour(p, badge));
        ImGui::Dummy(ImVec2(0, 6.0f));
    }
}

void DetailView::drawQrPanel(const AppState& state, float width) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Fonts& f = fonts();
    const DetailData& d = state.detail;
    if (m_qrFor != d.publicUrl) {
        m_qrFor = d.publicUrl;
        m_qr = encodeQr(d.publicUrl);
    }
    const ImVec2 min = ImGui::GetCursorScreenPos();
    ImDrawList* list = ImGui::GetWindowDrawList();
    const float pad = 16.0f;
    const float side = width - pad * 2;
    const std::string caption(tr("kiosk.detail.qr_caption", s.lang));
    const float captionH =
        static_cast<float>(wrapLines(f.body, caption, side).size()) * f.body->FontSize * 1.25f;
    const float urlH =
        static_cast<float>(wrapLines(f.small, d.publicUrl, side).size()) * f.small->FontSize * 1.25f;
    const float height = side + captionH + urlH + pad * 4;
    list->AddRectFilled(min, ImVec2(min.x + width, min.y + height), p.surface, 14.0f);
    list->AddRect(min, ImVec2(min.x + width, min.y + height), p.border, 14.0f, 0, 1.5f);
    if (m_qr) drawQr(list, ImVec2(min.x + pad, min.y + pad), side, *m_qr);
    float y = min.y + pad * 2 + side;
    y += drawWrapped(list, f.body, ImVec2(min.x + pad, y), p.text, caption, side) + pad * 0.5f;
    drawWrapped(list, f.small, ImVec2(min.x + pad, y), p.mutedText, d.publicUrl, side);
    ImGui::Dummy(ImVec2(width, height));
}

}  // namespace shouxin::kiosk
