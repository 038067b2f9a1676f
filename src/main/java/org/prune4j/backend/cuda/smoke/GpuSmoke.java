package org.prune4j.backend.cuda.smoke;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.backend.cuda.CudaBackend;
import org.prune4j.backend.cuda.CudaException;

/** The smoke step's entry points for the {@code gpu-smoke} command. */
public final class GpuSmoke {
    /**
     * Failures a test can make a child act out without a GPU, to check that the parent contains
     * them: a sticky fault reported by the first kernel (as CUDA reports an illegal address), or
     * the whole process dying without a word (as a crash in native code does).
     */
    public enum Injection { NONE, FAULT, CRASH }

    private GpuSmoke() {
    }

    /** The families in the order the smoke step runs them; the self-test (a deliberate fault) last when asked for. */
    public static List<String> families(boolean selftest) {
        List<String> f = new ArrayList<>(SmokeFamilies.all());
        if (selftest) {
            f.add(SmokeFamilies.SELFTEST);
        }
        return f;
    }

    public static boolean known(String family) {
        return SmokeFamilies.known(family);
    }

    /** Runs one family here, on the {@code cuda} backend; each line goes to {@code out} as it is known. */
    public static List<SmokeLine> inProcess(String family, long seed, Injection injection, Consumer<SmokeLine> out) {
        List<SmokeCase> cases = SmokeFamilies.cases(family, seed);
        Supplier<CudaBackend> gpu = GpuSmoke::openCuda;
        if (injection != Injection.NONE && !cases.isEmpty()) {
            List<SmokeCase> injected = new ArrayList<>(cases);
            SmokeCase first = cases.get(0);
            injected.set(0, new SmokeCase(first.kernel(), g -> {
                if (injection == Injection.CRASH) {
                    Runtime.getRuntime().halt(134);
                }
                throw new CudaException("cuStreamSynchronize failed: CUDA_ERROR_ILLEGAL_ADDRESS (700) [injected by"
                        + " the smoke step's test]", 700, "CUDA_ERROR_ILLEGAL_ADDRESS", true);
            }));
            cases = injected;
            gpu = () -> null;
        }
        return SmokeRunner.run(family, cases, gpu, out);
    }

    private static CudaBackend openCuda() {
        Backend b = Backends.open("cuda");
        if (b instanceof CudaBackend c) {
            return c;
        }
        b.close();
        throw new IllegalStateException("'cuda' opened " + b.name() + ", not the CUDA backend");
    }

    /** Runs each family in its own JVM, passing {@code extra} arguments to each; see {@link IsolatedSmoke}. */
    public static List<SmokeLine> isolated(List<String> families, long timeoutSeconds, List<String> extra,
            Consumer<SmokeLine> out) {
        return IsolatedSmoke.sameRuntime(timeoutSeconds).run(families, extra, out);
    }
}
