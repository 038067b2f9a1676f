package org.prune4j.backend.cuda;

/** The tensor-core instruction the project's 2:4 SpMM runs on. */
public enum TwoFourKernel {
    /** {@code mma.sp::ordered_metadata} m16n8k32, one warp per 16 x 32 tile of Y; sm_80 and newer. */
    MMA_SP("mma.sp", 16, 32, 32),
    /**
     * {@code wgmma.mma_async.sp} m64n128k32, one warpgroup per 64 x 128 tile of Y with X staged
     * through shared memory; Hopper (compute capability 9.0) only.
     */
    WGMMA_SP("wgmma.sp", 128, 64, 128);

    private final String label;
    private final int rowMultiple;
    private final int kMultiple;
    private final int nMultiple;

    TwoFourKernel(String label, int rowMultiple, int kMultiple, int nMultiple) {
        this.label = label;
        this.rowMultiple = rowMultiple;
        this.kMultiple = kMultiple;
        this.nMultiple = nMultiple;
    }

    /** The instruction's name as tables print it. */
    public String label() {
        return label;
    }

    int padRows(int rows) {
        return CudaBackend.ceil(rows, rowMultiple) * rowMultiple;
    }

    int padK(int cols) {
        return CudaBackend.ceil(cols, kMultiple) * kMultiple;
    }

    int padN(int n) {
        return CudaBackend.ceil(n, nMultiple) * nMultiple;
    }

    /** Why this kernel cannot run on a GPU of compute capability major.minor, or empty when it can. */
    public java.util.Optional<String> whyUnsupportedOn(int major, int minor) {
        return java.util.Optional.ofNullable(unsupportedOn(10 * major + minor));
    }

    /** Why this kernel cannot run on a device of compute capability {@code cc} (major*10+minor), or null. */
    String unsupportedOn(int cc) {
        if (this == WGMMA_SP && cc != 90) {
            return "the wgmma.sp 2:4 kernel needs compute capability 9.0 (Hopper: its sm_90a image is the only one"
                    + " with wgmma); this GPU is " + cc / 10 + "." + cc % 10 + ": use TwoFourKernel.MMA_SP";
        }
        if (cc < 80) {
            return "sparse tensor cores need compute capability 8.0 or newer; this GPU is " + cc / 10 + "." + cc % 10;
        }
        return null;
    }

    /**
     * The default for {@code n} activation columns on a device of compute capability {@code cc}:
     * wgmma.sp on Hopper once n fills its 128-column tile, mma.sp otherwise. The crossover is a
     * first guess until {@code prune4j tcbench} has measured both on a Hopper GPU.
     */
    static TwoFourKernel defaultFor(int cc, int n) {
        return cc == 90 && n >= 128 ? WGMMA_SP : MMA_SP;
    }
}
