// Shared helpers for Prune4J kernels. Every kernel is extern "C" so the host finds it by
// its plain name with cuModuleGetFunction.
#pragma once
#include <cstdint>

#define P4J_KERNEL extern "C" __global__

__device__ __forceinline__ int p4j_ceil_div(int a, int b) { return (a + b - 1) / b; }
