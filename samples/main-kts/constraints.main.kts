// A plain kotlin-main-kts script: `kotlin constraints.main.kts` with kotlinc 2.4.10, nothing else to set up.
@file:DependsOn("dev.kerb:kerb-dsl:0.1.0")

import dev.kerb.dsl.dense
import dev.kerb.dsl.maxNorm
import dev.kerb.dsl.nonNeg
import dev.kerb.dsl.sequential

val model = sequential("mlp") {
    input(16)
    dense(8, activation = "relu") { kernelConstraint = maxNorm(1.5); biasConstraint = nonNeg() }
}
for (c in model.constraints()) println("${c.layer} ${c.key} ${c.constraint}")
