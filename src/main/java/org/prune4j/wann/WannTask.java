package org.prune4j.wann;

/**
 * A problem a weight-agnostic network is searched for. The search compares networks by
 * {@link #fitness} on episodes or examples drawn from a seed (the same seed for a whole
 * generation, so every network faces the same draws); the final report measures the champion
 * with {@link #score} on data the search never saw.
 */
public interface WannTask {
    String name();

    int inputs();

    int outputs();

    /** The activation of the output nodes (hidden nodes draw theirs from the search's pool). */
    Activation outputActivation();

    /** What {@link #fitness} measures, for logs and charts. */
    String fitnessLabel();

    /** What {@link #score} measures, for the report. */
    String scoreLabel();

    /**
     * The fitness of {@code net} under each weight vector in {@code weightSets}: higher is
     * better, always finite (a network whose outputs overflow gets the worst value the task
     * defines).
     */
    double[] fitness(Network net, double[][] weightSets, long seed);

    /**
     * The score used to choose a tuned weight, on data apart from the search's and the final
     * report's (validation images, or episodes from their own seeds).
     */
    double selectionScore(Network net, double[] weights, long seed);

    /** The reported score of {@code net} under {@code weights} (test accuracy, or mean reward of fresh episodes). */
    double score(Network net, double[] weights, long seed);

    /**
     * The score of the network run at every weight vector at once, its outputs combined (the
     * paper's ensemble of shared weights), where the task has a way to combine them; empty
     * otherwise.
     */
    default java.util.OptionalDouble ensembleScore(Network net, double[][] weightSets, long seed) {
        return java.util.OptionalDouble.empty();
    }
}
