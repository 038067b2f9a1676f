// Dense fp32 GEMM, row-major: C[m x n] = alpha * op(A) * op(B) + beta * C.
// op(A) is m x k (A stored k x m when transA), op(B) is k x n (B stored n x k when transB).
// 64x64 output tile per 256-thread block, each thread owning a 4x4 register tile; the
// k-loop stages 16-wide slices of A and B through shared memory. Edge tiles are guarded,
// so any m, n, k (including 1) is valid. This is the portable fallback: the tensor-core
// paths live in their own files.
#include "common.cuh"

namespace {
constexpr int TM = 64, TN = 64, TK = 16;

__device__ __forceinline__ float load_a(const float* A, int lda, bool transA, int row, int kk,
                                        int m, int k) {
  if (row >= m || kk >= k) return 0.f;
  return transA ? A[(size_t)kk * lda + row] : A[(size_t)row * lda + kk];
}

__device__ __forceinline__ float load_b(const float* B, int ldb, bool transB, int kk, int col,
                                        int k, int n) {
  if (kk >= k || col >= n) return 0.f;
  return transB ? B[(size_t)col * ldb + kk] : B[(size_t)kk * ldb + col];
}
}  // namespace

P4J_KERNEL void p4j_sgemm(int m, int n, int k, float alpha, const float* __restrict__ A,
                          int lda, int transA, const float* __restrict__ B, int ldb, int transB,
                          float beta, float* __restrict__ C, int ldc) {
  __shared__ float As[TK][TM + 1];
  __shared__ float Bs[TK][TN];
  const int tid = threadIdx.x;
  const int rowBase = blockIdx.y * TM;
  const int colBase = blockIdx.x * TN;
  const int tr = (tid / 16) * 4;
  const int tc = (tid % 16) * 4;
  float acc[4][4] = {};

  for (int k0 = 0; k0 < k; k0 += TK) {
    for (int i = tid; i < TM * TK; i += blockDim.x) {
      int r = i / TK, kk = i % TK;
      As[kk][r] = load_a(A, lda, transA != 0, rowBase + r, k0 + kk, m, k);
    }
    for (int i = tid; i < TK * TN; i += blockDim.x) {
      int kk = i / TN, c = i % TN;
      Bs[kk][c] = load_b(B, ldb, transB != 0, k0 + kk, colBase + c, k, n);
    }
    __syncthreads();
#pragma unroll
    for (int kk = 0; kk < TK; ++kk) {
      float a[4], b[4];
#pragma unroll
      for (int i = 0; i < 4; ++i) a[i] = As[kk][tr + i];
#pragma unroll
      for (int j = 0; j < 4; ++j) b[j] = Bs[kk][tc + j];
#pragma unroll
      for (int i = 0; i < 4; ++i)
#pragma unroll
        for (int j = 0; j < 4; ++j) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
    }
    __syncthreads();
  }

#pragma unroll
  for (int i = 0; i < 4; ++i) {
    int row = rowBase + tr + i;
    if (row >= m) continue;
#pragma unroll
    for (int j = 0; j < 4; ++j) {
      int col = colBase + tc + j;
      if (col >= n) continue;
      float* c = &C[(size_t)row * ldc + col];
      // beta == 0 must not read C: callers may pass uninitialised (or poisoned) output.
      *c = beta == 0.f ? alpha * acc[i][j] : fmaf(alpha, acc[i][j], beta * *c);
    }
  }
}
