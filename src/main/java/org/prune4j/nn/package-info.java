/**
 * Layers with forward and backward passes on a {@code Backend}, masks on prunable weights,
 * optimisers, learning-rate schedules and the models of the pruning literature.
 */
package org.prune4j.nn;
