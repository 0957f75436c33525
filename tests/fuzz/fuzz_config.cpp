// libFuzzer target: the `--config FILE` reader on arbitrary bytes. Every input must come out as
// entries or as an error value; an exception or a crash escaping is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "miner/app/config_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto entries = nonceforge::miner::app::ParseConfigText(text);
    if (entries) {
        for (const auto& e : *entries) {
            if (e.values.empty() && !e.is_list) {
                __builtin_trap(); // a scalar key always carries its one value
            }
        }
    }
    return 0;
}
