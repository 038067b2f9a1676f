// The network operations of a training step, so a whole step runs where the tensors live:
// fill and masks, value gather/scatter for persistent sparse weights, batched transposes,
// im2col/col2im, max pooling, batch normalisation, counter-based dropout, softmax
// cross-entropy with device-side sums, fused SGD/Adam updates, and reductions. Each matches the
// CPU backend's definition (TrainingOps in the Java sources); the GPU suite checks them
// against it. Elementwise kernels use grid-stride loops so any size runs with a fixed launch.
#include "common.cuh"

#define P4J_TRAIN_FOR(i, n) \
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < (n); i += (long long)gridDim.x * blockDim.x)

namespace {
// Sums one double per thread over a 256-thread block; the result is valid in thread 0.
__device__ double block_sum(double v, double* shared) {
  shared[threadIdx.x] = v;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) shared[threadIdx.x] += shared[threadIdx.x + s];
    __syncthreads();
  }
  double r = shared[0];
  __syncthreads();
  return r;
}

__device__ __forceinline__ bool kept(const unsigned* bits, long long i) {
  return (bits[i >> 5] >> (i & 31)) & 1u;
}
}  // namespace

// ---- fill, masks, stored values --------------------------------------------------------

P4J_KERNEL void p4j_fill(long long n, float v, float* __restrict__ x) {
  P4J_TRAIN_FOR(i, n) { x[i] = v; }
}

// bits: one bit per entry, bit i%32 of word i/32, set where the entry is kept.
P4J_KERNEL void p4j_apply_mask(long long n, const unsigned* __restrict__ bits, float* __restrict__ t) {
  P4J_TRAIN_FOR(i, n) {
    if (!kept(bits, i)) t[i] = 0.f;
  }
}

// values[p] = dense[pos[p]], pos the row-major index of stored entry p; -1 marks the padding
// of an edge block (block-sparse weights), which holds 0.
P4J_KERNEL void p4j_gather_values(int nnz, const int* __restrict__ pos, const float* __restrict__ dense,
                                  float* __restrict__ values) {
  P4J_TRAIN_FOR(p, nnz) { values[p] = pos[p] >= 0 ? dense[pos[p]] : 0.f; }
}

// dense[pos[p]] = values[p], padding (-1) skipped; the host zero-fills dense first.
P4J_KERNEL void p4j_scatter_values(int nnz, const int* __restrict__ pos, const float* __restrict__ values,
                                   float* __restrict__ dense) {
  P4J_TRAIN_FOR(p, nnz) {
    if (pos[p] >= 0) dense[pos[p]] = values[p];
  }
}

// dst[q] = src[perm[q]]: the stored values in column order, for the input-gradient product.
P4J_KERNEL void p4j_permute(int nnz, const int* __restrict__ perm, const float* __restrict__ src,
                            float* __restrict__ dst) {
  P4J_TRAIN_FOR(q, nnz) { dst[q] = src[perm[q]]; }
}

// ---- layout -------------------------------------------------------------------------------

// dst[b][j][i] = src[b][i][j] for each rows x cols matrix b, through a 32x33 shared tile so both
// the read and the write are coalesced. Launch: block 256 (32 x 8), grid (tiles of 32x32, batches).
P4J_KERNEL void p4j_transpose_batched(int rows, int cols, const float* __restrict__ src, float* __restrict__ dst) {
  __shared__ float tile[32][33];
  const int tilesX = (cols + 31) / 32;
  const int tx = threadIdx.x & 31, ty = threadIdx.x >> 5;
  const int i0 = (blockIdx.x / tilesX) * 32, j0 = (blockIdx.x % tilesX) * 32;
  const size_t base = (size_t)blockIdx.y * rows * cols;
  for (int r = ty; r < 32; r += 8) {
    int i = i0 + r, j = j0 + tx;
    if (i < rows && j < cols) tile[r][tx] = src[base + (size_t)i * cols + j];
  }
  __syncthreads();
  for (int r = ty; r < 32; r += 8) {
    int j = j0 + r, i = i0 + tx;
    if (i < rows && j < cols) dst[base + (size_t)j * rows + i] = tile[tx][r];
  }
}

// Feature-major im2col: cols[(ch, ky, kx)][(img, oy, ox)] = x[img][ch][oy * stride + ky - pad][ox * stride + kx - pad],
// zero off the image. Consecutive threads take consecutive output pixels, so both sides coalesce (strided
// reads at stride 2, for the few downsampling convolutions of a residual network).
P4J_KERNEL void p4j_im2col(int n, int c, int h, int w, int k, int pad, int stride, const float* __restrict__ x,
                           float* __restrict__ cols) {
  const int oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1;
  const long long pixels = (long long)n * oh * ow;
  P4J_TRAIN_FOR(e, (long long)c * k * k * pixels) {
    long long pix = e % pixels;
    int row = (int)(e / pixels);
    int ox = (int)(pix % ow), oy = (int)((pix / ow) % oh), img = (int)(pix / ((long long)ow * oh));
    int kx = row % k, ky = (row / k) % k, ch = row / (k * k);
    int iy = oy * stride + ky - pad, ix = ox * stride + kx - pad;
    cols[e] = (iy >= 0 && iy < h && ix >= 0 && ix < w) ? x[(((size_t)img * c + ch) * h + iy) * w + ix] : 0.f;
  }
}

// The adjoint of im2col as a gather: each input pixel sums the column entries that read it (the output
// pixels whose window, moved by the stride, covers it), so no two threads write one address and the sum
// order is fixed.
P4J_KERNEL void p4j_col2im(int n, int c, int h, int w, int k, int pad, int stride, const float* __restrict__ cols,
                           float* __restrict__ dx) {
  const int oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1;
  const long long pixels = (long long)n * oh * ow;
  P4J_TRAIN_FOR(e, (long long)n * c * h * w) {
    int ix = (int)(e % w), iy = (int)((e / w) % h), ch = (int)((e / ((long long)w * h)) % c);
    int img = (int)(e / ((long long)w * h * c));
    float s = 0.f;
    for (int ky = 0; ky < k; ky++) {
      int ty = iy + pad - ky;
      if (ty < 0 || ty % stride != 0) continue;
      int oy = ty / stride;
      if (oy >= oh) continue;
      for (int kx = 0; kx < k; kx++) {
        int tx = ix + pad - kx;
        if (tx < 0 || tx % stride != 0) continue;
        int ox = tx / stride;
        if (ox >= ow) continue;
        s += cols[(size_t)((ch * k + ky) * k + kx) * pixels + ((size_t)img * oh + oy) * ow + ox];
      }
    }
    dx[e] = s;
  }
}

// dst[j][i][:] = src[i][j][:] for rows x cols blocks of inner values: a convolution's
// channel x image x pixel output becomes image x channel x pixel, and back.
P4J_KERNEL void p4j_transpose_blocks(int rows, int cols, long long inner, const float* __restrict__ src,
                                     float* __restrict__ dst) {
  P4J_TRAIN_FOR(e, (long long)rows * cols * inner) {
    long long q = e % inner, block = e / inner;
    long long j = block % cols, i = block / cols;
    dst[(j * rows + i) * inner + q] = src[e];
  }
}

// t[o][c][i] += bias[c] for t viewed as (any) x channels x inner.
P4J_KERNEL void p4j_add_channel_bias(long long n, int channels, long long inner, float* __restrict__ t,
                                     const float* __restrict__ bias) {
  P4J_TRAIN_FOR(e, n) { t[e] += bias[(e / inner) % channels]; }
}

// out[c] = sum over o, i of t[o][c][i]: one 256-thread block per channel, summed in double.
P4J_KERNEL void p4j_sum_channels(long long outer, int channels, long long inner, const float* __restrict__ t,
                                 float* __restrict__ out) {
  __shared__ double shared[256];
  const int c = blockIdx.x;
  double s = 0;
  for (long long e = threadIdx.x; e < outer * inner; e += blockDim.x) {
    s += t[((e / inner) * channels + c) * inner + e % inner];
  }
  s = block_sum(s, shared);
  if (threadIdx.x == 0) out[c] = (float)s;
}

// ---- pooling -----------------------------------------------------------------------------

namespace {
// The first maximum of a window in row-major order (NaN never wins), as the CPU kernel picks it.
__device__ __forceinline__ size_t window_argmax(const float* __restrict__ x, long long plane, int h, int w, int size,
                                                int oy, int ox) {
  size_t best = (size_t)plane * h * w + (size_t)oy * size * w + (size_t)ox * size;
  for (int dy = 0; dy < size; dy++) {
    size_t row = (size_t)plane * h * w + (size_t)(oy * size + dy) * w + (size_t)ox * size;
    for (int dx = 0; dx < size; dx++) {
      if (x[row + dx] > x[best]) best = row + dx;
    }
  }
  return best;
}
}  // namespace

P4J_KERNEL void p4j_max_pool(long long planes, int h, int w, int size, const float* __restrict__ x,
                             float* __restrict__ y) {
  const int oh = h / size, ow = w / size;
  P4J_TRAIN_FOR(o, planes * oh * ow) {
    int ox = (int)(o % ow), oy = (int)((o / ow) % oh);
    y[o] = x[window_argmax(x, o / ((long long)oh * ow), h, w, size, oy, ox)];
  }
}

// dx must be zero-filled first; windows do not overlap, so each dy lands on its own address.
P4J_KERNEL void p4j_max_pool_backward(long long planes, int h, int w, int size, const float* __restrict__ x,
                                      const float* __restrict__ dy, float* __restrict__ dx) {
  const int oh = h / size, ow = w / size;
  P4J_TRAIN_FOR(o, planes * oh * ow) {
    int ox = (int)(o % ow), oy = (int)((o / ow) % oh);
    dx[window_argmax(x, o / ((long long)oh * ow), h, w, size, oy, ox)] = dy[o];
  }
}

// ---- batch normalisation --------------------------------------------------------------------

// One 256-thread block per channel; statistics in double, as on the CPU. x is n x channels x spatial.
P4J_KERNEL void p4j_batch_norm_forward(int n, int channels, int spatial, int training, float momentum, float eps,
                                       const float* __restrict__ x, const float* __restrict__ gamma,
                                       const float* __restrict__ beta, float* __restrict__ running_mean,
                                       float* __restrict__ running_var, float* __restrict__ xhat,
                                       float* __restrict__ inv_std, float* __restrict__ y) {
  __shared__ double shared[256];
  __shared__ double stat[2];
  const int c = blockIdx.x;
  const long long count = (long long)n * spatial;
  if (training) {
    double s = 0, q = 0;
    for (long long e = threadIdx.x; e < count; e += blockDim.x) {
      double v = x[((e / spatial) * channels + c) * spatial + e % spatial];
      s += v;
      q += v * v;
    }
    s = block_sum(s, shared);
    q = block_sum(q, shared);
    if (threadIdx.x == 0) {
      double mean = s / count, var = fmax(q / count - mean * mean, 0.0);
      double unbiased = count > 1 ? var * count / (count - 1) : var;
      running_mean[c] = (float)((1 - (double)momentum) * running_mean[c] + (double)momentum * mean);
      running_var[c] = (float)((1 - (double)momentum) * running_var[c] + (double)momentum * unbiased);
      stat[0] = mean;
      stat[1] = var;
    }
  } else if (threadIdx.x == 0) {
    stat[0] = running_mean[c];
    stat[1] = running_var[c];
  }
  __syncthreads();
  const double mean = stat[0];
  const float inv = (float)(1 / sqrt(stat[1] + (double)eps));
  if (threadIdx.x == 0) inv_std[c] = inv;
  for (long long e = threadIdx.x; e < count; e += blockDim.x) {
    size_t at = ((e / spatial) * channels + c) * spatial + e % spatial;
    float xh = (float)((x[at] - mean) * inv);
    xhat[at] = xh;
    y[at] = gamma[c] * xh + beta[c];
  }
}

P4J_KERNEL void p4j_batch_norm_backward(int n, int channels, int spatial, int training, const float* __restrict__ dy,
                                        const float* __restrict__ xhat, const float* __restrict__ inv_std,
                                        const float* __restrict__ gamma, float* __restrict__ dgamma,
                                        float* __restrict__ dbeta, float* __restrict__ dx) {
  __shared__ double shared[256];
  const int c = blockIdx.x;
  const long long count = (long long)n * spatial;
  double sg = 0, sgx = 0;
  for (long long e = threadIdx.x; e < count; e += blockDim.x) {
    size_t at = ((e / spatial) * channels + c) * spatial + e % spatial;
    sg += dy[at];
    sgx += dy[at] * xhat[at];
  }
  sg = block_sum(sg, shared);
  sgx = block_sum(sgx, shared);
  if (threadIdx.x == 0) {
    dgamma[c] = (float)sgx;
    dbeta[c] = (float)sg;
  }
  const double kk = gamma[c] * inv_std[c] / (double)count;
  for (long long e = threadIdx.x; e < count; e += blockDim.x) {
    size_t at = ((e / spatial) * channels + c) * spatial + e % spatial;
    dx[at] = training ? (float)(kk * (count * dy[at] - sg - xhat[at] * sgx)) : gamma[c] * inv_std[c] * dy[at];
  }
}

// ---- dropout -------------------------------------------------------------------------------

namespace {
// DropoutHash.uniform of the Java sources: SplitMix64's finaliser, top 24 bits as a float.
__device__ __forceinline__ float dropout_uniform(unsigned long long seed, long long i) {
  unsigned long long z = seed + (unsigned long long)(i + 1) * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z ^= z >> 31;
  return (float)(z >> 40) * 0x1.0p-24f;
}
}  // namespace

// y = x * (1/(1-p)) where uniform(seed, i) >= p, else 0; the backward pass is the same map on dy.
P4J_KERNEL void p4j_dropout(long long n, float p, unsigned long long seed, const float* __restrict__ x,
                            float* __restrict__ y) {
  const float scale = 1.f / (1.f - p);
  P4J_TRAIN_FOR(i, n) { y[i] = dropout_uniform(seed, i) >= p ? x[i] * scale : 0.f; }
}

// ---- loss ----------------------------------------------------------------------------------

// One thread per row, 256 rows per block; the block's sums go into stats with one atomic each:
// stats[0] += loss, stats[1] += correct rows, stats[2] += rows with a non-finite logit.
// Labels are class indices stored as floats. grad may be null (evaluation).
P4J_KERNEL void p4j_softmax_cross_entropy(int n, int k, const float* __restrict__ z, const float* __restrict__ labels,
                                          float* __restrict__ grad, float* __restrict__ stats) {
  __shared__ double shared[256];
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  double loss = 0, correct = 0, bad = 0;
  if (i < n) {
    const float* row = z + (size_t)i * k;
    float max = -INFINITY;
    int arg = 0;
    bool finite = true;
    for (int j = 0; j < k; j++) {
      float v = row[j];
      finite &= isfinite(v);
      if (v > max) {
        max = v;
        arg = j;
      }
    }
    int y = (int)labels[i];
    if (!finite || y < 0 || y >= k) {
      bad = 1;
      if (grad) for (int j = 0; j < k; j++) grad[(size_t)i * k + j] = 0.f;
    } else {
      double sum = 0;
      for (int j = 0; j < k; j++) sum += exp((double)(row[j] - max));
      loss = log(sum) - (double)(row[y] - max);
      if (grad) {
        for (int j = 0; j < k; j++) grad[(size_t)i * k + j] = (float)(exp((double)(row[j] - max)) / sum / n);
        grad[(size_t)i * k + y] -= 1.f / n;
      }
      correct = arg == y;
    }
  }
  loss = block_sum(loss, shared);
  correct = block_sum(correct, shared);
  bad = block_sum(bad, shared);
  if (threadIdx.x == 0) {
    atomicAdd(&stats[0], (float)loss);
    atomicAdd(&stats[1], (float)correct);
    atomicAdd(&stats[2], (float)bad);
  }
}

// ---- optimisers ----------------------------------------------------------------------------

// The CPU update, operation for operation: the _rn intrinsics keep nvcc from contracting
// multiply-adds into FMAs, so the two backends round alike. bits (nullable) marks kept entries;
// pruned ones are left untouched.
P4J_KERNEL void p4j_sgd(long long n, const unsigned* __restrict__ bits, float lr, float mu, int nesterov, float wd,
                        float* __restrict__ w, const float* __restrict__ g, float* __restrict__ v) {
  P4J_TRAIN_FOR(i, n) {
    if (bits && !kept(bits, i)) continue;
    float gi = __fadd_rn(g[i], __fmul_rn(w[i], wd));
    if (v == nullptr) {
      w[i] = __fsub_rn(w[i], __fmul_rn(gi, lr));
    } else {
      float nv = __fadd_rn(__fmul_rn(v[i], mu), gi);
      v[i] = nv;
      w[i] = __fsub_rn(w[i], __fmul_rn(nesterov ? __fadd_rn(gi, __fmul_rn(nv, mu)) : nv, lr));
    }
  }
}

P4J_KERNEL void p4j_adam(long long n, const unsigned* __restrict__ bits, float step_size, float b1, float b2,
                         float eps, float sqrt_c2, float wd, float* __restrict__ w, const float* __restrict__ g,
                         float* __restrict__ m, float* __restrict__ v) {
  const float c1 = __fsub_rn(1.f, b1), c2 = __fsub_rn(1.f, b2);
  P4J_TRAIN_FOR(i, n) {
    if (bits && !kept(bits, i)) continue;
    float gi = __fadd_rn(g[i], __fmul_rn(w[i], wd));
    float mi = __fadd_rn(__fmul_rn(m[i], b1), __fmul_rn(gi, c1));
    float vi = __fadd_rn(__fmul_rn(v[i], b2), __fmul_rn(__fmul_rn(gi, c2), gi));
    float den = __fadd_rn(__fdiv_rn(__fsqrt_rn(vi), sqrt_c2), eps);
    m[i] = mi;
    v[i] = vi;
    w[i] = __fsub_rn(w[i], __fdiv_rn(__fmul_rn(mi, step_size), den));
  }
}

// ---- reductions ----------------------------------------------------------------------------

// acc[0] += sum of x^2 (double per block, one float atomic per block).
P4J_KERNEL void p4j_sum_of_squares(long long n, const float* __restrict__ x, float* __restrict__ acc) {
  __shared__ double shared[256];
  double s = 0;
  P4J_TRAIN_FOR(i, n) { s += (double)x[i] * x[i]; }
  s = block_sum(s, shared);
  if (threadIdx.x == 0) atomicAdd(acc, (float)s);
}

P4J_KERNEL void p4j_count_non_finite(long long n, const float* __restrict__ x, float* __restrict__ acc) {
  __shared__ double shared[256];
  double s = 0;
  P4J_TRAIN_FOR(i, n) { s += isfinite(x[i]) ? 0.0 : 1.0; }
  s = block_sum(s, shared);
  if (threadIdx.x == 0 && s > 0) atomicAdd(acc, (float)s);
}
