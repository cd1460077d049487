/**
 * The benchmark workloads of {@code kerb bench} and the JMH suite: each a constraint on a tensor of a realistic shape,
 * with the floor it is measured against (an in-place scale of the same bytes), the read pass (a read of the same bytes
 * that writes nothing) and the table both runners print.
 */
package dev.kerb.workloads;
