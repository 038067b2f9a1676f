/**
 * JMH microbenchmarks of the CPU kernels, beside the code they measure. Run them with
 * {@code java -cp 'target/prune4j.jar:target/lib/*' org.openjdk.jmh.Main CpuKernels}.
 */
package org.prune4j.bench.jmh;
