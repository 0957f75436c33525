#include "miner/app/config_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

namespace nonceforge::miner::app {

namespace {

// Scalars as the command line would spell them; nullopt for objects and null.
std::optional<std::string> ScalarText(const nlohmann::json& v) {
    if (v.is_string()) {
        return v.get<std::string>();
    }
    if (v.is_boolean()) {
        return v.get<bool>() ? "true" : "false";
    }
    if (v.is_number_integer() || v.is_number_unsigned()) {
        return v.dump();
    }
    if (v.is_number_float()) {
        // dump() keeps the shortest text that reads back exactly: 0.5, 1e-05, 2.0
        return v.dump();
    }
    return std::nullopt;
}

} // namespace

core::Expected<std::vector<ConfigEntry>, std::string> ParseConfigText(std::string_view text) {
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return core::MakeUnexpected(std::string("empty: expected a JSON object such as "
                                                "{\"url\": \"stratum+tcp://host:port\"}"));
    }
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        const auto* pe = dynamic_cast<const nlohmann::json::parse_error*>(&e);
        return core::MakeUnexpected(
            "not valid JSON" + (pe ? " (byte " + std::to_string(pe->byte) + ")" : std::string()));
    }
    if (!j.is_object()) {
        return core::MakeUnexpected(std::string("must be a JSON object of option names, got ") +
                                    j.type_name());
    }
    std::vector<ConfigEntry> entries;
    for (const auto& item : j.items()) {
        ConfigEntry e;
        e.key = item.key();
        const nlohmann::json& v = item.value();
        if (v.is_array()) {
            e.is_list = true;
            for (const auto& element : v) {
                auto t = ScalarText(element);
                if (!t || element.is_boolean()) {
                    return core::MakeUnexpected("key '" + e.key +
                                                "': list items must be strings or numbers");
                }
                e.values.push_back(std::move(*t));
            }
        } else {
            auto t = ScalarText(v);
            if (!t) {
                return core::MakeUnexpected("key '" + e.key +
                                            "': must be a string, number, "
                                            "boolean or list, got " +
                                            v.type_name());
            }
            e.is_bool = v.is_boolean();
            e.values.push_back(std::move(*t));
        }
        entries.push_back(std::move(e));
    }
    return entries;
}

namespace {

bool IsFlag(const CLI::Option& opt) {
    return opt.get_type_size_max() == 0 || opt.get_expected_max() == 0;
}

bool TakesList(const CLI::Option& opt) {
    return opt.get_expected_max() > 1 || opt.get_type_size_max() > 1 ||
           opt.get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll;
}

std::string ApplyEntry(CLI::App& cmd, const ConfigEntry& e) {
    CLI::Option* opt = nullptr;
    for (CLI::Option* o : cmd.get_options()) {
        for (const std::string& name : o->get_lnames()) {
            if (name == e.key) {
                opt = o;
            }
        }
    }
    if (opt == nullptr || e.key == "config" || e.key == "help") {
        return "key '" + e.key + "': not an option of '" + cmd.get_name() +
               "' (keys are its long options without dashes; see --help)";
    }
    if (opt->count() > 0) {
        return {}; // given on the command line: the command line wins
    }
    if (IsFlag(*opt)) {
        if (!e.is_bool) {
            return "key '" + e.key + "': a switch: must be true or false";
        }
        if (e.values[0] == "true") {
            opt->add_result(std::string("true"));
            opt->run_callback();
        }
        return {};
    }
    if (e.is_bool) {
        return "key '" + e.key + "': takes a value, not true/false";
    }
    if (e.is_list && !TakesList(*opt)) {
        return "key '" + e.key + "': takes one value, not a list";
    }
    try {
        opt->add_result(e.values);
        opt->run_callback();
    } catch (const CLI::ParseError& err) {
        std::string what = err.what();
        // CLI11 prefixes the option's name ("--threads: ..."): say the key instead.
        const std::string prefix = "--" + e.key + ": ";
        if (what.rfind(prefix, 0) == 0) {
            what = what.substr(prefix.size());
        }
        return "key '" + e.key + "': " + what;
    }
    return {};
}

} // namespace

std::string ApplyConfigFile(CLI::App& cmd, const std::string& path) {
    const std::string where = "config file " + path + ": ";
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return where + "cannot be read (" + std::strerror(errno) + ")";
    }
    if (!S_ISREG(st.st_mode)) {
        return where + (S_ISDIR(st.st_mode) ? "is a directory" : "is not a regular file");
    }
    if (std::size_t(st.st_size) > MAX_CONFIG_BYTES) {
        return where + "larger than 1 MiB";
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return where + "cannot be read";
    }
    std::string text;
    text.reserve(std::size_t(st.st_size));
    char buf[4096];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        text.append(buf, std::size_t(in.gcount()));
        if (text.size() > MAX_CONFIG_BYTES) {
            return where + "larger than 1 MiB";
        }
    }
    auto entries = ParseConfigText(text);
    if (!entries) {
        return where + entries.error();
    }
    for (const ConfigEntry& e : *entries) {
        if (std::string error = ApplyEntry(cmd, e); !error.empty()) {
            return where + error;
        }
    }
    return {};
}

} // namespace nonceforge::miner::app
