/**
 * Benchmarks of Kerb's projection kernels: the workloads, a JMH suite that measures each against the memory floor
 * (an in-place scale over the same bytes) in the same run, and a quick timer for {@code kerb bench}.
 */
package dev.kerb.bench;
