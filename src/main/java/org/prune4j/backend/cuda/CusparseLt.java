package org.prune4j.backend.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.HashMap;
import java.util.Map;

/**
 * cuSPARSELt (libcusparseLt.so.0) through FFM, JCuda having no binding: the 2:4 baseline.
 * A weight is checked for 2:4, compressed and planned once ({@link Prepared}); each product
 * then only runs {@code cusparseLtMatmul}. Handles and descriptors are the library's opaque
 * 512-byte structs, allocated here. Row-major bf16 A (m x k, 2:4) times bf16 B (k x n) into
 * bf16 D, fp32 compute; dimensions are padded to multiples of 32 by the caller.
 */
final class CusparseLt implements AutoCloseable {
    static final String SONAME = "libcusparseLt.so.0";
    private static final long OPAQUE = 512;
    private static final int CUDA_R_16BF = 14;
    private static final int ORDER_ROW = 2;
    private static final int OP_N = 0;
    private static final int SPARSITY_50 = 0;
    private static final int COMPUTE_32F = 2;
    private static final int ALG_DEFAULT = 0;
    private static final int SPARSE_MAT_POINTER = 9;

    private final Arena arena = Arena.ofShared();
    private final Map<String, MethodHandle> fns = new HashMap<>();
    private final SymbolLookup lib;
    private final MemorySegment handle;
    private final CudaDevice device;

    private CusparseLt(SymbolLookup lib, CudaDevice device) {
        this.lib = lib;
        this.device = device;
        this.handle = opaque();
        call("cusparseLtInit", FunctionDescriptor.of(JAVA_INT, ADDRESS), handle);
    }

    static CusparseLt open(CudaDevice device) {
        NativeLibraries.Found f = NativeLibraries.find(SONAME);
        if (!f.loaded()) {
            throw new CudaException("cuSPARSELt unavailable: " + SONAME + " " + f.detail(), -1);
        }
        return new CusparseLt(SymbolLookup.libraryLookup(f.detail(), Arena.global()), device);
    }

    /** "major.minor.patch" of the installed library, read without a GPU; or why it cannot be. */
    static String version() {
        NativeLibraries.Found f = NativeLibraries.find(SONAME);
        if (!f.loaded()) {
            return "not found (" + f.detail() + ")";
        }
        try (Arena a = Arena.ofConfined()) {
            SymbolLookup l = SymbolLookup.libraryLookup(f.detail(), a);
            MethodHandle get = Linker.nativeLinker().downcallHandle(l.find("cusparseLtGetProperty").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
            int[] v = new int[3];
            for (int p = 0; p < 3; p++) {
                MemorySegment out = a.allocate(JAVA_INT);
                int st = (int) get.invokeExact(p, out);
                if (st != 0) {
                    return "loads, but cusparseLtGetProperty returned " + st;
                }
                v[p] = out.get(JAVA_INT, 0);
            }
            return v[0] + "." + v[1] + "." + v[2] + " (" + f.detail() + ")";
        } catch (Throwable t) {
            return "loads, but its version could not be read: " + t;
        }
    }

    private MemorySegment opaque() {
        return arena.allocate(OPAQUE, 16);
    }

    private int call(String name, FunctionDescriptor fd, Object... args) {
        MethodHandle mh = fns.computeIfAbsent(name, n -> Linker.nativeLinker().downcallHandle(
                lib.find(n).orElseThrow(() -> new CudaException("cuSPARSELt has no symbol " + n, -1)), fd));
        try {
            int status = (int) mh.invokeWithArguments(args);
            Cuda.checkLibrary(status, "cuSPARSELt", name);
            return status;
        } catch (CudaException e) {
            throw e;
        } catch (Throwable t) {
            throw new CudaException(name + " call failed: " + t, -1);
        }
    }

    /** A compressed 2:4 weight with its plan and workspace, for one activation width. */
    final class Prepared implements AutoCloseable {
        final int m, k, n;
        private final MemorySegment matA = opaque(), matB = opaque(), matC = opaque(), matmul = opaque(),
                algSel = opaque(), plan = opaque();
        private final DeviceBuffer compressed;
        private final DeviceBuffer workspace;

        Prepared(DeviceBuffer denseA, int m, int k, int n) {
            this.m = m;
            this.k = k;
            this.n = n;
            FunctionDescriptor dense = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                    JAVA_INT, JAVA_INT, JAVA_INT);
            call("cusparseLtStructuredDescriptorInit", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG,
                    JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), handle, matA, (long) m, (long) k,
                    (long) k, 16, CUDA_R_16BF, ORDER_ROW, SPARSITY_50);
            call("cusparseLtDenseDescriptorInit", dense, handle, matB, (long) k, (long) n, (long) n, 16, CUDA_R_16BF,
                    ORDER_ROW);
            call("cusparseLtDenseDescriptorInit", dense, handle, matC, (long) m, (long) n, (long) n, 16, CUDA_R_16BF,
                    ORDER_ROW);
            call("cusparseLtMatmulDescriptorInit", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT,
                    ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT), handle, matmul, OP_N, OP_N, matA, matB, matC, matC,
                    COMPUTE_32F);
            MemorySegment ptr = arena.allocate(JAVA_LONG);
            ptr.set(JAVA_LONG, 0, denseA.ptr.address());
            call("cusparseLtMatmulDescSetAttribute", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS,
                    JAVA_LONG), handle, matmul, SPARSE_MAT_POINTER, ptr, 8L);
            call("cusparseLtMatmulAlgSelectionInit", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS,
                    JAVA_INT), handle, algSel, matmul, ALG_DEFAULT);
            call("cusparseLtMatmulPlanInit", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS), handle,
                    plan, matmul, algSel);
            MemorySegment stream = MemorySegment.ofAddress(device.streamHandle());
            try (DeviceBuffer valid = device.pool.allocate(4)) {
                call("cusparseLtSpMMAPruneCheck", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                        ADDRESS), handle, matmul, MemorySegment.ofAddress(denseA.ptr.address()),
                        MemorySegment.ofAddress(valid.ptr.address()), stream);
                int[] ok = new int[1];
                jcuda.driver.JCudaDriver.cuMemcpyDtoH(jcuda.Pointer.to(ok), valid.ptr, 4);
                if (ok[0] != 0) {
                    throw new CudaException("cuSPARSELt says the weight is not 2:4 (prune check " + ok[0] + ")", -1);
                }
            }
            MemorySegment sizes = arena.allocate(JAVA_LONG, 2);
            call("cusparseLtSpMMACompressedSize", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS),
                    handle, plan, sizes, sizes.asSlice(8));
            compressed = device.pool.allocate(Math.max(1, sizes.get(JAVA_LONG, 0)));
            try (DeviceBuffer buffer = device.pool.allocate(Math.max(1, sizes.get(JAVA_LONG, 8)))) {
                call("cusparseLtSpMMACompress", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                        ADDRESS, ADDRESS), handle, plan, MemorySegment.ofAddress(denseA.ptr.address()),
                        MemorySegment.ofAddress(compressed.ptr.address()), MemorySegment.ofAddress(buffer.ptr.address()),
                        stream);
                device.synchronize();
            }
            MemorySegment ws = arena.allocate(JAVA_LONG);
            call("cusparseLtMatmulGetWorkspace", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS), handle, plan,
                    ws);
            workspace = device.pool.allocate(Math.max(1, ws.get(JAVA_LONG, 0)));
        }

        /** D (m x n, bf16) = A B (k x n, bf16), on the backend's stream. */
        void matmul(DeviceBuffer b, DeviceBuffer d) {
            MemorySegment alpha = arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_FLOAT, 1f);
            MemorySegment beta = arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_FLOAT, 0f);
            MemorySegment streams = arena.allocate(ADDRESS);
            streams.set(ADDRESS, 0, MemorySegment.ofAddress(device.streamHandle()));
            call("cusparseLtMatmul", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
                    ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT), handle, plan, alpha,
                    MemorySegment.ofAddress(compressed.ptr.address()), MemorySegment.ofAddress(b.ptr.address()), beta,
                    MemorySegment.ofAddress(d.ptr.address()), MemorySegment.ofAddress(d.ptr.address()),
                    MemorySegment.ofAddress(workspace.ptr.address()), streams, 1);
        }

        @Override
        public void close() {
            FunctionDescriptor one = FunctionDescriptor.of(JAVA_INT, ADDRESS);
            call("cusparseLtMatmulPlanDestroy", one, plan);
            call("cusparseLtMatmulAlgSelectionDestroy", one, algSel);
            call("cusparseLtMatDescriptorDestroy", one, matA);
            call("cusparseLtMatDescriptorDestroy", one, matB);
            call("cusparseLtMatDescriptorDestroy", one, matC);
            compressed.close();
            workspace.close();
        }
    }

    @Override
    public void close() {
        call("cusparseLtDestroy", FunctionDescriptor.of(JAVA_INT, ADDRESS), handle);
        arena.close();
    }
}
