#pragma once
// A program's configuration file, /etc/shouxin/<program>.conf: the
// settings county IT sets once per machine (where the database is, the
// district's address and pinned key, the sync interval, the kiosk's idle
// timeout, language and read-out voice). Each line is `name = value`, the
// name being one of the program's long options without its dashes; `#`
// starts a comment line. A flag given on the command line overrides the
// file; every value goes through the same checks as the flag, and a wrong
// one is reported with the file and line it came from.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "shared/result.hpp"

namespace CLI {
class App;
}

namespace shouxin {

struct ConfigLine {
    std::string name;
    std::string value;
    int line = 0;
};

struct ConfigFile {
    std::filesystem::path path;
    std::vector<ConfigLine> lines;
};

/// The largest configuration file read; a longer one is refused unread.
constexpr std::size_t kMaxConfigBytes = 64 * 1024;

/// Parses `text` as the contents of `path`. Problems name "path:line".
Result<ConfigFile> parseConfigFile(const std::filesystem::path& path, std::string_view text);
Result<ConfigFile> readConfigFile(const std::filesystem::path& path);

/// Where `program`'s file is looked for when --config does not say:
/// $SHOUXIN_CONFIG_DIR/<program>.conf, else /etc/shouxin/<program>.conf.
std::filesystem::path defaultConfigFile(std::string_view program);

/// Checks of setting values the programs share, for CLI11's check(): ""
/// when good, else what is wrong.
/// A pinned TLS key: sha256// and 44 characters of base64.
std::string checkTlsPin(const std::string& value);
/// HOST:PORT to listen on, the port 0 to 65535.
std::string checkListenAddress(const std::string& value);

/// The configuration of one run of a CLI11 program. Use:
///
///     auto config = ProgramConfig::prepare(app, argc, argv, "node");
///     if (!config) → report config.problems(), exit 2
///     app.parse(argc, argv);
///     if (const auto problems = config->apply(app); !problems.empty()) → report, exit 2
///
/// prepare() adds --config FILE to `app` and reads the file it names (or
/// the default file, when one exists). Options the file sets stop being
/// required on the command line; apply() then gives each option the
/// command line left unset its value from the file. A name that is an
/// option of a command not being run is left alone; a name that is no
/// option anywhere is a problem.
class ProgramConfig {
public:
    static Result<ProgramConfig> prepare(CLI::App& app, int argc, const char* const* argv,
                                         std::string_view program);

    Problems apply(CLI::App& app) const;

    /// The file read, or empty when there was none.
    const std::filesystem::path& path() const { return m_file.path; }

private:
    ConfigFile m_file;
    std::vector<std::string> m_relaxed;  // options made optional because the file sets them
};

}  // namespace shouxin
