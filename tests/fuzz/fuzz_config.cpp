// libFuzzer target: the `--config FILE` reader on arbitrary bytes. Bad input must come out as
// CLI::ConversionError (CLI11 reports it with the file name); anything else escaping is a bug.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "miner/app/json_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    try {
        const auto items = nonceforge::app::JsonConfig().from_config(in);
        for (const auto& item : items) {
            (void)item.fullname();
        }
    } catch (const CLI::ConversionError&) {
    }
    return 0;
}
