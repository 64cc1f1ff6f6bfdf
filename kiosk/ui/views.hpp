#pragma once
// The kiosk's screens. Each is a struct with its view-local state and a
// draw(const AppState&, Commands&) that only makes ImGui calls; anything
// that changes state is pushed as a command (see app_state.hpp).
#include <optional>
#include <string>

#include "kiosk/ui/app_state.hpp"
#include "kiosk/ui/qr.hpp"
#include "kiosk/ui/voice.hpp"
#include "kiosk/ui/widgets.hpp"

namespace shouxin::kiosk {

/// The top bar (office, screen title, language / large text / contrast
/// toggles), the bottom bar (back, home, figures, search, data status) and
/// the idle countdown. Present on every screen.
struct Chrome {
    void drawTop(const AppState& state, Commands& commands);
    void drawBottom(const AppState& state, Commands& commands);
    void drawIdleNotice(const AppState& state);
    /// Clerk mode only: who is logged in, the clerk's tools, sync, logout.
    void drawClerkBar(const AppState& state, Commands& commands);
};
float clerkBarHeight(bool largeText);

/// Instead of every other screen while the node file is healed from the
/// district: large text, Chinese first, nothing to tap.
struct RestoringView {
    void draw(const AppState& state);
};

struct HomeView {
    void draw(const AppState& state, Commands& commands);

private:
    void drawSummary(const AppState& state, Commands& commands);
    void drawVoice(const AppState& state, Commands& commands);
    void drawTiles(const AppState& state, Commands& commands);
};

struct AreaView {
    void draw(const AppState& state, Commands& commands);

private:
    void drawFilters(const AppState& state, Commands& commands);
    void drawList(const AppState& state, Commands& commands);
};

struct DetailView {
    void draw(const AppState& state, Commands& commands);

private:
    void drawFacts(const AppState& state);
    void drawClerkActions(const AppState& state, Commands& commands);
    void drawBreachActions(const AppState& state, Commands& commands);
    void drawBreachForm(const AppState& state, Commands& commands);
    void drawRevisions(const AppState& state);
    void drawBreachHistory(const AppState& state);
    void drawTimeline(const AppState& state);
    void drawQrPanel(const AppState& state, float width);
    void drawVoice(const AppState& state, Commands& commands);
    void drawBreachesButton(const AppState& state, Commands& commands, float width);

    std::string m_qrFor;  // the URL m_qr encodes
    std::optional<QrCode> m_qr;
    // A supervisor's breach step being written: confirm, object or rectify.
    enum class BreachForm : std::uint8_t { none, confirm, object, rectify };
    BreachForm m_breachForm = BreachForm::none;
    std::string m_breachNote;
    WrappedField m_breachNoteField;
    int m_rectifyDays = 30;
};

/// A resident's complaint, in steps: the reason, what happened (typed or
/// tapped phrases), a phone number on the digit pad (sealed to the district
/// as the step is left, the digits zeroed) or none, a review, and the
/// ticket once stored.
struct ComplaintFormView {
    void draw(const AppState& state, Commands& commands);
    /// Zeroes the digits and forgets the form (cancel, idle reset).
    void wipe();

private:
    enum class Step : std::uint8_t { reason, details, contact, review };
    void drawReason(const AppState& state);
    void drawDetails(const AppState& state, Commands& commands);
    void drawContact(const AppState& state);
    void drawReview(const AppState& state);
    void drawSent(const AppState& state, Commands& commands);
    void drawStepButtons(const AppState& state, Commands& commands);
    void leaveContact(const AppState& state);

    Step m_step = Step::reason;
    ComplaintForm m_form;
    PhoneDigits m_phone;
    std::string m_sealed;  // the phone number as sealed to the district ("" none)
    std::string m_error;
    WrappedField m_textField;
    std::string m_qrFor;
    std::optional<QrCode> m_qr;
};

/// Look a complaint up by its ticket: typed on the ticket pad or a
/// keyboard; its status, the answer, and a rating of the answer.
struct LookupView {
    void draw(const AppState& state, Commands& commands);

private:
    void drawEntry(const AppState& state, Commands& commands);
    void drawResult(const AppState& state, Commands& commands);

    char m_buffer[24] = {};
    std::string m_looked;  // the ticket last looked up, as the navigation holds it
};

/// Breach records (政务失信记录) with their stage, dates and every step.
struct BreachesView {
    void draw(const AppState& state, Commands& commands);
};

// ---- Clerk mode -----------------------------------------------------------------

/// Pick a name, then six digits on large buttons (no echo).
struct LoginView {
    void draw(const AppState& state, Commands& commands);
    /// The name tapped, as a clerk would before typing the PIN (screenshots).
    void pick(std::string clerkId) { m_clerk = std::move(clerkId); }

private:
    void drawNames(const AppState& state);
    void drawPad(const AppState& state, Commands& commands);
    void drawMessage(const AppState& state);

    std::string m_clerk;
    std::string m_digits;
};

/// Overdue, due within 7 days, broken, complaints waiting; for a supervisor
/// also the clerk accounts and the records the district refused.
struct DashboardView {
    void draw(const AppState& state, Commands& commands);

private:
    void drawCounts(const AppState& state, Commands& commands);
    void drawList(const AppState& state, Commands& commands, const char* id, const std::vector<Row>& rows);
    void drawClerks(const AppState& state, Commands& commands);
    void drawSetAside(const AppState& state);

    int m_tab = 0;
    std::string m_confirmDisable;
};

/// The office's open complaints, and the answer form for the one picked:
/// take it up, answer (typed or common phrases), close.
struct ComplaintsView {
    void draw(const AppState& state, Commands& commands);

private:
    void drawList(const AppState& state);
    void drawForm(const AppState& state, Commands& commands, const Store::ComplaintView& c);

    std::string m_selected;  // complaint id
    std::string m_answer;
    WrappedField m_answerField;
};

/// A fulfilment report (or, for a supervisor, a lawful amendment or
/// withdrawal): status, progress, dated note, saved in one tap.
struct ReportView {
    void draw(const AppState& state, Commands& commands);

private:
    void drawStatus(const AppState& state);
    void drawProgress(const AppState& state);
    void drawNote(const AppState& state, Commands& commands);

    std::string m_for;  // commitment the form was opened on
    ReportForm m_form;
    std::string m_error;
    WrappedField m_noteField;
    WrappedField m_reasonField;
};

/// Publish a commitment, or (supervisor) revise one's text: the fields on
/// the left, how residents will see it on the right.
struct PublishView {
    void draw(const AppState& state, Commands& commands);
    /// Fills the form (screenshots of the preview).
    void setForm(CommitmentForm form) {
        m_form = std::move(form);
        m_for = "set";
    }

private:
    void drawForm(const AppState& state, Commands& commands, bool revise);
    void drawPreview(const AppState& state);

    std::string m_for;  // "new", or the commitment being revised
    CommitmentForm m_form;
    std::string m_error;
    WrappedField m_detailField;
    WrappedField m_reasonField;
};

struct FiguresView {
    void draw(const AppState& state, Commands& commands);

private:
    void drawSummary(const AppState& state);
    void drawAreaBars(const AppState& state);
    void drawTrend(const AppState& state);
    void drawVoice(const AppState& state);
    void drawProblemList(const AppState& state, Commands& commands);
};

struct SearchView {
    void draw(const AppState& state, Commands& commands);

private:
    void drawInput(const AppState& state, Commands& commands);
    void drawResults(const AppState& state, Commands& commands);

    char m_buffer[256] = {};
    bool m_focusNext = true;
};

/// Title of a screen for the top bar and the trace file.
std::string screenTitle(const AppState& state);

}  // namespace shouxin::kiosk
