package org.prune4j.cli;

import java.time.Duration;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.prune4j.train.Progress;

/**
 * Training progress as a live bar (task, steps, speed, ETA, latest loss and accuracy) on a
 * terminal, or as one log line every 30 seconds when stderr is a file, so background runs
 * leave a readable log.
 */
final class ProgressBars implements Progress {
    private final boolean interactive = System.console() != null;
    private ProgressBar bar;

    @Override
    public void start(String task, long total) {
        close();
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).showSpeed()
                .setUnit(" it", 1).setMaxRenderedLength(120);
        if (interactive) {
            b.setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500);
        } else {
            b.setConsumer(new DelegatingProgressBarConsumer(System.err::println, 120))
                    .setUpdateIntervalMillis((int) Duration.ofSeconds(30).toMillis());
        }
        bar = b.build();
    }

    @Override
    public void step(long done, String message) {
        if (bar != null) {
            bar.stepTo(done);
            bar.setExtraMessage(" " + message);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
