/**
 * Dense float32 row-major tensors and the seeded random numbers every experiment draws from.
 * Tensors are plain mutable buffers; shapes are validated when a tensor is made.
 */
package org.prune4j.tensor;
