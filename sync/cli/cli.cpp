#include "sync/cli/cli.hpp"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <optional>
#include <string>

#include "shared/atomic_file.hpp"
#include "shared/audit.hpp"
#include "shared/backup.hpp"
#include "shared/config_file.hpp"
#include "shared/crypto.hpp"
#include "shared/demo.hpp"
#include "shared/figures.hpp"
#include "shared/i18n.hpp"
#include "shared/import.hpp"
#include "shared/open_data.hpp"
#include "shared/public_record.hpp"
#include "shared/rules.hpp"
#include "shared/run_as.hpp"
#include "shared/store.hpp"
#include "shared/text.hpp"
#include "shared/wire.hpp"
#include "sync/cli/commands.hpp"
#include "sync/cli/disclosure.hpp"
#include "sync/client/heal.hpp"
#include "sync/client/sync_engine.hpp"
#include "sync/client/transport.hpp"
#include "sync/voice/voice_cli.hpp"

namespace shouxin::cli {
namespace {

std::string percent(std::optional<double> rate) {
    if (!rate) return "—";
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f%%", *rate * 100.0);
    return buf;
}

Result<Date> todayFrom(const Options& o) {
    if (o.today.empty()) return Date::today();
    if (const auto d = Date::parse(o.today)) return *d;
    return Problem{"--today", "error.date", o.today};
}

int cmdInit(const Options& o) {
    auto store = Store::create(o.db, o.office, o.name, o.officeKey);
    const NodeInfo node = store.node();
    std::cout << bilingual("cli.created") << ": " << node.officeName << " (" << node.office << ")\n"
              << label("cli.device") << ": " << node.device << "\n"
              << label("cli.key_file") << ": " << keyFileFor(o.db).string() << "\n";
    return kOk;
}

int cmdDemo(Store& store, Date today) {
    const auto summary = fillDemo(store, today);
    if (!summary) return fail(summary.problems());
    std::cout << bilingual("cli.demo_done") << ": " << summary->commitments << " " << label("cli.commitments")
              << ", " << summary->reports << " " << label("cli.reports") << "\n";
    return kOk;
}

// Where sync stands: server, last success, last error, set-aside events.
void printSyncState(const Store& store) {
    const std::string server = store.setting(Setting::serverUrl);
    std::cout << label("cli.server") << ": "
              << (server.empty() ? std::string(bilingual("cli.not_enrolled")) : server) << "\n";
    if (server.empty()) return;
    std::cout << label("cli.last_sync") << ": " << localTime(store.setting(Setting::lastSync)) << "\n";
    const std::string error = store.setting(Setting::lastError);
    if (!error.empty()) {
        std::cout << label("cli.last_error") << ": " << bilingual("sync.reason." + error) << " ("
                  << store.setting(Setting::lastErrorDetail) << ") "
                  << localTime(store.setting(Setting::lastErrorAt)) << "\n";
    }
    const std::string skew = store.setting(Setting::clockSkew);
    if (!skew.empty() && std::llabs(std::stoll(skew)) > 60'000) {
        std::cout << label("cli.clock_skew") << ": " << std::stoll(skew) / 1000 << " s\n";
    }
    const auto aside = store.setAside();
    if (!aside.empty()) {
        std::cout << label("cli.set_aside") << ": " << aside.size() << "\n";
        for (const auto& a : aside) {
            std::cout << "  " << a.event.id << " seq " << a.event.seq << " " << a.event.type << ": "
                      << bilingual(a.reason) << " (" << a.detail << ")\n";
        }
    }
}

int cmdStatus(const Store& store, Date today) {
    const NodeInfo node = store.node();
    const auto all = store.commitments();
    FiguresFilter scope;
    scope.office = node.office;
    const Figures total = computeFigures(all, {}, today);

    std::cout << label("cli.office") << ": " << node.officeName << " (" << node.office << ")\n"
              << label("cli.device") << ": " << node.device << "\n"
              << label("cli.commitments") << ": " << total.total << "   " << label("cli.events") << ": "
              << store.eventCount() << "   " << label("cli.pending") << ": " << store.pendingCount() << "\n"
              << label("cli.today") << ": " << today.toString() << "\n";
    printSyncState(store);
    std::cout << "\n" << label("cli.by_status") << "\n";
    for (const Status s : kStatuses) {
        std::cout << "  " << pad(label(messageIdOf(s)), 28) << total.count(s) << "\n";
    }
    std::cout << "  " << pad(label("status.overdue"), 28) << total.overdue << "\n\n";

    std::cout << label("cli.by_area") << "\n";
    for (const Category c : kCategories) {
        FiguresFilter filter;
        filter.category = c;
        const Figures f = computeFigures(all, filter, today);
        std::cout << "  " << pad(label(messageIdOf(c)), 36) << pad(std::to_string(f.total), 4)
                  << tr("figures.fulfilment_rate", Lang::zh) << " " << pad(percent(f.fulfilmentRate()), 8)
                  << tr("status.overdue", Lang::zh) << " " << f.overdue << "\n";
    }
    std::cout << "\n" << label("cli.figures") << "\n";
    std::cout << describe(total) << describe(computeVoiceFigures(store.voiceFacts(node.office), scope));
    return kOk;
}

int cmdList(const Store& store, const Options& o, Date today) {
    std::optional<Category> area;
    if (!o.area.empty() && !(area = parseCategory(o.area))) return fail("error.category", o.area);
    const bool overdueOnly = o.filterStatus == "overdue";
    std::optional<Status> status;
    if (!o.filterStatus.empty() && !overdueOnly && !(status = parseStatus(o.filterStatus))) {
        return fail("error.status", o.filterStatus);
    }
    for (const auto& c : store.commitments()) {
        if (area && c.commitment.category != *area) continue;
        if (status && c.status != *status) continue;
        if (overdueOnly && !isOverdue(c, today)) continue;
        const std::string shown = isOverdue(c, today) ? std::string(tr("status.overdue", Lang::zh)) + "·" +
                                                            std::string(tr(messageIdOf(c.status), Lang::zh))
                                                      : std::string(tr(messageIdOf(c.status), Lang::zh));
        std::cout << c.commitment.id << "  " << pad(shown, 14) << pad(std::to_string(c.progress) + "%", 5)
                  << " " << (c.commitment.deadline ? c.commitment.deadline->toString() : std::string(10, ' '))
                  << "  " << c.commitment.title << "\n";
    }
    return kOk;
}

// Dry run by default: the per-row report and the summary; with --apply
// every valid row in one transaction, or nothing when any row is wrong.
int cmdImport(Store& store, const Options& o, Date today) {
    std::ifstream in(o.importFile, std::ios::binary);
    if (!in) return fail("error.import.open", o.importFile);
    ImportOptions options;
    options.clerk = o.clerk;
    options.today = today;
    options.reason = o.reason;
    options.keepPayloads = o.apply;
    // Rows read, every half second, on a terminal only.
    const bool tty = isatty(STDERR_FILENO) != 0;
    auto last = std::chrono::steady_clock::now();
    bool shown = false;
    if (tty) {
        options.progress = [&](std::size_t rows) {
            const auto now = std::chrono::steady_clock::now();
            if (now - last < std::chrono::milliseconds(500)) return;
            last = now;
            shown = true;
            std::cerr << "\r" << bilingual("import.progress") << ": " << rows << std::flush;
        };
    }
    const ImportPlan plan = planImport(in, store, options);
    if (shown) std::cerr << "\r\033[K" << std::flush;
    std::cout << describe(plan);
    if (!plan.ok()) {
        std::cout << bilingual("error.import.has_errors") << "\n";
        return kFailed;
    }
    if (!o.apply) {
        std::cout << bilingual("import.dry_run") << "\n";
        return kOk;
    }
    const auto written = applyImport(store, plan, options);
    if (!written) return fail(written.problems());
    std::cout << bilingual("import.applied") << ": " << *written << "\n";
    return kOk;
}

int cmdReport(Store& store, const Options& o, Date today) {
    const auto status = parseStatus(o.status);
    if (!status) return fail("error.status", o.status);
    FulfilmentReport r;
    r.commitment = o.commitment;
    r.status = *status;
    r.progress = o.progress;
    r.note = o.note;
    r.evidence = o.evidence;
    r.reason = o.reason;
    r.legalBasis = o.legalBasis;
    r.date = today;
    if (!o.date.empty()) {
        const auto d = Date::parse(o.date);
        if (!d) return fail("error.date", o.date);
        r.date = *d;
    }
    // The kiosk's report form asks the same rules; the store checks the
    // role and the status transition (rules.hpp).
    if (Problems p = rules::checkReportText(r); !p.empty()) return fail(p);
    if (const auto current = store.commitment(o.commitment)) r.basedOn = current->lastReport;
    const auto event = store.record(r, "clerk:" + o.clerk);
    if (!event) return fail(event.problems());
    std::cout << bilingual("cli.reported") << ": " << event->id << "\n";
    return kOk;
}


// Checks a district's published event log with nothing but the file and
// the district's public key: 0 when it holds, 1 with findings, 2 when the
// file cannot be read as a log at all.
int cmdAudit(const Options& o) {
    const bool hexKey = o.districtKey.size() == 64 &&
                        std::all_of(o.districtKey.begin(), o.districtKey.end(),
                                    [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
    if (!hexKey) {
        fail("audit.key", "--district-key: 64 lower-case hex digits");
        return kUsage;
    }
    std::ifstream in(o.logFile, std::ios::binary);
    if (!in) {
        fail("audit.unreadable", o.logFile);
        return kUsage;
    }
    const AuditReport report = auditLog(in, o.districtKey);
    std::cout << describe(report);
    if (!report.readable) return kUsage;
    return report.ok() ? kOk : kFailed;
}

// Writes through `write` to `--out` (FILE.part renamed into place once
// complete) or, without --out, to standard output.
int writeOut(const Options& o, const std::function<bool(std::ostream&)>& write, const char* doneId) {
    if (o.out.empty()) {
        const bool ok = write(std::cout);
        std::cout.flush();
        return ok && std::cout ? kOk : kFailed;
    }
    if (!writeFileAtomically(o.out, write)) return fail(Problems{{"--out", "error.file.write", o.out}});
    std::cerr << bilingual(doneId) << ": " << o.out << "\n";
    return kOk;
}

// The office's commitments as CSV (the open data columns, docs/OPEN-DATA.md),
// or the node's whole event log as JSONL in total order.
int cmdExport(const Store& store, const Options& o, Date today) {
    if (o.format == "csv") {
        const std::string office = store.node().office;
        return writeOut(
            o,
            [&](std::ostream& out) {
                writeCommitments(store, office, today, DataFormat::csv, out);
                return static_cast<bool>(out);
            },
            "cli.exported");
    }
    return writeOut(
        o,
        [&](std::ostream& out) {
            for (const Event& e : store.events())
                out << wire::encodeEvent(e) << "\n";
            return static_cast<bool>(out);
        },
        "cli.exported");
}

// The printed disclosure report (公示报告) of a period, as an A4 PDF.
int cmdDisclosure(const Store& store, const Options& o, Date today) {
    const auto period = readPeriod(o.period);
    if (!period) {
        fail(period.problems());
        return kUsage;
    }
    DisclosureInput input;
    input.period = *period;
    input.today = today;
    input.site = o.site.empty() ? publicSiteOf(store) : o.site;
    const auto report = collectDisclosure(store, input);
    int pages = 0;
    const bool written = writeFileAtomically(o.out, [&](std::ostream& out) {
        pages = writeDisclosurePdf(report, out);
        return pages > 0 && static_cast<bool>(out);
    });
    if (!written) return fail(Problems{{"--out", "error.file.write", o.out}});
    if (report.commitments.empty()) std::cout << bilingual("disclosure.nothing_due") << "\n";
    std::cout << bilingual("cli.disclosure_written") << ": " << o.out << " (" << pages << " "
              << label("cli.pages") << ")\n";
    return kOk;
}

}  // namespace

int cmdVerify(const Store& store) {
    const VerifyReport report = store.verify();
    std::cout << describe(report);
    return report.ok() ? kOk : kFailed;
}

int run(int argc, char** argv) {
    Options o;
    CLI::App app{"守信 Shouxin — office node command line"};
    app.set_help_all_flag("--help-all");
    // Required by every command but audit, which reads no node (checked below).
    app.add_option("--db", o.db, "Node database file");
    app.add_option("--today", o.today, "Date to compute overdue and figures for (YYYY-MM-DD)");
    app.require_subcommand(1);

    auto* init = app.add_subcommand("init", "Create a node for an office");
    init->add_option("--office", o.office, "9-digit division code")->required();
    init->add_option("--name", o.name, "Office name, e.g. 青山镇人民政府")->required();
    init->add_option("--office-key", o.officeKey,
                     "The office key of the office's first kiosk (shouxin office-key there), so this kiosk "
                     "can check the office's clerks' PINs");
    auto* officeKey = app.add_subcommand(
        "office-key", "Print the office key (secret: for the office's next kiosk only), or set it with --set");
    officeKey->add_option("--set", o.officeKey, "The office key of the office's other kiosks");
    auto* demo = app.add_subcommand("demo", "Fill the node with a realistic demo office");
    auto* status = app.add_subcommand("status", "Counts by status and area, figures, events waiting");
    auto* list = app.add_subcommand("list", "List commitments");
    list->add_option("--area", o.area, "Service area id, e.g. elderly_care");
    list->add_option("--status", o.filterStatus, "Status id, or overdue");
    auto* digest = app.add_subcommand("digest", "Print the state digest");
    digest->add_option("--scope", o.scope, "Office or district code (default: this office)");
    auto* verify = app.add_subcommand("verify", "Check every hash chain and that a refold matches");
    auto* audit = app.add_subcommand(
        "audit", "Check a district's published event log (log.jsonl) with the district's public key");
    audit->add_option("file", o.logFile, "The log file")->required();
    audit->add_option("--district-key", o.districtKey, "The district's Ed25519 public key (hex)")->required();
    auto* rebuild = app.add_subcommand("rebuild", "Recompute the state from the events");
    auto* report = app.add_subcommand("report", "Append a fulfilment report");
    report->add_option("--commitment", o.commitment, "Commitment id")->required();
    report->add_option("--status", o.status, "not_started|in_progress|fulfilled|broken|rectified|amended")
        ->required();
    report->add_option("--progress", o.progress, "Percent, 0-100")->required();
    report->add_option("--note", o.note, "Dated note")->required();
    report->add_option("--clerk", o.clerk, "Clerk id")->required();
    report->add_option("--date", o.date, "Report date (default: today)");
    report->add_option("--reason", o.reason, "Reason (required for amended)");
    report->add_option("--legal-basis", o.legalBasis, "Legal basis (required for amended)");
    report->add_option("--evidence", o.evidence, "Evidence reference (repeatable)");

    auto* importCmd = app.add_subcommand("import", "Import commitments from a CSV file (UTF-8 or GBK); a dry run "
                                                "unless --apply");
    importCmd->add_option("file", o.importFile, "CSV file (docs/IMPORT.md)")->required();
    importCmd->add_option("--clerk", o.clerk, "Clerk id (revisions need a supervisor)")->required();
    importCmd->add_flag("--apply", o.apply, "Write every valid row in one transaction (nothing if any row is wrong)");
    importCmd->add_option("--reason", o.reason, "Reason recorded with each revision");

    auto* enroll = app.add_subcommand("enroll", "Register this device with the district");
    std::vector<std::string> enrollArgs;
    enroll->add_option("args", enrollArgs, "[URL] CODE: the district server's URL, e.g. https://district.example "
                                           "(default: --url), and the one-time enrolment code")
        ->expected(1, 2)
        ->required();
    enroll->add_option("--url", o.url, "District server URL when not given before the code (node.conf: url)");
    enroll->add_flag("--insecure-http", o.insecureHttp, "Allow plain http:// to a host other than loopback");
    enroll->add_option("--pin", o.pins, "The district's TLS key, sha256//BASE64 (give two for rotation)")
        ->expected(0, 2)
        ->check(checkTlsPin);
    auto* clerk = app.add_subcommand("clerk", "Clerk accounts (PINs kept as Argon2id hashes)");
    clerk->require_subcommand(1);
    auto* clerkAdd = clerk->add_subcommand("add", "Add a clerk; asks for a six-digit PIN twice");
    clerkAdd->add_option("--name", o.clerkName, "Name shown at the kiosk")->required();
    clerkAdd->add_option("--role", o.role, "clerk|supervisor")->required();
    clerkAdd->add_option("--id", o.clerkId, "Clerk id (default: c1, c2, ...)");
    clerkAdd->add_flag("--pin-stdin", o.pinStdin, "Read the PIN from one line of standard input");
    auto* clerkList = clerk->add_subcommand("list", "List the office's clerks");
    auto* clerkSetPin = clerk->add_subcommand("set-pin", "Give a clerk a new PIN; asks for it twice");
    clerkSetPin->add_option("--id", o.clerkId, "Clerk id")->required();
    clerkSetPin->add_flag("--pin-stdin", o.pinStdin, "Read the PIN from one line of standard input");
    auto* clerkDisable = clerk->add_subcommand("disable", "Disable a clerk account");
    clerkDisable->add_option("--id", o.clerkId, "Clerk id")->required();
    clerkDisable->add_option("--reason", o.reason, "Why");
    auto* setServer =
        app.add_subcommand("set-server", "Point this enrolled node at the district's new address");
    setServer->add_option("url", o.url, "District server URL")->required();
    setServer->add_flag("--insecure-http", o.insecureHttp,
                        "Allow plain http:// to a host other than loopback");
    auto* sync = app.add_subcommand("sync", "Push waiting events and pull new ones");
    auto* onceFlag = sync->add_flag("--once", o.once, "One round (with retries), then exit");
    auto* daemonFlag = sync->add_flag("--daemon", o.daemon, "Keep syncing until SIGTERM");
    onceFlag->excludes(daemonFlag);
    sync->add_option("--retries", o.retries, "Retries of a failed round with --once")->check(CLI::Range(0, 100));
    sync->add_option("--interval", o.interval, "Seconds between rounds with --daemon")
        ->check(CLI::Range(0.1, 86400.0));
    sync->add_option("--push-batch", o.pushBatch, "Events per push request")->check(CLI::Range(1, 1000));
    sync->add_option("--pull-page", o.pullPage, "Events per pull request")->check(CLI::Range(1, 5000));

    auto* exportCmd = app.add_subcommand(
        "export", "Write the office's commitments (CSV, UTF-8 with BOM) or the node's event log (JSONL)");
    exportCmd->add_option("--format", o.format, "csv|jsonl")
        ->required()
        ->check(CLI::IsMember({"csv", "jsonl"}));
    exportCmd->add_option("--out", o.out, "Output file (default: standard output)");
    auto* disclosure = app.add_subcommand(
        "disclosure", "Write the printed disclosure report (公示报告) of a period as an A4 PDF");
    disclosure->add_option("--period", o.period, "2026-Q4, 2026-11 or 2026")->required();
    disclosure->add_option("--out", o.out, "The PDF file to write")->required();
    disclosure->add_option("--site", o.site,
                           "The district's public site for the QR code (default: as learnt at enrolment)");

    auto* backupCmd = app.add_subcommand(
        "backup", "Copy the node, while it runs, with its key files to FILE (or --into DIR) and check the copy");
    auto* backupFile = backupCmd->add_option("file", o.backupFile, "The backup file to write");
    auto* into = backupCmd->add_option("--into", o.into, "Write DIR/<office>-YYYYMMDD-HHMMSS.db instead");
    backupCmd->add_option("--keep", o.keep, "With --into: keep only the newest N backups")
        ->check(CLI::PositiveNumber)
        ->needs(into);
    backupFile->excludes(into);
    auto* restoreCmd = app.add_subcommand(
        "restore", "Replace the node with a checked backup (stop the kiosk and shouxin-sync.timer first)");
    restoreCmd->add_option("file", o.backupFile, "The backup file (its .key beside it)")->required();

    const auto runVoice = addVoiceCommands(app, Side::office);

    const auto config = ProgramConfig::prepare(app, argc, argv, "node");
    if (!config) return usage(config.problems());
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? kOk : kUsage;
    }
    if (const auto problems = config->apply(app); !problems.empty()) return usage(problems);
    if (enroll->parsed()) {
        if (enrollArgs.size() == 2) o.url = enrollArgs[0];
        o.code = enrollArgs.back();
        if (o.url.empty()) return usage({{"url", "error.config.required", ""}});
    }

    if (audit->parsed()) return cmdAudit(o);
    if (o.db.empty()) {
        std::cerr << "--db is required\n" << app.help();
        return kUsage;
    }
    // An office node is a local file; PostgreSQL is for the district alone.
    if (isDatabaseUrl(o.db)) return fail("error.store.postgres_node", o.db);
    if (const auto refused = refuseRootInOthersDirectory(o.db)) return fail(Problems{*refused});
    try {
        if (init->parsed()) return cmdInit(o);
        // Before the node is opened: restore is for a damaged or missing one too.
        if (backupCmd->parsed()) {
            if (o.backupFile.empty() && o.into.empty()) return fail("error.usage", "backup FILE | --into DIR");
            std::cout << backup::describe(o.into.empty() ? backup::backupTo(o.db, keyFileFor(o.db), o.backupFile)
                                                         : backup::backupInto(o.db, keyFileFor(o.db), o.into, o.keep));
            return kOk;
        }
        if (restoreCmd->parsed()) {
            std::cout << backup::describe(backup::restoreFrom(o.db, keyFileFor(o.db), o.backupFile))
                      << bilingual("cli.restore_sync_first") << "\n";
            return kOk;
        }
        const auto today = todayFrom(o);
        if (!today) return fail(today.problems());
        // Only verify reads the whole file (PRAGMA integrity_check): the
        // other commands open at a flat cost and meet damage as they read.
        Store::OpenOptions opening;
        opening.checkIntegrity = verify->parsed();
        std::optional<Store> opened(Store::open(o.db, opening));
        // A heal under way (cut short, or the district was out of reach)
        // goes on before anything else.
        if ((sync->parsed() || verify->parsed()) && client::healPending(*opened)) {
            opened.reset();
            return healThenGoOn(o, verify->parsed());
        }
        Store& store = *opened;
        if (demo->parsed()) return cmdDemo(store, *today);
        if (status->parsed()) return cmdStatus(store, *today);
        if (list->parsed()) return cmdList(store, o, *today);
        if (digest->parsed()) {
            std::cout << store.digest(o.scope.empty() ? store.node().office : o.scope) << "\n";
            return kOk;
        }
        if (verify->parsed()) return cmdVerify(store);
        if (rebuild->parsed()) {
            store.rebuild();
            std::cout << bilingual("cli.rebuilt") << ": " << store.digest(store.node().office) << "\n";
            return kOk;
        }
        if (report->parsed()) return cmdReport(store, o, *today);
        if (importCmd->parsed()) return cmdImport(store, o, *today);
        if (clerkAdd->parsed()) return cmdClerkAdd(store, o);
        if (clerkList->parsed()) return cmdClerkList(store);
        if (clerkDisable->parsed()) return cmdClerkDisable(store, o);
        if (clerkSetPin->parsed()) return cmdClerkSetPin(store, o);
        if (officeKey->parsed()) return cmdOfficeKey(store, o);
        if (enroll->parsed()) return cmdEnroll(store, o);
        if (setServer->parsed()) {
            if (!client::isAllowedServerUrl(o.url, o.insecureHttp)) return fail("sync.reason.url", o.url);
            if (store.setting(Setting::token).empty()) return fail("sync.reason.not_enrolled", "");
            store.setSetting(Setting::serverUrl, client::curlOptionsFor(o.url).baseUrl);
            std::cout << label("cli.server") << ": " << client::curlOptionsFor(o.url).baseUrl << "\n";
            return kOk;
        }
        if (sync->parsed()) return cmdSync(store, o);
        if (exportCmd->parsed()) return cmdExport(store, o, *today);
        if (disclosure->parsed()) return cmdDisclosure(store, o, *today);
        if (const int code = runVoice(store, keyFileFor(o.db)); code >= 0) return code;
    } catch (const StoreError& e) {
        if (!e.corrupt() || !(sync->parsed() || verify->parsed())) return fail(e.messageId(), e.what());
        // Damage, met by the check (verify) or by a statement (sync): the
        // node heals from the district (sync/client/heal.hpp). Every
        // connection of this process is closed by now.
        std::cerr << bilingual("error.store.corrupt") << " (" << e.what() << ")\n";
        try {
            return healThenGoOn(o, verify->parsed());
        } catch (const std::exception& again) {
            std::cerr << bilingual("cli.error") << ": " << again.what() << "\n";
            return kFailed;
        }
    } catch (const std::exception& e) {
        std::cerr << bilingual("cli.error") << ": " << e.what() << "\n";
        return kFailed;
    }
    return kUsage;
}

}  // namespace shouxin::cli
