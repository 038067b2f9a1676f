/**
 * The GPU smoke step: one small case per kernel, each checked against a double-precision host
 * reference, with each kernel family in its own JVM ({@link org.prune4j.backend.cuda.smoke.IsolatedSmoke})
 * so that a kernel that faults (and so breaks the CUDA context for its whole process) costs only
 * its own family. It prints one line per kernel: pass, mismatch (with the error), fault (with the
 * CUDA error's name), error, unsupported, skip, or not-run. It is the first thing a short GPU
 * window runs; the later steps leave out the families that did not pass.
 */
package org.prune4j.backend.cuda.smoke;
