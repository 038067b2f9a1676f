/**
 * The CUDA side: the probe that finds the driver, GPUs, vendor libraries and the kernels built
 * into the jar, and the CUDA backend's service provider.
 */
package org.prune4j.backend.cuda;
