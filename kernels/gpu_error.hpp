// CUDA errors as values the callers can branch on: a std::error_code in the CUDA category
// (the value is the cudaError_t) and, for people, the name of the call that failed. Plain C++
// (no CUDA types), like the launcher header.
#pragma once

#include <string>
#include <system_error>

namespace nonceforge::kernels {

// Messages are cudaGetErrorString's.
const std::error_category& CudaCategory();

// A failed CUDA call. Empty (false) on success.
struct GpuError {
    std::error_code code; // CudaCategory(): branch on this
    std::string call;     // "cudaMalloc", "tuned kernel launch": for the log
    explicit operator bool() const { return bool(code); }
    std::string Message() const { return call + ": " + code.message(); }
};

// `status` is the cudaError_t a call returned; cudaSuccess gives an empty GpuError.
GpuError CudaFailure(const char* call, int status);

// The machine has no GPU to use (no driver, or a driver that sees no device): a reason to skip
// GPU work, not a fault of a device.
bool IsNoDevice(const std::error_code& e);

} // namespace nonceforge::kernels
