#pragma once
// The pieces of `shouxin` (the office node's command line) that its files
// share: the options every command reads, exit codes, how errors and
// labels are printed, and the commands run() (cli.cpp) dispatches to in
// cli_sync.cpp (enrol, sync, heal) and cli_clerks.cpp (clerk accounts and
// the office key). Internal to sync/cli.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "shared/result.hpp"
#include "shared/store.hpp"

namespace shouxin::cli {

/// Exit status: done, the command failed, wrong usage.
inline constexpr int kOk = 0;
inline constexpr int kFailed = 1;
inline constexpr int kUsage = 2;

/// Every flag of every command, as CLI11 and the configuration file fill them.
struct Options {
    std::string db;
    std::string today;
    // init
    std::string office;
    std::string name;
    std::string officeKey;  // and office-key
    // digest
    std::string scope;
    // audit
    std::string logFile;
    std::string districtKey;
    // report
    std::string commitment;
    std::string status;
    int progress = -1;
    std::string note;
    std::string clerk;
    std::string date;
    std::string reason;
    std::string legalBasis;
    std::vector<std::string> evidence;
    // list
    std::string area;
    std::string filterStatus;
    // enroll, sync
    std::string url;
    std::string code;
    bool insecureHttp = false;
    std::vector<std::string> pins;
    // clerk
    std::string clerkId;
    std::string clerkName;
    std::string role;
    bool pinStdin = false;
    bool once = false;
    bool daemon = false;
    int retries = 3;
    double interval = 300;
    std::size_t pushBatch = 1000;
    std::size_t pullPage = 1000;
    // export, disclosure
    std::string format;
    std::string out;
    std::string period;
    std::string site;
    // import
    std::string importFile;
    bool apply = false;
    // backup, restore
    std::string backupFile;
    std::string into;
    int keep = 0;
};

/// Prints the problems in both languages; kFailed.
int fail(const Problems& problems);
int fail(std::string_view messageId, std::string_view detail);
/// Wrong usage (a flag, a line of the configuration file); kUsage.
int usage(const Problems& problems);
/// A catalogue message in Chinese, then English, on one line.
std::string label(std::string_view messageId);
/// `text` padded with spaces to `width` terminal columns (CJK take two).
std::string pad(std::string_view text, std::size_t width);

// cli.cpp
int cmdVerify(const Store& store);

// cli_sync.cpp
int cmdEnroll(Store& store, const Options& o);
/// One round (--once, with --retries), or rounds on a schedule until
/// SIGTERM (--daemon).
int cmdSync(Store& store, const Options& o);
/// Heals a damaged node from the district and says what came back; then
/// verifies it (thenVerify), or a daemon goes on syncing it.
int healThenGoOn(const Options& o, bool thenVerify);

// cli_clerks.cpp
int cmdClerkAdd(Store& store, const Options& o);
int cmdClerkList(const Store& store);
int cmdClerkSetPin(Store& store, const Options& o);
int cmdOfficeKey(Store& store, const Options& o);
int cmdClerkDisable(Store& store, const Options& o);

}  // namespace shouxin::cli
