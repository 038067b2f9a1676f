// Usage (after mvn package, and docs/literature/kwta.sh for the runs):
//   java --add-modules jdk.incubator.vector -cp "target/prune4j.jar:target/lib/*" \
//     docs/literature/KwtaEvaluation.java RUN_DIR...      (the kwta-mlp run folders)
import java.nio.file.Path;
import java.util.*;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.data.ImageData;
import org.prune4j.data.Noise;
import org.prune4j.experiment.NoiseRobustness;
import org.prune4j.nn.*;

/**
 * The evaluation rule of trained k-winners networks, varied: the authors' code (1.5 k winners,
 * boosted by the duty cycles at the strength training reached), and k winners and/or no boost.
 * Each network is measured under Gaussian and white-pixel noise as `prune4j noise` measures it
 * (same levels, noise seed 1); prints a Markdown table, mean +- sample deviation over the runs.
 */
public class KwtaEvaluation {
    public static void main(String[] a) {
        double[] levels = {0, 0.1, 0.2, 0.3, 0.4, 0.5};
        String[] rules = {"1.5 k, boosted (the authors' code)", "1.5 k, no boost", "k, boosted", "k, no boost"};
        Backend be = Backends.open("cpu");
        Map<String, List<double[]>> acc = new LinkedHashMap<>();
        for (String dir : a) {
            NoiseRobustness.TrainedRun run = NoiseRobustness.TrainedRun.read(Path.of(dir), -1);
            ImageData data = run.settings().loadData();
            Model m = run.model(data);
            List<KWinners> layers = m.layers().stream().filter(KWinners.class::isInstance)
                    .map(KWinners.class::cast).toList();
            for (Noise.Kind kind : new Noise.Kind[] {Noise.Kind.GAUSSIAN, Noise.Kind.PIXELS}) {
                for (int r = 0; r < rules.length; r++) {
                    for (KWinners l : layers) {
                        int k = l.k();
                        l.setEvaluation(r < 2 ? (int) Math.round(1.5 * k) : k, r % 2 == 0);
                    }
                    double[] y = NoiseRobustness.accuracies(m, data.train(), data.test(), kind, levels, true, 1, be);
                    acc.computeIfAbsent(kind.label() + "|" + rules[r], x -> new ArrayList<>()).add(y);
                    System.err.println(dir + " " + kind.label() + " " + rules[r] + " " + Arrays.toString(y));
                }
            }
        }
        StringBuilder sb = new StringBuilder("| noise | evaluation rule |");
        for (double l : levels) {
            sb.append(" ").append(l).append(" |");
        }
        sb.append("\n|---|---|").append("---:|".repeat(levels.length)).append('\n');
        for (var e : acc.entrySet()) {
            String[] key = e.getKey().split("\\|");
            sb.append("| ").append(key[0]).append(" | ").append(key[1]).append(" |");
            for (int i = 0; i < levels.length; i++) {
                double mean = 0, sq = 0;
                int n = e.getValue().size();
                for (double[] y : e.getValue()) {
                    mean += y[i] / n;
                }
                for (double[] y : e.getValue()) {
                    sq += (y[i] - mean) * (y[i] - mean);
                }
                sb.append(String.format(Locale.ROOT, " %.2f ± %.2f |", 100 * mean,
                        n > 1 ? 100 * Math.sqrt(sq / (n - 1)) : 0));
            }
            sb.append('\n');
        }
        System.out.print(sb);
    }
}
