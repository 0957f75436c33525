#include "miner/app/logging.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <sstream>
#include <sys/stat.h>

#include <spdlog/details/file_helper.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

namespace nonceforge::miner::app {

namespace {

// A file sink whose file can be reopened under its name.
class ReopenableFileSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    explicit ReopenableFileSink(const std::string& path) { m_file.open(path, false); }

    void Reopen() {
        std::lock_guard lock(mutex_);
        m_file.reopen(false);
    }

    void WriteRaw(const std::string& text) {
        std::lock_guard lock(mutex_);
        spdlog::memory_buf_t buf;
        buf.append(text.data(), text.data() + text.size());
        m_file.write(buf);
        m_file.flush();
    }

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        spdlog::memory_buf_t formatted;
        formatter_->format(msg, formatted);
        m_file.write(formatted);
    }
    void flush_() override { m_file.flush(); }

private:
    spdlog::details::file_helper m_file;
};

// The current file sink, for SIGHUP and the summary (the logger keeps it alive too).
std::mutex g_file_mutex;
std::shared_ptr<ReopenableFileSink> g_file_sink;

} // namespace

std::vector<std::string> WrapLine(const std::string& text, std::size_t width) {
    std::vector<std::string> lines;
    std::string current;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t space = text.find(' ', pos);
        if (space == std::string::npos) {
            space = text.size();
        }
        const std::string word = text.substr(pos, space - pos);
        pos = space + 1;
        if (!current.empty() && current.size() + 1 + word.size() > width) {
            lines.push_back(std::move(current));
            current = "  " + word;
        } else {
            current += (current.empty() ? "" : " ") + word;
        }
    }
    if (!current.empty() || lines.empty()) {
        lines.push_back(std::move(current));
    }
    return lines;
}

bool NoColorRequested() {
    const char* v = std::getenv("NO_COLOR");
    return v != nullptr && *v != '\0';
}

std::string CheckLogFile(const std::string& path) {
    if (path.empty()) {
        return "must not be empty";
    }
    const std::size_t slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "."
                            : slash == 0               ? "/"
                                                       : path.substr(0, slash);
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        return "'" + path + "': the folder " + dir + " does not exist (it is not created)";
    }
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
        return "'" + path + "' is a directory";
    }
    std::FILE* f = std::fopen(path.c_str(), "a");
    if (f == nullptr) {
        return "'" + path + "': cannot be opened for writing (" + std::strerror(errno) + ")";
    }
    std::fclose(f);
    return {};
}

void SetUpLogging(const LogSettings& settings) {
    std::vector<spdlog::sink_ptr> sinks;
    sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>(
        settings.color ? spdlog::color_mode::automatic : spdlog::color_mode::never));
    std::shared_ptr<ReopenableFileSink> file;
    if (!settings.file.empty()) {
        file = std::make_shared<ReopenableFileSink>(settings.file);
        sinks.push_back(file);
    }
    auto logger = std::make_shared<spdlog::logger>("nonceforge", sinks.begin(), sinks.end());
    logger->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%^%l%$] %v");
    logger->set_level(settings.level);
    logger->flush_on(spdlog::level::debug);
    spdlog::set_default_logger(logger);
    std::lock_guard lock(g_file_mutex);
    g_file_sink = std::move(file);
}

bool ReopenLogFile() {
    std::shared_ptr<ReopenableFileSink> file;
    {
        std::lock_guard lock(g_file_mutex);
        file = g_file_sink;
    }
    if (!file) {
        return false;
    }
    file->Reopen();
    return true;
}

void WriteToLogFileOnly(const std::string& text) {
    std::shared_ptr<ReopenableFileSink> file;
    {
        std::lock_guard lock(g_file_mutex);
        file = g_file_sink;
    }
    if (file) {
        file->WriteRaw(text);
    }
}

spdlog::level::level_enum SpdlogLevel(core::LogLevel level) {
    switch (level) {
    case core::LogLevel::Debug:
        return spdlog::level::debug;
    case core::LogLevel::Info:
    case core::LogLevel::Protocol:
        return spdlog::level::info;
    case core::LogLevel::Warn:
        return spdlog::level::warn;
    case core::LogLevel::Error:
        return spdlog::level::err;
    }
    return spdlog::level::info;
}

} // namespace nonceforge::miner::app
