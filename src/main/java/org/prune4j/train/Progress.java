package org.prune4j.train;

/** Where a training loop reports progress: a console bar, a log, or nothing. */
public interface Progress extends AutoCloseable {

    /** Starts a task of {@code total} steps named {@code task}. */
    void start(String task, long total);

    void step(long done, String message);

    @Override
    void close();

    Progress NONE = new Progress() {
        public void start(String task, long total) {
        }

        public void step(long done, String message) {
        }

        public void close() {
        }
    };
}
