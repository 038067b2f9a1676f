package org.prune4j.wann;

import java.util.SplittableRandom;

/**
 * The cart-pole swing-up as a search task: five observations in, one force out (through tanh,
 * then clipped to [-1, 1] by the cart), fitness the mean total reward of {@code episodes}
 * episodes whose start states come from the seed (the same starts for every weight).
 */
public record SwingUpTask(CartPoleSwingUp physics, int episodes, int scoreEpisodes) implements WannTask {

    public SwingUpTask {
        if (episodes < 1 || scoreEpisodes < 1) {
            throw new IllegalArgumentException("episodes per evaluation must be at least 1, got " + episodes + " and "
                    + scoreEpisodes);
        }
    }

    @Override
    public String name() {
        return "swingup";
    }

    @Override
    public int inputs() {
        return 5;
    }

    @Override
    public int outputs() {
        return 1;
    }

    @Override
    public Activation outputActivation() {
        return Activation.TANH;
    }

    @Override
    public String fitnessLabel() {
        return "mean episode reward (" + physics.steps() + " steps, at most " + physics.steps() + ")";
    }

    @Override
    public String scoreLabel() {
        return "mean episode reward over " + scoreEpisodes + " fresh episodes";
    }

    @Override
    public double[] fitness(Network net, double[][] weightSets, long seed) {
        double[] f = new double[weightSets.length];
        for (int w = 0; w < weightSets.length; w++) {
            f[w] = meanReward(net, weightSets[w], seed, episodes);
        }
        return f;
    }

    @Override
    public double selectionScore(Network net, double[] weights, long seed) {
        return meanReward(net, weights, seed, scoreEpisodes);
    }

    @Override
    public double score(Network net, double[] weights, long seed) {
        return meanReward(net, weights, seed, scoreEpisodes);
    }

    private double meanReward(Network net, double[] weights, long seed, int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        double sum = 0;
        for (int e = 0; e < n; e++) {
            sum += physics.episode(net, weights, physics.start(rng));
        }
        double mean = sum / n;
        return Double.isFinite(mean) ? mean : 0;
    }
}
