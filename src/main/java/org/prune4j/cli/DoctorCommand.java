package org.prune4j.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import org.prune4j.backend.Availability;
import org.prune4j.backend.BackendProvider;
import org.prune4j.backend.Backends;
import org.prune4j.backend.cpu.CpuInfo;
import org.prune4j.backend.cpu.OpenBlasGemm;
import org.prune4j.backend.cuda.CudaProbe;
import org.prune4j.backend.cuda.KernelImage;
import org.prune4j.backend.cuda.NativeLibraries;
import picocli.CommandLine.Command;

/** Prints what this machine offers Prune4J and, for every missing piece, why. */
@Command(name = "doctor", mixinStandardHelpOptions = true, description = "Check the JDK, CPU, GPUs, CUDA libraries and kernels.")
public final class DoctorCommand implements Callable<Integer> {

    /** Vendor libraries a CUDA run may use, with what each is for. */
    private static final List<String[]> VENDOR = List.of(
            new String[] {"libcublas.so.13", "cuBLAS (CUDA 13, bound through FFM)"},
            new String[] {"libcublas.so.12", "cuBLAS (CUDA 12, bound through FFM)"},
            new String[] {"libcusparse.so.12", "cuSPARSE (JCusparse)"},
            new String[] {"libcusparseLt.so.0", "cuSPARSELt 2:4 baseline (FFM)"},
            new String[] {"libnvJitLink.so.13", "nvJitLink (cuSPARSE 12.6 on CUDA 13 needs it)"});

    @Override
    public Integer call() {
        report(System.out);
        return 0;
    }

    static void report(PrintStream out) {
        out.println("Prune4J doctor");
        out.printf("  java       %s (%s), %s%n", Runtime.version(), System.getProperty("java.vendor"),
                System.getProperty("java.home"));
        CpuInfo cpu = CpuInfo.probe();
        out.printf("  cpu        %s, %d cores, %d-bit SIMD (%d float lanes), %.2f GHz (%s)%n", cpu.model(), cpu.cores(),
                cpu.vectorBits(), cpu.floatLanes(), cpu.clockGHz(), cpu.clockSource());
        out.printf("  cpu peak   %.1f GFLOP/s fp32 (cores x lanes x 2 x clock)%n", cpu.peakGflops());
        OpenBlasGemm.Loaded blas = OpenBlasGemm.load();
        out.printf("  openblas   %s%n", blas.gemm().isPresent() ? "loaded: " + blas.detail() : "not loaded: " + blas.detail());

        CudaProbe.Result cuda = CudaProbe.probe();
        if (!cuda.driverLoaded()) {
            out.println("  gpu        none: " + cuda.detail());
        } else {
            out.println("  driver     CUDA driver API " + cuda.driverVersionString());
            if (cuda.gpus().isEmpty()) {
                out.println("  gpu        none: " + cuda.detail());
            }
            for (CudaProbe.Gpu g : cuda.gpus()) {
                out.printf("  gpu %d      %s, %s, %d SMs, %.1f GiB%n", g.ordinal(), g.name(), g.arch(),
                        g.multiprocessors(), g.memoryBytes() / (1024.0 * 1024 * 1024));
                for (org.prune4j.backend.cuda.TwoFourKernel k : org.prune4j.backend.cuda.TwoFourKernel.values()) {
                    java.util.Optional<String> why = k.whyUnsupportedOn(g.major(), g.minor());
                    out.printf("    2:4 on %-9s %s%n", k.label(), why.map(w -> "no: " + w).orElse("yes"));
                }
            }
        }
        out.println("  kernels    " + KernelImage.status());
        Availability startup = org.prune4j.backend.cuda.CudaBackendProvider.startupCheck();
        out.println("  startup    " + (startup.usable() ? "ok: " : "refused: ") + startup.detail());
        for (String[] lib : VENDOR) {
            NativeLibraries.Found f = NativeLibraries.find(lib[0]);
            out.printf("  %-18s %s: %s%n", lib[0], lib[1], f.loaded() ? "loads from " + f.detail() : "no (" + f.detail() + ")");
        }
        out.println("  cusparselt " + org.prune4j.backend.cuda.CudaBackend.cusparseLtVersion());
        out.println("  backends");
        for (BackendProvider p : Backends.providers()) {
            Availability a = p.probe();
            out.printf("    %-8s %s: %s%n", p.name(), a.usable() ? "usable" : "unusable", a.detail());
        }
        String auto = Backends.providers().stream().filter(p -> p.probe().usable()).map(BackendProvider::name)
                .findFirst().orElse("none");
        out.println("  auto picks " + auto);
    }
}
