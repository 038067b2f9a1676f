// The operand conversions that let a training step run its forward product on sparse tensor
// cores (two_four_mma_sp.cu, two_four_wgmma.cu). The weight's fp32 values change every step
// while its 2:4 pattern does not, so the host builds once per mask a map from each packed
// 16-bit slot to the stored value it holds; each step gathers and rounds through it. The
// activations are rounded to 16 bits into the kernel's padded K x N layout, and the padded fp32
// output is cropped back to the layer's shape.
// Rounding is to nearest even, as the host's HalfFormat does.
#include "common.cuh"
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#define P4J_TF_FOR(i, n) \
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < (n); i += (long long)gridDim.x * blockDim.x)

namespace {
__device__ __forceinline__ uint16_t to_half_bits(float v, int bf16) {
  return bf16 ? __bfloat16_as_ushort(__float2bfloat16_rn(v)) : __half_as_ushort(__float2half_rn(v));
}
}  // namespace

// packed[s] = half(values[source[s]]), zero where source[s] < 0.
P4J_KERNEL void p4j_two_four_pack(long long slots, const int* __restrict__ source, const float* __restrict__ values,
                                  int bf16, uint16_t* __restrict__ packed) {
  P4J_TF_FOR(s, slots) { packed[s] = source[s] >= 0 ? to_half_bits(values[source[s]], bf16) : (uint16_t)0; }
}

// xh (k_pad x n_pad, 16-bit, row-major) = x (k x n, feature-major) padded with zeros. Batch-major
// activations are transposed first by p4j_transpose_batched, so both kernels here read and
// write along rows.
P4J_KERNEL void p4j_two_four_activations(int k, int n, int k_pad, int n_pad, int bf16, const float* __restrict__ x,
                                         uint16_t* __restrict__ xh) {
  P4J_TF_FOR(i, (long long)k_pad * n_pad) {
    const int r = (int)(i / n_pad), c = (int)(i % n_pad);
    xh[i] = to_half_bits(r < k && c < n ? x[(long long)r * n + c] : 0.f, bf16);
  }
}

// y (rows x n) = the first rows x n of y_pad (rows_pad x n_pad).
P4J_KERNEL void p4j_two_four_crop(int rows, int n, int n_pad, const float* __restrict__ y_pad, float* __restrict__ y) {
  P4J_TF_FOR(i, (long long)rows * n) { y[i] = y_pad[(i / n) * n_pad + i % n]; }
}
