#include "kernels/gpu_error.hpp"

#include <cuda_runtime.h>

namespace nonceforge::kernels {

namespace {

class CudaCategoryImpl final : public std::error_category {
public:
    const char* name() const noexcept override { return "cuda"; }
    std::string message(int value) const override {
        return cudaGetErrorString(static_cast<cudaError_t>(value));
    }
};

} // namespace

const std::error_category& CudaCategory() {
    static const CudaCategoryImpl category;
    return category;
}

GpuError CudaFailure(const char* call, int status) {
    if (status == cudaSuccess) {
        return {};
    }
    return {std::error_code(status, CudaCategory()), call};
}

bool IsNoDevice(const std::error_code& e) {
    return e.category() == CudaCategory() &&
           (e.value() == cudaErrorNoDevice || e.value() == cudaErrorInsufficientDriver);
}

} // namespace nonceforge::kernels
