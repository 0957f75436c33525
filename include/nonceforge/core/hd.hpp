// NF_HD marks functions that compile for both the host and a CUDA device. The core headers
// use it so the same reference SHA-256 serves the CPU, the tests and the GPU kernels.
#pragma once

#if defined(__CUDACC__)
#define NF_HD __host__ __device__
#else
#define NF_HD
#endif
