package org.prune4j.wann;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.prune4j.experiment.CorruptCheckpointException;
import org.prune4j.experiment.Json;
import org.prune4j.experiment.RunDirectory;
import org.prune4j.guard.IoErrors;

/**
 * The WANN search: a population of topologies, each evaluated at every shared weight of the
 * settings, ranked by NSGA-II on mean fitness and either max fitness or fewer connections
 * (chosen per generation with the settings' odds), bred by culling, elitism, tournament
 * selection and one mutation per child. Every random draw comes from the settings' seed and
 * the generation number, so a run resumed from a checkpoint continues exactly as an
 * uninterrupted one, whatever the thread count.
 */
public final class WannSearch {
    static final String CHECKPOINT = "checkpoint.json";

    /** What one generation looked like. */
    public record Generation(int generation, double bestMean, double bestMax, double medianMean, int bestConnections,
            int bestHidden, double meanConnections, double seconds) {
    }

    /** The state between generations: the population to evaluate next and everything before it. */
    record Checkpoint(WannSettings settings, int next, List<Genome> population, int nextNode, int nextInnovation,
            List<Generation> history, Genome champion, Double championFitness) {
    }

    /** A finished search: the champion and the history of the generations. */
    public record Outcome(Genome champion, double championFitness, List<Generation> history) {
    }

    private final WannSettings settings;
    private final WannTask task;
    private final Mutator mutator;
    private final int threads;
    private final Consumer<String> log;

    public WannSearch(WannSettings settings, WannTask task, int threads, Consumer<String> log) {
        if (threads < 1 || threads > 32767) {
            throw new IllegalArgumentException("--threads must be between 1 and 32767, got " + threads);
        }
        this.settings = settings;
        this.task = task;
        this.mutator = settings.mutator(task);
        this.threads = threads;
        this.log = log;
    }

    /**
     * Runs the search in {@code dir}, continuing from its checkpoint when there is one, and
     * saving a checkpoint every {@code checkpointEvery} generations and at the end.
     */
    public Outcome run(Path dir) {
        Checkpoint state = Files.exists(dir.resolve(CHECKPOINT)) ? read(dir.resolve(CHECKPOINT)) : start();
        if (state.champion() != null) {
            log.accept("search already finished (" + settings.generations() + " generations); champion has "
                    + state.champion().enabledConnectionCount() + " connections");
            return new Outcome(state.champion(), state.championFitness(), state.history());
        }
        if (state.next() > 0) {
            log.accept("resuming at generation " + state.next() + " of " + settings.generations());
        }
        List<Genome> population = state.population();
        Innovations ids = new Innovations(state.nextNode(), state.nextInnovation());
        List<Generation> history = new ArrayList<>(state.history());
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            for (int g = state.next(); g < settings.generations(); g++) {
                long t0 = System.nanoTime();
                double[][] fitness = evaluate(pool, population, stream(1, g));
                Generation summary = summary(g, population, fitness, (System.nanoTime() - t0) / 1e9);
                history.add(summary);
                if (g == 0 || (g + 1) % settings.checkpointEvery() == 0 || g + 1 == settings.generations()) {
                    log.accept(String.format("generation %d/%d: best mean %.4g (max %.4g), median %.4g, best has %d "
                            + "connections and %d hidden nodes (%.1f s)", g + 1, settings.generations(),
                            summary.bestMean(), summary.bestMax(), summary.medianMean(), summary.bestConnections(),
                            summary.bestHidden(), summary.seconds()));
                }
                if (g + 1 == settings.generations()) {
                    Genome champion = champion(pool, population, fitness);
                    double championFitness = mean(evaluate(pool, List.of(champion), stream(3, 0))[0]);
                    write(dir, new Checkpoint(settings, g + 1, population, ids.nextNode(), ids.nextInnovation(),
                            history, champion, championFitness));
                    return new Outcome(champion, championFitness, history);
                }
                population = breed(population, fitness, new SplittableRandom(stream(2, g)), ids);
                if ((g + 1) % settings.checkpointEvery() == 0) {
                    write(dir, new Checkpoint(settings, g + 1, population, ids.nextNode(), ids.nextInnovation(),
                            history, null, null));
                }
            }
            throw new IllegalStateException("unreachable: the loop returns after the last generation");
        } finally {
            pool.shutdownNow();
        }
    }

    private Checkpoint start() {
        SplittableRandom rng = new SplittableRandom(stream(0, 0));
        List<Genome> population = new ArrayList<>();
        for (int i = 0; i < settings.population(); i++) {
            population.add(Genome.initial(task.inputs(), task.outputs(), task.outputActivation(),
                    settings.initialDensity(), rng));
        }
        Innovations ids = Innovations.after(population.getFirst());
        return new Checkpoint(settings, 0, population, ids.nextNode(), ids.nextInnovation(), List.of(), null, null);
    }

    double[][] evaluate(ForkJoinPool pool, List<Genome> population, long seed) {
        double[] values = settings.weights();
        try {
            return pool.submit(() -> IntStream.range(0, population.size()).parallel().mapToObj(i -> {
                Network net = new Network(population.get(i));
                double[][] weights = new double[values.length][];
                for (int w = 0; w < values.length; w++) {
                    weights[w] = net.shared(values[w]);
                }
                return task.fitness(net, weights, seed);
            }).toArray(double[][]::new)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while evaluating a generation", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** The next population: elites unchanged, the rest one mutation away from a tournament winner. */
    List<Genome> breed(List<Genome> population, double[][] fitness, SplittableRandom rng, Innovations ids) {
        int n = population.size();
        boolean complexity = rng.nextDouble() < settings.complexityOdds();
        double[][] objectives = new double[n][];
        for (int i = 0; i < n; i++) {
            int conns = Math.max(1, population.get(i).enabledConnectionCount());
            objectives[i] = new double[] {mean(fitness[i]), complexity ? 1.0 / conns : max(fitness[i])};
        }
        int[] order = ParetoRank.order(objectives);
        int parents = n - (int) Math.floor(settings.cullRatio() * n);
        int elites = (int) Math.floor(parents * settings.eliteRatio());
        List<Genome> next = new ArrayList<>(n);
        for (int i = 0; i < elites; i++) {
            next.add(population.get(order[i]));
        }
        while (next.size() < n) {
            int best = parents;
            for (int t = 0; t < settings.tournament(); t++) {
                best = Math.min(best, rng.nextInt(parents));
            }
            next.add(mutator.mutate(population.get(order[best]), rng, ids));
        }
        return next;
    }

    /** The best mean fitness among the last generation's finalists, each measured again on fresh draws. */
    private Genome champion(ForkJoinPool pool, List<Genome> population, double[][] fitness) {
        Integer[] byMean = IntStream.range(0, population.size()).boxed().toArray(Integer[]::new);
        Arrays.sort(byMean, (a, b) -> Double.compare(mean(fitness[b]), mean(fitness[a])));
        List<Genome> finalists = Arrays.stream(byMean).limit(settings.finalists()).map(population::get).toList();
        double[] score = new double[finalists.size()];
        for (int r = 0; r < 4; r++) {
            double[][] f = evaluate(pool, finalists, stream(4, r));
            for (int i = 0; i < finalists.size(); i++) {
                score[i] += mean(f[i]);
            }
        }
        int best = 0;
        for (int i = 1; i < score.length; i++) {
            best = score[i] > score[best] ? i : best;
        }
        return finalists.get(best);
    }

    private static Generation summary(int g, List<Genome> population, double[][] fitness, double seconds) {
        int best = 0;
        double[] means = new double[population.size()];
        double bestMax = Double.NEGATIVE_INFINITY, conns = 0;
        for (int i = 0; i < population.size(); i++) {
            means[i] = mean(fitness[i]);
            best = means[i] > means[best] ? i : best;
            bestMax = Math.max(bestMax, max(fitness[i]));
            conns += population.get(i).enabledConnectionCount();
        }
        double[] sorted = means.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        double median = sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return new Generation(g, means[best], bestMax, median,
                population.get(best).enabledConnectionCount(), population.get(best).hiddenCount(),
                conns / population.size(), seconds);
    }

    /** A seed for one purpose ({@code stream}) and index, from the settings' seed. */
    long stream(int stream, int index) {
        return new SplittableRandom(settings.seed() * 0x9E3779B97F4A7C15L + stream * 0x632BE59BD9B4E019L + index)
                .nextLong();
    }

    static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    private void write(Path dir, Checkpoint c) {
        Path f = dir.resolve(CHECKPOINT);
        try {
            RunDirectory.writeAtomically(f, Json.PRETTY.writeValueAsBytes(c));
        } catch (IOException e) {
            throw IoErrors.wrap("write", f, e);
        }
    }

    private Checkpoint read(Path file) {
        Checkpoint c;
        try {
            JsonNode tree = Json.PRETTY.readTree(file.toFile());
            c = Json.PRETTY.treeToValue(tree, Checkpoint.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new CorruptCheckpointException(file, "cannot read the WANN checkpoint (" + e.getMessage()
                    + "); delete the folder to start over");
        }
        if (!settings.equals(c.settings())) {
            throw new IllegalArgumentException(file.getParent() + " holds a search with other settings:\n  saved: "
                    + c.settings() + "\n  given: " + settings + "\nresume with the saved settings or use another "
                    + "--out");
        }
        String problem = null;
        if (c.population() == null || c.history() == null) {
            problem = "has no population or history";
        } else if (c.population().size() != settings.population()) {
            problem = "holds " + c.population().size() + " networks, not " + settings.population();
        } else if (c.next() < 0 || c.next() > settings.generations() || c.history().size() != c.next()) {
            problem = "is at generation " + c.next() + " with " + c.history().size() + " generations of history, of "
                    + settings.generations();
        } else if ((c.champion() == null) != (c.next() < settings.generations())) {
            problem = c.champion() == null ? "has finished without a champion" : "has a champion before its end";
        } else {
            int maxNode = c.population().stream().mapToInt(Genome::maxNodeId).max().orElse(-1);
            int maxInnovation = c.population().stream().mapToInt(Genome::maxInnovation).max().orElse(-1);
            if (c.nextNode() <= maxNode || c.nextInnovation() <= maxInnovation) {
                problem = "has counters (" + c.nextNode() + ", " + c.nextInnovation() + ") at or below ids its "
                        + "networks use (" + maxNode + ", " + maxInnovation + ")";
            }
        }
        if (problem != null) {
            throw new CorruptCheckpointException(file, problem + "; delete the folder to start over");
        }
        return c;
    }
}
