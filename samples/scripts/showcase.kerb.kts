// The README's main job: the five sample scripts, one after another. Run from the repository root:
//   ./kerb run samples/scripts/showcase.kerb.kts
@file:Import("define-cnn.kerb.kts", "tighten-eegnet.kerb.kts", "custom-constraint.kerb.kts", "apply-to-weights.kerb.kts",
    "save-keras.kerb.kts")

println("Ran the five samples in samples/scripts; run one alone with ./kerb run samples/scripts/NAME.kerb.kts")
