package org.prune4j.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/** One pool of worker threads, one per core, shared by every CPU kernel. */
final class Parallel {
    static final int THREADS = Runtime.getRuntime().availableProcessors();
    private static final ForkJoinPool POOL = new ForkJoinPool(THREADS);

    private Parallel() {
    }

    /** Runs {@code task(t)} for t in [0, tasks), spread over the pool; waits for all. */
    static void run(int tasks, IntConsumer task) {
        if (tasks <= 1 || THREADS == 1 || ForkJoinTask.getPool() == POOL) {
            for (int t = 0; t < tasks; t++) {
                task.accept(t);
            }
            return;
        }
        POOL.submit(() -> IntStream.range(0, tasks).parallel().forEach(task)).join();
    }

    /**
     * Splits rows [0, rows) into at most {@code parts} contiguous ranges of about equal work,
     * counting one unit per row plus one per stored entry, so that rows of very different
     * lengths still spread evenly. Returns parts+1 boundaries.
     */
    static int[] balancedRows(int[] rowPtr, int rows, int parts) {
        parts = Math.max(1, Math.min(parts, rows));
        int[] bounds = new int[parts + 1];
        long total = (long) rows + rowPtr[rows];
        int row = 0;
        for (int t = 1; t < parts; t++) {
            long target = total * t / parts;
            while (row < rows && (long) row + rowPtr[row] < target) {
                row++;
            }
            bounds[t] = row;
        }
        bounds[parts] = rows;
        return bounds;
    }

    /** Number of tasks for a job: a few per thread so uneven tasks still balance. */
    static int tasksFor(long work, long minWorkPerTask) {
        long byWork = Math.max(1, work / Math.max(1, minWorkPerTask));
        return (int) Math.min(byWork, 4L * THREADS);
    }
}
