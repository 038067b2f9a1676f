package org.prune4j.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * cuSPARSELt (libcusparseLt.so.0) through FFM, JCuda having no binding: the 2:4 baseline.
 * A weight is checked for 2:4, compressed and planned once ({@link Prepared}); each product
 * then only runs {@code cusparseLtMatmul}, through an exact-typed method handle with its
 * scalars and stream array allocated once per plan. Row-major bf16 A (m x k, 2:4) times bf16 B
 * (k x n) into bf16 D, fp32 compute; dimensions are padded to multiples of 32 by the caller.
 *
 * <p>The binding follows the 0.8 API (function signatures, enum values). Older releases under
 * the same soname differ: their opaque structs are larger (1024 bytes in 0.1 and 0.7, 11024 in
 * 0.4) and 0.4 numbered the compute types differently, so {@link #open} reads the version first
 * and refuses anything before 0.8. The opaque structs are allocated at 16 KiB each anyway, so a
 * future release that grows them cannot write past them.
 */
final class CusparseLt implements AutoCloseable {
    static final String SONAME = "libcusparseLt.so.0";
    /** Far above any released struct size (512 in 0.8, 11024 at most in 0.4); it costs nothing. */
    static final long OPAQUE = 16 * 1024;
    private static final int CUDA_R_16BF = 14;
    private static final int ORDER_ROW = 2;
    private static final int OP_N = 0;
    private static final int SPARSITY_50 = 0;
    private static final int COMPUTE_32F = 2;
    private static final int ALG_DEFAULT = 0;
    private static final int SPARSE_MAT_POINTER = 9;

    private static final FunctionDescriptor ONE_PTR = FunctionDescriptor.of(JAVA_INT, ADDRESS);
    private static final FunctionDescriptor TWO_PTR = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);

    private final Arena arena = Arena.ofShared();
    private final MemorySegment handle;
    private final CudaDevice device;
    private final String version;
    private final MethodHandle destroy;
    private final MethodHandle structuredInit;
    private final MethodHandle denseInit;
    private final MethodHandle matmulDescInit;
    private final MethodHandle setAttribute;
    private final MethodHandle algSelInit;
    private final MethodHandle planInit;
    private final MethodHandle pruneCheck;
    private final MethodHandle compressedSize;
    private final MethodHandle compress;
    private final MethodHandle getWorkspace;
    private final MethodHandle matmul;
    private final MethodHandle planDestroy;
    private final MethodHandle algSelDestroy;
    private final MethodHandle matDestroy;
    private boolean initialised;

    private CusparseLt(SymbolLookup lib, CudaDevice device, String version) {
        this.device = device;
        this.version = version;
        Linker l = Linker.nativeLinker();
        try {
            MethodHandle init = bind(l, lib, "cusparseLtInit", ONE_PTR);
            destroy = bind(l, lib, "cusparseLtDestroy", ONE_PTR);
            structuredInit = bind(l, lib, "cusparseLtStructuredDescriptorInit", FunctionDescriptor.of(JAVA_INT, ADDRESS,
                    ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
            denseInit = bind(l, lib, "cusparseLtDenseDescriptorInit", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS,
                    JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT));
            matmulDescInit = bind(l, lib, "cusparseLtMatmulDescriptorInit", FunctionDescriptor.of(JAVA_INT, ADDRESS,
                    ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT));
            setAttribute = bind(l, lib, "cusparseLtMatmulDescSetAttribute", FunctionDescriptor.of(JAVA_INT, ADDRESS,
                    ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG));
            algSelInit = bind(l, lib, "cusparseLtMatmulAlgSelectionInit", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS,
                    ADDRESS, JAVA_INT));
            planInit = bind(l, lib, "cusparseLtMatmulPlanInit", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS,
                    ADDRESS));
            pruneCheck = bind(l, lib, "cusparseLtSpMMAPruneCheck", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS,
                    ADDRESS, ADDRESS, ADDRESS));
            compressedSize = bind(l, lib, "cusparseLtSpMMACompressedSize", FunctionDescriptor.of(JAVA_INT, ADDRESS,
                    ADDRESS, ADDRESS, ADDRESS));
            compress = bind(l, lib, "cusparseLtSpMMACompress", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS,
                    ADDRESS, ADDRESS, ADDRESS));
            getWorkspace = bind(l, lib, "cusparseLtMatmulGetWorkspace", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS,
                    ADDRESS));
            matmul = bind(l, lib, "cusparseLtMatmul", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                    ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT));
            planDestroy = bind(l, lib, "cusparseLtMatmulPlanDestroy", ONE_PTR);
            algSelDestroy = bind(l, lib, "cusparseLtMatmulAlgSelectionDestroy", ONE_PTR);
            matDestroy = bind(l, lib, "cusparseLtMatDescriptorDestroy", ONE_PTR);
            handle = opaque();
            check((int) init.invokeExact(handle), "cusparseLtInit");
        } catch (Throwable t) {
            // a missing symbol or a failed init: the structs go back before the caller hears why
            arena.close();
            throw rethrow("cusparseLtInit", t);
        }
        initialised = true;
    }

    private static MethodHandle bind(Linker l, SymbolLookup lib, String name, FunctionDescriptor fd) {
        return l.downcallHandle(lib.find(name).orElseThrow(() -> new CudaException("cuSPARSELt has no symbol " + name
                + "; it is older or newer than the 0.8 API this binding follows", -1)), fd);
    }

    /** Opens the installed library on {@code device}, or says why it cannot be used. */
    static CusparseLt open(CudaDevice device) {
        NativeLibraries.Found f = NativeLibraries.find(SONAME);
        if (!f.loaded()) {
            throw new CudaException("cuSPARSELt unavailable: " + SONAME + " " + f.detail(), -1);
        }
        SymbolLookup lib = SymbolLookup.libraryLookup(f.detail(), Arena.global());
        int[] v = readVersion(lib);
        String why = refusal(v[0], v[1], v[2]);
        if (why != null) {
            throw new CudaException(why + " (found at " + f.detail() + ")", -1);
        }
        return new CusparseLt(lib, device, v[0] + "." + v[1] + "." + v[2]);
    }

    /**
     * Why cuSPARSELt {@code major.minor.patch} is refused, or null when this binding can use it:
     * it follows the 0.8 API, and older releases lay out the opaque structs and enums differently,
     * so running them would corrupt memory rather than fail cleanly.
     */
    static String refusal(int major, int minor, int patch) {
        if (major > 0 || minor >= 8) {
            return null;
        }
        return "cuSPARSELt " + major + "." + minor + "." + patch + " is older than 0.8, the release this binding"
                + " follows (0.7 and older use other struct sizes and enum values); install cuSPARSELt 0.8 or newer"
                + " (e.g. pip's nvidia-cusparselt-cu13) and point PRUNE4J_LIBRARY_PATH at its lib folder";
    }

    /** major, minor, patch through cusparseLtGetProperty, which needs no handle and no GPU. */
    private static int[] readVersion(SymbolLookup lib) {
        MethodHandle get = Linker.nativeLinker().downcallHandle(lib.find("cusparseLtGetProperty").orElseThrow(
                () -> new CudaException("cuSPARSELt has no cusparseLtGetProperty: too old for this binding", -1)),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        int[] v = new int[3];
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_INT);
            for (int p = 0; p < 3; p++) {
                int st = (int) get.invokeExact(p, out);
                Cuda.checkLibrary(st, "cuSPARSELt", "cusparseLtGetProperty(" + p + ")");
                v[p] = out.get(JAVA_INT, 0);
            }
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaException("cusparseLtGetProperty call failed: " + t, -1);
        }
        return v;
    }

    /** "major.minor.patch (path)" of the installed library, read without a GPU; or why it cannot be used. */
    static String version() {
        NativeLibraries.Found f = NativeLibraries.find(SONAME);
        if (!f.loaded()) {
            return "not found (" + f.detail() + ")";
        }
        try {
            int[] v = readVersion(SymbolLookup.libraryLookup(f.detail(), Arena.global()));
            String why = refusal(v[0], v[1], v[2]);
            return v[0] + "." + v[1] + "." + v[2] + " (" + f.detail() + ")" + (why == null ? "" : "; refused: " + why);
        } catch (RuntimeException e) {
            return "loads, but its version could not be read: " + e.getMessage();
        }
    }

    String describe() {
        return "cuSPARSELt " + version;
    }

    private MemorySegment opaque() {
        return arena.allocate(OPAQUE, 16);
    }

    private static void check(int status, String what) {
        Cuda.checkLibrary(status, "cuSPARSELt", what);
    }

    private static RuntimeException rethrow(String what, Throwable t) {
        return t instanceof RuntimeException r ? r : new CudaException(what + " call failed: " + t, -1);
    }

    /**
     * A compressed 2:4 weight with its plan and workspace, for one activation width. It owns the
     * dense device copy it was built from: after compression the matmul descriptor's
     * sparse-matrix pointer is cleared so the library never reads that copy again and it is
     * freed; only if this cuSPARSELt refuses a null pointer is the copy kept as long as the plan.
     */
    final class Prepared implements DeviceWeights.Resident {
        final int m;
        final int k;
        final int n;
        /** This plan's host structs, freed with it (a long run builds and drops many plans). */
        private final Arena mine = Arena.ofShared();
        private final MemorySegment matA = mine.allocate(OPAQUE, 16);
        private final MemorySegment matB = mine.allocate(OPAQUE, 16);
        private final MemorySegment matC = mine.allocate(OPAQUE, 16);
        private final MemorySegment matmulDesc = mine.allocate(OPAQUE, 16);
        private final MemorySegment algSel = mine.allocate(OPAQUE, 16);
        private final MemorySegment plan = mine.allocate(OPAQUE, 16);
        private final MemorySegment alpha = mine.allocateFrom(JAVA_FLOAT, 1f);
        private final MemorySegment beta = mine.allocateFrom(JAVA_FLOAT, 0f);
        private final MemorySegment streams = mine.allocate(ADDRESS);
        private boolean closed;
        private boolean aMade;
        private boolean bMade;
        private boolean cMade;
        private boolean algMade;
        private boolean planMade;
        private DeviceBuffer dense;
        private DeviceBuffer compressed;
        private DeviceBuffer workspace;

        Prepared(DeviceBuffer denseA, int m, int k, int n) {
            this.m = m;
            this.k = k;
            this.n = n;
            this.dense = denseA;
            try {
                build();
            } catch (Throwable t) {
                close();
                throw rethrow("preparing cuSPARSELt", t);
            }
        }

        private void build() throws Throwable {
            streams.set(ADDRESS, 0, MemorySegment.ofAddress(device.streamHandle()));
            check((int) structuredInit.invokeExact(handle, matA, (long) m, (long) k, (long) k, 16, CUDA_R_16BF,
                    ORDER_ROW, SPARSITY_50), "cusparseLtStructuredDescriptorInit");
            aMade = true;
            check((int) denseInit.invokeExact(handle, matB, (long) k, (long) n, (long) n, 16, CUDA_R_16BF, ORDER_ROW),
                    "cusparseLtDenseDescriptorInit(B)");
            bMade = true;
            check((int) denseInit.invokeExact(handle, matC, (long) m, (long) n, (long) n, 16, CUDA_R_16BF, ORDER_ROW),
                    "cusparseLtDenseDescriptorInit(C)");
            cMade = true;
            check((int) matmulDescInit.invokeExact(handle, matmulDesc, OP_N, OP_N, matA, matB, matC, matC, COMPUTE_32F),
                    "cusparseLtMatmulDescriptorInit");
            setSparsePointer(dense.ptr.address());
            check((int) algSelInit.invokeExact(handle, algSel, matmulDesc, ALG_DEFAULT),
                    "cusparseLtMatmulAlgSelectionInit");
            algMade = true;
            check((int) planInit.invokeExact(handle, plan, matmulDesc, algSel), "cusparseLtMatmulPlanInit");
            planMade = true;
            MemorySegment stream = MemorySegment.ofAddress(device.streamHandle());
            MemorySegment denseSeg = MemorySegment.ofAddress(dense.ptr.address());
            try (DeviceBuffer valid = device.pool.allocate(4)) {
                device.zero(valid, 4);
                check((int) pruneCheck.invokeExact(handle, matmulDesc, denseSeg,
                        MemorySegment.ofAddress(valid.ptr.address()), stream), "cusparseLtSpMMAPruneCheck");
                int[] ok = new int[1];
                device.download(valid, ok);
                if (ok[0] != 0) {
                    throw new CudaException("cuSPARSELt says the weight is not 2:4 (prune check " + ok[0] + ")", -1);
                }
            }
            MemorySegment sizes = mine.allocate(JAVA_LONG, 2);
            check((int) compressedSize.invokeExact(handle, plan, sizes, sizes.asSlice(8)),
                    "cusparseLtSpMMACompressedSize");
            compressed = device.pool.allocate(Math.max(1, sizes.get(JAVA_LONG, 0)));
            try (DeviceBuffer buffer = device.pool.allocate(Math.max(1, sizes.get(JAVA_LONG, 8)))) {
                check((int) compress.invokeExact(handle, plan, denseSeg, MemorySegment.ofAddress(compressed.ptr
                        .address()), MemorySegment.ofAddress(buffer.ptr.address()), stream), "cusparseLtSpMMACompress");
                device.synchronize();
            }
            MemorySegment ws = mine.allocate(JAVA_LONG);
            check((int) getWorkspace.invokeExact(handle, plan, ws), "cusparseLtMatmulGetWorkspace");
            workspace = device.pool.allocate(Math.max(1, ws.get(JAVA_LONG, 0)));
            // The descriptor still points at the dense copy, which goes back to the pool now:
            // clear the pointer so nothing can read a reused block through it.
            if (trySetSparsePointer(0L)) {
                dense.close();
                dense = null;
            }
        }

        private void setSparsePointer(long address) throws Throwable {
            MemorySegment p = mine.allocate(JAVA_LONG);
            p.set(JAVA_LONG, 0, address);
            check((int) setAttribute.invokeExact(handle, matmulDesc, SPARSE_MAT_POINTER, p, 8L),
                    "cusparseLtMatmulDescSetAttribute(SPARSE_MAT_POINTER)");
        }

        private boolean trySetSparsePointer(long address) throws Throwable {
            try {
                setSparsePointer(address);
                return true;
            } catch (CudaException e) {
                return false;
            }
        }

        /** D (m x n, bf16) = A B (k x n, bf16), queued on the backend's stream; one downcall. */
        void matmul(DeviceBuffer b, DeviceBuffer d) {
            int st;
            try {
                MemorySegment dd = MemorySegment.ofAddress(d.ptr.address());
                st = (int) matmul.invokeExact(handle, plan, alpha, MemorySegment.ofAddress(compressed.ptr.address()),
                        MemorySegment.ofAddress(b.ptr.address()), beta, dd, dd,
                        MemorySegment.ofAddress(workspace.ptr.address()), streams, 1);
            } catch (Throwable t) {
                throw rethrow("cusparseLtMatmul", t);
            }
            check(st, "cusparseLtMatmul(" + m + "x" + k + "x" + n + ")");
        }

        @Override
        public long bytes() {
            return (compressed == null ? 0 : compressed.bytes) + (workspace == null ? 0 : workspace.bytes)
                    + (dense == null ? 0 : dense.bytes);
        }

        /** Releases whatever was made, best effort (also after a failed build). */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            BestEffort r = new BestEffort("releasing a cuSPARSELt plan");
            if (planMade) {
                planMade = false;
                r.run("cusparseLtMatmulPlanDestroy", () -> call(planDestroy, plan, "cusparseLtMatmulPlanDestroy"));
            }
            if (algMade) {
                algMade = false;
                r.run("cusparseLtMatmulAlgSelectionDestroy", () -> call(algSelDestroy, algSel,
                        "cusparseLtMatmulAlgSelectionDestroy"));
            }
            for (MemorySegment mat : new MemorySegment[] {matA, matB, matC}) {
                boolean made = mat == matA ? aMade : mat == matB ? bMade : cMade;
                if (made) {
                    r.run("cusparseLtMatDescriptorDestroy", () -> call(matDestroy, mat, "cusparseLtMatDescriptorDestroy"));
                }
            }
            aMade = bMade = cMade = false;
            for (DeviceBuffer b : new DeviceBuffer[] {compressed, workspace, dense}) {
                if (b != null) {
                    b.close();
                }
            }
            compressed = workspace = dense = null;
            mine.close();
            r.finish();
        }
    }

    private static void call(MethodHandle oneArg, MemorySegment s, String what) {
        int st;
        try {
            st = (int) oneArg.invokeExact(s);
        } catch (Throwable t) {
            throw rethrow(what, t);
        }
        check(st, what);
    }

    /** Destroys the handle (a failure is thrown for the caller's best-effort close) and frees the structs. */
    @Override
    public void close() {
        if (!initialised) {
            return;
        }
        initialised = false;
        try {
            call(destroy, handle, "cusparseLtDestroy");
        } finally {
            arena.close();
        }
    }
}
