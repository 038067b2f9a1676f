package org.prune4j.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.prune4j.guard.HostMemory;
import org.prune4j.guard.IoErrors;
import org.prune4j.nn.Model;
import org.prune4j.nn.Parameter;

/**
 * Checks made before a run writes anything, so a run that cannot finish says so at the start
 * instead of after hours: enough disk for its checkpoints and results. (Data and heap are
 * checked while the data loads: see {@link org.prune4j.data.ImageData}.)
 */
final class Preflight {
    /** Result files (a curve per branch, reports, plots) per round, generously. */
    private static final long RESULT_BYTES_PER_ROUND = 4L << 20;

    private Preflight() {
    }

    /** Bytes the checkpoints of a run of {@code rounds} pruning rounds take: init, rewind point, one per round. */
    static long checkpointBytes(Model model, int rounds) {
        long one = 64;
        for (Parameter p : model.parameters()) {
            one += 2 + p.name().length() + 4 + 4L * p.size();
            if (p.prunable()) {
                one += 2 + p.name().length() + 8 + (p.size() + 7) / 8;
            }
        }
        return HostMemory.bytes(rounds + 3L, one);
    }

    /** Throws when the file system of {@code dir} has less room than the run will write. */
    static void disk(Path dir, Model model, int rounds) {
        long need = checkpointBytes(model, rounds) + HostMemory.bytes(rounds + 1L, RESULT_BYTES_PER_ROUND);
        long free;
        try {
            free = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw IoErrors.wrap("check the free space of", dir, e);
        }
        if (need > free) {
            throw new IllegalStateException("the run needs about " + HostMemory.size(need) + " on disk for its "
                    + "checkpoints and results, but the file system of " + dir + " has " + HostMemory.size(free)
                    + " free; free some space or pass --out on another disk");
        }
    }
}
