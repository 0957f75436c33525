// nonceforge: command-line entry point. main owns the one top-level catch and turns any error
// into a one-line message and a non-zero exit.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "miner/app/command.hpp"

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

} // namespace

int main(int argc, char** argv) {
    try {
        CLI::App app{"nonceforge: a Bitcoin SHA-256d mining client", "nonceforge"};
        app.set_version_flag("-V,--version", VersionText());
        app.require_subcommand(0, 1);

        std::vector<nonceforge::app::Command> commands;
        commands.push_back(nonceforge::app::AddMineCommand(app));
        commands.push_back(nonceforge::app::AddBenchmarkCommand(app));
        commands.push_back(nonceforge::app::AddProfitCommand(app));
        commands.push_back(nonceforge::app::AddProbeCommand(app));
        commands.push_back(nonceforge::app::AddPoolCommand(app));

        // `nonceforge` alone, or with cpuminer-style options and no subcommand, mines.
        std::vector<std::string> args(argv + 1, argv + argc);
        const bool version_or_help = !args.empty() && (args[0] == "-V" || args[0] == "--version" ||
                                                       args[0] == "-h" || args[0] == "--help");
        if (args.empty() || (args[0].starts_with("-") && !version_or_help)) {
            args.insert(args.begin(), "mine");
        }
        std::reverse(args.begin(), args.end()); // CLI11 takes a reversed vector
        try {
            app.parse(std::move(args));
        } catch (const CLI::ParseError& e) {
            return app.exit(e);
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
        return 1;
    }
}
