"""Checks one model file that Kerb wrote (a `.keras` archive or a legacy `.h5`) against Keras 3.15.1 itself:

- load: `keras.saving.load_model(path, compile=False)` succeeds, and for a `.keras` archive plain `load_model(path)`;
- weights: Keras holds exactly the bytes Kerb wrote: Keras saves the loaded model again in the same format and every
  weight dataset of Kerb's file equals Keras' bit for bit (dtype, shape and bytes). In a `.keras` archive the
  datasets of model.weights.h5 are compared by path, and both files must have the same dataset paths (Keras also
  writes empty groups for layers without variables, which Kerb leaves out). In a legacy `.h5` they are compared as
  Keras' legacy loader reads them, by layer and weight order (see legacy_weights);
- predict: random inputs of the model's input shapes (batch 2, other unknown dimensions 3, integer inputs 0 or 1)
  give finite values for every output;
- train: compiled with "adam" and one "mse" loss per output, one epoch of `fit` on 4 random samples in batches of 2
  gives a finite loss.

Used by check_written.py (every file in some folders) and crosscheck.py (files that `kerb convert --seed` writes):
    from keras_files import check_written
    problems = check_written("model.keras", numpy.random.default_rng(0))  # [] when the file is fine
Each problem is one line naming the file, the step, what was expected and what was got.
"""
import io
import os
import tempfile
import zipfile

os.environ.setdefault("KERAS_BACKEND", "jax")
import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras.src.legacy.saving.legacy_h5_format import load_attributes_from_hdf5_group  # noqa: E402

WEIGHTS = "model.weights.h5"


def first_line(error):
    """The exception's first line, with the next one when the first only introduces it (Keras' "...object <X>:")."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()] or [""]
    text = lines[0] + (" " + lines[1] if lines[0].endswith(":") and len(lines) > 1 else "")
    return f"{type(error).__name__}: {text}"[:400]


def datasets(group):
    """{path: array} of every dataset under an HDF5 group, arrays as stored (dtype and byte order kept)."""
    found = {}
    group.visititems(lambda name, item: found.__setitem__(name, np.asarray(item[()]))
                     if isinstance(item, h5py.Dataset) else None)
    return found


def legacy_weights(group):
    """[(layer name, [(weight name, array)])] of a legacy `.h5` file's model_weights group, as Keras' legacy loader
    (load_weights_from_hdf5_group) reads it: the layers of `layer_names` that list `weight_names`, in that order, then
    top_level_model_weights. The loader matches them to the model's layers with weights by position and ignores the
    weight names, and those names are not stable in Keras itself: they are each variable's `path`, the name scopes
    open when it was created, so a Sequential model saved right after it is built names a Bidirectional weight
    `sequential_1/bidirectional/forward_lstm/lstm_cell/kernel`, but the same model loaded and saved again
    `bidirectional/forward_lstm/lstm_cell/kernel`. So weights are compared by layer and position, not by path."""
    layers = []
    names = load_attributes_from_hdf5_group(group, "layer_names")
    for name in names + (["top_level_model_weights"] if "top_level_model_weights" in group else []):
        weights = load_attributes_from_hdf5_group(group[name], "weight_names")
        if weights:
            layers.append((name, [(weight, np.asarray(group[name][weight][()])) for weight in weights]))
    return layers


def differs(kerb, keras_):
    """Why Kerb's array is not the same bytes as Keras' re-save of it, or None when it is."""
    if kerb.dtype != keras_.dtype or kerb.shape != keras_.shape:
        return f"expected {keras_.dtype.str} {keras_.shape} as Keras saves it again, got {kerb.dtype.str} {kerb.shape}"
    if kerb.tobytes() != keras_.tobytes():
        if kerb.dtype.kind not in "biuf":  # bfloat16 is stored opaque (|V2), with a "dtype" attribute
            return "expected the bytes Keras saves again, got different bytes"
        worst = np.max(np.abs(kerb.astype(np.float64) - keras_.astype(np.float64)))
        return f"expected the bytes Keras saves again, got different values (max |difference| {worst:.3g})"
    return None


def compare_archives(path, resaved):
    with zipfile.ZipFile(path) as kerb_zip, zipfile.ZipFile(resaved) as keras_zip, \
            h5py.File(io.BytesIO(kerb_zip.read(WEIGHTS)), "r") as kerb_file, \
            h5py.File(io.BytesIO(keras_zip.read(WEIGHTS)), "r") as keras_file:
        kerb, keras_ = datasets(kerb_file), datasets(keras_file)
    problems = []
    if kerb.keys() != keras_.keys():
        problems.append(f"{path}: weights: expected the dataset paths of Keras' re-save, got missing "
                        f"{sorted(keras_.keys() - kerb.keys())}, extra {sorted(kerb.keys() - keras_.keys())}")
    for name in sorted(kerb.keys() & keras_.keys()):
        why = differs(kerb[name], keras_[name])
        if why:
            problems.append(f"{path}: weights {WEIGHTS}/{name}: {why}")
    return problems


def compare_legacy(path, resaved):
    with h5py.File(path, "r") as kerb_file, h5py.File(resaved, "r") as keras_file:
        kerb = legacy_weights(kerb_file["model_weights"])
        keras_ = legacy_weights(keras_file["model_weights"])
    if [name for name, _ in kerb] != [name for name, _ in keras_]:
        return [f"{path}: weights: expected layers with weights {[name for name, _ in keras_]} (Keras' re-save), "
                f"got {[name for name, _ in kerb]}"]
    problems = []
    for (layer, kerb_weights), (_, keras_weights) in zip(kerb, keras_):
        if len(kerb_weights) != len(keras_weights):
            problems.append(f"{path}: weights {layer}: expected {len(keras_weights)} weights, got {len(kerb_weights)}")
            continue
        for index, ((name, a), (keras_name, b)) in enumerate(zip(kerb_weights, keras_weights)):
            why = differs(a, b)
            if why:
                problems.append(f"{path}: weights {layer} #{index} ({name}; Keras: {keras_name}): {why}")
    return problems


def random_inputs(model, rng, batch):
    arrays = []
    for tensor in model.inputs:
        shape = (batch, *(3 if d is None else d for d in tensor.shape[1:]))
        dtype = keras.backend.standardize_dtype(tensor.dtype)
        arrays.append(rng.integers(0, 2, shape).astype(dtype) if "int" in dtype
                      else rng.standard_normal(shape).astype(dtype))
    return arrays[0] if len(arrays) == 1 else arrays


def check_written(path, rng):
    """Problems with one Kerb-written `.keras` or `.h5` file in Keras 3.15.1, one line each; [] when it is fine."""
    problems = []

    def step(name, action):
        try:
            return action()
        except Exception as error:  # noqa: BLE001 - any failure is the finding
            problems.append(f"{path}: {name}: expected it to succeed, got {first_line(error)}")
            return None

    model = step("load_model(compile=False)", lambda: keras.saving.load_model(path, compile=False))
    if model is None:
        return problems
    if path.endswith(".keras"):
        step("load_model", lambda: keras.saving.load_model(path))
    with tempfile.TemporaryDirectory() as work:
        resaved = os.path.join(work, "x" + os.path.splitext(path)[1])
        if step("Keras re-save", lambda: model.save(resaved) or True):
            compare = compare_archives if path.endswith(".keras") else compare_legacy
            problems += step("weights", lambda: compare(path, resaved)) or []

    def predict():
        outputs = keras.tree.flatten(model.predict(random_inputs(model, rng, 2), verbose=0))
        for index, output in enumerate(outputs):
            if not np.all(np.isfinite(output)):
                problems.append(f"{path}: predict output #{index}: expected finite values, got {output.ravel()[:6]}")
        return [np.shape(output)[1:] for output in outputs]

    # Targets take the predictions' shapes, or without them the model's output shapes, unknown dimensions 3.
    shapes = step("predict", predict) or step("output shapes", lambda: [
        tuple(3 if d is None else d for d in tensor.shape[1:]) for tensor in model.outputs])

    def train():
        model.compile(optimizer="adam", loss="mse" if len(shapes) == 1 else ["mse"] * len(shapes))
        targets = [rng.standard_normal((4, *shape)).astype("float32") for shape in shapes]
        history = model.fit(random_inputs(model, rng, 4), targets[0] if len(targets) == 1 else targets,
                            epochs=1, batch_size=2, verbose=0)
        loss = history.history["loss"][-1]
        if not np.isfinite(loss):
            problems.append(f"{path}: train: expected a finite loss, got {loss}")
        return True

    if shapes:
        step("train", train)
    return problems
