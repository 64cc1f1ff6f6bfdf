// The controller's writes, all on the writer's worker and its connection:
// a clerk's session (PIN check, lockout, logout) and records, and a
// resident's complaint and ratings. The rest of the controller is in
// controller.cpp.
#include <iostream>
#include <memory>
#include <string>

#include "kiosk/app/controller.hpp"
#include "shared/crypto.hpp"
#include "shared/ticket.hpp"
#include "sync/client/sync_worker.hpp"

namespace shouxin::kiosk {

namespace {

// Records `payload` as `actor`: nothing when stored, else why not (a store
// failure too, with its catalogue message).
Problems recordAs(Store& store, const Payload& payload, std::string_view actor) {
    try {
        const auto event = store.record(payload, actor);
        if (event) return {};
        return event.problems();
    } catch (const StoreError& e) {
        return {{"", e.messageId(), e.what()}};
    }
}

}  // namespace

void Controller::applyClerk(const Command& c) {
    if (const auto* l = std::get_if<Login>(&c)) {
        login(l->clerkId, l->pin);
    } else if (std::holds_alternative<Logout>(c)) {
        logout("logout");
    } else if (const auto* r = std::get_if<SubmitReport>(&c)) {
        write(r->report, "report", r->report.commitment);
    } else if (const auto* p = std::get_if<SubmitCommitment>(&c)) {
        write(p->commitment, "commitment", p->commitment.id);
    } else if (const auto* v = std::get_if<SubmitRevision>(&c)) {
        write(v->revision, "revision", v->revision.commitment);
    } else if (const auto* d = std::get_if<DisableClerk>(&c)) {
        write(d->disabled, "clerk-disabled", "");
    } else if (const auto* a = std::get_if<SubmitAnswer>(&c)) {
        write(a->answer, "answer", "");
    } else if (const auto* cs = std::get_if<SubmitComplaintStep>(&c)) {
        write(cs->step, "complaint-" + std::string(idOf(cs->step.step)), "");
    } else if (const auto* b = std::get_if<SubmitBreach>(&c)) {
        write(b->breach, "breach", b->breach.commitment);
    } else if (const auto* bs = std::get_if<SubmitBreachStep>(&c)) {
        write(bs->step, "breach-" + std::string(idOf(bs->step.step)), bs->commitment);
    } else if (std::holds_alternative<CloseKiosk>(c)) {
        trace("close " + m_state.session->actor());
        m_requests.close = true;
    } else if (std::holds_alternative<SyncNow>(c)) {
        if (m_sync) m_sync->syncNow();
        trace("sync-now");
    } else if (const auto* t = std::get_if<TypedText>(&c)) {
        // Characters from the input method join the atlas (rebuilt before the next frame).
        m_fontsDirty |= m_glyphs.add(t->text);
    }
}

// The pad's lockout lives in the database (it survives a restart): read it
// when the pad opens, so a locked pad says so before anyone tries a PIN.
void Controller::showStoredLockout() {
    const std::int64_t now = m_hooks.wallMillis();
    m_writer->post("", [this, now](Store& store) -> Worker::Done {
        const auto number = [&](Setting key) {
            const std::string v = store.setting(key);
            return v.empty() ? std::int64_t{0} : std::stoll(v);
        };
        const std::int64_t until = number(Setting::pinLockedUntil);
        const int failures = static_cast<int>(number(Setting::pinFailures));
        return [this, until, failures, now] {
            if (m_state.login.checking || until <= now) return;
            m_state.login.lockedUntil = until;
            m_state.login.failures = failures;
            trace("login-locked");
        };
    });
}

void Controller::login(const std::string& clerkId, const std::string& pin) {
    if (m_state.login.checking) return;
    m_state.login.checking = true;
    // Argon2id takes a good part of a second and 64 MB: on the writer, never here.
    const std::int64_t now = m_hooks.wallMillis();
    m_writer->post("", [this, clerkId, pin, now](Store& store) -> Worker::Done {
        std::shared_ptr<Store::PinCheck> check;
        try {
            check = std::make_shared<Store::PinCheck>(store.checkPin(clerkId, pin, now));
        } catch (const std::exception& e) {
            // The pad must not stay on "checking": say the check failed.
            std::cerr << "shouxin-kiosk: PIN check failed: " << e.what() << "\n";
            return [this] {
                m_state.login.checking = false;
                m_state.login.messageId = "kiosk.login.error";
                trace("login-error");
            };
        }
        return [this, check] {
            m_state.login.checking = false;
            m_state.login.failures = check->failures;
            m_state.login.lockedUntil = check->lockedUntil;
            if (check->outcome == Store::PinOutcome::ok && check->clerk) {
                m_state.session = ClerkSession{check->clerk->id, check->clerk->name, check->clerk->role};
                m_fontsDirty |= m_glyphs.add(check->clerk->name);
                m_state.login = LoginState{};
                resetView(View::login);
                trace("login " + m_state.session->actor());
                // A PIN whose verifier an older version sent readable must
                // be changed: the clerk is told on the first screen.
                m_state.notice = {};
                if (check->mustChangePin) {
                    m_state.notice = {std::string(tr("kiosk.login.pin_must_change", m_state.settings.lang)),
                                      true};
                }
                go(LoggedIn{});
            } else if (check->outcome == Store::PinOutcome::locked) {
                m_state.login.messageId = "kiosk.login.locked";
                trace("login-locked");
            } else if (check->outcome == Store::PinOutcome::unavailable) {
                // Not a wrong PIN: this kiosk was set up without the office key.
                m_state.login.messageId = "kiosk.login.no_office_key";
                trace("login-no-office-key");
            } else {
                m_state.login.messageId = "kiosk.login.wrong";
                trace("login-failed");
            }
        };
    });
}

void Controller::logout(std::string_view why) {
    if (!m_state.session) return;
    stopReading();
    m_state.session.reset();
    m_state.login = LoginState{};
    m_state.dashboard = DashboardData{};
    m_state.notice = {};
    m_state.complaints = ComplaintsData{};
    for (const View v : {View::login, View::dashboard, View::report, View::publish, View::complaints})
        resetView(v);
    trace(why);
    go(LoggedOut{});
}

template <class P>
void Controller::write(P payload, std::string what, std::string subject) {
    if (!m_state.session) return;
    const std::string actor = m_state.session->actor();
    const Lang lang = m_state.settings.lang;
    m_writer->post(
        "", [this, payload = std::move(payload), actor, what, subject, lang](Store& store) -> Worker::Done {
            const Problems problems = recordAs(store, Payload{payload}, actor);
            if (problems.empty()) return [this, what, subject] { saved(what, subject); };
            auto text = std::make_shared<std::string>(describeProblems(problems, lang));
            return [this, text, what] {
                m_state.notice = {*text, true};
                trace("refused " + what);
            };
        });
}

void Controller::saved(const std::string& what, const std::string& subject) {
    m_state.notice = {std::string(tr("kiosk.clerk.saved", m_state.settings.lang)), false};
    trace("saved " + what);
    if (m_sync) m_sync->syncSoon();  // the record goes up a few seconds later
    resetView(View::report);
    resetView(View::publish);
    resetView(View::complaints);
    resetView(View::detail);
    // Shown at once: the commitment as residents see it now.
    if (!subject.empty()) m_state.detail.loading = true;
    requestHome();
    go(Saved{subject});
    scanGlyphs();
}

void Controller::addBreachText(const std::vector<Store::BreachRecord>& records) {
    for (const Store::BreachRecord& r : records) {
        m_fontsDirty |= m_glyphs.add(r.breach.note);
        m_fontsDirty |= m_glyphs.add(r.commitmentTitle);
        for (const auto& step : r.steps)
            m_fontsDirty |= m_glyphs.add(step.step.note);
    }
}

void Controller::fileComplaint(Complaint complaint) {
    if (m_state.complaintSent.sending) return;
    m_state.complaintSent = {true, "", ""};
    const Lang lang = m_state.settings.lang;
    m_writer->post("", [this, complaint = std::move(complaint), lang](Store& store) mutable -> Worker::Done {
        Problems problems;
        // A fresh ticket may collide with one held: one more try, with another.
        complaint.office = store.node().office;
        for (int attempt = 0; attempt < 2; ++attempt) {
            complaint.id = newUuidV7();
            complaint.ticket = newTicket(complaint.office);
            problems = recordAs(store, Payload{complaint}, "resident");
            const bool taken =
                !problems.empty() && problems.front().message == "error.complaint.ticket_taken";
            if (!taken) break;
        }
        if (problems.empty()) {
            return [this, ticket = complaint.ticket] {
                m_state.complaintSent = {false, ticket, ""};
                trace("complaint-filed " + ticket);
                if (m_sync) m_sync->syncSoon();
                scanGlyphs();
            };
        }
        auto text = std::make_shared<std::string>(describeProblems(problems, lang));
        return [this, text] {
            m_state.complaintSent = {false, "", *text};
            trace("refused complaint");
        };
    });
}

void Controller::rate(const Rating& rating) {
    const Lang lang = m_state.settings.lang;
    const bool ofCommitment = !rating.commitment.empty();
    if (ofCommitment && m_state.rated.count(rating.commitment)) {
        // Once a session: the second one is not stored.
        m_state.residentNotice = {std::string(tr("kiosk.rate.already", lang)), true};
        trace("refused rating");
        return;
    }
    if (ofCommitment) m_state.rated.insert(rating.commitment);
    m_writer->post("", [this, rating, lang, ofCommitment](Store& store) -> Worker::Done {
        const Problems problems = recordAs(store, Payload{rating}, "resident");
        if (problems.empty()) {
            return [this, lang, ofCommitment] {
                m_state.residentNotice = {std::string(tr("kiosk.rate.thanks", lang)), false};
                trace("rated");
                if (m_sync) m_sync->syncSoon();
                if (!ofCommitment) refresh();  // the answer's complaint is closed now
            };
        }
        auto text = std::make_shared<std::string>(describeProblems(problems, lang));
        return [this, text, commitment = rating.commitment] {
            m_state.rated.erase(commitment);
            m_state.residentNotice = {*text, true};
            trace("refused rating");
        };
    });
}

}  // namespace shouxin::kiosk
