"""Cross-checks Kerb's DJL networks against Keras 3.15.1 on the random models of crosscheck.py.

For each model, Keras saves it as `.keras` with random weights, and this script checks:

- predict: `kerb predict` on random inputs (by input name where there are several) gives Keras' `predict` outputs within 1e-4 of each
  output's largest magnitude (float32);
- fit round trip: `kerb fit` trains one epoch (mean squared error to random targets, SGD with momentum) and writes
  `.keras`; Keras loads it, its predictions equal `kerb predict` on the trained file within 1e-4, and `kerb check`
  finds every constraint holding (a MinMaxNorm with rate below 1 only moves norms part of the way, as in Keras). Models with the custom CenterAround constraint, which the `kerb` command does not
  register, are predicted but not trained.

Run from the repository root after the build, with Keras 3.15.1, JAX and h5py installed:
    KERAS_BACKEND=jax python crosscheck/check_djl.py [--models N] [--seed S]
A failure prints the seed, the model and what differs.
"""
import argparse
import json
import os
import random
import sys
import tempfile

os.environ.setdefault("KERAS_BACKEND", "jax")
sys.dont_write_bytecode = True  # importing crosscheck leaves no crosscheck/__pycache__
import crosscheck  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402

TOLERANCE = 1e-4


def inputs_for(model, rng, samples):
    """Random inputs of each model input's shape: token ids below 10 for integer inputs, normal values otherwise."""
    arrays = {}
    for tensor in model.inputs:
        shape = (samples,) + tuple(tensor.shape[1:])
        if "int" in str(tensor.dtype):
            arrays[tensor.name] = rng.integers(0, 10, shape).astype(np.float32)
        else:
            arrays[tensor.name] = rng.standard_normal(shape).astype(np.float32)
    return arrays


def kerb_predict(path, arrays, work, tag):
    """`kerb predict` of named inputs into a folder; the outputs in the model's order."""
    args = []
    for name, array in arrays.items():
        file = os.path.join(work, f"{tag}-in-{name}.npy")
        np.save(file, array)
        args += ["--input", f"{name}={file}" if len(arrays) > 1 else file]
    out = os.path.join(work, f"{tag}-out")
    crosscheck.kerb("predict", path, *args, "-o", out)
    return out


def relative_error(actual, expected):
    scale = max(float(np.max(np.abs(expected))), 1e-30)
    return float(np.max(np.abs(np.asarray(actual, np.float64) - np.asarray(expected, np.float64)))) / scale


def outputs(model, arrays):
    """Keras' predictions as a list, in the model's output order."""
    values = list(arrays.values())  # in the original model's input order, which a reloaded model keeps
    result = model.predict(values if len(values) > 1 else values[0], verbose=0)
    return result if isinstance(result, list) else [result]


def compare(failures, name, what, model, arrays, path, work, tag):
    expected = outputs(model, arrays)
    out = kerb_predict(path, arrays, work, tag)
    names = [os.path.splitext(f)[0] for f in os.listdir(out)]
    for index, want in enumerate(expected):
        tensor_name = model.outputs[index]._keras_history[0].name
        file = os.path.join(out, f"{tensor_name}.npy") if tensor_name in names else None
        if file is None:
            failures.add(name, "-", what, f"an output file for '{tensor_name}'", sorted(names))
            continue
        error = relative_error(np.load(file), want)
        if not error <= TOLERANCE:
            failures.add(name, tensor_name, what, f"DJL within {TOLERANCE} of Keras", error)
    return len(expected)


def check_model(failures, model, work, rng):
    """Predict and, without custom constraints, the fit round trip; returns (outputs compared, trained)."""
    name = model.name
    path = os.path.join(work, "model.keras")
    model.save(path)
    arrays = inputs_for(model, rng, 6)
    compared = compare(failures, name, "predict", model, arrays, path, work, "start")
    if "CenterAround" in model.to_json():
        return compared, 0
    targets = [rng.standard_normal((6,) + tuple(o.shape[1:])).astype(np.float32) for o in model.outputs]
    args = []
    for name_, array in arrays.items():
        file = os.path.join(work, f"fit-x-{name_}.npy")
        np.save(file, array)
        args += ["--x", f"{name_}={file}" if len(arrays) > 1 else file]
    for index, target in enumerate(targets):
        file = os.path.join(work, f"fit-y-{index}.npy")
        np.save(file, target)
        args += ["--y", file]
    trained = os.path.join(work, "trained.keras")
    crosscheck.kerb("fit", path, *args, "--loss", "mse", "--optimizer", "sgd", "--learning-rate", "0.01",
                    "--momentum", "0.9", "--batch-size", "4", "-o", trained)
    check = crosscheck.kerb("check", trained, "--json", check=False)
    for row in json.loads(check.stdout):
        # MinMaxNorm with rate below 1 moves norms only part of the way into its bounds, in Keras as in Kerb.
        partial = row["constraint"].get("class_name") == "MinMaxNorm" and row["constraint"]["config"].get("rate", 1) < 1
        if not row["holds"] and not partial:
            failures.add(name, row["layer"], row["key"], "the constraint holds after kerb fit", row["measures"])
    reloaded = keras.saving.load_model(trained, compile=False)
    compared += compare(failures, name, "predict after kerb fit", reloaded, arrays, trained, work, "trained")
    return compared, 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=len(crosscheck.KINDS) * 2)
    parser.add_argument("--seed", type=int, default=random.SystemRandom().randrange(2**31))
    args = parser.parse_args()
    print(f"check_djl: seed {args.seed} (reproduce with --seed {args.seed}), {args.models} models")
    rng = random.Random(args.seed)
    nrng = np.random.default_rng(args.seed)
    keras.utils.set_random_seed(args.seed % (2**32))
    failures = crosscheck.Failures(args.seed)
    compared = trained = 0
    for index in range(args.models):
        model = crosscheck.build(rng, index)
        for weight in model.weights:
            low, high = (0.5, 1.5) if weight.path.endswith("moving_variance") else (-0.8, 0.8)
            weight.assign(nrng.uniform(low, high, weight.shape).astype(weight.dtype))
        with tempfile.TemporaryDirectory() as work:
            try:
                outs, fits = check_model(failures, model, work, nrng)
            except RuntimeError as e:
                failures.add(model.name, "-", "kerb", "success", str(e))
                continue
            compared += outs
            trained += fits
    for line in failures.lines:
        print(line)
    print(f"check_djl: {args.models} models, {compared} outputs compared with Keras' predict, {trained} trained by "
          f"kerb fit and reloaded in Keras: {len(failures.lines)} failures")
    return 1 if failures.lines else 0


if __name__ == "__main__":
    sys.exit(main())
