package org.prune4j.dynamic;

import org.prune4j.data.Dataset;
import org.prune4j.data.ImageData;
import org.prune4j.tensor.Rng;

/**
 * A task sequence made from one data set by a fixed pixel permutation per task (permuted
 * MNIST, as in the continual-learning literature and SupSup's experiments): task 0 is the data
 * as it is, task t &gt; 0 moves every pixel by a permutation drawn from the seed. Labels are
 * unchanged, so the tasks share their output classes and a network cannot tell them apart by
 * anything but the pixel statistics.
 */
public final class PermutedTasks {
    private final ImageData base;
    private final long seed;

    public PermutedTasks(ImageData base, long seed) {
        this.base = base;
        this.seed = seed;
    }

    /** Where pixel j of a task-{@code task} image comes from; the identity for task 0. */
    public int[] permutation(int task) {
        if (task < 0) {
            throw new IllegalArgumentException("tasks are numbered from 0, got " + task);
        }
        int f = base.train().features();
        int[] p = new int[f];
        for (int i = 0; i < f; i++) {
            p[i] = i;
        }
        if (task > 0) {
            new Rng(seed).split(0x7a5c).split(task).shuffle(p);
        }
        return p;
    }

    /** The whole data set of task {@code task} (a permuted copy of every split). */
    public ImageData task(int task) {
        int[] p = permutation(task);
        return new ImageData(permute(base.train(), p, task), permute(base.validation(), p, task),
                permute(base.test(), p, task));
    }

    /** Only the test split of task {@code task}. */
    public Dataset test(int task) {
        return permute(base.test(), permutation(task), task);
    }

    private static Dataset permute(Dataset d, int[] p, int task) {
        if (task == 0) {
            return d;
        }
        int f = d.features();
        float[] src = d.pixels(), out = new float[src.length];
        for (int n = 0; n < d.size(); n++) {
            int o = n * f;
            for (int j = 0; j < f; j++) {
                out[o + j] = src[o + p[j]];
            }
        }
        return new Dataset(d.name() + " task " + task, out, d.labels(), d.channels(), d.height(), d.width(),
                d.classes());
    }
}
