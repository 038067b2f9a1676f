package org.prune4j.wann;

import java.util.Arrays;
import java.util.List;

/**
 * One search, as a value: the task, the population and its budget, how networks are judged
 * and bred. Saved with every checkpoint; a resume must bring the same settings. The mutation
 * weights, selection ratios and the complexity odds default to the paper's released
 * configuration; {@link #swingUp} and {@link #images} size the rest for this machine.
 *
 * @param task            swingup or fashion-mnist
 * @param population      networks per generation
 * @param generations     generations to run
 * @param seed            seed of every random draw
 * @param weights         the shared weight values each network is evaluated at
 * @param episodes        swing-up episodes per weight per generation
 * @param batch           training images per generation (classification)
 * @param imageSide       side of the shrunk images (classification)
 * @param data            folder of the image data (classification), null for swing-up
 * @param initialDensity  share of input-output connections enabled at the start
 * @param addConnection   relative weight of the add-connection mutation (add-node, enable and
 *                        change-activation below)
 * @param tournament      tournament size of parent selection
 * @param eliteRatio      share of the ranked population carried over unchanged
 * @param cullRatio       share of the ranked population barred from breeding
 * @param complexityOdds  chance that a generation ranks on (mean, fewer connections) rather than (mean, max)
 * @param finalists       best networks of the last generation re-measured to pick the champion
 * @param checkpointEvery generations between checkpoints
 */
public record WannSettings(String task, int population, int generations, long seed, double[] weights, int episodes,
        int batch, int imageSide, String data, double initialDensity, double addConnection, double addNode,
        double enable, double changeActivation, int tournament, double eliteRatio, double cullRatio,
        double complexityOdds, int finalists, int checkpointEvery) {

    public static final List<String> TASKS = List.of("swingup", "fashion-mnist");
    /** The paper's six weights: doubling, keeping and halving the signal, with either sign. */
    public static final double[] PAPER_WEIGHTS = {-2, -1, -0.5, 0.5, 1, 2};

    public WannSettings {
        weights = weights.clone();
        requireTask(task);
        require(population >= 4, "--population must be at least 4, got " + population);
        require(generations >= 1, "--generations must be at least 1, got " + generations);
        require(weights.length >= 1, "--weights needs at least one value");
        for (double w : weights) {
            require(Double.isFinite(w) && w != 0, "--weights must be finite and non-zero (at 0 every network "
                    + "computes a constant), got " + w);
        }
        require(episodes >= 1, "--episodes must be at least 1, got " + episodes);
        require(batch >= 1, "--batch must be at least 1, got " + batch);
        require(imageSide >= 1, "--image-side must be at least 1, got " + imageSide);
        require(task.equals("swingup") == (data == null), task.equals("swingup")
                ? "--data is for image tasks; the swing-up needs none: leave it out"
                : "fashion-mnist needs --data DIR");
        require(initialDensity > 0 && initialDensity <= 1, "--initial-density must be in (0, 1], got "
                + initialDensity);
        new Mutator(addConnection, addNode, enable, changeActivation, List.of(Activation.values()));
        require(addConnection + addNode > 0, "--mutations: add-connection or add-node needs a positive weight; the "
                + "first networks have no hidden nodes to change, so without them the search cannot grow");
        require(tournament >= 1, "--tournament must be at least 1, got " + tournament);
        require(eliteRatio >= 0 && eliteRatio < 1, "--elite-ratio must be in [0, 1), got " + eliteRatio);
        require(cullRatio >= 0 && cullRatio < 1, "--cull-ratio must be in [0, 1), got " + cullRatio);
        int parents = population - (int) Math.floor(cullRatio * population);
        require(parents >= 2, "--cull-ratio " + cullRatio + " leaves fewer than two parents of " + population);
        require(tournament <= parents, "--tournament " + tournament + " is larger than the " + parents
                + " networks allowed to breed (population less the culled share)");
        require(complexityOdds >= 0 && complexityOdds <= 1, "--complexity-odds must be in [0, 1], got "
                + complexityOdds);
        require(finalists >= 1 && finalists <= population, "--finalists must be between 1 and the population "
                + population + ", got " + finalists);
        require(checkpointEvery >= 1, "--checkpoint-every must be at least 1, got " + checkpointEvery);
    }

    /** Refuses a task name this search does not know. */
    public static void requireTask(String task) {
        require(TASKS.contains(task), "--task must be one of " + TASKS + ", got '" + task + "'");
    }

    /** The swing-up at the paper's laptop configuration (population 64, 1024 generations, 3 episodes). */
    public static WannSettings swingUp(long seed) {
        return new WannSettings("swingup", 64, 1024, seed, PAPER_WEIGHTS, 3, 1000, 14, null, 0.5, 0.20, 0.25, 0.05,
                0.50, 4, 0.05, 0.2, 0.8, 8, 8);
    }

    /** Fashion-MNIST shrunk to 14x14, 1,000 training images a generation as in the paper. */
    public static WannSettings images(String data, long seed) {
        return new WannSettings("fashion-mnist", 128, 512, seed, PAPER_WEIGHTS, 3, 1000, 14, data, 0.05, 0.20, 0.25,
                0.05, 0.50, 8, 0.2, 0.2, 0.8, 8, 8);
    }

    /** The same search with another seed: a replicate, in a run folder of its own. */
    public WannSettings withSeed(long newSeed) {
        return new WannSettings(task, population, generations, newSeed, weights, episodes, batch, imageSide, data,
                initialDensity, addConnection, addNode, enable, changeActivation, tournament, eliteRatio, cullRatio,
                complexityOdds, finalists, checkpointEvery);
    }

    /** A copy: the values are part of the run's identity. */
    @Override
    public double[] weights() {
        return weights.clone();
    }

    public Mutator mutator(WannTask t) {
        List<Activation> pool = t instanceof ClassificationTask
                ? Arrays.stream(Activation.values()).filter(a -> a != Activation.STEP).toList()
                : List.of(Activation.values());
        return new Mutator(addConnection, addNode, enable, changeActivation, pool);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WannSettings s && s.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "WannSettings[task=" + task + ", population=" + population + ", generations=" + generations + ", seed="
                + seed + ", weights=" + Arrays.toString(weights) + ", episodes=" + episodes + ", batch=" + batch
                + ", imageSide=" + imageSide + ", data=" + data + ", initialDensity=" + initialDensity
                + ", mutations=" + addConnection + "/" + addNode + "/" + enable + "/" + changeActivation
                + ", tournament=" + tournament + ", eliteRatio=" + eliteRatio + ", cullRatio=" + cullRatio
                + ", complexityOdds=" + complexityOdds + ", finalists=" + finalists + ", checkpointEvery="
                + checkpointEvery + "]";
    }
}
