/**
 * Data sets: the IDX (MNIST-format) reader, where Fashion-MNIST lives, train/validation
 * splits and seeded shuffled batches, and seeded test-time noise ({@code Noise}).
 */
package org.prune4j.data;
