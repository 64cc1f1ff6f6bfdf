#include "sync/server/district_cli.hpp"

#include <qrencode.h>
#include <CLI/CLI.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <chrono>
#include <functional>
#include <memory>
#include <iostream>
#include <thread>

#include "shared/atomic_file.hpp"
#include "shared/audit.hpp"
#include "shared/backup.hpp"
#include "shared/config_file.hpp"
#include "shared/crypto.hpp"
#include "shared/i18n.hpp"
#include "shared/open_data.hpp"
#include "shared/run_as.hpp"
#include "shared/store.hpp"
#include "shared/text.hpp"
#include "sync/server/district_server.hpp"
#include "sync/server/registry.hpp"
#include "sync/server/relay.hpp"
#include "sync/voice/voice_cli.hpp"

namespace shouxin::server {
namespace {

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

int fail(const Problems& problems) {
    std::cerr << bilingual("cli.error") << ":\n" << describe(problems) << "\n";
    return kFailed;
}

// Wrong usage: a flag or a line of the configuration file.
int usage(const Problems& problems) {
    std::cerr << bilingual("cli.error") << ":\n" << describe(problems) << "\n";
    return kUsage;
}

// A QR code as text, two characters a module, for a terminal.
std::string qrText(const std::string& payload) {
    QRcode* qr = QRcode_encodeString(payload.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) return {};
    std::string out;
    const int quiet = 2;
    const int size = qr->width + 2 * quiet;
    for (int y = 0; y < size; ++y) {
        for (int x = 0; x < size; ++x) {
            const int mx = x - quiet;
            const int my = y - quiet;
            const bool dark =
                mx >= 0 && my >= 0 && mx < qr->width && my < qr->width && (qr->data[my * qr->width + mx] & 1);
            out += dark ? "██" : "  ";
        }
        out += "\n";
    }
    QRcode_free(qr);
    return out;
}

// Serves until SIGINT or SIGTERM, which a waiting thread turns into stop().
// With `relayEveryMillis`, a round with the level above that often
// (RelayLoop), started once the server listens, with its signals blocked.
int serve(const std::string& db, const std::filesystem::path& keyFile, const std::string& listen,
          ServerOptions options, std::int64_t relayEveryMillis) {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) return fail({{"--listen", "error.usage", listen}});
    options.host = listen.substr(0, colon);
    try {
        options.port = std::stoi(listen.substr(colon + 1));
    } catch (const std::exception&) {
        return fail({{"--listen", "error.usage", listen}});
    }
    const bool tls = !options.certFile.empty();

    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    // A server outlives whoever reads its output: a closed stdout (a
    // supervisor gone, a test that read the first line) is an error on
    // write, never a reason to die.
    std::signal(SIGPIPE, SIG_IGN);

    DistrictServer server(db, keyFile);
    const int port = server.bind(options);
    if (port < 0) return fail({{"--listen", "error.server.bind", listen}});
    std::cout << "listening on " << (tls ? "https" : "http") << "://" << options.host << ":" << port
              << std::endl;
    std::unique_ptr<RelayLoop> relaying;
    if (relayEveryMillis > 0) relaying = std::make_unique<RelayLoop>(db, keyFile, relayEveryMillis);
    std::thread waiter([&] {
        int signal = 0;
        sigwait(&signals, &signal);
        server.stop();
    });
    server.run();
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    return kOk;
}

// Writes `file` through `write`, renamed into place once complete
// (writeFileAtomically), so a failure leaves no partial file behind.
int writeFile(const std::string& file, const std::function<void(std::ostream&)>& write, const char* doneId) {
    const bool written = writeFileAtomically(file, [&](std::ostream& out) {
        write(out);
        return true;
    });
    if (!written) return fail({{"--out", "error.file.write", file}});
    std::cout << bilingual(doneId) << ": " << file << "\n";
    return kOk;
}

// Writes the district's event log (docs/OPEN-DATA.md) to `out`, through a
// file beside it renamed into place, so that no reader meets half a log.
int exportLog(const std::filesystem::path& keyFile, const Store& store, const std::string& out) {
    const auto keys = readKeyFile(keyFile);
    if (!keys || keys->publicKeyHex != store.node().publicKeyHex)
        return fail({{"--db", "error.store.key_missing", keyFile.string()}});
    const int rc = writeFile(out, [&](std::ostream& file) { writeAuditLog(store, *keys, file); }, "cli.exported");
    if (rc == kOk) std::cout << store.node().publicKeyHex << "\n";
    return rc;
}

const char* levelId(std::string_view code) {
    if (isProvinceCode(code)) return "cli.level.province";
    if (isCityCode(code)) return "cli.level.city";
    return "cli.level.district";
}

// Who this server is, what it holds, and how it stands with the level above.
int printStatus(const Store& store) {
    const NodeInfo n = store.node();
    std::cout << n.officeName << " (" << n.office << ")\n";
    std::cout << bilingual("cli.level") << ": " << bilingual(levelId(n.office)) << "\n";
    std::cout << bilingual("cli.events") << ": " << store.eventCount() << "\n";
    // Each device with its office and how far its chain is held: the id
    // `revoke --device` takes for a lost kiosk.
    const auto heads = store.deviceHeads();
    std::cout << bilingual("cli.devices") << ": " << heads.size() << "\n";
    for (const auto& h : heads) std::cout << "  " << h.device << "  " << h.office << "  seq " << h.headSeq << "\n";
    const std::string url = store.setting(Setting::serverUrl);
    std::cout << bilingual("cli.upstream") << ": " << (url.empty() ? std::string("—") : url);
    for (const auto& r : store.regionsAbove())
        std::cout << (&r == &store.regionsAbove().front() ? " — " : ", ") << r.name << " (" << r.code << ")";
    std::cout << "\n";
    if (url.empty()) return kOk;
    std::cout << bilingual("cli.pending") << ": " << store.relayPending() << "\n";
    const std::string last = store.setting(Setting::lastSync);
    std::cout << bilingual("cli.last_sync") << ": " << localTime(last) << "\n";
    const std::string error = store.setting(Setting::lastError);
    if (!error.empty())
        std::cout << bilingual("cli.last_error") << ": " << bilingual("sync.reason." + error) << " ("
                  << store.setting(Setting::lastErrorDetail) << ")\n";
    return kOk;
}

}  // namespace

int runCli(int argc, char** argv) {
    CLI::App app{"守信 Shouxin — district server"};
    std::string db, keysDir;
    app.add_option("--db", db,
                   "District database: a file, or a PostgreSQL URL (postgresql://user@host/dbname, "
                   "postgresql:///dbname?host=/run/postgresql; the database must exist, see docs/DEPLOY.md)")
        ->required();
    app.add_option("--keys", keysDir,
                   "Directory of the district's key file (district.key); required with a PostgreSQL URL, "
                   "whose database is no file for the key to sit beside");
    app.require_subcommand(1);

    std::string district, name;
    auto* init = app.add_subcommand("init", "Create a district database");
    init->add_option("--district", district,
                     "The region this server serves: a 6-digit district, 4-digit city or 2-digit province code")
        ->required();
    init->add_option("--name", name, "Its name, e.g. 余杭区 or 杭州市")->required();

    std::string listen = "127.0.0.1:0", cert, key;
    std::string publicSite, servedToday, publicDb;
    auto* serveCmd = app.add_subcommand("serve", "Serve the sync protocol, the public pages and open data");
    serveCmd->add_option("--listen", listen, "HOST:PORT (port 0: the OS picks one)")->check(checkListenAddress);
    serveCmd->add_option("--cert", cert, "TLS certificate (PEM)");
    serveCmd->add_option("--key", key, "TLS private key (PEM)");
    serveCmd->add_option("--public-site", publicSite,
                         "the public pages' address when it is not this server's (told to kiosks for QR codes)");
    serveCmd->add_option("--public-db", publicDb,
                         "PostgreSQL URL of a read replica (hot standby) the public pages and open data read "
                         "from; default: --db");
    serveCmd->add_option("--today", servedToday, "YYYY-MM-DD the pages derive overdue for (demos, tests)");
    double relayEvery = 0;
    serveCmd->add_option("--relay-every", relayEvery,
                         "Seconds between rounds with the level above (after `upstream`); 0: none")
        ->check(CLI::Range(0.0, 86400.0));

    std::string upstreamUrl, upstreamCode;
    std::vector<std::string> upstreamPins;
    bool insecureHttp = false;
    auto* upstream = app.add_subcommand(
        "upstream", "Enrol this server at the level above (a district at its city, a city at its province)");
    upstream->add_option("url", upstreamUrl, "The level above's server URL")->required();
    upstream->add_option("code", upstreamCode, "One-time enrolment code from the level above")->required();
    upstream->add_option("--pin", upstreamPins, "Its TLS key, sha256//BASE64 (give two for rotation)")
        ->expected(0, 2)
        ->check(checkTlsPin);
    upstream->add_flag("--insecure-http", insecureHttp, "Allow plain http:// to a host other than loopback");
    auto* relayCmd = app.add_subcommand("relay", "One round with the level above: relay every chain up, pull down");
    auto* status = app.add_subcommand("status", "What this server holds and what waits to go up");

    std::string office;
    double ttlHours = 72;
    auto* code = app.add_subcommand("enroll-code", "Print a one-time enrolment code for an office (or a region below)");
    code->add_option("--office", office,
                     "The code directly below this server: a 9-digit office at a district, a 6-digit "
                     "district at a city, a 4-digit city at a province")
        ->required();
    code->add_option("--ttl-hours", ttlHours, "Hours the code stays valid");

    std::string device;
    auto* revoke = app.add_subcommand("revoke", "Refuse a device from now on");
    revoke->add_option("--device", device, "Device id")->required();

    auto* verify = app.add_subcommand(
        "verify", "Check every stored chain, every device's signed chain head, and the folded state");

    std::string outFile;
    auto* exportLogCmd =
        app.add_subcommand("export-log", "Write the district's whole event log as open data (JSONL)");
    exportLogCmd->add_option("--out", outFile, "Output file, e.g. log.jsonl")->required();
    exportLogCmd->fallthrough();  // --db may come after the command name too

    auto* digest = app.add_subcommand("digest", "Print an office's state digest");
    digest->add_option("--office", office, "Office (or district) code")->required();

    Commitment c;
    std::string category, kind, deadline, operatorId;
    auto* publish = app.add_subcommand("publish", "Publish a district-wide commitment to every office");
    publish->add_option("--category", category, "Service area id")->required();
    publish->add_option("--kind", kind, "service_quality|time_limit|guarantee")->required();
    publish->add_option("--title", c.title)->required();
    publish->add_option("--detail", c.detail)->required();
    publish->add_option("--department", c.department)->required();
    publish->add_option("--responsible", c.responsible);
    publish->add_option("--deadline", deadline, "YYYY-MM-DD");
    publish->add_option("--time-limit", c.timeLimit);
    publish->add_option("--operator", operatorId, "District operator id")->required();

    std::string period, today;
    auto* assessment =
        app.add_subcommand("assessment", "Write the townships' assessment (绩效考核) for a period as CSV");
    assessment->add_option("--period", period, "2026-Q4, 2026-11 or 2026")->required();
    assessment->add_option("--out", outFile, "CSV file to write")->required();
    assessment->add_option("--today", today, "YYYY-MM-DD the figures are as of (default: today)");

    std::string scope, what, format;
    auto* exportCmd = app.add_subcommand("export", "Write open data (docs/OPEN-DATA.md) to a file");
    exportCmd->add_option("--scope", scope, "District code or one of its office codes")->required();
    exportCmd->add_option("--what", what, "commitments|history|figures")
        ->required()
        ->check(CLI::IsMember({"commitments", "history", "figures"}));
    exportCmd->add_option("--format", format, "csv|json")->required()->check(CLI::IsMember({"csv", "json"}));
    exportCmd->add_option("--out", outFile, "File to write")->required();
    exportCmd->add_option("--today", today, "YYYY-MM-DD overdue is judged on (default: today)");

    std::string backupFile, backupDir;
    int keep = 0;
    auto* backupCmd = app.add_subcommand(
        "backup", "Copy the database, while the server runs, with its key to FILE (or --into DIR) and check the copy");
    auto* backupFileOption = backupCmd->add_option("file", backupFile, "The backup file to write");
    auto* into = backupCmd->add_option("--into", backupDir, "Write DIR/<district>-YYYYMMDD-HHMMSS.db instead");
    backupCmd->add_option("--keep", keep, "With --into: keep only the newest N backups")
        ->check(CLI::PositiveNumber)
        ->needs(into);
    backupFileOption->excludes(into);
    auto* restoreCmd = app.add_subcommand(
        "restore", "Replace the database with a checked backup (systemctl stop shouxin-district first)");
    restoreCmd->add_option("file", backupFile, "The backup file (its .key beside it)")->required();

    const auto runVoice = cli::addVoiceCommands(app, cli::Side::district);

    const auto config = ProgramConfig::prepare(app, argc, argv, "district");
    if (!config) return usage(config.problems());
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? kOk : kUsage;
    }
    if (const auto problems = config->apply(app); !problems.empty()) return usage(problems);

    if ((backupCmd->parsed() || restoreCmd->parsed()) && isDatabaseUrl(db))
        return fail({{"--db", "error.backup.postgres", ""}});
    // The district's key: beside its file, or in --keys (a URL needs it).
    if (isDatabaseUrl(db) && keysDir.empty()) return fail({{"--keys", "error.store.keys_required", ""}});
    if (!isDatabaseUrl(db))
        if (const auto refused = refuseRootInOthersDirectory(db)) return fail({*refused});
    const std::filesystem::path keyFile = districtKeyFile(db, keysDir);
    try {
        // Before the database is opened: restore is for a damaged or missing one too.
        if (backupCmd->parsed()) {
            if (backupFile.empty() && backupDir.empty())
                return fail({{"", "error.usage", "backup FILE | --into DIR"}});
            std::cout << backup::describe(backupDir.empty() ? backup::backupTo(db, keyFile, backupFile)
                                                            : backup::backupInto(db, keyFile, backupDir, keep));
            return kOk;
        }
        if (restoreCmd->parsed()) {
            std::cout << backup::describe(backup::restoreFrom(db, keyFile, backupFile));
            return kOk;
        }
        if (init->parsed()) {
            Store store = Store::createDistrict(db, district, name, keyFile);
            std::cout << bilingual("cli.created") << ": " << name << " (" << district << ")\n";
            return kOk;
        }
        if (serveCmd->parsed()) {
            ServerOptions options;
            options.certFile = cert;
            options.keyFile = key;
            options.publicSite = publicSite;
            if (!publicDb.empty() && !isDatabaseUrl(publicDb))
                return fail({{"--public-db", "error.usage", "a PostgreSQL URL: " + publicDb}});
            options.publicDb = publicDb;
            if (!servedToday.empty()) {
                options.today = Date::parse(servedToday);
                if (!options.today) return fail({{"--today", "error.date", servedToday}});
            }
            return serve(db, keyFile, listen, std::move(options), static_cast<std::int64_t>(relayEvery * 1000));
        }
        if (upstream->parsed())
            return enrolUpstream(db, keyFile, upstreamUrl, upstreamCode, upstreamPins, insecureHttp);
        if (relayCmd->parsed()) {
            const auto started = std::chrono::steady_clock::now();
            const auto r = relayOnce(db, keyFile);
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
            (r.ok ? std::cout : std::cerr) << describeRound(r, ms.count()) << "\n";
            return r.ok ? kOk : kFailed;
        }
        // Checked before the database is opened: bad input writes nothing.
        std::optional<Period> assessed;
        if (assessment->parsed()) {
            const auto p = readPeriod(period);
            if (!p) {
                std::cerr << bilingual("cli.error") << ":\n" << describe(p.problems()) << "\n";
                return kUsage;
            }
            assessed = p.value();
        }
        Date asOf = Date::today();
        if (!today.empty()) {
            const auto d = Date::parse(today);
            if (!d) {
                std::cerr << bilingual("cli.error") << ":\n"
                          << describe(Problem{"--today", "error.date", today}) << "\n";
                return kUsage;
            }
            asOf = *d;
        }
        // Only verify reads the whole file; other commands meet damage as
        // they read (StoreError "error.store.corrupt", below).
        Store::OpenOptions opening;
        opening.checkIntegrity = verify->parsed();
        Store store = Store::open(db, opening);
        if (!store.isDistrict()) return fail({{"--db", "error.store.not_a_district", db}});
        if (const int done = runVoice(store, keyFile); done >= 0) return done;
        if (status->parsed()) return printStatus(store);
        if (code->parsed()) {
            if (!isChildOf(store.node().office, office)) {
                return fail({{"--office", "error.office_code", office}});
            }
            Registry registry(db);
            const std::string text =
                registry.addEnrolmentCode(office, static_cast<std::int64_t>(ttlHours * 3600));
            std::cout << text << "\n\n" << qrText(text);
            return kOk;
        }
        if (revoke->parsed()) {
            Registry registry(db);
            if (!registry.revoke(device)) return fail({{"--device", "error.device.unknown", device}});
            std::cout << bilingual("cli.revoked") << ": " << device << "\n";
            return kOk;
        }
        if (exportLogCmd->parsed()) return exportLog(keyFile, store, outFile);
        if (verify->parsed()) {
            const VerifyReport report = store.verify();
            std::cout << describe(report);
            return report.ok() ? kOk : kFailed;
        }
        if (assessed) {
            const std::string ours = store.node().office;
            return writeFile(
                outFile, [&](std::ostream& out) { writeAssessment(store, ours, *assessed, asOf, out); },
                "cli.assessment_written");
        }
        if (exportCmd->parsed()) {
            const std::string ours = store.node().office;
            if (scope != ours && !(isOfficeCode(scope) && inScope(ours, scope)))
                return fail({{"--scope", "error.scope", scope}});
            const DataFormat f = parseDataFormat(format).value_or(DataFormat::csv);
            return writeFile(
                outFile,
                [&](std::ostream& out) {
                    if (what == "commitments")
                        writeCommitments(store, scope, asOf, f, out);
                    else if (what == "history")
                        writeHistory(store, scope, asOf, f, out);
                    else
                        writeFigures(store, scope, asOf, f, out);
                },
                "cli.exported");
        }
        if (digest->parsed()) {
            std::cout << store.digest(office) << "\n";
            return kOk;
        }
        if (publish->parsed()) {
            const auto cat = parseCategory(category);
            const auto k = parseKind(kind);
            if (!cat) return fail({{"--category", "error.category", category}});
            if (!k) return fail({{"--kind", "error.kind", kind}});
            c.id = newUuidV7();
            c.office = store.node().office;
            c.category = *cat;
            c.kind = *k;
            c.published = Date::today();
            if (!deadline.empty()) {
                c.deadline = Date::parse(deadline);
                if (!c.deadline) return fail({{"--deadline", "error.date", deadline}});
            }
            const auto event = store.record(c, "district:" + operatorId);
            if (!event) return fail(event.problems());
            std::cout << bilingual("cli.published") << ": " << c.id << "\n";
            return kOk;
        }
    } catch (const StoreError& e) {
        // The district's own file is never moved or renamed, by any
        // command: its operator restores a backup (DEPLOY.md, Backups).
        if (e.corrupt()) return fail({{"--db", "error.store.corrupt_district", db + ": " + e.what()}});
        return fail({{"", e.messageId(), e.what()}});
    } catch (const std::exception& e) {
        std::cerr << bilingual("cli.error") << ": " << e.what() << "\n";
        return kFailed;
    }
    return kUsage;
}

}  // namespace shouxin::server
