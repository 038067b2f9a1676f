package org.prune4j.backend.cpu;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * OpenBLAS's {@code cblas_sgemm} through the Foreign Function &amp; Memory API. The downcall is
 * marked critical so Java arrays are passed without copying. {@link #load()} tries the usual
 * sonames and Debian's paths and, when none loads, says what was tried.
 */
public final class OpenBlasGemm implements DenseGemm {
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;
    private static final List<String> CANDIDATES = List.of(
            "libopenblas.so.0",
            "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
            "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
            "/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so.0",
            "/usr/lib64/libopenblas.so.0",
            "libopenblas.so");

    private static volatile Loaded cached;

    private final MethodHandle sgemm;
    private final String library;
    private final String config;

    private OpenBlasGemm(MethodHandle sgemm, String library, String config) {
        this.sgemm = sgemm;
        this.library = library;
        this.config = config;
    }

    /** The outcome of trying to load OpenBLAS: the gemm, or why there is none. */
    public record Loaded(Optional<OpenBlasGemm> gemm, String detail) {
    }

    public static Loaded load() {
        Loaded l = cached;
        if (l == null) {
            l = tryLoad();
            cached = l;
        }
        return l;
    }

    private static Loaded tryLoad() {
        Linker linker = Linker.nativeLinker();
        List<String> failures = new ArrayList<>();
        for (String candidate : CANDIDATES) {
            if (candidate.startsWith("/") && !Files.exists(Path.of(candidate))) {
                continue;
            }
            SymbolLookup lib;
            try {
                lib = SymbolLookup.libraryLookup(candidate, Arena.global());
            } catch (IllegalArgumentException | IllegalCallerException e) {
                failures.add(candidate + ": " + e.getMessage());
                continue;
            }
            Optional<MemorySegment> fn = lib.find("cblas_sgemm");
            if (fn.isEmpty()) {
                failures.add(candidate + ": no cblas_sgemm symbol");
                continue;
            }
            MethodHandle h = linker.downcallHandle(fn.get(), FunctionDescriptor.ofVoid(
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                    Linker.Option.critical(true));
            String config = lib.find("openblas_get_config").map(f -> {
                try {
                    MethodHandle g = linker.downcallHandle(f, FunctionDescriptor.of(ValueLayout.ADDRESS));
                    MemorySegment s = (MemorySegment) g.invokeExact();
                    return s.reinterpret(256).getString(0).trim();
                } catch (Throwable t) {
                    return "config unknown";
                }
            }).orElse("config unknown");
            return new Loaded(Optional.of(new OpenBlasGemm(h, candidate, config)), candidate + " (" + config + ")");
        }
        String why = failures.isEmpty() ? "libopenblas.so.0 not found" : String.join("; ", failures);
        return new Loaded(Optional.empty(), why + ". Install it with 'apt-get install libopenblas0-pthread'");
    }

    @Override
    public String name() {
        return "openblas " + config;
    }

    public String library() {
        return library;
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int lda, float[] b,
            int ldb, float beta, float[] c, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        // BLAS rejects lda < 1 even when the matrix is empty; give it a legal stride.
        lda = Math.max(lda, 1);
        ldb = Math.max(ldb, 1);
        ldc = Math.max(ldc, 1);
        try {
            sgemm.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha,
                    MemorySegment.ofArray(a), lda, MemorySegment.ofArray(b), ldb, beta, MemorySegment.ofArray(c), ldc);
        } catch (Throwable t) {
            throw new IllegalStateException("cblas_sgemm failed (" + library + "): " + t, t);
        }
    }
}
