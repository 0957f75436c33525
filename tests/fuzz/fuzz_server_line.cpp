// libFuzzer target: one line from the pool through ParseServerLine, and every response through
// each result reader a pending request could hand it to. Nothing may crash, throw or hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "nonceforge/stratum/parser.hpp"

using namespace nonceforge::stratum;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string_view line(reinterpret_cast<const char*>(data), size);
    auto message = ParseServerLine(line);
    if (!message) {
        (void)message.error().Message();
        return 0;
    }
    if (const auto* r = std::get_if<Response>(&*message)) {
        (void)r->id.ToString();
        (void)r->id.AsClientId();
        if (r->error) {
            (void)r->error->ToString();
        }
        (void)ParseSubscribeResult(*r);
        (void)ParseConfigureResult(*r);
        (void)ParseAuthorizeResult(*r);
        (void)ParseAcknowledgement(*r);
        if (auto outcome = ParseSubmitResult(*r); outcome) {
            (void)IsStaleReason(r->error ? r->error->code : std::nullopt, outcome->reason);
        }
    }
    return 0;
}
