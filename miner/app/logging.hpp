// The log of `nonceforge mine`: stderr (coloured unless --no-color, NO_COLOR or not a
// terminal) and optionally a file that SIGHUP reopens (for logrotate).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>

#include "nonceforge/core/log_level.hpp"

namespace nonceforge::miner::app {

struct LogSettings {
    std::string file; // empty: stderr only
    spdlog::level::level_enum level = spdlog::level::info;
    bool color = true; // false: --no-color or NO_COLOR
};

// The parent folder of `path` must exist (it is not created); the file is opened for
// appending. Returns an empty string or why not.
std::string CheckLogFile(const std::string& path);

// Sets the default spdlog logger. Throws spdlog::spdlog_ex when the file cannot be opened.
void SetUpLogging(const LogSettings& settings);

// Reopens the log file under its name (after logrotate moved it). Returns false without one.
bool ReopenLogFile();

// Writes `text` (one or more lines) to the log file only, when there is one.
void WriteToLogFileOnly(const std::string& text);

// Splits `text` at spaces into lines of at most `width` characters (150 leaves room for the
// 36-character time and level prefix under 200) (a word longer than that
// stays whole); continuation lines are indented by two spaces.
std::vector<std::string> WrapLine(const std::string& text, std::size_t width = 150);

// The program's log level as spdlog's (a protocol dump line is info).
spdlog::level::level_enum SpdlogLevel(core::LogLevel level);

// NO_COLOR (https://no-color.org): set and not empty.
bool NoColorRequested();

} // namespace nonceforge::miner::app
