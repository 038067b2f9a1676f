/**
 * Sparse matrix formats (CSR, BSR, N:M with the 2:4 tensor-core layout, channel-compacted), the
 * masks they are built from, and readers/writers for Matrix Market and DLMC files.
 */
package org.prune4j.sparse;
