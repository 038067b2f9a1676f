/**
 * Experiments as values: settings whose hash names the run directory, checkpoints after every
 * round, resume, and the pruning runner with its control branches (OpenLTH's layout).
 */
package org.prune4j.experiment;
