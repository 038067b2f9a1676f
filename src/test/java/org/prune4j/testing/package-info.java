/**
 * Test fixtures shared across packages: a small learnable MNIST-format data set written to a
 * folder, a child JVM running the CLI (for kill -9, locks, working directories and small heaps),
 * and a backend that fails on request.
 */
package org.prune4j.testing;
