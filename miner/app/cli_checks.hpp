// Checks shared by every subcommand: the exit-status table and CLI11 validators for numbers.
// A validator reads the text as given, so "nan", "inf", "1e999" and "10s" are refused with a
// message that names the accepted range in human form, before anything starts.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace nonceforge::miner::app {

// The exit statuses of every command (docs/cli.md).
enum ExitStatus : int {
    EXIT_OK = 0,      // finished: duration reached, stopped by a signal, report printed
    EXIT_RUNTIME = 1, // a runtime failure: pools unreachable after --retries, I/O, internal
    EXIT_USAGE = 2,   // bad command line or config file; nothing was started
};

// A finite decimal number in [min, max] (an open bound when the flag says so), e.g.
// Number("seconds", 0, false, 1e9) gives "must be a number of seconds > 0 and <= 1e9".
// `unit` is a plural noun or empty.
CLI::Validator Number(const std::string& unit, double min, bool min_inclusive, double max,
                      bool max_inclusive = true);
// A whole number in [min, max].
CLI::Validator Count(long long min, long long max);

// -a/--algo: sha256d (or sha256, as cpuminer spells it); anything else says that only sha256d
// is mined.
CLI::Validator Algorithm();

// Parses a finite double from the whole of `text` (no suffix, no NaN, no infinity).
bool ParseFinite(const std::string& text, double& out);

// "%g" without the 300-digit renderings of huge bounds.
std::string HumanNumber(double v);

} // namespace nonceforge::miner::app
