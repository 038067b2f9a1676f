/**
 * Data sets: the IDX (MNIST-format) reader, where Fashion-MNIST lives, train/validation
 * splits and seeded shuffled batches.
 */
package org.prune4j.data;
