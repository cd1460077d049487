package dev.kerb.djl

import ai.djl.Device
import ai.djl.ndarray.NDArray
import ai.djl.ndarray.NDScope
import ai.djl.training.optimizer.Optimizer
import dev.kerb.registry.ConfigException
import java.util.concurrent.ConcurrentHashMap
import kotlin.math.pow
import kotlin.math.sqrt

/**
 * A Keras optimizer as a DJL optimizer, with Keras 3.15.1's update rules (`keras/src/optimizers/sgd.py`, `adam.py`)
 * rather than DJL's, whose Adam has epsilon 1e-8 and whose SGD has weight decay settings Keras' lacks. Each
 * parameter's state lives on its device; updates run in place with NDArray operations.
 */
public abstract class KerasOptimizer internal constructor(public val learningRate: Double) : Optimizer(Unused) {
    /** Per parameter and device: its moments, and how many updates it had. */
    internal class Slot(val moments: List<NDArray>, var steps: Long = 0)

    private val slots = ConcurrentHashMap<Pair<String, Device>, Slot>()

    override fun update(parameterId: String, weight: NDArray, grad: NDArray) {
        val slot = slots.computeIfAbsent(parameterId to weight.device) {
            // Moments live as long as the weight; a training loop's NDScope must not close them.
            Slot(List(moments) { weight.zerosLike().also { m -> NDScope.unregister(m) } })
        }
        slot.steps++
        apply(weight, grad, slot)
        // PyTorch adds each backward pass to the gradient, and DJL hands the optimizer a copy of it; DJL's own
        // optimizers zero the weight's gradient after the update in native code, as this must.
        if (weight.hasGradient()) weight.gradient.use { it.muli(0) }
    }

    /** How many moment arrays each parameter keeps. */
    internal abstract val moments: Int

    /** Updates [weight] in place from [grad]; [slot] holds the moments and the step count, this one included. */
    internal abstract fun apply(weight: NDArray, grad: NDArray, slot: Slot)

    /** Keras' SGD: `m = momentum * m - lr * g`, then `w += m` (or `w += momentum * m - lr * g` with Nesterov). */
    private class Sgd(learningRate: Double, val momentum: Double, val nesterov: Boolean) : KerasOptimizer(learningRate) {
        override val moments: Int get() = if (momentum > 0) 1 else 0

        override fun apply(weight: NDArray, grad: NDArray, slot: Slot) {
            grad.mul(learningRate).use { step ->
                if (momentum == 0.0) {
                    weight.subi(step)
                    return
                }
                val m = slot.moments[0]
                m.muli(momentum).subi(step)
                if (nesterov) m.mul(momentum).use { weight.addi(it.subi(step)) } else weight.addi(m)
            }
        }

        override fun toString(): String = "SGD(learning_rate=$learningRate, momentum=$momentum, nesterov=$nesterov)"
    }

    /**
     * Keras' Adam: `alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)`, `m += (g - m) * (1 - beta1)`,
     * `v += (g² - v) * (1 - beta2)`, `w -= alpha * m / (sqrt(v) + epsilon)`.
     */
    private class Adam(learningRate: Double, val beta1: Double, val beta2: Double, val epsilon: Double) :
        KerasOptimizer(learningRate) {
        override val moments: Int get() = 2

        override fun apply(weight: NDArray, grad: NDArray, slot: Slot) {
            val (m, v) = slot.moments
            val t = slot.steps.toDouble()
            val alpha = learningRate * sqrt(1 - beta2.pow(t)) / (1 - beta1.pow(t))
            grad.sub(m).use { m.addi(it.muli(1 - beta1)) }
            grad.square().use { v.addi(it.subi(v).muli(1 - beta2)) }
            v.sqrt().use { root -> m.mul(alpha).use { weight.subi(it.divi(root.addi(epsilon))) } }
        }

        override fun toString(): String = "Adam(learning_rate=$learningRate, beta_1=$beta1, beta_2=$beta2, epsilon=$epsilon)"
    }

    /** The base class wants a builder; the subclasses hold the settings. */
    private object Unused : OptimizerBuilder<Unused>() {
        override fun self(): Unused = this
    }

    public companion object {
        /**
         * Returns Keras' SGD with [learningRate] (Keras' default 0.01), [momentum] and [nesterov].
         *
         * @throws IllegalArgumentException if the learning rate is not positive or the momentum is outside [0, 1)
         */
        @JvmStatic
        @JvmOverloads
        public fun sgd(learningRate: Double = 0.01, momentum: Double = 0.0, nesterov: Boolean = false): KerasOptimizer {
            require(learningRate > 0) { "learning rate $learningRate is not positive" }
            require(momentum >= 0 && momentum < 1) { "momentum $momentum is outside [0, 1)" }
            return Sgd(learningRate, momentum, nesterov)
        }

        /**
         * Returns Keras' Adam with Keras' defaults: learning rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7.
         *
         * @throws IllegalArgumentException if the learning rate or epsilon is not positive, or a beta is outside [0, 1)
         */
        @JvmStatic
        @JvmOverloads
        public fun adam(learningRate: Double = 0.001, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-7):
            KerasOptimizer {
            require(learningRate > 0 && epsilon > 0) { "learning rate $learningRate and epsilon $epsilon must be positive" }
            require(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1) { "betas $beta1 and $beta2 must be in [0, 1)" }
            return Adam(learningRate, beta1, beta2, epsilon)
        }

        /**
         * Returns the optimizer Keras names [name] (`sgd`, `adam`, case-insensitive) with [learningRate] and, for SGD,
         * [momentum]; null settings take Keras' defaults.
         *
         * @throws ConfigException if Kerb has no such optimizer
         */
        @JvmStatic
        public fun of(name: String, learningRate: Double?, momentum: Double?, nesterov: Boolean = false): KerasOptimizer =
            when (name.lowercase()) {
                "sgd" -> sgd(learningRate ?: 0.01, momentum ?: 0.0, nesterov)
                "adam" -> adam(learningRate ?: 0.001)
                else -> throw ConfigException("unknown optimizer '$name'; Kerb has sgd and adam")
            }
    }
}
