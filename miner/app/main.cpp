// nonceforge: command-line entry point. main owns the one top-level catch and turns any error
// into a one-line message and a non-zero exit.
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
        commands.push_back(nonceforge::app::AddBenchmarkCommand(app));

        CLI11_PARSE(app, argc, argv);

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
