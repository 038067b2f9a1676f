/**
 * The training loop and evaluation: seeded batches, periodic validation and test evaluation,
 * the early-stopping point (minimum validation loss), hooks for rewinding and gradual pruning.
 */
package org.prune4j.train;
