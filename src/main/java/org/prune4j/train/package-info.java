/**
 * The training loop and evaluation: seeded batches, periodic validation and test evaluation,
 * the early-stopping point (minimum validation loss), hooks for rewinding and gradual pruning,
 * and the numerical guard that stops a diverging run at an evaluation point, naming the layer,
 * the iterations and the value.
 */
package org.prune4j.train;
