/**
 * Weight-agnostic neural networks (Gaier and Ha, NeurIPS 2019): a search over network
 * topologies in which every connection carries one shared weight, so a network is judged by
 * what its wiring and activation functions compute, not by trained weights.
 *
 * <p>{@link org.prune4j.wann.Genome} is the topology (an immutable, acyclic graph checked at
 * construction), {@link org.prune4j.wann.Network} evaluates it, {@link org.prune4j.wann.Mutator}
 * makes children, {@link org.prune4j.wann.ParetoRank} ranks a population on several objectives,
 * and {@link org.prune4j.wann.WannSearch} runs the generations with checkpoints. Tasks implement
 * {@link org.prune4j.wann.WannTask}: the cart-pole swing-up and image classification.
 *
 * <p>These networks are irregular graphs with a different activation at every node, evaluated
 * node by node; they have no weight matrices, so they do not use the backends' sparse kernels.
 */
package org.prune4j.wann;
