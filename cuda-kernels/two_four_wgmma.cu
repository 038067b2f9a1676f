// 2:4 SpMM on Hopper's warpgroup sparse tensor cores (wgmma.mma_async.sp, sm_90a only):
// Y (fp32) = W (2:4, bf16 or fp16) * X (same type), fp32 accumulation.
//
// One warpgroup (4 warps, 128 threads) computes a 64 x 128 tile of Y; a block holds WG such
// warpgroups stacked along the rows (WG = 1 or 2) and they share the X tile in shared memory.
//
// A (the weight) comes from registers. The host reorders the compressed values once per weight
// into fragment order (TwoFourKernels.packForWgmma): for every 64-row tile and every K step of
// 32, thread l of the warpgroup finds its four 32-bit A registers as one 16-byte word at
// [(tile * ksteps + step) * 128 + l], and its metadata register at the same index of meta. The
// fragment is the per-warp mma.sp m16n8k32 one (warp w owns rows 16w..16w+15; g = lane / 4,
// t = lane % 4; registers 0..3 hold compressed columns 2t, 2t+1 of rows g, g+8, then columns
// 8+2t, 8+2t+1 of rows g, g+8), and with selector 0 lanes 4g and 4g+1 give the metadata of K
// halves 0 and 1 (row g in the low 16 bits, row g+8 in the high 16).
//
// B (X) is staged by cp.async into shared memory in the N-major no-swizzle canonical layout:
// 8 x 8 core matrices of 128 bytes (8 K rows of 16 bytes, 8 consecutive columns each), the 16
// core matrices along N adjacent (stride-dimension offset 128 bytes) and K-adjacent ones 2 KiB
// apart (leading-dimension offset 2048 bytes). With that order the 16-byte chunk c of a stage
// lands at byte 16c, so the copy is a straight line. Three stages of 64 K rows (48 KiB).
//
// Host pads: rows to 64 * WG, K to 64, n to 128. Launch: block 128 * WG, grid
// (n_pad / 128, rows_pad / (64 * WG)).
#include "common.cuh"

namespace {
#if defined(__CUDA_ARCH_FEAT_SM90_ALL)
constexpr int TF_WG_BN = 128;                   // Y columns per block
constexpr int TF_WG_BK = 64;                    // logical K per pipeline stage
constexpr int TF_WG_STAGES = 3;
constexpr int TF_WG_STAGE_BYTES = TF_WG_BK * TF_WG_BN * 2;
constexpr uint32_t TF_WG_LBO = TF_WG_BN * 16;   // bytes between K-adjacent core matrices
constexpr uint32_t TF_WG_SBO = 128;             // bytes between N-adjacent core matrices

// Descriptor of an N-major, unswizzled B operand at shared address addr (PTX "matrix
// descriptor": start, leading and stride byte offsets, each >> 4; base offset and swizzle 0).
__device__ __forceinline__ uint64_t tf_wg_desc(uint32_t addr) {
  return (uint64_t)((addr & 0x3FFFF) >> 4) | ((uint64_t)(TF_WG_LBO >> 4) << 16) | ((uint64_t)(TF_WG_SBO >> 4) << 32);
}

// d += A * B for one m64n128k32 step; immediates: selector 0, scale-a 1, scale-b 1, trans-b 1.
#define P4J_WGMMA_SP(TY)                                                                                        \
  asm volatile(                                                                                                 \
      "{\n.reg .pred p;\nsetp.ne.b32 p, %70, 0;\n"                                                              \
      "wgmma.mma_async.sp.sync.aligned.m64n128k32.f32." TY "." TY " {"                                          \
      "%0,%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,%11,%12,%13,%14,%15,"                                                  \
      "%16,%17,%18,%19,%20,%21,%22,%23,%24,%25,%26,%27,%28,%29,%30,%31,"                                        \
      "%32,%33,%34,%35,%36,%37,%38,%39,%40,%41,%42,%43,%44,%45,%46,%47,"                                        \
      "%48,%49,%50,%51,%52,%53,%54,%55,%56,%57,%58,%59,%60,%61,%62,%63"                                         \
      "}, {%64,%65,%66,%67}, %68, %69, 0, p, 1, 1, 1;\n}\n"                                                     \
      : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3]), "+f"(d[4]), "+f"(d[5]), "+f"(d[6]), "+f"(d[7]),         \
        "+f"(d[8]), "+f"(d[9]), "+f"(d[10]), "+f"(d[11]), "+f"(d[12]), "+f"(d[13]), "+f"(d[14]), "+f"(d[15]),   \
        "+f"(d[16]), "+f"(d[17]), "+f"(d[18]), "+f"(d[19]), "+f"(d[20]), "+f"(d[21]), "+f"(d[22]), "+f"(d[23]), \
        "+f"(d[24]), "+f"(d[25]), "+f"(d[26]), "+f"(d[27]), "+f"(d[28]), "+f"(d[29]), "+f"(d[30]), "+f"(d[31]), \
        "+f"(d[32]), "+f"(d[33]), "+f"(d[34]), "+f"(d[35]), "+f"(d[36]), "+f"(d[37]), "+f"(d[38]), "+f"(d[39]), \
        "+f"(d[40]), "+f"(d[41]), "+f"(d[42]), "+f"(d[43]), "+f"(d[44]), "+f"(d[45]), "+f"(d[46]), "+f"(d[47]), \
        "+f"(d[48]), "+f"(d[49]), "+f"(d[50]), "+f"(d[51]), "+f"(d[52]), "+f"(d[53]), "+f"(d[54]), "+f"(d[55]), \
        "+f"(d[56]), "+f"(d[57]), "+f"(d[58]), "+f"(d[59]), "+f"(d[60]), "+f"(d[61]), "+f"(d[62]), "+f"(d[63])  \
      : "r"(a.x), "r"(a.y), "r"(a.z), "r"(a.w), "l"(b_desc), "r"(e), "r"(1))

template <bool BF16>
__device__ __forceinline__ void tf_wg_mma(float (&d)[64], const uint4& a, uint64_t b_desc, uint32_t e) {
  if constexpr (BF16) {
    P4J_WGMMA_SP("bf16");
  } else {
    P4J_WGMMA_SP("f16");
  }
}
#undef P4J_WGMMA_SP

// Keeps the compiler from moving accumulator reads or writes across the asynchronous products.
__device__ __forceinline__ void tf_wg_pin(float (&d)[64]) {
#pragma unroll
  for (int i = 0; i < 64; i++) asm volatile("" : "+f"(d[i])::"memory");
}

__device__ __forceinline__ void tf_wg_copy16(uint32_t dst, const void* src) {
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16;\n" ::"r"(dst), "l"(src));
}

// Stage s of X: rows k0 .. k0+63, columns n0 .. n0+127, chunk c = (kb, nb, kk8) at byte 16c.
template <int NT>
__device__ __forceinline__ void tf_wg_load_stage(uint32_t dst, const uint16_t* __restrict__ x, int n_pad, int k0,
                                                 int n0, int tid) {
#pragma unroll
  for (int i = 0; i < TF_WG_STAGE_BYTES / 16 / NT; i++) {
    const int c = tid + i * NT;
    const int k = k0 + ((c >> 7) << 3) + (c & 7), col = n0 + (((c >> 3) & 15) << 3);
    tf_wg_copy16(dst + 16 * c, x + (size_t)k * n_pad + col);
  }
  asm volatile("cp.async.commit_group;\n" ::);
}
#endif

template <bool BF16, int WG>
__device__ void two_four_wgmma(int k_pad, int n_pad, const uint4* __restrict__ a, const uint32_t* __restrict__ meta,
                               const uint16_t* __restrict__ x, float* __restrict__ y) {
#if defined(__CUDA_ARCH_FEAT_SM90_ALL)
  constexpr int NT = 128 * WG;
  __shared__ alignas(128) uint8_t stage_mem[TF_WG_STAGES * TF_WG_STAGE_BYTES];
  const int tid = threadIdx.x, l = tid & 127;
  const int n0 = blockIdx.x * TF_WG_BN;
  const int tile = blockIdx.y * WG + (tid >> 7);
  const int ksteps = k_pad / 32, stages = k_pad / TF_WG_BK;
  const uint32_t smem = (uint32_t)__cvta_generic_to_shared(stage_mem);
  const uint4* ap = a + (size_t)tile * ksteps * 128 + l;
  const uint32_t* ep = meta + (size_t)tile * ksteps * 128 + l;

  float d[64];
#pragma unroll
  for (int i = 0; i < 64; i++) d[i] = 0.f;

#pragma unroll
  for (int s = 0; s < TF_WG_STAGES - 1; s++) {
    if (s < stages) {
      tf_wg_load_stage<NT>(smem + s * TF_WG_STAGE_BYTES, x, n_pad, s * TF_WG_BK, n0, tid);
    } else {
      asm volatile("cp.async.commit_group;\n" ::);
    }
  }
  uint4 a0 = ap[0], a1 = ap[128];
  uint32_t e0 = ep[0], e1 = ep[128];

  for (int it = 0; it < stages; it++) {
    // This thread's copies of stage it are done; the proxy fence makes them visible to the
    // tensor cores' asynchronous reads, the barrier makes everyone's visible.
    asm volatile("cp.async.wait_group %0;\n" ::"n"(TF_WG_STAGES - 2));
    asm volatile("fence.proxy.async.shared::cta;\n" ::: "memory");
    __syncthreads();
    // The buffer refilled here was read by the products of iteration it-1, which every
    // warpgroup waited for before the barrier above.
    const int next = it + TF_WG_STAGES - 1;
    if (next < stages) {
      tf_wg_load_stage<NT>(smem + (next % TF_WG_STAGES) * TF_WG_STAGE_BYTES, x, n_pad, next * TF_WG_BK, n0, tid);
    } else {
      asm volatile("cp.async.commit_group;\n" ::);
    }
    // The next step's A registers load while this step's products run.
    uint4 na0 = a0, na1 = a1;
    uint32_t ne0 = e0, ne1 = e1;
    if (it + 1 < stages) {
      const size_t o = (size_t)(it + 1) * 256;
      na0 = ap[o];
      na1 = ap[o + 128];
      ne0 = ep[o];
      ne1 = ep[o + 128];
    }
    const uint32_t b = smem + (it % TF_WG_STAGES) * TF_WG_STAGE_BYTES;
    tf_wg_pin(d);
    asm volatile("wgmma.fence.sync.aligned;\n" ::: "memory");
    tf_wg_mma<BF16>(d, a0, tf_wg_desc(b), e0);
    tf_wg_mma<BF16>(d, a1, tf_wg_desc(b + 4 * TF_WG_LBO), e1);
    asm volatile("wgmma.commit_group.sync.aligned;\n" ::: "memory");
    asm volatile("wgmma.wait_group.sync.aligned 0;\n" ::: "memory");
    tf_wg_pin(d);
    a0 = na0;
    a1 = na1;
    e0 = ne0;
    e1 = ne1;
  }

  // Accumulator j of a thread: row 16w + g (+8 for j % 4 >= 2), column 8 * (j / 4) + 2t (+1).
  const int w = l >> 5, g = (l & 31) >> 2, t = l & 3;
  const size_t r = (size_t)tile * 64 + 16 * w + g;
#pragma unroll
  for (int j = 0; j < 16; j++) {
    const int col = n0 + 8 * j + 2 * t;
    *reinterpret_cast<float2*>(y + r * n_pad + col) = make_float2(d[4 * j], d[4 * j + 1]);
    *reinterpret_cast<float2*>(y + (r + 8) * n_pad + col) = make_float2(d[4 * j + 2], d[4 * j + 3]);
  }
#else
  // Only the sm_90a image has this kernel; the host launches it on compute capability 9.0 only.
  __trap();
#endif
}
}  // namespace

P4J_KERNEL void __launch_bounds__(128) p4j_two_four_wgmma_bf16_wg1(int k_pad, int n_pad, const uint4* a,
                                                                   const uint32_t* meta, const uint16_t* x, float* y) {
  two_four_wgmma<true, 1>(k_pad, n_pad, a, meta, x, y);
}

P4J_KERNEL void __launch_bounds__(256) p4j_two_four_wgmma_bf16_wg2(int k_pad, int n_pad, const uint4* a,
                                                                   const uint32_t* meta, const uint16_t* x, float* y) {
  two_four_wgmma<true, 2>(k_pad, n_pad, a, meta, x, y);
}

P4J_KERNEL void __launch_bounds__(128) p4j_two_four_wgmma_f16_wg1(int k_pad, int n_pad, const uint4* a,
                                                                  const uint32_t* meta, const uint16_t* x, float* y) {
  two_four_wgmma<false, 1>(k_pad, n_pad, a, meta, x, y);
}

P4J_KERNEL void __launch_bounds__(256) p4j_two_four_wgmma_f16_wg2(int k_pad, int n_pad, const uint4* a,
                                                                  const uint32_t* meta, const uint16_t* x, float* y) {
  two_four_wgmma<false, 2>(k_pad, n_pad, a, meta, x, y);
}
