// BSR SpMM on tensor cores through WMMA: Y (fp32) = W (BSR, square blocks of 16 or 32) * X.
//
// One warp computes a 16-column tile of one block row: for every stored block of that row it
// multiplies the block (as BS/16 x BS/16 WMMA tiles) with the matching BS rows of X and keeps
// BS/16 accumulator fragments. bf16 and fp16 use m16n16k16 with fp32 accumulation; fp32 input
// uses tf32 (m16n16k8), rounding each operand element to tf32 in the fragment. The host pads X
// and Y so every tile is whole: X to (gridCols * BS) x nPad, nPad a multiple of 16, and Y to
// (gridRows * BS) x nPad; block rows are visited longest first.
#include "common.cuh"
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <mma.h>

namespace {
using namespace nvcuda;



template <typename T, int BS>
__device__ void bsr_wmma_16bit(int grid_rows, int n_pad, const int* __restrict__ block_row_ptr,
                               const int* __restrict__ block_col_idx, const T* __restrict__ values,
                               const int* __restrict__ row_order, const T* __restrict__ x, float* __restrict__ y) {
  constexpr int S = BS / 16;
  const int warp = blockIdx.x * P4J_WARPS + (threadIdx.x >> 5);
  const int tiles = n_pad / 16;
  if (warp >= grid_rows * tiles) return;
  const int br = row_order[warp / tiles];
  const int col0 = (warp % tiles) * 16;
  wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc[S];
#pragma unroll
  for (int i = 0; i < S; i++) wmma::fill_fragment(acc[i], 0.f);
  wmma::fragment<wmma::matrix_a, 16, 16, 16, T, wmma::row_major> a;
  wmma::fragment<wmma::matrix_b, 16, 16, 16, T, wmma::row_major> b;
  for (int p = block_row_ptr[br]; p < block_row_ptr[br + 1]; p++) {
    const T* blk = values + (size_t)p * BS * BS;
    const T* xb = x + (size_t)block_col_idx[p] * BS * n_pad + col0;
#pragma unroll
    for (int kk = 0; kk < S; kk++) {
      wmma::load_matrix_sync(b, xb + (size_t)kk * 16 * n_pad, n_pad);
#pragma unroll
      for (int i = 0; i < S; i++) {
        wmma::load_matrix_sync(a, blk + i * 16 * BS + kk * 16, BS);
        wmma::mma_sync(acc[i], a, b, acc[i]);
      }
    }
  }
#pragma unroll
  for (int i = 0; i < S; i++)
    wmma::store_matrix_sync(y + ((size_t)br * BS + i * 16) * n_pad + col0, acc[i], n_pad, wmma::mem_row_major);
}

template <int BS>
__device__ void bsr_wmma_tf32(int grid_rows, int n_pad, const int* __restrict__ block_row_ptr,
                              const int* __restrict__ block_col_idx, const float* __restrict__ values,
                              const int* __restrict__ row_order, const float* __restrict__ x, float* __restrict__ y) {
  constexpr int S = BS / 16;
  const int warp = blockIdx.x * P4J_WARPS + (threadIdx.x >> 5);
  const int tiles = n_pad / 16;
  if (warp >= grid_rows * tiles) return;
  const int br = row_order[warp / tiles];
  const int col0 = (warp % tiles) * 16;
  wmma::fragment<wmma::accumulator, 16, 16, 8, float> acc[S];
#pragma unroll
  for (int i = 0; i < S; i++) wmma::fill_fragment(acc[i], 0.f);
  wmma::fragment<wmma::matrix_a, 16, 16, 8, wmma::precision::tf32, wmma::row_major> a;
  wmma::fragment<wmma::matrix_b, 16, 16, 8, wmma::precision::tf32, wmma::row_major> b;
  for (int p = block_row_ptr[br]; p < block_row_ptr[br + 1]; p++) {
    const float* blk = values + (size_t)p * BS * BS;
    const float* xb = x + (size_t)block_col_idx[p] * BS * n_pad + col0;
#pragma unroll
    for (int kk = 0; kk < BS / 8; kk++) {
      wmma::load_matrix_sync(b, xb + (size_t)kk * 8 * n_pad, n_pad);
#pragma unroll
      for (int e = 0; e < b.num_elements; e++) b.x[e] = wmma::__float_to_tf32(b.x[e]);
#pragma unroll
      for (int i = 0; i < S; i++) {
        wmma::load_matrix_sync(a, blk + i * 16 * BS + kk * 8, BS);
#pragma unroll
        for (int e = 0; e < a.num_elements; e++) a.x[e] = wmma::__float_to_tf32(a.x[e]);
        wmma::mma_sync(acc[i], a, b, acc[i]);
      }
    }
  }
#pragma unroll
  for (int i = 0; i < S; i++)
    wmma::store_matrix_sync(y + ((size_t)br * BS + i * 16) * n_pad + col0, acc[i], n_pad, wmma::mem_row_major);
}
}  // namespace

// Launch: block 128 (4 warps), grid ceil(gridRows * nPad / 16 / 4).
#define P4J_BSR_WMMA(NAME, T, BS)                                                                          \
  P4J_KERNEL void NAME(int grid_rows, int n_pad, const int* block_row_ptr, const int* block_col_idx,       \
                       const T* values, const int* row_order, const T* x, float* y) {                      \
    bsr_wmma_16bit<T, BS>(grid_rows, n_pad, block_row_ptr, block_col_idx, values, row_order, x, y);       \
  }
P4J_BSR_WMMA(p4j_bsr16_wmma_bf16, __nv_bfloat16, 16)
P4J_BSR_WMMA(p4j_bsr32_wmma_bf16, __nv_bfloat16, 32)
P4J_BSR_WMMA(p4j_bsr16_wmma_f16, __half, 16)
P4J_BSR_WMMA(p4j_bsr32_wmma_f16, __half, 32)

P4J_KERNEL void p4j_bsr16_wmma_tf32(int grid_rows, int n_pad, const int* block_row_ptr, const int* block_col_idx,
                                    const float* values, const int* row_order, const float* x, float* y) {
  bsr_wmma_tf32<16>(grid_rows, n_pad, block_row_ptr, block_col_idx, values, row_order, x, y);
}

P4J_KERNEL void p4j_bsr32_wmma_tf32(int grid_rows, int n_pad, const int* block_row_ptr, const int* block_col_idx,
                                    const float* values, const int* row_order, const float* x, float* y) {
  bsr_wmma_tf32<32>(grid_rows, n_pad, block_row_ptr, block_col_idx, values, row_order, x, y);
}
