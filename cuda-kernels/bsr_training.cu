// Block-sparse training products in fp32, for a weight pattern made of whole br x bc blocks
// (BlockIndex in the Java sources): values stored block by block, row-major inside a block,
// edge blocks that overhang the matrix padded. Activations are feature-major (features x n
// examples); the host transposes batch-major ones around these kernels, as it does for CSR.
// Block sides are at most 32 (BlockShape's largest), so one block fits a 32 x 32 tile.
//
// These are plain FMA kernels, written to be right before fast: one thread per output
// element for the two products, one thread block per stored block for the weight gradient.
// Tensor cores (the BSR WMMA kernels of bsr_wmma.cu) are the next step once they have run.
#include "common.cuh"

// y[r][j] = sum over the blocks of r's block row of W[r][c] * x[c][j].
// Launch: grid (rows, ceil(n / 128)), block 128.
P4J_KERNEL void p4j_bsr_forward_f32(int rows, int cols, int n, int br, int bc, const int* __restrict__ blockRowPtr,
                                    const int* __restrict__ blockColIdx, const float* __restrict__ values,
                                    const float* __restrict__ x, float* __restrict__ y) {
  const int r = blockIdx.x;
  const int j = blockIdx.y * blockDim.x + threadIdx.x;
  if (r >= rows || j >= n) return;
  const int bi = r / br, i = r - bi * br, bs = br * bc;
  float sum = 0.f;
  for (int p = blockRowPtr[bi]; p < blockRowPtr[bi + 1]; ++p) {
    const int c0 = blockColIdx[p] * bc;
    const float* v = values + (long long)p * bs + i * bc;
    const int kEnd = min(bc, cols - c0);
    for (int k = 0; k < kEnd; ++k) sum = fmaf(v[k], x[(long long)(c0 + k) * n + j], sum);
  }
  y[(long long)r * n + j] = sum;
}

// dx[c][j] = sum over the blocks of c's block column of W[r][c] * dy[r][j]: the transposed
// product through the block-column index, so no output is written twice and no atomics.
// Launch: grid (cols, ceil(n / 128)), block 128.
P4J_KERNEL void p4j_bsr_input_grad_f32(int rows, int cols, int n, int br, int bc, const int* __restrict__ blockColPtr,
                                       const int* __restrict__ colBlockRow, const int* __restrict__ colBlock,
                                       const float* __restrict__ values, const float* __restrict__ dy,
                                       float* __restrict__ dx) {
  const int c = blockIdx.x;
  const int j = blockIdx.y * blockDim.x + threadIdx.x;
  if (c >= cols || j >= n) return;
  const int bj = c / bc, k = c - bj * bc, bs = br * bc;
  float sum = 0.f;
  for (int q = blockColPtr[bj]; q < blockColPtr[bj + 1]; ++q) {
    const int r0 = colBlockRow[q] * br;
    const float* v = values + (long long)colBlock[q] * bs + k;
    const int iEnd = min(br, rows - r0);
    for (int i = 0; i < iEnd; ++i) sum = fmaf(v[i * bc], dy[(long long)(r0 + i) * n + j], sum);
  }
  dx[(long long)c * n + j] = sum;
}

// dvalues[p][i][k] = sum_j dy[r0 + i][j] * x[c0 + k][j] for every stored block p, and 0 at the
// padding of edge blocks, so no optimiser moves a weight outside the matrix. The block's dy
// rows and x rows stream through shared memory 32 examples at a time (coalesced loads); each
// thread accumulates up to four of the block's br * bc <= 1024 entries.
// Launch: grid (blocks), block 256.
P4J_KERNEL void p4j_bsr_weight_grad_f32(int rows, int cols, int n, int br, int bc, const int* __restrict__ blockRows,
                                        const int* __restrict__ blockColIdx, const float* __restrict__ dy,
                                        const float* __restrict__ x, float* __restrict__ dvalues) {
  __shared__ float sdy[32][33];
  __shared__ float sx[32][33];
  const int p = blockIdx.x, bs = br * bc;
  const int r0 = blockRows[p] * br, c0 = blockColIdx[p] * bc;
  const int nr = min(br, rows - r0), nc = min(bc, cols - c0);
  float acc[4] = {0.f, 0.f, 0.f, 0.f};
  for (int t0 = 0; t0 < n; t0 += 32) {
    const int tn = min(32, n - t0);
    for (int e = threadIdx.x; e < 32 * 32; e += blockDim.x) {
      const int a = e >> 5, t = e & 31;
      sdy[a][t] = (a < nr && t < tn) ? dy[(long long)(r0 + a) * n + t0 + t] : 0.f;
      sx[a][t] = (a < nc && t < tn) ? x[(long long)(c0 + a) * n + t0 + t] : 0.f;
    }
    __syncthreads();
    for (int s = 0; s < 4; ++s) {
      const int e = threadIdx.x + s * blockDim.x;
      if (e < bs) {
        const int i = e / bc, k = e - i * bc;
        float sum = acc[s];
        for (int t = 0; t < 32; ++t) sum = fmaf(sdy[i][t], sx[k][t], sum);
        acc[s] = sum;
      }
    }
    __syncthreads();
  }
  for (int s = 0; s < 4; ++s) {
    const int e = threadIdx.x + s * blockDim.x;
    if (e < bs) {
      const int i = e / bc, k = e - i * bc;
      dvalues[(long long)p * bs + e] = (i < nr && k < nc) ? acc[s] : 0.f;
    }
  }
}
