#include "shared/config_file.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <optional>
#include <set>

namespace shouxin {
namespace {

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = s.find_last_not_of(" \t\r");
    return s.substr(first, last - first + 1);
}

bool isNameChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

std::string where(const std::filesystem::path& path, int line) { return path.string() + ":" + std::to_string(line); }

// Every command of `app`, itself first.
void eachCommand(CLI::App& app, const std::function<void(CLI::App&)>& visit) {
    visit(app);
    for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
        eachCommand(*sub, visit);
}

// The long option `--name` of `app` itself, or null. --config and --help
// are not settings.
CLI::Option* optionNamed(CLI::App& app, const std::string& name) {
    if (name == "config" || name == "help" || name == "help-all") return nullptr;
    for (CLI::Option* opt : app.get_options()) {
        if (!opt->get_lnames().empty() && opt->check_lname(name)) return opt;
    }
    return nullptr;
}

// The commands this run runs: the program and each command parsed below it.
std::vector<CLI::App*> commandsRun(CLI::App& app) {
    std::vector<CLI::App*> run{&app};
    for (std::size_t i = 0; i < run.size(); ++i) {
        for (CLI::App* sub : run[i]->get_subcommands([](CLI::App* s) { return s->parsed(); }))
            run.push_back(sub);
    }
    return run;
}

// --config FILE or --config=FILE in argv, else nothing.
std::optional<std::string> configArgument(int argc, const char* const* argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--") break;
        if (arg == "--config" && i + 1 < argc) return std::string(argv[i + 1]);
        if (arg.starts_with("--config=")) return std::string(arg.substr(9));
    }
    return std::nullopt;
}

}  // namespace

std::string checkTlsPin(const std::string& value) {
    if (value.starts_with("sha256//") && value.size() == 52) return {};
    return "a pinned key is sha256// and 44 characters of base64: " + value;
}

std::string checkListenAddress(const std::string& value) {
    const auto colon = value.rfind(':');
    const std::string port = colon == std::string::npos ? "" : value.substr(colon + 1);
    const bool digits = !port.empty() && port.size() <= 5 && std::all_of(port.begin(), port.end(), [](char c) {
        return c >= '0' && c <= '9';
    });
    if (colon != 0 && digits && std::stoi(port) <= 65535) return {};
    return "HOST:PORT, e.g. 0.0.0.0:8443: " + value;
}

Result<ConfigFile> parseConfigFile(const std::filesystem::path& path, std::string_view text) {
    ConfigFile file{path, {}};
    Problems problems;
    int number = 0;
    for (std::size_t start = 0; start <= text.size();) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view line = trim(text.substr(start, end - start));
        start = end + 1;
        ++number;
        if (line.empty() || line.front() == '#') continue;
        const auto eq = line.find('=');
        const std::string_view name = trim(line.substr(0, eq == std::string_view::npos ? line.size() : eq));
        if (eq == std::string_view::npos || name.empty() ||
            !std::all_of(name.begin(), name.end(), isNameChar)) {
            problems.push_back({where(path, number), "error.config.syntax", std::string(line)});
            continue;
        }
        std::string_view value = trim(line.substr(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
        if (value.empty()) {
            problems.push_back({where(path, number), "error.config.empty", std::string(name)});
            continue;
        }
        file.lines.push_back({std::string(name), std::string(value), number});
    }
    if (!problems.empty()) return problems;
    return file;
}

Result<ConfigFile> readConfigFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Problem{"--config", "error.config.open", path.string()};
    std::string text(kMaxConfigBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxConfigBytes) return Problem{"--config", "error.config.too_long", path.string()};
    if (in.bad()) return Problem{"--config", "error.config.open", path.string()};
    return parseConfigFile(path, text);
}

std::filesystem::path defaultConfigFile(std::string_view program) {
    const char* dir = std::getenv("SHOUXIN_CONFIG_DIR");
    return std::filesystem::path(dir && *dir ? dir : "/etc/shouxin") / (std::string(program) + ".conf");
}

Result<ProgramConfig> ProgramConfig::prepare(CLI::App& app, int argc, const char* const* argv,
                                             std::string_view program) {
    const std::filesystem::path fallback = defaultConfigFile(program);
    app.add_option("--config", CLI::callback_t{},
                   "Settings file, one `name = value` per line, a name being an option without its dashes; "
                   "flags override it (default: " + fallback.string() + " if it exists)")
        ->type_name("FILE")
        ->expected(1);
    ProgramConfig config;
    const auto named = configArgument(argc, argv);
    std::error_code ec;
    if (!named && !std::filesystem::exists(fallback, ec)) return config;
    auto file = readConfigFile(named ? std::filesystem::path(*named) : fallback);
    if (!file) return file.problems();
    config.m_file = std::move(file.value());

    // An option the file sets is no longer one the command line must give.
    std::set<std::string> names;
    for (const ConfigLine& l : config.m_file.lines) names.insert(l.name);
    eachCommand(app, [&](CLI::App& command) {
        for (const std::string& name : names) {
            CLI::Option* opt = optionNamed(command, name);
            if (opt && opt->get_required()) {
                opt->required(false);
                config.m_relaxed.push_back(name);
            }
        }
    });
    return config;
}

Problems ProgramConfig::apply(CLI::App& app) const {
    Problems problems;
    const std::vector<CLI::App*> run = commandsRun(app);
    // What the command line gave, before any line of the file adds to it.
    std::set<const CLI::Option*> fromCommandLine;
    for (CLI::App* command : run)
        for (CLI::Option* opt : command->get_options())
            if (opt->count() > 0) fromCommandLine.insert(opt);

    for (const ConfigLine& l : m_file.lines) {
        CLI::Option* opt = nullptr;
        for (CLI::App* command : run)
            if ((opt = optionNamed(*command, l.name))) break;
        if (!opt) {
            bool elsewhere = false;
            eachCommand(app, [&](CLI::App& command) { elsewhere = elsewhere || optionNamed(command, l.name); });
            if (!elsewhere) problems.push_back({where(m_file.path, l.line), "error.config.unknown", l.name});
            continue;  // a setting of a command not run now
        }
        if (fromCommandLine.contains(opt)) continue;  // the command line overrides the file
        try {
            opt->add_result(opt->get_expected_min() == 0 ? opt->get_flag_value(l.name, l.value) : l.value);
            opt->run_callback();
        } catch (const CLI::Error& e) {
            problems.push_back({where(m_file.path, l.line), "error.config.value", l.name + " = " + l.value + ": " + e.what()});
        }
    }
    // A required option that the file was to give and did not, for this command.
    for (CLI::App* command : run) {
        for (const std::string& name : m_relaxed) {
            const CLI::Option* opt = optionNamed(*command, name);
            if (opt && opt->count() == 0) problems.push_back({"--" + name, "error.config.required", ""});
        }
    }
    return problems;
}

}  // namespace shouxin
