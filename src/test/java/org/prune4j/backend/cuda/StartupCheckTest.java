package org.prune4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.prune4j.backend.Availability;

/**
 * The start-up check's decisions, with made-up GPUs and drivers (no GPU needed): what it
 * refuses, what each refusal says, and that the test launch runs only when the cheap checks pass.
 */
class StartupCheckTest {
    private static final StartupCheck.Requirements CUDA_13 = new StartupCheck.Requirements(80, 13, 0);

    private static CudaProbe.Result host(int driver, int major, int minor) {
        return new CudaProbe.Result(true, driver, List.of(new CudaProbe.Gpu(0, "Test GPU", major, minor, 80L << 30,
                132)), "1 GPU(s)");
    }

    private static Supplier<String> counting(AtomicInteger calls, String outcome) {
        return () -> {
            calls.incrementAndGet();
            return outcome;
        };
    }

    @Test
    void noDriverOrNoGpuPassesTheProbesReasonOn() {
        CudaProbe.Result none = new CudaProbe.Result(false, 0, List.of(), "no CUDA driver (libcuda.so.1 not found)");
        AtomicInteger launches = new AtomicInteger();
        Availability a = StartupCheck.check(none, CUDA_13, counting(launches, null));
        assertFalse(a.usable());
        assertEquals("no CUDA driver (libcuda.so.1 not found)", a.detail());
        assertEquals(0, launches.get());
    }

    @Test
    void aGpuOlderThanTheFatbinsLowestTargetIsRefusedByName() {
        AtomicInteger launches = new AtomicInteger();
        Availability a = StartupCheck.check(host(13000, 7, 5), CUDA_13, counting(launches, null));
        assertFalse(a.usable());
        assertTrue(a.detail().contains("compute capability 7.5") && a.detail().contains("need 8.0 or newer")
                && a.detail().contains("--backend cpu"), a.detail());
        assertEquals(0, launches.get(), "no launch on a GPU that cannot run the kernels");
    }

    @Test
    void aDriverOlderThanTheCudaThatBuiltTheKernelsIsRefusedWithTheFix() {
        AtomicInteger launches = new AtomicInteger();
        Availability a = StartupCheck.check(host(12040, 9, 0), CUDA_13, counting(launches, null));
        assertFalse(a.usable());
        assertTrue(a.detail().contains("CUDA 12.4") && a.detail().contains("CUDA 13.0")
                && a.detail().contains("driver 580"), a.detail());
        assertEquals(0, launches.get());
        assertTrue(StartupCheck.check(host(13000, 9, 0), CUDA_13, () -> null).usable(), "13.0 itself is enough");
    }

    @Test
    void aFailedTestLaunchIsRefusedWithItsError() {
        Availability a = StartupCheck.check(host(13000, 9, 0), CUDA_13,
                () -> "cuModuleLoadData(prune4j.fatbin) failed: CUDA_ERROR_NO_BINARY_FOR_GPU (209)");
        assertFalse(a.usable());
        assertTrue(a.detail().startsWith("a test launch on GPU 0 (Test GPU, sm_90) failed: cuModuleLoadData"),
                a.detail());
        Availability thrown = StartupCheck.check(host(13000, 9, 0), CUDA_13, () -> {
            throw new CudaException("cuCtxSetCurrent failed: CUDA_ERROR_NOT_PERMITTED (800)", 800);
        });
        assertTrue(thrown.detail().contains("CUDA_ERROR_NOT_PERMITTED"), thrown.detail());
    }

    @Test
    void aHostThatPassesEverythingIsUsableAfterOneLaunch() {
        AtomicInteger launches = new AtomicInteger();
        Availability a = StartupCheck.check(host(13000, 8, 0), CUDA_13, counting(launches, null));
        assertTrue(a.usable(), a.detail());
        assertEquals(1, launches.get());
        assertTrue(a.detail().contains("a test launch ran"), a.detail());
    }

    @Test
    void theFatbinInfoSaysWhichCudaBuiltIt() {
        StartupCheck.Requirements now = KernelImage.requirements(
                "nvcc=Cuda compilation tools, release 13.0, V13.0.88\ncuda=13.0\ntargets=sm_80 sm_90a compute_80\n"
                        + "min_cc=80\n");
        assertEquals(new StartupCheck.Requirements(80, 13, 0), now);
        assertEquals(new StartupCheck.Requirements(80, 12, 6),
                KernelImage.requirements("Cuda compilation tools, release 12.6, V12.6.77"), "the older free-text file");
        assertEquals(new StartupCheck.Requirements(80, 12, 0), KernelImage.requirements(""));
    }

    @Test
    void cusparseLtBefore08IsRefusedAnd08OnIsUsed() {
        String old = CusparseLt.refusal(0, 7, 1);
        assertTrue(old != null && old.contains("0.7.1") && old.contains("0.8"), old);
        assertTrue(CusparseLt.refusal(0, 4, 0) != null);
        assertNull(CusparseLt.refusal(0, 8, 0));
        assertNull(CusparseLt.refusal(0, 8, 1));
        assertNull(CusparseLt.refusal(1, 0, 0));
        assertTrue(CusparseLt.OPAQUE >= 11024, "larger than every released struct (11024 bytes in 0.4)");
    }
}
