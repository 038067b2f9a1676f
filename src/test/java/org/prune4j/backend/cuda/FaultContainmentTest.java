package org.prune4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUcontext;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import org.junit.jupiter.api.Test;

/**
 * Releasing device resources after a kernel fault, with a driver that fails the way a broken
 * context does (every call returns CUDA_ERROR_ILLEGAL_ADDRESS) and no GPU: every release step
 * still runs, nothing throws, and the failures are reported by name.
 */
class FaultContainmentTest {

    /** A driver whose calls are logged and that fails the ones named in {@code failing} with 700. */
    static final class BrokenDriver implements DriverCalls {
        final List<String> calls = new ArrayList<>();
        final List<String> failing;
        int oomLeft;
        long nextAddress = 1 << 20;

        BrokenDriver(String... failing) {
            this.failing = List.of(failing);
        }

        private int call(String name) {
            calls.add(name);
            return failing.contains(name) ? 700 : 0;
        }

        @Override
        public int memAlloc(DevicePointer p, long bytes) {
            calls.add("memAlloc");
            if (oomLeft > 0) {
                oomLeft--;
                return Cuda.OUT_OF_MEMORY;
            }
            return failing.contains("memAlloc") ? 700 : 0;
        }

        @Override
        public int memFree(DevicePointer p) {
            return call("memFree");
        }

        @Override
        public int memGetInfo(long[] free, long[] total) {
            free[0] = 3L << 20;
            total[0] = 80L << 30;
            return call("memGetInfo");
        }

        @Override
        public int ctxSetCurrent(CUcontext context) {
            return call("ctxSetCurrent");
        }

        @Override
        public int moduleUnload(CUmodule module) {
            return call("moduleUnload");
        }

        @Override
        public int streamDestroy(CUstream stream) {
            return call("streamDestroy");
        }

        @Override
        public int primaryCtxRelease(int ordinal) {
            return call("primaryCtxRelease");
        }
    }

    @Test
    void emptyingThePoolFreesEveryBlockEvenWhenEachFreeFails() {
        BrokenDriver driver = new BrokenDriver("memFree");
        DeviceMemoryPool pool = new DeviceMemoryPool(driver);
        pool.allocate(100).close();
        pool.allocate(5000).close();
        pool.allocate(70_000).close();
        assertTrue(pool.cachedBytes() > 0);
        List<String> failures = pool.trim();
        assertEquals(3, driver.calls.stream().filter("memFree"::equals).count(), "one cuMemFree per cached block");
        assertEquals(3, failures.size(), failures.toString());
        assertTrue(failures.get(0).contains("CUDA_ERROR_ILLEGAL_ADDRESS"), failures.toString());
        assertEquals(0, pool.cachedBytes());
        pool.close();
    }

    @Test
    void releasingADeviceAfterAFaultRunsEveryStepOnce() {
        BrokenDriver driver = new BrokenDriver("ctxSetCurrent", "memFree", "moduleUnload", "streamDestroy",
                "primaryCtxRelease");
        DeviceHandles h = new DeviceHandles(driver, 0);
        h.contextRetained = true;
        h.streamCreated = true;
        h.moduleLoaded = true;
        h.pool.allocate(1024).close();
        h.pool.allocate(4096).close();
        List<String> failures = h.release();
        assertEquals(List.of("ctxSetCurrent", "memFree", "memFree", "moduleUnload", "streamDestroy",
                "primaryCtxRelease"), driver.calls.subList(2, driver.calls.size()),
                "after the two allocations: every release step, in reverse order of acquisition");
        assertEquals(6, failures.size(), failures.toString());
        assertTrue(failures.stream().allMatch(f -> f.contains("CUDA_ERROR_ILLEGAL_ADDRESS")), failures.toString());
        int before = driver.calls.size();
        assertTrue(h.release().isEmpty(), "a second release has nothing left to give back");
        assertEquals(before, driver.calls.size(), "and makes no driver call");
    }

    @Test
    void aHalfOpenedDeviceReleasesOnlyWhatItAcquired() {
        BrokenDriver driver = new BrokenDriver();
        DeviceHandles h = new DeviceHandles(driver, 0);
        h.contextRetained = true; // the stream and the module never came
        assertTrue(h.release().isEmpty());
        assertEquals(List.of("ctxSetCurrent", "primaryCtxRelease"), driver.calls);
    }

    @Test
    void outOfMemoryEmptiesTheCacheRetriesAndThenSaysWhatIsFree() {
        BrokenDriver driver = new BrokenDriver();
        DeviceMemoryPool pool = new DeviceMemoryPool(driver);
        pool.allocate(1 << 20).close();
        driver.oomLeft = 1;
        pool.allocate(8 << 20).close();
        assertTrue(driver.calls.contains("memFree"), "the cached block was freed before the retry");
        driver.oomLeft = 2;
        CudaException e = assertThrows(CudaException.class, () -> pool.allocate(64 << 20));
        assertTrue(e.getMessage().contains("64.0 MiB") && e.getMessage().contains("3.0 MiB free"), e.getMessage());
        assertFalse(e.sticky());
    }

    @Test
    void aStickyErrorIsAFaultAndEveryLaterMessageNamesTheFirst() {
        try {
            CudaException first = CudaErrors.failure(700, "cuStreamSynchronize");
            assertTrue(first.sticky());
            assertEquals("CUDA_ERROR_ILLEGAL_ADDRESS", first.errorName());
            assertEquals("fault CUDA_ERROR_ILLEGAL_ADDRESS", KernelFailure.of(first).brief());
            assertTrue(KernelFailure.contextLost().orElseThrow().contains("cuStreamSynchronize"));
            CudaException later = CudaErrors.failure(700, "cuMemcpyDtoHAsync");
            assertTrue(later.getMessage().contains("already broken by: cuStreamSynchronize failed"), later.getMessage());
            CudaException launch = CudaErrors.failure(719, "cuEventSynchronize");
            assertEquals("fault CUDA_ERROR_LAUNCH_FAILED", KernelFailure.of(launch).brief());
        } finally {
            CudaErrors.forgetForTest();
        }
        assertTrue(KernelFailure.contextLost().isEmpty());
    }

    @Test
    void failuresThatLeaveTheContextUsableAreErrorsOrUnsupported() {
        CudaException invalid = CudaErrors.failure(1, "cuLaunchKernel");
        assertEquals("error CUDA_ERROR_INVALID_VALUE", KernelFailure.of(invalid).brief());
        assertTrue(KernelFailure.contextLost().isEmpty(), "not sticky, so nothing is lost");
        CudaException lib = assertThrows(CudaException.class, () -> Cuda.checkLibrary(13, "cuBLAS", "cublasGemmEx"));
        assertEquals("error CUBLAS_STATUS_EXECUTION_FAILED", KernelFailure.of(lib).brief());
        CudaException sp = assertThrows(CudaException.class, () -> Cuda.checkLibrary(10, "cuSPARSE", "cusparseSpMM"));
        assertEquals("CUSPARSE_STATUS_NOT_SUPPORTED", sp.errorName());
        assertEquals("unsupported", KernelFailure.of(new UnsupportedOperationException("no wgmma here")).status());
    }

    @Test
    void bestEffortRunsEveryStepAfterOneThrows() {
        List<String> ran = new ArrayList<>();
        BestEffort b = new BestEffort("test");
        b.run("first", () -> {
            ran.add("first");
            throw new CudaException("cublasDestroy_v2 failed", 14);
        });
        b.status("second", () -> {
            ran.add("second");
            return 0;
        });
        b.run("third", () -> {
            ran.add("third");
            throw new UnsatisfiedLinkError("gone");
        });
        List<String> failures = b.finish();
        assertEquals(List.of("first", "second", "third"), ran);
        assertEquals(2, failures.size());
        assertTrue(failures.get(0).startsWith("first: cublasDestroy_v2 failed"), failures.toString());
    }
}
