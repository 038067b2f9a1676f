/**
 * The {@code prune4j} command line: doctor, benchmarks and the default demo job, one picocli
 * subcommand per class.
 */
package org.prune4j.cli;
