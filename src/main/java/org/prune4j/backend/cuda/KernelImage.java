package org.prune4j.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The fatbin that the build compiled from {@code cuda-kernels/} and packed into the jar
 * (SASS for sm_80 and sm_90a, PTX for later GPUs). When the build had no nvcc it holds a
 * marker that says why instead.
 */
public final class KernelImage {
    static final String FATBIN = "prune4j.fatbin";
    static final String INFO = "prune4j.fatbin.info";
    static final String NOT_BUILT = "kernels-not-built.txt";

    private KernelImage() {
    }

    /** The fatbin, NUL-terminated as cuModuleLoadData wants, or empty when kernels were not built. */
    public static Optional<byte[]> load() {
        byte[] b = read(FATBIN);
        return b == null ? Optional.empty() : Optional.of(Arrays.copyOf(b, b.length + 1));
    }

    /** "built (N bytes, nvcc ...)" or "kernels not built: why". */
    public static String status() {
        byte[] fatbin = read(FATBIN);
        if (fatbin != null) {
            byte[] info = read(INFO);
            return "built (" + fatbin.length + " bytes"
                    + (info == null ? "" : ", " + new String(info, StandardCharsets.UTF_8).trim()) + ")";
        }
        byte[] why = read(NOT_BUILT);
        return "kernels not built: " + (why == null ? "no fatbin in the jar" : new String(why, StandardCharsets.UTF_8)
                .trim()) + "; rebuild on a machine with nvcc (CUDA_HOME or PATH)";
    }

    public static boolean built() {
        return KernelImage.class.getResource(FATBIN) != null;
    }

    private static byte[] read(String name) {
        try (InputStream in = KernelImage.class.getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }
}
