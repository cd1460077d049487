package dev.kerb.model

import dev.kerb.core.Axis
import dev.kerb.core.Constraint
import dev.kerb.core.MaxNorm
import dev.kerb.core.MinMaxNorm
import dev.kerb.core.NonNeg
import dev.kerb.core.RadialConstraint
import dev.kerb.core.Shape
import dev.kerb.core.UnitNorm
import dev.kerb.core.thirdparty.Clip
import dev.kerb.core.thirdparty.WeightClip
import dev.kerb.core.thirdparty.ZeroSomeWeights
import dev.kerb.registry.ConstraintFormat
import dev.kerb.registry.ConstraintRegistry
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.doubles.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.property.Arb
import io.kotest.property.arbitrary.arbitrary
import io.kotest.property.arbitrary.choice
import io.kotest.property.arbitrary.constant
import io.kotest.property.arbitrary.element
import io.kotest.property.arbitrary.int
import io.kotest.property.arbitrary.list
import io.kotest.property.arbitrary.map
import io.kotest.property.arbitrary.numericDouble
import io.kotest.property.arbitrary.subsequence
import io.kotest.property.checkAll
import kotlin.math.sqrt

/** Laws every constraint and the registry keep, on random configs and weights (kotest-property). */
class ConstraintLawsTest : FunSpec({
    val registry = ConstraintRegistry.builtins()

    /** A number as Keras configs hold one: an int or a finite double, so int-versus-float survives too. */
    val number: Arb<Number> = Arb.choice(Arb.int(-5..5), Arb.numericDouble(-10.0, 10.0))
    val axis: Arb<Axis> = Arb.choice(Arb.int(-3..3).map { Axis.of(it) },
        Arb.list(Arb.int(0..3), 1..3).map { Axis.list(it.distinct()) }, Arb.constant(Axis.all()))

    /** One generator per built-in class name; the test below fails if a built-in has none. */
    val constraints: Map<String, Arb<Constraint>> = mapOf(
        "MaxNorm" to arbitrary { MaxNorm(number.bind(), axis.bind()) },
        "MinMaxNorm" to arbitrary { MinMaxNorm(number.bind(), number.bind(), number.bind(), axis.bind()) },
        "UnitNorm" to arbitrary { UnitNorm(axis.bind()) },
        "NonNeg" to Arb.constant(NonNeg.INSTANCE),
        "RadialConstraint" to Arb.constant(RadialConstraint.INSTANCE),
        "Constraint" to Arb.constant(registry.get("Constraint")),
        "Clip" to arbitrary { Clip(number.bind(), number.bind()) },
        "weight_clip" to arbitrary { WeightClip(number.bind()) },
        "ZeroSomeWeights" to arbitrary {
            val cols = Arb.int(1..4).bind()
            ZeroSomeWeights(Arb.list(Arb.list(Arb.element(0.0, 1.0), cols..cols), 1..4).bind())
        },
    )

    test("every built-in class has a generator here") {
        constraints.keys shouldContainAll registry.names().mapNotNull { registry.lookup(it).get().className() }.toSet()
    }

    test("serializing then deserializing is the identity for every built-in, in every format, through JSON text") {
        for ((name, arb) in constraints) {
            checkAll(100, arb, Arb.element(ConstraintFormat.entries)) { constraint, format ->
                val text = registry.constraintToJson(constraint, format)
                val back = registry.constraintFromJson(text)
                withClue("$name in $format: $text") { back shouldBe constraint }
                back!!.config shouldBe constraint.config // numbers keep int-versus-float, axes int-versus-list
            }
        }
    }

    /** A random shape of rank 1-4 and a random non-empty set of its axes. */
    val shapeAndAxes = arbitrary {
        val dims = Arb.list(Arb.int(1..6), 1..4).bind()
        val axes = Arb.subsequence(dims.indices.toList()).bind().ifEmpty { listOf(0) }
        Shape.of(*dims.toIntArray()) to Axis.list(axes)
    }

    test("after MaxNorm every slice norm is at most max_value * (1 + 1e-6), float32 and float64") {
        checkAll(300, shapeAndAxes, Arb.numericDouble(1e-3, 10.0), Arb.numericDouble(0.01, 100.0)) { (shape, axes), maxValue, scale ->
            val random = java.util.Random(shape.hashCode().toLong())
            val doubles = DoubleArray(shape.size()) { random.nextGaussian() * scale }
            val floats = FloatArray(shape.size()) { doubles[it].toFloat() }
            val c = MaxNorm(maxValue, axes)
            c.apply(doubles, shape)
            c.apply(floats, shape)
            for (norm in sliceNorms(shape, axes) { doubles[it] } + sliceNorms(shape, axes) { floats[it].toDouble() }) {
                norm shouldBeLessThanOrEqual maxValue * (1 + 1e-6)
            }
        }
    }

    test("NonNeg, Clip and weight_clip are idempotent, bit for bit, NaN and signed zeros included") {
        val specials = listOf(Float.NaN, -0.0f, 0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -1e-45f)
        val values = Arb.list(Arb.choice(Arb.element(specials), Arb.numericDouble(-5.0, 5.0).map { it.toFloat() }), 0..64)
        val clip = arbitrary { Clip(Arb.numericDouble(-3.0, 0.0).bind(), Arb.numericDouble(0.0, 3.0).bind()) }
        val constraint: Arb<Constraint> = Arb.choice(Arb.constant(NonNeg.INSTANCE), clip,
            Arb.numericDouble(0.0, 3.0).map { WeightClip(it) })
        checkAll(500, constraint, values) { c, list ->
            val shape = Shape.of(list.size)
            val once = c.applied(list.toFloatArray(), shape)
            val twice = c.applied(once, shape)
            twice.map { it.toRawBits() } shouldBe once.map { it.toRawBits() }
        }
    }
})

/** The norms of every slice of a row-major tensor, reducing over [axes], read element by element from [at]. */
private fun sliceNorms(shape: Shape, axes: Axis, at: (Int) -> Double): Collection<Double> {
    val dims = shape.dims()
    val reduced = BooleanArray(dims.size).also { r -> axes.values().forEach { r[Math.floorMod(it, dims.size)] = true } }
    val sums = HashMap<List<Int>, Double>()
    val index = IntArray(dims.size)
    for (flat in 0 until shape.size()) {
        var rest = flat
        for (d in dims.indices.reversed()) {
            index[d] = rest % dims[d]
            rest /= dims[d]
        }
        val key = dims.indices.map { if (reduced[it]) 0 else index[it] }
        sums.merge(key, at(flat) * at(flat), Double::plus)
    }
    return sums.values.map { sqrt(it) }
}
