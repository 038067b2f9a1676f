package org.prune4j.wann;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The paper's comparison for a champion topology: its score at each of the search's shared
 * weights, over a sweep of shared weights across [-2, 2] (the expected score of a random shared
 * weight is the sweep's mean), at the tuned shared weight (the sweep's best on selection data,
 * reported on test data), and with random weights (every connection its own draw from
 * U(-2, 2)).
 */
public record WannReport(String task, String fitnessLabel, String scoreLabel, int connections, int hiddenNodes,
        double championFitness, double[] searchWeights, double[] searchWeightScores, double[] sweepWeights,
        double[] sweepSelection, double[] sweepScores, double randomSharedMean, double randomSharedSd,
        double tunedWeight, double tunedScore, double randomWeightsMean, double randomWeightsSd, int randomDraws,
        Double ensembleScore, Map<String, Object> machine) {

    static final int SWEEP = 40;
    static final int RANDOM_DRAWS = 20;

    public static WannReport measure(Genome champion, double championFitness, WannTask task, WannSettings s,
            Map<String, Object> machine) {
        Network net = new Network(champion);
        long scoreSeed = s.seed() * 31 + 5, selectionSeed = s.seed() * 31 + 6;
        double[] search = s.weights().clone();
        double[] searchScores = Arrays.stream(search).map(w -> task.score(net, net.shared(w), scoreSeed)).toArray();
        double[] sweep = new double[SWEEP], selection = new double[SWEEP], scores = new double[SWEEP];
        int tuned = 0;
        for (int i = 0; i < SWEEP; i++) {
            sweep[i] = -2 + 4 * (i + 0.5) / SWEEP;
            selection[i] = task.selectionScore(net, net.shared(sweep[i]), selectionSeed);
            scores[i] = task.score(net, net.shared(sweep[i]), scoreSeed);
            tuned = selection[i] > selection[tuned] ? i : tuned;
        }
        java.util.OptionalDouble ensemble = task.ensembleScore(net,
                Arrays.stream(search).mapToObj(net::shared).toArray(double[][]::new), scoreSeed);
        SplittableRandom rng = new SplittableRandom(s.seed() * 31 + 7);
        double[] random = new double[RANDOM_DRAWS];
        for (int d = 0; d < RANDOM_DRAWS; d++) {
            double[] w = new double[net.edgeCount()];
            for (int e = 0; e < w.length; e++) {
                w[e] = rng.nextDouble(-2, 2);
            }
            random[d] = task.score(net, w, scoreSeed);
        }
        return new WannReport(task.name(), task.fitnessLabel(), task.scoreLabel(), champion.enabledConnectionCount(),
                champion.hiddenCount(), championFitness, search, searchScores, sweep, selection, scores,
                WannSearch.mean(scores), sd(scores), sweep[tuned], scores[tuned], WannSearch.mean(random), sd(random),
                RANDOM_DRAWS, ensemble.isPresent() ? ensemble.getAsDouble() : null, machine);
    }

    /** The comparison as a Markdown table. */
    public String markdown() {
        List<String> rows = new ArrayList<>();
        rows.add("Champion: " + connections + " connections, " + hiddenNodes + " hidden nodes; " + scoreLabel + ".");
        rows.add("");
        rows.add("| weights | score |");
        rows.add("|---|---:|");
        rows.add(String.format(Locale.ROOT, "| random weights (each connection from U(-2, 2), %d draws) | %.2f +- %.2f |",
                randomDraws, randomWeightsMean, randomWeightsSd));
        rows.add(String.format(Locale.ROOT, "| random shared weight (U(-2, 2): %d-point sweep) | %.2f +- %.2f |",
                sweepWeights.length, randomSharedMean, randomSharedSd));
        rows.add(String.format(Locale.ROOT, "| tuned shared weight (w = %.2f, chosen on selection data) | %.2f |",
                tunedWeight, tunedScore));
        if (ensembleScore != null) {
            rows.add(String.format(Locale.ROOT, "| ensemble of the %d search weights (mean softmax) | %.2f |",
                    searchWeights.length, ensembleScore));
        }
        for (int i = 0; i < searchWeights.length; i++) {
            rows.add(String.format(Locale.ROOT, "| shared weight %+.2f | %.2f |", searchWeights[i],
                    searchWeightScores[i]));
        }
        return String.join("\n", rows) + "\n";
    }

    static double sd(double[] v) {
        double m = WannSearch.mean(v), ss = 0;
        for (double x : v) {
            ss += (x - m) * (x - m);
        }
        return v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0;
    }
}
