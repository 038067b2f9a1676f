// Shared helpers for Prune4J kernels. Every kernel is extern "C" so the host finds it by
// its plain name with cuModuleGetFunction.
#pragma once
#include <cstdint>

#define P4J_KERNEL extern "C" __global__

__device__ __forceinline__ int p4j_ceil_div(int a, int b) { return (a + b - 1) / b; }

// Warps per 128-thread block in the warp-per-row and warp-per-tile kernels; the host launch
// code divides by the same number.
constexpr int P4J_WARPS = 4;
