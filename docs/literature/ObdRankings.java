// Usage (after mvn package): java --add-modules jdk.incubator.vector -cp "target/prune4j.jar:target/lib/*" \
//     docs/literature/ObdRankings.java [ITERATIONS] [SEED]      (default 20000 1)
import java.util.*;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.data.ImageData;
import org.prune4j.nn.*;
import org.prune4j.prune.*;
import org.prune4j.tensor.Rng;
import org.prune4j.train.*;

/**
 * Trains LeNet-300-100 on Fashion-MNIST (Adam 1.2e-3, batch 60), then compares OBD's two
 * Hessian diagonals on it: LeCun et al.'s backward pass (obd-lecun) and Hutchinson's estimate
 * (obd), and the saliencies h w^2 / 2 they give, per layer: Spearman rank correlation, and how
 * many of the weights each keeps at 90% layerwise (its top 10%) the other keeps too. Magnitude
 * is ranked alongside as the baseline both are usually compared with.
 */
public class ObdRankings {
    public static void main(String[] a) {
        long iterations = a.length > 0 ? Long.parseLong(a[0]) : 20000;
        long seed = a.length > 1 ? Long.parseLong(a[1]) : 1;
        Backend be = Backends.open("cpu");
        ImageData data = ImageData.load(ImageData.FASHION_MNIST, 5000, seed);
        Model m = Models.create("lenet300", 1, 28, 28, 10, new Rng(seed).split(1));
        new Trainer(be, Progress.NONE).train(m, new Adam(0.9, 0.999, 1e-8, 0), LearningRate.constant(1.2e-3),
                data, new TrainConfig(iterations, 60, (int) iterations, seed), "train", List.of());
        ScoringContext ctx = new ScoringContext(m, be, data, 8, 100, new Rng(seed).split(2));
        long t0 = System.nanoTime();
        Map<Parameter, float[]> lecun = new ObdLeCunScore().scores(ctx);
        long t1 = System.nanoTime();
        Map<Parameter, float[]> hutch = new ObdScore().scores(ctx);
        long t2 = System.nanoTime();
        Map<Parameter, float[]> mag = new MagnitudeScore().scores(ctx);
        System.out.printf("LeNet-300-100 after %d iterations, seed %d; scores on 8 batches of 100%n", iterations, seed);
        System.out.printf("obd-lecun %.1f s, obd (Hutchinson, 4 probes per batch) %.1f s%n", (t1 - t0) / 1e9,
                (t2 - t1) / 1e9);
        System.out.println("| layer | Spearman lecun vs hutchinson | top 10% shared | lecun vs magnitude | top 10% shared |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (Parameter p : m.prunable()) {
            float[] l = lecun.get(p), h = hutch.get(p), g = mag.get(p);
            System.out.printf("| %s | %.3f | %.1f%% | %.3f | %.1f%% |%n", p.name(), spearman(l, h), 100 * shared(l, h, 0.1),
                    spearman(l, g), 100 * shared(l, g, 0.1));
        }
    }

    static double[] ranks(float[] s) {
        Integer[] idx = new Integer[s.length];
        for (int i = 0; i < s.length; i++) idx[i] = i;
        Arrays.sort(idx, Comparator.comparingDouble(i -> s[i]));
        double[] r = new double[s.length];
        for (int i = 0; i < s.length; i++) r[idx[i]] = i;
        return r;
    }

    static double spearman(float[] x, float[] y) {
        double[] a = ranks(x), b = ranks(y);
        double ma = (a.length - 1) / 2.0, sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - ma);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - ma) * (b[i] - ma);
        }
        return sab / Math.sqrt(saa * sbb);
    }

    /** Of the top {@code frac} by x, the share also in the top {@code frac} by y. */
    static double shared(float[] x, float[] y, double frac) {
        int k = (int) Math.round(frac * x.length);
        double[] a = ranks(x), b = ranks(y);
        int both = 0;
        for (int i = 0; i < x.length; i++) {
            if (a[i] >= x.length - k && b[i] >= x.length - k) both++;
        }
        return both / (double) k;
    }
}
