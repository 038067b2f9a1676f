package org.prune4j.cli;

import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.prune4j.train.Progress;

/**
 * Training progress as a live bar (task, steps, speed, ETA, latest loss and accuracy) on a
 * terminal. When stderr is not a terminal (a background run's log), plain lines in the log's
 * own format instead: one every 30 seconds and one when the task completes, never twice for
 * the same completion, no colour codes, nothing for a task of no steps.
 */
final class ProgressBars implements Progress {
    private static final long EVERY_NANOS = 30_000_000_000L;

    private final boolean interactive;
    private final Consumer<String> log;
    private final LongSupplier clock;
    private ProgressBar bar;
    private String task;
    private long total;
    private long started;
    private long lastLine;
    private boolean completed;

    ProgressBars() {
        this(System.console() != null, ExperimentCommands::log, System::nanoTime);
    }

    /** For tests: whether to draw a bar, where plain lines go, and a nanosecond clock. */
    ProgressBars(boolean interactive, Consumer<String> log, LongSupplier clock) {
        this.interactive = interactive;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public void start(String task, long total) {
        close();
        this.task = task;
        this.total = total;
        this.started = this.lastLine = clock.getAsLong();
        this.completed = total <= 0;
        if (interactive && total > 0) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).showSpeed().setUnit(" it", 1)
                    .setMaxRenderedLength(120).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).build();
        }
    }

    @Override
    public void step(long done, String message) {
        if (bar != null) {
            bar.stepTo(done);
            bar.setExtraMessage(" " + message);
            return;
        }
        if (interactive || completed || task == null) {
            return;
        }
        long now = clock.getAsLong();
        boolean finished = done >= total;
        if (finished || now - lastLine >= EVERY_NANOS) {
            log.accept(line(done, now, message));
            lastLine = now;
            completed = finished;
        }
    }

    private String line(long done, long now, String message) {
        double seconds = (now - started) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        String left = done >= total ? "done" : rate > 0 ? "~" + clockTime((total - done) / rate) + " left" : "";
        return String.format(Locale.ROOT, "%s: %d/%d it (%.0f%%), %.1f it/s, %s elapsed, %s; %s", task, done, total,
                100.0 * done / total, rate, clockTime(seconds), left, message);
    }

    private static String clockTime(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        task = null;
    }
}
