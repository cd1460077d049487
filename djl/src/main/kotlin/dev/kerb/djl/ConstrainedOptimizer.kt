package dev.kerb.djl

import ai.djl.ndarray.NDArray
import ai.djl.training.optimizer.Optimizer

/** Runs the delegate's update, then the constraints attached to the parameter; everything else is the delegate's. */
internal class ConstrainedOptimizer(
    private val delegate: Optimizer,
    private val constraints: DjlConstraints,
) : Optimizer(Unused) {
    override fun update(parameterId: String, weight: NDArray, grad: NDArray) {
        delegate.update(parameterId, weight, grad)
        constraints.afterUpdate(parameterId, weight)
    }

    override fun toString(): String = "$delegate with Kerb constraints"

    /** The base class wants a builder; the delegate holds the real settings. */
    private object Unused : OptimizerBuilder<Unused>() {
        override fun self(): Unused = this
    }
}
