// 2:4 SpMM on sparse tensor cores: Y (fp32) = W (2:4, bf16 or fp16) * X (same type).
//
// Reads the project's TwoFourMatrix layout directly (the host only pads it, once per weight):
// values are the compressed rows (two kept values per group of four columns), metadata one
// 16-bit word per row and 16 logical columns, nibble q = group q, positions ordered. One warp
// computes a 16 x 32 tile of Y as four m16n8k32 mma.sp::ordered_metadata products per K step of
// 32, reusing the A fragment. Fragment layouts (g = lane / 4, t = lane % 4): A register r holds
// compressed columns 2t, 2t+1 (+8 for r = 2, 3) of rows g (r even) or g+8 (r odd); B register q
// holds X rows 2t+8q and 2t+8q+1 of column g; D holds row g (d0, d1) and g+8 (d2, d3), columns
// 2t, 2t+1; with sparsity selector 0 lanes 4g and 4g+1 supply the metadata of K halves 0 and 1,
// row g in the low 16 bits and row g+8 in the high 16. The host pads rows to 16, K to 32 and
// n to 32.
#include "common.cuh"
#include <cuda_bf16.h>
#include <cuda_fp16.h>

namespace {
template <bool BF16>
__device__ __forceinline__ void mma_sp(float (&d)[4], const uint32_t (&a)[4], const uint32_t (&b)[4], uint32_t e) {
  if constexpr (BF16) {
    asm volatile(
        "mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.f32.bf16.bf16.f32 "
        "{%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9,%10,%11}, {%0,%1,%2,%3}, %12, 0x0;\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]), "r"(b[2]), "r"(b[3]), "r"(e));
  } else {
    asm volatile(
        "mma.sp::ordered_metadata.sync.aligned.m16n8k32.row.col.f32.f16.f16.f32 "
        "{%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9,%10,%11}, {%0,%1,%2,%3}, %12, 0x0;\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]), "r"(b[2]), "r"(b[3]), "r"(e));
  }
}

// rows_pad % 16 == 0, k_pad % 32 == 0, n_pad % 32 == 0; values: rows_pad x k_pad/2 16-bit;
// meta: rows_pad x k_pad/16 16-bit words; x: k_pad x n_pad 16-bit; y: rows_pad x n_pad fp32.
template <bool BF16>
__device__ void two_four(int rows_pad, int k_pad, int n_pad, const uint16_t* __restrict__ values,
                         const uint16_t* __restrict__ meta, const uint16_t* __restrict__ x, float* __restrict__ y) {
  const int lane = threadIdx.x & 31, g = lane >> 2, t = lane & 3;
  const int warp = blockIdx.x * P4J_WARPS + (threadIdx.x >> 5);
  const int col_tiles = n_pad / 32;
  if (warp >= (rows_pad / 16) * col_tiles) return;
  const int r0 = (warp / col_tiles) * 16, c0 = (warp % col_tiles) * 32;
  const int cp = k_pad / 2, wpr = k_pad / 16;
  float d[4][4] = {};
  for (int k0 = 0; k0 < k_pad; k0 += 32) {
    uint32_t a[4];
    const uint16_t* v0 = values + (size_t)(r0 + g) * cp + k0 / 2 + 2 * t;
    const uint16_t* v8 = values + (size_t)(r0 + g + 8) * cp + k0 / 2 + 2 * t;
    a[0] = *reinterpret_cast<const uint32_t*>(v0);
    a[1] = *reinterpret_cast<const uint32_t*>(v8);
    a[2] = *reinterpret_cast<const uint32_t*>(v0 + 8);
    a[3] = *reinterpret_cast<const uint32_t*>(v8 + 8);
    uint32_t e = 0;
    if (t < 2) {
      const int w = k0 / 16 + t;
      e = (uint32_t)meta[(size_t)(r0 + g) * wpr + w] | ((uint32_t)meta[(size_t)(r0 + g + 8) * wpr + w] << 16);
    }
#pragma unroll
    for (int j = 0; j < 4; j++) {
      const int col = c0 + 8 * j + g;
      uint32_t b[4];
#pragma unroll
      for (int q = 0; q < 4; q++) {
        const int kr = k0 + 2 * t + 8 * q;
        b[q] = (uint32_t)x[(size_t)kr * n_pad + col] | ((uint32_t)x[(size_t)(kr + 1) * n_pad + col] << 16);
      }
      mma_sp<BF16>(d[j], a, b, e);
    }
  }
#pragma unroll
  for (int j = 0; j < 4; j++) {
    const int col = c0 + 8 * j + 2 * t;
    y[(size_t)(r0 + g) * n_pad + col] = d[j][0];
    y[(size_t)(r0 + g) * n_pad + col + 1] = d[j][1];
    y[(size_t)(r0 + g + 8) * n_pad + col] = d[j][2];
    y[(size_t)(r0 + g + 8) * n_pad + col + 1] = d[j][3];
  }
}
}  // namespace

// Launch: block 128 (4 warps), grid ceil((rows_pad / 16) * (n_pad / 32) / 4).
P4J_KERNEL void p4j_two_four_bf16(int rows_pad, int k_pad, int n_pad, const uint16_t* values, const uint16_t* meta,
                                  const uint16_t* x, float* y) {
  two_four<true>(rows_pad, k_pad, n_pad, values, meta, x, y);
}

P4J_KERNEL void p4j_two_four_f16(int rows_pad, int k_pad, int n_pad, const uint16_t* values, const uint16_t* meta,
                                 const uint16_t* x, float* y) {
  two_four<false>(rows_pad, k_pad, n_pad, values, meta, x, y);
}
