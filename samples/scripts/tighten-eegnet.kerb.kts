// Loads a real model (EEGNet, saved by tf.keras 2.1.6), lists every constraint and halves every MaxNorm, changing
// nothing else in the file. The model file is the first argument, or the repository's corpus copy.
println("2. Tighten a real EEGNet config (tighten-eegnet.kerb.kts)")
val file = args.firstOrNull() ?: "testdata/keras-corpus/arl-eegmodels-eegnet-tfkeras2.1.6-functional-depthwise-maxnorm.model_config.json"
val spec = ModelSpec.read(file)
println("Read ${Path.of(file).fileName} (${spec.format}, ${spec.layers().size} layers)")
for (c in spec.constraints()) println("  ${c.layer.padEnd(18)} ${c.key.padEnd(22)} ${c.constraint}")
val halved = spec.mapConstraints { c ->
    (c.constraint as? MaxNorm)?.let { maxNorm(it.maxValue.toDouble() / 2, it.axis) } ?: c.constraint
}
println("Every MaxNorm halved:")
for (c in halved.constraints()) println("  ${c.layer.padEnd(18)} ${c.key.padEnd(22)} ${c.constraint}")
halved
