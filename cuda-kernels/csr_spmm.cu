// CSR SpMM, Y[rows x n] = W[rows x k] * X[k x n], all row-major.
//
// Work split (after Gale et al., SC20, in our own form): a group of L lanes (a whole warp, or an
// 8-lane sub-warp when Y is narrow, so n = 1 does not leave 31 of 32 lanes idle) owns one row of
// W and a strip of L*V output columns; the group loads L (column, value) pairs of the row with
// one coalesced access, then broadcasts each pair with a shuffle inside the group while every
// lane multiplies it into its V consecutive columns of X (a V-wide vector load when rows of X
// are aligned). Rows are visited in the order `row_order` gives: the host sorts rows by length,
// longest first, so blocks that start together finish together ("row swizzle"). Values and X
// may be fp32, fp16 or bf16; accumulation and Y are fp32.
#include "common.cuh"
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <type_traits>

namespace {
__device__ __forceinline__ float to_f32(float v) { return v; }
__device__ __forceinline__ float to_f32(__half v) { return __half2float(v); }
__device__ __forceinline__ float to_f32(__nv_bfloat16 v) { return __bfloat162float(v); }



// V consecutive values of one X row, zero past the end; one 16-byte load for aligned fp32.
template <typename T, int V>
__device__ __forceinline__ void load_x(const T* __restrict__ x, size_t off, int avail, float (&xv)[V]) {
  if constexpr (std::is_same<T, float>::value && V == 4) {
    if (avail >= 4 && (off & 3) == 0) {
      float4 q = *reinterpret_cast<const float4*>(x + off);
      xv[0] = q.x; xv[1] = q.y; xv[2] = q.z; xv[3] = q.w;
      return;
    }
  }
#pragma unroll
  for (int v = 0; v < V; v++) xv[v] = v < avail ? to_f32(x[off + v]) : 0.f;
}

template <typename T, int V, int L>
__device__ void csr_spmm(int rows, int n, const int* __restrict__ row_ptr, const int* __restrict__ col_idx,
                         const T* __restrict__ values, const int* __restrict__ row_order,
                         const T* __restrict__ x, float* __restrict__ y) {
  static_assert(L == 32 || L == 16 || L == 8, "lane groups of 8, 16 or 32");
  const int lane = threadIdx.x & (L - 1);
  // Lanes of one group share a row; groups in a warp run independently (their own shuffle mask).
  const unsigned group_mask = L == 32 ? 0xffffffffu : (((1u << L) - 1) << ((threadIdx.x & 31) & ~(L - 1)));
  const int slot = blockIdx.x * (P4J_WARPS * 32 / L) + threadIdx.x / L;
  if (slot >= rows) return;
  const int row = row_order ? row_order[slot] : slot;
  const int col0 = (blockIdx.y * L + lane) * V;
  const int avail = n - col0;
  float acc[V] = {};
  const int begin = row_ptr[row], end = row_ptr[row + 1];
  for (int base = begin; base < end; base += L) {
    const int p = base + lane;
    int c = 0;
    float w = 0.f;
    if (p < end) {
      c = col_idx[p];
      w = to_f32(values[p]);
    }
    const int count = min(L, end - base);
    for (int j = 0; j < count; j++) {
      const int cj = __shfl_sync(group_mask, c, j, L);
      const float wj = __shfl_sync(group_mask, w, j, L);
      if (avail > 0) {
        float xv[V];
        load_x<T, V>(x, (size_t)cj * n + col0, avail, xv);
#pragma unroll
        for (int v = 0; v < V; v++) acc[v] = fmaf(wj, xv[v], acc[v]);
      }
    }
  }
  if (avail > 0) {
#pragma unroll
    for (int v = 0; v < V; v++)
      if (v < avail) y[(size_t)row * n + col0 + v] = acc[v];
  }
}
}  // namespace

// Launch: block (128), grid (ceil(rows / (4 * 32 / L)), ceil(n / (L * V))). V = 4 for fp32, 2 for
// the 16-bit kernels; L = 32 (suffix none) or 8 (suffix _narrow, for n <= 8 * V).
P4J_KERNEL void p4j_csr_spmm_f32(int rows, int n, const int* row_ptr, const int* col_idx, const float* values,
                                 const int* row_order, const float* x, float* y) {
  csr_spmm<float, 4, 32>(rows, n, row_ptr, col_idx, values, row_order, x, y);
}

P4J_KERNEL void p4j_csr_spmm_f32_narrow(int rows, int n, const int* row_ptr, const int* col_idx, const float* values,
                                        const int* row_order, const float* x, float* y) {
  csr_spmm<float, 4, 8>(rows, n, row_ptr, col_idx, values, row_order, x, y);
}

P4J_KERNEL void p4j_csr_spmm_f16(int rows, int n, const int* row_ptr, const int* col_idx, const __half* values,
                                 const int* row_order, const __half* x, float* y) {
  csr_spmm<__half, 2, 32>(rows, n, row_ptr, col_idx, values, row_order, x, y);
}

P4J_KERNEL void p4j_csr_spmm_bf16(int rows, int n, const int* row_ptr, const int* col_idx,
                                  const __nv_bfloat16* values, const int* row_order, const __nv_bfloat16* x,
                                  float* y) {
  csr_spmm<__nv_bfloat16, 2, 32>(rows, n, row_ptr, col_idx, values, row_order, x, y);
}

// SDDMM: out[p] = sum_t a[i, t] * b[col_idx[p], t] for every stored (i, col_idx[p]); a is
// rows x K, b is cols x K. One warp per row; lanes split K and reduce with shuffles, so each
// dot product's summation order is fixed.
P4J_KERNEL void p4j_sddmm_f32(int rows, int kdim, const int* __restrict__ row_ptr, const int* __restrict__ col_idx,
                              const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ out) {
  const int lane = threadIdx.x & 31;
  const int row = blockIdx.x * P4J_WARPS + (threadIdx.x >> 5);
  if (row >= rows) return;
  const float* ar = a + (size_t)row * kdim;
  for (int p = row_ptr[row]; p < row_ptr[row + 1]; p++) {
    const float* br = b + (size_t)col_idx[p] * kdim;
    float s = 0.f;
    for (int t = lane; t < kdim; t += 32) s = fmaf(ar[t], br[t], s);
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) s += __shfl_down_sync(0xffffffffu, s, off);
    if (lane == 0) out[p] = s;
  }
}
