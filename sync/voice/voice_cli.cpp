#include "sync/voice/voice_cli.hpp"

#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "shared/crypto.hpp"
#include "shared/figures.hpp"
#include "shared/i18n.hpp"
#include "shared/rules.hpp"
#include "shared/store.hpp"
#include "shared/ticket.hpp"

namespace shouxin::cli {
namespace {

constexpr int kOk = 0;
constexpr int kFailed = 1;

int fail(const Problems& problems) {
    std::cerr << bilingual("cli.error") << ":\n" << describe(problems) << "\n";
    return kFailed;
}

struct VoiceOptions {
    std::string office;
    bool openOnly = false;
    std::string ticket;
    std::string text;
    std::string who;  // the district operator's or the clerk's id
    std::string purpose;
    std::string commitment;
    std::string breach;
    std::string rectifyBy;
    int objectionDays = rules::kObjectionDays;
    bool uphold = false;
    bool dismiss = false;
};

struct Context {
    Side side;
    VoiceOptions options;
    std::string actor() const { return (side == Side::district ? "district:" : "clerk:") + options.who; }
};

Result<Store::ComplaintView> complaintOf(const Store& store, const std::string& typed) {
    const auto ticket = parseTicket(typed);
    if (!ticket) return Problem{"ticket", "error.ticket", typed};
    const auto found = store.complaintByTicket(*ticket);
    if (!found) return Problem{"ticket", "error.complaint.unknown", *ticket};
    return *found;
}

void printComplaint(const Store::ComplaintView& c) {
    std::cout << c.ticket << "  " << c.office << "  " << c.filed.toString() << "  "
              << tr(messageIdOf(c.status), Lang::zh) << "  " << tr(messageIdOf(c.reason), Lang::zh)
              << (c.contactSealed ? "  [" + std::string(tr("cli.contact_sealed", Lang::zh)) + "]" : "")
              << "\n    " << c.text << "\n";
    if (!c.answer.empty()) std::cout << "    → " << c.answer << " (" << c.answeredBy << ")\n";
}

void printBreach(const Store::BreachRecord& b) {
    std::cout << b.breach.id << "  " << b.breach.office << "  " << tr(messageIdOf(b.stage), Lang::zh) << "  "
              << b.commitmentTitle << "\n    " << b.breach.confirmed.toString() << " " << b.breach.note
              << " (" << b.actor << ")\n";
    for (const auto& s : b.steps)
        std::cout << "    " << s.step.date.toString() << " " << tr(messageIdOf(s.step.step), Lang::zh) << ": "
                  << s.step.note << " (" << s.actor << ")\n";
}

// Records `payload` and names what it made: the new record's id for a
// breach confirmation (what later steps name), else the event's.
int record(Store& store, const Payload& payload, const Context& c, std::string_view doneId) {
    const auto event = store.record(payload, c.actor());
    if (!event) return fail(event.problems());
    const auto* breach = std::get_if<Breach>(&payload);
    std::cout << bilingual(doneId) << ": " << (breach ? breach->id : event->id) << "\n";
    return kOk;
}

int answer(Store& store, const Context& ctx) {
    const auto c = complaintOf(store, ctx.options.ticket);
    if (!c) return fail(c.problems());
    return record(store, ComplaintAnswer{c->id, ctx.options.text, Date::today()}, ctx, "cli.answered");
}

int complaintStep(Store& store, const Context& ctx, ComplaintStepKind kind) {
    const auto c = complaintOf(store, ctx.options.ticket);
    if (!c) return fail(c.problems());
    return record(store, ComplaintStep{c->id, kind, ctx.options.text, Date::today()}, ctx,
                  "cli.complaint_step");
}

// The reading is on the record before anything is shown: if it cannot be
// recorded, nothing is opened.
int contact(Store& store, const std::filesystem::path& keyFile, const Context& ctx) {
    const auto c = complaintOf(store, ctx.options.ticket);
    if (!c) return fail(c.problems());
    const std::string sealed = store.sealedContact(c->id);
    if (sealed.empty()) return fail({{"ticket", "cli.no_contact", c->ticket}});
    const auto keys = readKeyFile(keyFile);
    if (!keys) return fail({{"--db", "error.key_file", keyFile.string()}});
    const auto event =
        store.record(ComplaintStep{c->id, ComplaintStepKind::contactRead, ctx.options.purpose, Date::today()},
                     ctx.actor());
    if (!event) return fail(event.problems());
    const auto plain = openSealed(sealed, *keys);
    if (!plain) return fail({{"contact", "error.complaint.contact_not_sealed", c->ticket}});
    std::cout << *plain << "\n";
    return kOk;
}

int confirm(Store& store, const Context& ctx) {
    const VoiceOptions& o = ctx.options;
    const auto commitment = store.commitment(o.commitment);
    if (!commitment) return fail({{"--commitment", "error.commitment.unknown", o.commitment}});
    const auto rectifyBy = Date::parse(o.rectifyBy);
    if (!rectifyBy) return fail({{"--rectify-by", "error.date", o.rectifyBy}});
    return record(store,
                  rules::confirmBreach(*commitment, o.text, Date::today(), *rectifyBy, o.objectionDays), ctx,
                  "cli.breach_confirmed");
}

int breachStep(Store& store, const Context& ctx, BreachStepKind kind) {
    const VoiceOptions& o = ctx.options;
    if (!store.breach(o.breach)) return fail({{"breach", "error.breach.unknown", o.breach}});
    return record(store, BreachStep{o.breach, kind, o.text, Date::today()}, ctx, "cli.breach_step");
}

}  // namespace

namespace {

// --operator for the district, --clerk for an office.
void addWho(CLI::App* command, Side side, std::string& who) {
    if (side == Side::district)
        command->add_option("--operator", who, "District operator id")->required();
    else
        command->add_option("--clerk", who, "Clerk id")->required();
}

}  // namespace

std::function<int(Store& store, const std::filesystem::path& keyFile)> addVoiceCommands(CLI::App& app, Side side) {
    auto ctx = std::make_shared<Context>(Context{side, {}});
    VoiceOptions* o = &ctx->options;
    const bool district = side == Side::district;
    const auto ticketed = [&](CLI::App* parent, const char* name, const char* what) {
        auto* command = parent->add_subcommand(name, what);
        command->add_option("ticket", o->ticket, "Ticket, e.g. Q7K3-9MPD")->required();
        addWho(command, side, o->who);
        return command;
    };

    auto* complaint = app.add_subcommand("complaint", "Residents' complaints (投诉)");
    complaint->require_subcommand(1);
    auto* list = complaint->add_subcommand("list", "List complaints, oldest first (never a contact)");
    if (district) list->add_option("--office", o->office, "Office code (default: every office)");
    list->add_flag("--open", o->openOnly, "Only those not answered or closed");
    auto* answerCmd = ticketed(complaint, "answer", "Answer a complaint");
    answerCmd->add_option("--text", o->text, "The answer")->required();
    CLI::App* handleCmd = nullptr;
    CLI::App* closeCmd = nullptr;
    CLI::App* contactCmd = nullptr;
    if (district) {
        contactCmd = ticketed(complaint, "contact",
                              "Open a complainant's sealed contact; the reading is recorded first");
        contactCmd->add_option("--purpose", o->purpose, "Why it is read, e.g. 回访投诉人")->required();
    } else {
        handleCmd = ticketed(complaint, "handle", "Mark a complaint as being handled");
        handleCmd->add_option("--note", o->text, "Optional note");
        closeCmd = ticketed(complaint, "close", "Close a complaint");
        closeCmd->add_option("--note", o->text, "Optional note");
    }

    auto* breach = app.add_subcommand("breach", "Breach records (政务失信记录)");
    breach->require_subcommand(1);
    auto* breachList = breach->add_subcommand("list", "List breach records with their steps");
    if (district) breachList->add_option("--office", o->office, "Office code (default: every office)");
    auto* confirmCmd = breach->add_subcommand("confirm", "Confirm a broken commitment as a breach");
    confirmCmd->add_option("--commitment", o->commitment, "Commitment id")->required();
    confirmCmd->add_option("--note", o->text, "What was broken")->required();
    confirmCmd->add_option("--rectify-by", o->rectifyBy, "Rectification deadline, YYYY-MM-DD")->required();
    confirmCmd->add_option("--objection-days", o->objectionDays, "Days the office may object")
        ->check(CLI::Range(1, 90));
    addWho(confirmCmd, side, o->who);
    const auto stepOf = [&](const char* name, const char* what, const char* note) {
        auto* command = breach->add_subcommand(name, what);
        command->add_option("breach", o->breach, "Breach record id")->required();
        command->add_option("--note", o->text, note)->required();
        addWho(command, side, o->who);
        return command;
    };
    CLI::App* ruleCmd = nullptr;
    CLI::App* repairCmd = nullptr;
    CLI::App* objectCmd = nullptr;
    CLI::App* rectifyCmd = nullptr;
    if (district) {
        ruleCmd = stepOf("rule", "Rule on an office's objection", "The ruling's grounds");
        auto* upholdFlag =
            ruleCmd->add_flag("--uphold", o->uphold, "The objection holds: the record is annulled");
        auto* dismissFlag =
            ruleCmd->add_flag("--dismiss", o->dismiss, "The objection fails: the record stands");
        upholdFlag->excludes(dismissFlag);
        repairCmd =
            stepOf("repair", "Repair the office's credit after rectification", "Why credit is repaired");
    } else {
        objectCmd = stepOf("object", "Object to a breach record, within its objection period", "The reason");
        rectifyCmd = stepOf("rectify", "Report a breach record rectified", "What was done");
    }

    auto* figures =
        app.add_subcommand("figures", "Figures with their formulas, complaints and breaches included");
    if (district) figures->add_option("--office", o->office, "Office code (default: the whole district)");

    const auto parsed = [](const CLI::App* command) { return command && command->parsed(); };
    return [=](Store& store, const std::filesystem::path& keyFile) -> int {
        const Context& c = *ctx;
        const std::string scope = district ? c.options.office : store.node().office;
        if (list->parsed()) {
            for (const auto& v : store.complaints(scope, c.options.openOnly, SIZE_MAX))
                printComplaint(v);
            return kOk;
        }
        if (answerCmd->parsed()) return answer(store, c);
        if (parsed(handleCmd)) return complaintStep(store, c, ComplaintStepKind::handling);
        if (parsed(closeCmd)) return complaintStep(store, c, ComplaintStepKind::closed);
        if (parsed(contactCmd)) return contact(store, keyFile, c);
        if (breachList->parsed()) {
            for (const auto& b : store.breaches(scope))
                printBreach(b);
            return kOk;
        }
        if (confirmCmd->parsed()) return confirm(store, c);
        if (parsed(ruleCmd)) {
            if (c.options.uphold == c.options.dismiss)
                return fail({{"--uphold", "error.usage", "--uphold | --dismiss"}});
            return breachStep(store, c,
                              c.options.uphold ? BreachStepKind::upheld : BreachStepKind::dismissed);
        }
        if (parsed(repairCmd)) return breachStep(store, c, BreachStepKind::repaired);
        if (parsed(objectCmd)) return breachStep(store, c, BreachStepKind::objected);
        if (parsed(rectifyCmd)) return breachStep(store, c, BreachStepKind::rectified);
        if (figures->parsed()) {
            FiguresFilter filter;
            filter.office = scope.empty() ? store.node().office : scope;
            std::cout << describe(computeFigures(store.commitments(), filter, Date::today()))
                      << describe(computeVoiceFigures(store.voiceFacts(filter.office), filter));
            return kOk;
        }
        return -1;
    };
}

}  // namespace shouxin::cli
