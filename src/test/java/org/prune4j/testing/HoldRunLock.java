package org.prune4j.testing;

import java.nio.file.Path;
import org.prune4j.experiment.RunLock;

/** A process that takes a run folder's lock, says so on stdout, and holds it until it is killed. */
public final class HoldRunLock {
    private HoldRunLock() {
    }

    public static void main(String[] args) throws InterruptedException {
        try (RunLock _ = RunLock.acquire(Path.of(args[0]))) {
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
