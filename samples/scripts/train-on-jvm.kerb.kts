// Defines a small CNN with constraints in the DSL, trains it on the JVM in Deep Java Library (PyTorch engine) on the
// Fashion-MNIST subset in the repository, as Keras' fit would, prints accuracy and how each constraint holds, and
// saves the trained model as a .keras archive that Keras 3 loads. Run from the repository root:
//   ./kerb run samples/scripts/train-on-jvm.kerb.kts -- target/fashion-cnn.keras
import ai.djl.ndarray.NDList
import ai.djl.ndarray.NDManager
import ai.djl.ndarray.types.Shape
import dev.kerb.djl.FitProgress
import dev.kerb.djl.KerasDjl
import dev.kerb.djl.KerasLoss
import dev.kerb.djl.KerasOptimizer
import dev.kerb.model.weights.WeightsFile
import java.io.DataInputStream
import java.util.zip.GZIPInputStream

println("6. Train a CNN with constraints on the JVM and save it for Keras (train-on-jvm.kerb.kts)")
val target = Path.of(args.firstOrNull() ?: "target/fashion-cnn.keras")
target.toAbsolutePath().parent.createDirectories()
val data = Path.of("samples-djl/data/fashion-mnist-subset")

/** Reads a gzipped IDX file: its item count and bytes (pixels 0-255, or labels 0-9). */
fun idx(name: String): Pair<Int, ByteArray> = DataInputStream(GZIPInputStream(data.resolve(name).toFile().inputStream())).use {
    val dims = it.readInt() and 0xff
    val count = it.readInt()
    val size = (1 until dims).fold(1) { n, _ -> n * it.readInt() }
    count to it.readNBytes(count * size)
}

val model = sequential("fashion_cnn") {
    input(28, 28, 1)
    conv2d(16, kernelSize = 3, activation = "relu") { kernelConstraint = maxNorm(2.0, axis = listOf(0, 1, 2)) }
    maxPooling2d()
    flatten()
    dense(64, activation = "relu") { kernelConstraint = maxNorm(2.0); biasConstraint = nonNeg() }
    dense(10, activation = "softmax") { kernelConstraint = unitNorm() }
}

KerasDjl.model(model, model.initialWeights(seed = 1)).use { net ->
    NDManager.newBaseManager().use { manager ->
        fun images(name: String): ai.djl.ndarray.NDArray {
            val (count, bytes) = idx(name)
            return manager.create(FloatArray(bytes.size) { (bytes[it].toInt() and 0xff) / 255f }, Shape(count.toLong(), 28, 28, 1))
        }
        fun labels(name: String) = idx(name).second.let { b -> manager.create(FloatArray(b.size) { b[it].toFloat() }) }
        val x = images("train-images-idx3-ubyte.gz")
        val y = labels("train-labels-idx1-ubyte.gz")
        val loss = KerasLoss.of("sparse_categorical_crossentropy")
        val history = net.fit(NDList(x), NDList(y), loss, KerasOptimizer.adam(1e-3), epochs = 3, batchSize = 64,
            progress = FitProgress.printing(System.out, System.console() != null))
        val testX = images("t10k-images-idx3-ubyte.gz")
        val testY = labels("t10k-labels-idx1-ubyte.gz")
        val accuracy = loss.accuracy(testY, net.predict(NDList(testX)).head())
        println("Trained on ${x.shape[0]} images: loss %.4f, accuracy %.3f; test accuracy %.3f on ${testX.shape[0]} images"
            .format(history.loss.last(), history.accuracy.last(), accuracy))
    }
    net.save(target)
}
println("Wrote $target; its constraints after training, as kerb check measures them:")
WeightsFile.open(target).use { file ->
    for (check in file.check()) {
        println("  ${check.weight.padEnd(16)} ${check.constraint.constraint}: " +
            (if (check.holds) "holds" else "VIOLATED") + ", " + check.measures.entries.joinToString { (k, v) -> "$k %.4f".format(v) })
    }
}
model
