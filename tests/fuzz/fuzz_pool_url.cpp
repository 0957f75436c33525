// libFuzzer target: ParsePoolUrl on arbitrary text. A URL it accepts must print (ToString) as a
// URL it accepts again, naming the same host, port and TLS choice.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "nonceforge/stratum/pool_url.hpp"

using nonceforge::stratum::ParsePoolUrl;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto url = ParsePoolUrl(text);
    if (!url) {
        return 0;
    }
    auto again = ParsePoolUrl(url->ToString());
    if (!again || again->host != url->host || again->port != url->port || again->tls != url->tls) {
        std::abort();
    }
    return 0;
}
