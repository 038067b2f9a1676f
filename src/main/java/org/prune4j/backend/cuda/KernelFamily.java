package org.prune4j.backend.cuda;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The GPU kernel families that can fault independently: the unit the smoke step isolates in its
 * own process, the GPU suite runs one JVM at a time (JUnit tag {@code gpu-<id>}), and the
 * benchmarks can be limited to ({@code --kernels}). A family that faulted in the smoke step is
 * left out of the later steps so it cannot take the others down with it.
 */
public enum KernelFamily {
    MMA_SP("mma-sp", "2:4 on sparse tensor cores, mma.sp (sm_80+)"),
    WGMMA_SP("wgmma-sp", "2:4 on Hopper warpgroup sparse tensor cores, wgmma.sp (sm_90a)"),
    BSR_WMMA("bsr-wmma", "BSR-16/32 on tensor cores through WMMA (tf32, bf16, fp16)"),
    CSR("csr", "the project's CSR SpMM (fp32, fp16, bf16)"),
    SDDMM("sddmm", "SDDMM and the elementwise training ops"),
    SGEMM("sgemm", "the project's fp32 SGEMM"),
    CUBLAS("cublas", "cuBLAS sgemm and GemmEx (tf32, bf16) through FFM"),
    CUSPARSE("cusparse", "cuSPARSE SpMM, CSR and Blocked-ELL, through JCusparse"),
    CUSPARSELT("cusparselt", "cuSPARSELt 2:4 SpMM through FFM"),
    TRAINING("training", "the training kernels: masks, persistent sparse weights, conv unfold/fold, pooling, batch "
            + "norm, dropout, loss, SGD/Adam, reductions");

    private final String id;
    private final String description;

    KernelFamily(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The short name used on command lines, in tags and in tables. */
    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    /** The JUnit tag of this family's GPU tests. */
    public String tag() {
        return "gpu-" + id;
    }

    public static KernelFamily named(String id) {
        String want = id.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.id.equals(want)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("unknown kernel family '" + id + "'; choose from " + ids()));
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(KernelFamily::id).toList();
    }
}
