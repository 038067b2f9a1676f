/**
 * The CPU backend: multi-threaded, cache-blocked kernels on the Vector API, with OpenBLAS's
 * sgemm reached through the Foreign Function &amp; Memory API as the dense baseline when installed.
 */
package org.prune4j.backend.cpu;
