#include "miner/hash_backend.hpp"

namespace nonceforge::miner {

namespace {

class HashErrorCategoryImpl final : public std::error_category {
public:
    const char* name() const noexcept override { return "nonceforge.hash"; }
    std::string message(int value) const override {
        switch (HashError(value)) {
        case HashError::device_fault:
            return "the hashing device failed";
        case HashError::self_test_mismatch:
            return "self-test answers differ from the reference sha256d";
        }
        return "unknown hashing error " + std::to_string(value);
    }
};

} // namespace

const std::error_category& HashErrorCategory() {
    static const HashErrorCategoryImpl category;
    return category;
}

} // namespace nonceforge::miner
