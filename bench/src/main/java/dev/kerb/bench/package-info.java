/**
 * The JMH suite of Kerb's projection kernels: each workload of {@code dev.kerb.workloads} measured against the memory
 * floor (an in-place scale over the same bytes) and a read pass over the same bytes in the same run, printed as the
 * table {@code kerb bench} prints too.
 */
package dev.kerb.bench;
