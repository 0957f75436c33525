// nonceforge: command-line entry point. main installs the signal handlers before anything else,
// owns the one top-level catch and turns every error into one line on stderr and the exit
// status of docs/cli.md (0 done, 1 runtime failure, 2 usage or config error).
#include <algorithm>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "miner/app/cli_checks.hpp"
#include "miner/app/command.hpp"
#include "miner/app/logging.hpp"
#include "miner/app/signals.hpp"

namespace {

std::string VersionText() {
    std::string v = "nonceforge " NF_VERSION;
#if NF_HAVE_CUDA
    v += " (CUDA GPU support built in)";
#else
    v += " (GPU support not built in: built without the CUDA toolkit)";
#endif
    return v;
}

bool IsSubcommand(const std::string& arg) {
    return arg == "mine" || arg == "benchmark" || arg == "profit" || arg == "probe" ||
           arg == "pool";
}

// `nonceforge` alone, or with options and no subcommand, mines (cpuminer's habit); cpuminer's
// `--benchmark` among them runs `benchmark` instead.
std::vector<std::string> ImplicitSubcommand(std::vector<std::string> args) {
    const bool version_or_help = !args.empty() && (args[0] == "-V" || args[0] == "--version" ||
                                                   args[0] == "-h" || args[0] == "--help");
    if (version_or_help || (!args.empty() && IsSubcommand(args[0]))) {
        if (args.empty() || args[0] != "mine") {
            return args;
        }
        args.erase(args.begin());
    }
    const auto bench = std::find(args.begin(), args.end(), "--benchmark");
    if (bench != args.end()) {
        args.erase(bench);
        args.insert(args.begin(), "benchmark");
    } else {
        args.insert(args.begin(), "mine");
    }
    return args;
}

} // namespace

int main(int argc, char** argv) {
    nonceforge::miner::app::InstallSignalHandlers();
    try {
        // Every command logs to stderr (stdout is for reports); `mine` adds its own settings.
        nonceforge::miner::app::SetUpLogging(
            {"", spdlog::level::info, !nonceforge::miner::app::NoColorRequested()});
        CLI::App app{"nonceforge: a Bitcoin SHA-256d mining client", "nonceforge"};
        app.set_version_flag("-V,--version", VersionText());
        app.require_subcommand(0, 1);
        app.footer("Options without a subcommand mean `mine` (cpuminer style: nonceforge -o URL "
                   "-u USER); `nonceforge --benchmark` means `benchmark`.\n"
                   "`nonceforge COMMAND --help` lists a command's options; docs/cli.md has them "
                   "all, the config file and the exit statuses.\n"
                   "Exit status: 0 done, 1 runtime failure, 2 bad command line or config.");

        std::vector<nonceforge::miner::app::Command> commands;
        commands.push_back(nonceforge::miner::app::AddMineCommand(app));
        commands.push_back(nonceforge::miner::app::AddBenchmarkCommand(app));
        commands.push_back(nonceforge::miner::app::AddProfitCommand(app));
        commands.push_back(nonceforge::miner::app::AddProbeCommand(app));
        commands.push_back(nonceforge::miner::app::AddPoolCommand(app));

        std::vector<std::string> args =
            ImplicitSubcommand(std::vector<std::string>(argv + 1, argv + argc));
        std::reverse(args.begin(), args.end()); // CLI11 takes a reversed vector
        try {
            app.parse(std::move(args));
        } catch (const CLI::CallForHelp& e) {
            return app.exit(e);
        } catch (const CLI::CallForAllHelp& e) {
            return app.exit(e);
        } catch (const CLI::CallForVersion& e) {
            return app.exit(e);
        } catch (const CLI::ParseError& e) {
            std::string what = e.what();
            std::replace(what.begin(), what.end(), '\n', ' ');
            std::fprintf(stderr, "nonceforge: %s (see nonceforge --help)\n", what.c_str());
            return nonceforge::miner::app::EXIT_USAGE;
        }

        for (const auto& c : commands) {
            if (c.cli->parsed()) {
                return c.run();
            }
        }
        std::cout << app.help();
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nonceforge: %s\n", e.what());
        return nonceforge::miner::app::EXIT_RUNTIME;
    }
}
