// Subcommands register themselves on the root CLI11 app and hand back what to run once the
// command line has been parsed. Each command lives in its own file.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace nonceforge::miner::app {

struct Command {
    CLI::App* cli = nullptr;
    std::function<int()> run; // exit status
};

Command AddBenchmarkCommand(CLI::App& root);
Command AddMineCommand(CLI::App& root);
Command AddPoolCommand(CLI::App& root);
Command AddProbeCommand(CLI::App& root);
Command AddProfitCommand(CLI::App& root);

} // namespace nonceforge::miner::app
