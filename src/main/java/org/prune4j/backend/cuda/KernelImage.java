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
            String nvcc = infoLine("nvcc");
            return "built (" + fatbin.length + " bytes" + (nvcc == null ? "" : ", " + nvcc) + ")";
        }
        byte[] why = read(NOT_BUILT);
        return "kernels not built: " + (why == null ? "no fatbin in the jar" : new String(why, StandardCharsets.UTF_8)
                .trim()) + "; rebuild on a machine with nvcc (CUDA_HOME or PATH)";
    }

    /**
     * What the fatbin needs from the GPU and driver, from the info file ci/build-kernels writes
     * beside it ({@code cuda=13.0}, {@code min_cc=80}); an older jar's free-text nvcc line is read
     * for "release X.Y". Without an info file: CUDA 12.0 and compute capability 8.0, the oldest
     * this project has built with.
     */
    static StartupCheck.Requirements requirements() {
        return requirements(read(INFO) == null ? "" : new String(read(INFO), StandardCharsets.UTF_8));
    }

    static StartupCheck.Requirements requirements(String info) {
        int major = 12, minor = 0, minCc = 80;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^cuda=(\\d+)\\.(\\d+)").matcher(info);
        if (!m.find()) {
            m = java.util.regex.Pattern.compile("release (\\d+)\\.(\\d+)").matcher(info);
        }
        if (m.find(0)) {
            major = Integer.parseInt(m.group(1));
            minor = Integer.parseInt(m.group(2));
        }
        java.util.regex.Matcher c = java.util.regex.Pattern.compile("(?m)^min_cc=(\\d+)").matcher(info);
        if (c.find()) {
            minCc = Integer.parseInt(c.group(1));
        }
        return new StartupCheck.Requirements(minCc, major, minor);
    }

    /** The value of {@code key=...} in the info file, or for an old free-text file its first line. */
    private static String infoLine(String key) {
        byte[] b = read(INFO);
        if (b == null) {
            return null;
        }
        String info = new String(b, StandardCharsets.UTF_8).trim();
        for (String line : info.split("\n")) {
            if (line.startsWith(key + "=")) {
                return line.substring(key.length() + 1).trim();
            }
        }
        return info.contains("=") ? null : info.split("\n")[0];
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
