/**
 * Pruning as composable parts: a {@link org.prune4j.prune.Scorer} ranks weights, a
 * {@link org.prune4j.prune.Scope} turns ranks into masks, a {@link org.prune4j.prune.Schedule}
 * says how much and when, and a {@link org.prune4j.prune.Reset} says what survivors become.
 */
package org.prune4j.prune;
