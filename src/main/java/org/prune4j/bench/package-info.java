/**
 * The kernel benchmark harness: timing with warm-up and medians, sparse-versus-dense sweeps
 * with a correctness check on every result, and the reports they write.
 */
package org.prune4j.bench;
