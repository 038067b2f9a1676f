// Elementwise training ops, grid-stride loops so any size runs with a fixed launch shape.
#include "common.cuh"

#define P4J_GRID_STRIDE(i, n) \
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < (n); i += (long long)gridDim.x * blockDim.x)

P4J_KERNEL void p4j_axpy(long long n, float alpha, const float* __restrict__ x, float* __restrict__ y) {
  P4J_GRID_STRIDE(i, n) { y[i] += alpha * x[i]; }
}

P4J_KERNEL void p4j_scale(long long n, float alpha, float* __restrict__ x) {
  P4J_GRID_STRIDE(i, n) { x[i] *= alpha; }
}

// out may alias a or b, so no __restrict__ here.
P4J_KERNEL void p4j_mul(long long n, const float* a, const float* b, float* out) {
  P4J_GRID_STRIDE(i, n) { out[i] = a[i] * b[i]; }
}

P4J_KERNEL void p4j_relu(long long n, const float* x, float* out) {
  P4J_GRID_STRIDE(i, n) { out[i] = fmaxf(x[i], 0.f); }
}

P4J_KERNEL void p4j_relu_backward(long long n, const float* x, const float* dy, float* dx) {
  P4J_GRID_STRIDE(i, n) { dx[i] = x[i] > 0.f ? dy[i] : 0.f; }
}

P4J_KERNEL void p4j_add_row_vector(int rows, int cols, float* __restrict__ m, const float* __restrict__ bias) {
  P4J_GRID_STRIDE(i, (long long)rows * cols) { m[i] += bias[i % cols]; }
}

// One thread per column walks down the rows: coalesced across a warp, and the summation order
// is fixed, so the bias gradient is reproducible run to run.
P4J_KERNEL void p4j_sum_rows(int rows, int cols, const float* __restrict__ m, float* __restrict__ out) {
  int j = blockIdx.x * blockDim.x + threadIdx.x;
  if (j >= cols) return;
  float s = 0.f;
  for (int i = 0; i < rows; i++) s += m[(size_t)i * cols + j];
  out[j] = s;
}
