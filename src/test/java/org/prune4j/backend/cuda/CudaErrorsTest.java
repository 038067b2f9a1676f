package org.prune4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.prune4j.backend.Availability;
import org.prune4j.backend.BackendUnavailableException;
import org.prune4j.backend.Backends;

/** How CUDA failures read: without a GPU (runs everywhere) and on one (tagged gpu). */
class CudaErrorsTest {

    @Test
    void withoutAGpuEveryCudaBackendSaysWhyAndAutoFallsBack() {
        Availability a = new CudaBackendProvider().probe();
        assumeTrue(!a.usable(), "a GPU is present; the no-GPU messages do not apply");
        for (var p : new CudaBackendProvider[] {new CudaBackendProvider(), new CudaBackendProvider.Cublas(),
            new CudaBackendProvider.Cusparse()}) {
            String why = p.probe().detail();
            assertTrue(why.contains("driver") || why.contains("kernels") || why.contains("GPU"), p.name() + ": " + why);
            String msg = assertThrows(BackendUnavailableException.class, () -> Backends.open(p.name())).getMessage();
            assertTrue(msg.contains(p.name()), msg);
        }
        try (var b = Backends.open("auto")) {
            assertEquals("cpu", b.name());
        }
    }

    @Test
    void aGridTooTallForCudaIsRefusedByNameBeforeTheLaunch() {
        CudaDevice.checkGrid("p4j_csr_spmm_f32", 10, CudaDevice.MAX_GRID_Y);
        String msg = assertThrows(IllegalArgumentException.class,
                () -> CudaDevice.checkGrid("p4j_csr_spmm_f32", 10, CudaDevice.MAX_GRID_Y + 1)).getMessage();
        assertTrue(msg.contains("p4j_csr_spmm_f32") && msg.contains("split the batch"), msg);
        msg = assertThrows(IllegalArgumentException.class, () -> CudaDevice.checkGrid("p4j_fill", -3, 1)).getMessage();
        assertTrue(msg.contains("overflowed"), msg);
    }

    @Test
    void halfFormatsRoundTheWayTheGpuReads() {
        // bf16 keeps the top 16 bits, rounding to nearest even: 1 + 2^-8 is a tie and rounds to 1,
        // 1 + 3 * 2^-9 rounds up to 1 + 2^-7.
        assertEquals(1f, HalfFormat.BF16.round(1f + 0x1p-8f));
        assertEquals(1f + 0x1p-7f, HalfFormat.BF16.round(1f + 3 * 0x1p-9f));
        assertEquals(-2.5f, HalfFormat.BF16.round(-2.5f));
        assertTrue(Float.isNaN(HalfFormat.BF16.round(Float.NaN)));
        assertEquals(65504f, HalfFormat.FP16.round(65504f));
        assertEquals(1f + 0x1p-10f, HalfFormat.FP16.round(1f + 0x1p-10f));
    }

    @Test
    @Tag("gpu")
    @Tag("gpu-sddmm")
    void outOfMemorySaysHowMuchWasAskedAndWhatIsFree() {
        CudaBackendProvider p = new CudaBackendProvider();
        Availability a = p.probe();
        assumeTrue(a.usable(), "GPU suite skipped: " + a.detail());
        try (CudaBackend b = (CudaBackend) p.create()) {
            CudaException e = assertThrows(CudaException.class, () -> b.cudaDevice().pool.allocate(1L << 50));
            assertTrue(e.getMessage().contains("out of device memory") && e.getMessage().contains("free of"),
                    e.getMessage());
            // and the device still works afterwards
            var t = org.prune4j.tensor.Tensor.filled(-1f, 4, 4);
            b.relu(t, t);
            assertEquals(0f, t.get(3, 3));
        }
    }
}
