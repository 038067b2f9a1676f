/**
 * Experiments as values: settings whose hash names the run directory, checkpoints after every
 * round, resume, and the pruning runner with its control branches (OpenLTH's layout). A run
 * folder is locked by one process, written atomically, checked before it is first written, and
 * repaired on resume: what is missing or damaged is redone, what would mix two setups' numerics
 * is refused (see docs/reliability.md). Measurements of finished runs live here too: layer
 * resets, and accuracy under test-time noise ({@code NoiseRobustness}).
 */
package org.prune4j.experiment;
