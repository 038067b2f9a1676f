package org.prune4j.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * cuBLAS through the Foreign Function & Memory API. JCublas2 is built against
 * libcublas.so.12 with versioned symbols and cannot load on CUDA 13, so the installed soname
 * (13, else 12) is bound directly, by its {@code _v2} entry points. Row-major products are
 * issued as their column-major transposes: C^T = op(B)^T op(A)^T. The host-side scalars live
 * in memory allocated once per handle, so a call is one downcall and nothing else: cheap
 * enough to sit inside a timing loop.
 */
final class Cublas implements AutoCloseable {
    static final String[] SONAMES = {"libcublas.so.13", "libcublas.so.12"};

    private final String soname;
    private final MethodHandle sgemm;
    private final MethodHandle destroy;
    private final MethodHandle gemmEx;
    private final MemorySegment handle;
    private final int version;
    private final Arena scalars = Arena.ofShared();
    private final MemorySegment alphaSeg = scalars.allocate(JAVA_FLOAT);
    private final MemorySegment betaSeg = scalars.allocate(JAVA_FLOAT);
    private boolean closed;

    private Cublas(String soname, SymbolLookup lib, long stream) throws Throwable {
        this.soname = soname;
        Linker linker = Linker.nativeLinker();
        MethodHandle create = linker.downcallHandle(symbol(lib, "cublasCreate_v2"), FunctionDescriptor.of(JAVA_INT,
                ADDRESS));
        MethodHandle setStream = linker.downcallHandle(symbol(lib, "cublasSetStream_v2"), FunctionDescriptor.of(
                JAVA_INT, ADDRESS, ADDRESS));
        MethodHandle getVersion = linker.downcallHandle(symbol(lib, "cublasGetVersion_v2"), FunctionDescriptor.of(
                JAVA_INT, ADDRESS, ADDRESS));
        this.destroy = linker.downcallHandle(symbol(lib, "cublasDestroy_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        this.sgemm = linker.downcallHandle(symbol(lib, "cublasSgemm_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS,
                ADDRESS, JAVA_INT));
        this.gemmEx = linker.downcallHandle(symbol(lib, "cublasGemmEx"), FunctionDescriptor.of(JAVA_INT, ADDRESS,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT,
                JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        MemorySegment h = MemorySegment.NULL;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            Cuda.checkLibrary((int) create.invokeExact(out), "cuBLAS", "cublasCreate_v2");
            h = out.get(ADDRESS, 0);
            Cuda.checkLibrary((int) setStream.invokeExact(h, MemorySegment.ofAddress(stream)), "cuBLAS",
                    "cublasSetStream_v2");
            MemorySegment v = a.allocate(JAVA_INT);
            Cuda.checkLibrary((int) getVersion.invokeExact(h, v), "cuBLAS", "cublasGetVersion_v2");
            this.version = v.get(JAVA_INT, 0);
            this.handle = h;
        } catch (Throwable t) {
            // a half-made handle and the scalars go back before the caller hears why
            if (!h.equals(MemorySegment.NULL)) {
                int ignored = (int) destroy.invokeExact(h);
            }
            scalars.close();
            throw t;
        }
    }

    private static MemorySegment symbol(SymbolLookup lib, String name) {
        return lib.find(name).orElseThrow(() -> new CudaException("cuBLAS has no symbol " + name, -1));
    }

    /** The library on the stream, or an exception naming every soname tried and why it failed. */
    static Cublas load(long stream) {
        StringBuilder why = new StringBuilder();
        for (String s : SONAMES) {
            NativeLibraries.Found f = NativeLibraries.find(s);
            if (!f.loaded()) {
                why.append(s).append(": ").append(f.detail()).append("; ");
                continue;
            }
            try {
                return new Cublas(s, SymbolLookup.libraryLookup(f.detail(), Arena.global()), stream);
            } catch (CudaException e) {
                throw e;
            } catch (Throwable t) {
                why.append(s).append(": ").append(t).append("; ");
            }
        }
        throw new CudaException("cuBLAS unavailable: " + why, -1);
    }

    String describe() {
        return soname + " " + version / 10000 + "." + version / 100 % 100 + "." + version % 100;
    }

    /** Row-major {@code C = alpha op(A) op(B) + beta C}, all pointers on the device. */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, long a, int lda, long b, int ldb,
            float beta, long c, int ldc) {
        alphaSeg.set(JAVA_FLOAT, 0, alpha);
        betaSeg.set(JAVA_FLOAT, 0, beta);
        int status;
        try {
            status = (int) sgemm.invokeExact(handle, transB ? 1 : 0, transA ? 1 : 0, n, m, k, alphaSeg,
                    MemorySegment.ofAddress(b), ldb, MemorySegment.ofAddress(a), lda, betaSeg, MemorySegment.ofAddress(c),
                    ldc);
        } catch (Throwable t) {
            throw new CudaException("cublasSgemm_v2 call failed: " + t, -1);
        }
        Cuda.checkLibrary(status, "cuBLAS", "cublasSgemm_v2(" + m + "x" + n + "x" + k + ")");
    }

    /**
     * Row-major {@code C (fp32) = A B} with A and B in bf16, fp32 compute (cublasGemmEx): the
     * dense vendor baseline of the tensor-core kernels.
     */
    void gemmBf16(int m, int n, int k, long a, long b, long c) {
        gemmEx(m, n, k, a, b, c, CUDA_R_16BF, COMPUTE_32F, "bf16");
    }

    /**
     * Row-major {@code C = A B}, all fp32 in memory, multiplied on tensor cores in tf32
     * (CUBLAS_COMPUTE_32F_FAST_TF32): the dense baseline of the tf32 kernels.
     */
    void gemmTf32(int m, int n, int k, long a, long b, long c) {
        gemmEx(m, n, k, a, b, c, CUDA_R_32F, COMPUTE_32F_FAST_TF32, "tf32");
    }

    private static final int CUDA_R_32F = 0;
    private static final int CUDA_R_16BF = 14;
    private static final int COMPUTE_32F = 68;
    private static final int COMPUTE_32F_FAST_TF32 = 77;
    private static final int ALGO_DEFAULT = -1;

    private void gemmEx(int m, int n, int k, long a, long b, long c, int inType, int compute, String label) {
        alphaSeg.set(JAVA_FLOAT, 0, 1f);
        betaSeg.set(JAVA_FLOAT, 0, 0f);
        int status;
        try {
            status = (int) gemmEx.invokeExact(handle, 0, 0, n, m, k, alphaSeg, MemorySegment.ofAddress(b), inType, n,
                    MemorySegment.ofAddress(a), inType, k, betaSeg, MemorySegment.ofAddress(c), CUDA_R_32F, n, compute,
                    ALGO_DEFAULT);
        } catch (Throwable t) {
            throw new CudaException("cublasGemmEx call failed: " + t, -1);
        }
        Cuda.checkLibrary(status, "cuBLAS", "cublasGemmEx(" + label + ", " + m + "x" + n + "x" + k + ")");
    }

    /** Destroys the handle; a failure (a context broken by a fault) is thrown for the caller's best-effort close. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        int status;
        try {
            status = (int) destroy.invokeExact(handle);
        } catch (Throwable t) {
            throw new CudaException("cublasDestroy_v2 call failed: " + t, -1);
        } finally {
            scalars.close();
        }
        Cuda.checkLibrary(status, "cuBLAS", "cublasDestroy_v2");
    }
}
