/**
 * Benchmarks of Kerb's projection kernels: the workloads, a JMH suite that measures each against the memory floor
 * (an in-place scale over the same bytes) and a read pass over the same bytes in the same run, and the table that
 * it and {@code kerb bench} print.
 */
package dev.kerb.bench;
