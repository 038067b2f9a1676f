/**
 * The {@link org.prune4j.backend.Backend} interface that every kernel sits behind, its service
 * providers, and the registry that picks CUDA when it is usable and the CPU otherwise.
 */
package org.prune4j.backend;
