package org.prune4j.backend.cuda;

import java.util.function.Supplier;
import org.prune4j.backend.Availability;

/**
 * Whether this host can run the kernels in the jar, decided before {@code auto} picks CUDA so
 * that a host that cannot ends up on the CPU with one line saying why, rather than failing at
 * the first product. Three checks, cheapest first: the GPU's compute capability against the
 * lowest target in the fatbin; the driver's CUDA version against the nvcc that built the
 * fatbin; then a context, the module load and one tiny launch whose result is read back. The
 * outcome is computed once per process.
 */
final class StartupCheck {
    /** What the fatbin needs: the lowest compute capability it has code for, and the CUDA release that built it. */
    record Requirements(int minComputeCapability, int cudaMajor, int cudaMinor) {
        String cuda() {
            return cudaMajor + "." + cudaMinor;
        }
    }

    private static volatile Availability cached;

    private StartupCheck() {
    }

    /** The outcome for GPU 0, computed on first use with the real driver and a real test launch. */
    static Availability cached(CudaProbe.Result probe) {
        Availability a = cached;
        if (a == null) {
            synchronized (StartupCheck.class) {
                a = cached;
                if (a == null) {
                    a = check(probe, KernelImage.requirements(), StartupCheck::tinyLaunch);
                    cached = a;
                }
            }
        }
        return a;
    }

    /**
     * The three checks on GPU 0 of {@code probe}; {@code launch} runs the test launch and returns
     * null when it worked, else what went wrong.
     */
    static Availability check(CudaProbe.Result probe, Requirements need, Supplier<String> launch) {
        if (!probe.usable()) {
            return Availability.no(probe.detail());
        }
        CudaProbe.Gpu g = probe.gpus().get(0);
        int cc = 10 * g.major() + g.minor();
        if (cc < need.minComputeCapability()) {
            return Availability.no("GPU " + g.ordinal() + " (" + g.name() + ") has compute capability " + g.major() + "."
                    + g.minor() + ", and the kernels in this build need " + need.minComputeCapability() / 10 + "."
                    + need.minComputeCapability() % 10 + " or newer (the fatbin holds sm_80 and sm_90a machine code and"
                    + " compute_80 PTX); use an Ampere or newer GPU, or --backend cpu");
        }
        int needDriver = 1000 * need.cudaMajor();
        if (probe.driverVersion() < needDriver) {
            return Availability.no("the CUDA driver supports CUDA " + probe.driverVersionString()
                    + ", older than the CUDA " + need.cuda() + " that compiled the kernels; install "
                    + (need.cudaMajor() == 13 ? "NVIDIA driver 580 or newer" : "a driver for CUDA " + need.cuda()
                            + " or newer") + ", or rebuild the kernels with the nvcc of CUDA "
                    + probe.driverVersionString() + " (ci/build-kernels) and use --backend cpu meanwhile");
        }
        String failed;
        try {
            failed = launch.get();
        } catch (RuntimeException | LinkageError e) {
            failed = e.getMessage();
        }
        if (failed != null) {
            return Availability.no("a test launch on GPU " + g.ordinal() + " (" + g.name() + ", " + g.arch()
                    + ") failed: " + failed);
        }
        return Availability.yes("GPU " + g.ordinal() + " " + g.name() + " (" + g.arch() + "), driver CUDA "
                + probe.driverVersionString() + ", kernels built with CUDA " + need.cuda() + "; a test launch ran");
    }

    /** Opens GPU 0, writes one float through {@code p4j_poke} and reads it back; null when it worked. */
    private static String tinyLaunch() {
        try (CudaDevice d = CudaDevice.open(0)) {
            float[] back = {0f};
            try (DeviceBuffer b = d.upload(new float[] {1f})) {
                d.launch("p4j_poke", 1, 1, 32, b, 2.5f);
                d.download(b, back);
            }
            return back[0] == 2.5f ? null : "the test kernel ran but wrote " + back[0] + " instead of 2.5";
        }
    }
}
