// CLI11 reads `--config FILE` through this: a JSON object whose keys are the long option
// names without dashes ("url", "threads", "backup-url": [...]). Unknown keys are an error
// that names them (the command sets allow_config_extras(error)).
#pragma once

#include <istream>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace nonceforge::app {

class JsonConfig : public CLI::Config {
public:
    std::string to_config(const CLI::App* app, bool default_also, bool,
                          std::string) const override {
        nlohmann::json j = nlohmann::json::object();
        for (const CLI::Option* opt : app->get_options()) {
            if (opt->get_lnames().empty() || !opt->get_configurable()) {
                continue;
            }
            const std::string name = opt->get_lnames()[0];
            if (opt->count() > 0) {
                j[name] = opt->as<std::string>();
            } else if (default_also && !opt->get_default_str().empty()) {
                j[name] = opt->get_default_str();
            }
        }
        return j.dump(2);
    }

    std::vector<CLI::ConfigItem> from_config(std::istream& input) const override {
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(input);
        } catch (const nlohmann::json::exception& e) {
            throw CLI::ConversionError(std::string("config file is not valid JSON: ") + e.what());
        }
        if (!j.is_object()) {
            throw CLI::ConversionError("config file must hold a JSON object of option names");
        }
        std::vector<CLI::ConfigItem> result;
        for (const auto& entry : j.items()) {
            // Not a structured binding: clang 14 cannot capture one in the lambda below.
            const std::string key = entry.key();
            const nlohmann::json& value = entry.value();
            CLI::ConfigItem item;
            item.name = key;
            auto text = [&](const nlohmann::json& v) -> std::string {
                if (v.is_string()) {
                    return v.get<std::string>();
                }
                if (v.is_boolean()) {
                    return v.get<bool>() ? "true" : "false";
                }
                if (v.is_number()) {
                    return v.dump();
                }
                throw CLI::ConversionError("config key '" + key +
                                           "' must be a string, number, boolean or list");
            };
            if (value.is_array()) {
                for (const auto& e : value) {
                    item.inputs.push_back(text(e));
                }
            } else {
                item.inputs.push_back(text(value));
            }
            result.push_back(std::move(item));
        }
        return result;
    }
};

} // namespace nonceforge::app
