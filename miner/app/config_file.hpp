// `--config FILE` (`-c FILE`): a JSON object whose keys are the long option names of the
// subcommand without dashes ("url", "threads", "backup-url": [...], "no-cpu": true). It is the
// same contract as the command line: each key has its flag's effect and checks, and a flag given
// on the command line beats the file. A bad file is a one-line error naming file and key.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "nonceforge/core/expected.hpp"

namespace nonceforge::miner::app {

constexpr std::size_t MAX_CONFIG_BYTES = 1024 * 1024;

struct ConfigEntry {
    std::string key;
    std::vector<std::string> values; // numbers as written in the file, booleans "true"/"false"
    bool is_list = false;            // the JSON value was an array
    bool is_bool = false;            // the JSON value was true or false
};

// Pure: the text of a config file into entries, or why not (without the file name).
core::Expected<std::vector<ConfigEntry>, std::string> ParseConfigText(std::string_view text);

// Reads `path` (a regular file of at most MAX_CONFIG_BYTES) and applies it to `cmd`'s options
// that the command line left unset, running each option's own checks. Returns an empty string,
// or the one-line error ("config file cfg.json: key 'threads': ...").
std::string ApplyConfigFile(CLI::App& cmd, const std::string& path);

} // namespace nonceforge::miner::app
