/**
 * Results files and plots: the JSON and CSV of an experiment and its PNG charts, rendered
 * headless with XChart.
 */
package org.prune4j.report;
