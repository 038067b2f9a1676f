package org.prune4j.backend.cpu;

import org.prune4j.backend.Availability;
import org.prune4j.backend.Backend;
import org.prune4j.backend.BackendProvider;

/** Registers the CPU backend; it is usable everywhere. */
public final class CpuBackendProvider implements BackendProvider {

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Availability probe() {
        return Availability.yes(Parallel.THREADS + " threads; dense gemm "
                + OpenBlasGemm.load().gemm().map(OpenBlasGemm::name).orElse("java (OpenBLAS not found)"));
    }

    @Override
    public Backend create() {
        return new CpuBackend(CpuBackend.bestGemm());
    }
}
