/**
 * The kernel benchmark harness: timing with warm-up and medians, sparse-versus-dense sweeps
 * with a correctness check on every result (GPU rows run the kernel they name, per precision),
 * the tensor-core table, and the reports they write. Every results CSV is written row by row as
 * it is measured ({@link org.prune4j.bench.ResultsCsv}); a failed or disagreeing kernel is a row
 * saying so. {@link org.prune4j.bench.DlmcData} finds the DLMC matrices shipped in
 * {@code data/dlmc}.
 */
package org.prune4j.bench;
