package org.prune4j.backend.cuda.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.prune4j.backend.cuda.CudaException;

/** One family in one process, with stand-in kernels: every outcome and what a fault does to the rest. */
class SmokeRunnerTest {

    private static SmokeCase ok(String name) {
        return new SmokeCase(name, g -> new Check(1e-7, 1e-5, ""));
    }

    @Test
    void eachKernelGetsOneLineAndAFaultStopsOnlyItsFamily() {
        List<SmokeLine> streamed = new ArrayList<>();
        List<SmokeCase> cases = List.of(ok("k1"), new SmokeCase("k2", g -> new Check(0.3, 1e-5, "")),
                new SmokeCase("k3", g -> {
                    throw new CudaException("cublasGemmEx failed: cuBLAS CUBLAS_STATUS_NOT_SUPPORTED (15)", 15,
                            "CUBLAS_STATUS_NOT_SUPPORTED", false);
                }),
                new SmokeCase("k4", g -> {
                    throw new UnsupportedOperationException("needs compute capability 9.0");
                }),
                new SmokeCase("k5", g -> {
                    throw new CudaException("cuStreamSynchronize failed: CUDA_ERROR_ILLEGAL_INSTRUCTION (715)", 715,
                            "CUDA_ERROR_ILLEGAL_INSTRUCTION", true);
                }),
                ok("k6"), ok("k7"));
        List<SmokeLine> lines = SmokeRunner.run("fam", cases, () -> null, streamed::add);
        assertEquals(lines, streamed, "every line is handed on as it is known");
        assertEquals(List.of("pass", "mismatch", "error", "unsupported", "fault", "not-run", "not-run"),
                lines.stream().map(SmokeLine::outcome).toList());
        assertTrue(lines.get(1).detail().contains("max error 3.00e-01"), lines.get(1).detail());
        assertTrue(lines.get(2).detail().startsWith("CUBLAS_STATUS_NOT_SUPPORTED"), lines.get(2).detail());
        assertTrue(lines.get(4).detail().startsWith("CUDA_ERROR_ILLEGAL_INSTRUCTION"), lines.get(4).detail());
        assertTrue(lines.get(5).detail().contains("k5 (CUDA_ERROR_ILLEGAL_INSTRUCTION)"), lines.get(5).detail());
        // a second family in the same call sequence is not affected by the first one's fault
        List<SmokeLine> next = SmokeRunner.run("other", List.of(ok("a"), ok("b")), () -> null, l -> { });
        assertEquals(List.of("pass", "pass"), next.stream().map(SmokeLine::outcome).toList());
    }

    @Test
    void withoutAGpuEveryKernelIsSkippedWithTheReasonOnce() {
        List<SmokeLine> lines = SmokeRunner.run("csr", SmokeFamilies.cases("csr", 1), () -> {
            throw new IllegalStateException("backend 'cuda' cannot run here: no CUDA driver");
        }, l -> { });
        assertEquals(4, lines.size());
        assertTrue(lines.stream().allMatch(l -> l.outcome().equals("skip")));
        assertTrue(lines.get(0).detail().contains("no CUDA driver"));
        assertEquals("p4j_csr_spmm_f32_narrow", lines.get(1).kernel());
    }

    @Test
    void theSelfTestExpectsItsFault() {
        SmokeCase fault = new SmokeCase("p4j_poke", g -> {
            throw new CudaException("x failed: CUDA_ERROR_ILLEGAL_ADDRESS (700)", 700, "CUDA_ERROR_ILLEGAL_ADDRESS",
                    true);
        });
        assertEquals("expected", SmokeRunner.run("selftest", List.of(fault), () -> null, l -> { }).get(0).outcome());
        SmokeCase none = new SmokeCase("p4j_poke", g -> new Check(Double.NaN, 0, "no fault"));
        assertEquals("error", SmokeRunner.run("selftest", List.of(none), () -> null, l -> { }).get(0).outcome());
    }

    @Test
    void linesSurviveTheTripFromChildToParent() {
        SmokeLine l = new SmokeLine("cusparse", "cusparseSpMM(CSR, nnz=0)", "mismatch", "max error\tNaN\n");
        SmokeLine back = SmokeLine.parse(l.wire());
        assertEquals(l, back);
        assertEquals("cusparseSpMM(CSR,_nnz=0)", back.kernel(), "no spaces: the kernel is one field");
        assertEquals(null, SmokeLine.parse("WARNING: Using incubator modules"));
        String[] fields = back.text().split("\\s+");
        assertEquals(List.of("cusparse", "cusparseSpMM(CSR,_nnz=0)", "mismatch"), List.of(fields).subList(0, 3));
    }

    @Test
    void everyFamilyHasCasesWithDistinctNames() {
        for (String f : GpuSmoke.families(true)) {
            List<String> names = SmokeFamilies.cases(f, 0).stream().map(SmokeCase::kernel).toList();
            assertTrue(!names.isEmpty(), f);
            assertEquals(names.size(), names.stream().distinct().count(), f + ": " + names);
        }
    }
}
