/**
 * Prune4J beside ND4J and DL4J: arrays across the two, and DL4J dense networks imported,
 * pruned and run on Prune4J's kernels, then handed back.
 */
package org.prune4j.nd4j;
