package org.prune4j.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.prune4j.backend.cuda.CudaProbe;

class BackendsTest {

    @Test
    void serviceLoaderFindsEveryProviderBestFirst() {
        var names = Backends.providers().stream().map(BackendProvider::name).toList();
        assertEquals(java.util.List.of("cuda", "cublas", "cusparse", "cpu"), names);
    }

    @Test
    void autoFallsBackToCpuWithoutAGpu() {
        Assumptions.assumeFalse(CudaProbe.probe().usable(), "a GPU is present; this test covers the no-GPU case");
        try (Backend b = Backends.open("auto")) {
            assertEquals("cpu", b.name());
        }
    }

    @Test
    void forcingCudaWithoutAGpuSaysWhyAndWhatToUse() {
        Assumptions.assumeFalse(CudaProbe.probe().usable(), "a GPU is present; this test covers the no-GPU case");
        var e = assertThrows(BackendUnavailableException.class, () -> Backends.open("cuda"));
        assertTrue(e.getMessage().contains("cannot run here"), e.getMessage());
        assertTrue(e.getMessage().contains(CudaProbe.probe().detail()), e.getMessage());
        assertTrue(e.getMessage().contains("--backend cpu"), e.getMessage());
    }

    @Test
    void unknownBackendListsTheChoices() {
        var e = assertThrows(BackendUnavailableException.class, () -> Backends.open("tpu"));
        assertTrue(e.getMessage().contains("unknown backend 'tpu'") && e.getMessage().contains("cpu"), e.getMessage());
    }

    @Test
    void probesNeverThrowWithoutADriver() {
        for (BackendProvider p : Backends.providers()) {
            Availability a = p.probe();
            assertTrue(!a.detail().isBlank(), p.name());
        }
    }
}
