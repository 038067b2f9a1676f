/**
 * Readers and writers for sparse matrices made elsewhere: Matrix Market (.mtx) and the DLMC
 * pattern format (.smtx). Malformed files fail with the file, the line and what was expected.
 */
package org.prune4j.sparse.io;
