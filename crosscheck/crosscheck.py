"""Cross-checks Kerb against Keras 3.15.1 itself, on random models that Keras builds and saves.

For each model (Sequential or Functional, with the layer kinds and constraint forms below), Keras writes
`to_json()`, a `.keras` archive and a legacy `.h5` file, and this script checks that Kerb agrees with Keras:

- describe: `kerb describe --json` on each file lists every constraint Keras has, with Keras 3's own dict
  (`keras.constraints.serialize`), int and float kinds kept;
- convert: Keras 3 -> Keras 2 -> Keras 3 with `kerb convert`, then Keras loads the result, takes the original
  weights and predicts the same outputs (within 1e-6);
- .keras rewrite: `kerb convert x.keras --to keras3 -o y.keras` keeps model.weights.h5 bit for bit;
- apply: `kerb apply` of each built-in constraint to random weights of its weight's shape matches Keras' constraint
  evaluated in float64: float32 within 1e-6 relative, float64 within 1e-12;
- summary: `kerb summary --json` on each file has the rows of Keras' `model.summary()` (a Sequential model's
  `model.layers`, a Functional model's `model._operations`) in order, and for each its name, output shape (the outputs
  of the layer's last call, a list of shapes for several, as summary_utils.format_layer_shape takes them),
  `layer.count_params()` and trainable and non-trainable counts; and the model's trainable and non-trainable totals;
- initialized: `kerb convert model.json --to keras3 --seed 7` to a `.keras` archive and to a legacy `.h5` (weights
  initialized as the config's initializers say); Keras loads each with exactly the weight bytes Kerb wrote, predicts
  finite values and trains one epoch to a finite loss (keras_files.check_written).

Run from the repository root after the build, with Keras 3.15.1, JAX and h5py installed:
    KERAS_BACKEND=jax python crosscheck/crosscheck.py [--models N] [--seed S] [--fixtures DIR]
(KERB_COMMAND=/path/to/kerb checks another build.)
A failure prints the seed, the model, the layer, the key, what Keras gave and what Kerb gave.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import zipfile

os.environ.setdefault("KERAS_BACKEND", "jax")
import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402
from keras.src.models import Functional  # noqa: E402
from keras.src.models import Sequential  # noqa: E402
from keras.src.utils import summary_utils  # noqa: E402
sys.dont_write_bytecode = True  # importing keras_files leaves no crosscheck/__pycache__
from keras_files import check_written  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERB = os.environ.get("KERB_COMMAND", os.path.join(ROOT, "kerb"))  # another kerb build, to compare


@keras.saving.register_keras_serializable(package="Custom")
class CenterAround(keras.constraints.Constraint):
    """The Keras docs' custom constraint: w - mean(w) + ref_value."""

    def __init__(self, ref_value=0.0):
        self.ref_value = ref_value

    def __call__(self, w):
        return w - keras.ops.mean(w) + self.ref_value

    def get_config(self):
        return {"ref_value": self.ref_value}


class Failures:
    def __init__(self, seed):
        self.seed = seed
        self.lines = []

    def add(self, model, layer, key, expected, got):
        self.lines.append(f"seed {self.seed} model {model} layer {layer} key {key}: expected {expected!r}, got {got!r}")


def number(rng, low, high):
    """An int or a float, as users write either (MaxNorm(2) and MaxNorm(2.0) are different configs)."""
    return rng.randint(max(1, int(low)), int(high)) if rng.random() < 0.4 else round(rng.uniform(low, high), 3)


def axis(rng, rank):
    return rng.choice([0, -1, [0], list(range(rank - 1)), tuple(range(rank - 1)), None][: 6 if rank > 1 else 2])


def constraint(rng, rank, shared):
    kind = rng.choice(["MaxNorm", "MinMaxNorm", "UnitNorm", "NonNeg", "alias", "custom", "shared", None])
    if kind == "MaxNorm":
        return keras.constraints.MaxNorm(number(rng, 0.5, 3), axis(rng, rank))
    if kind == "MinMaxNorm":
        return keras.constraints.MinMaxNorm(number(rng, 0, 1), number(rng, 1, 3), rng.choice([1, 1.0, 0.5]),
                                            axis(rng, rank))
    if kind == "UnitNorm":
        return keras.constraints.UnitNorm(axis(rng, rank))
    if kind == "NonNeg":
        return keras.constraints.NonNeg()
    if kind == "alias":
        return rng.choice(["max_norm", "non_neg", "unit_norm", "min_max_norm"])
    if kind == "custom":
        return CenterAround(number(rng, -1, 1))
    if kind == "shared":
        return shared
    return None


KINDS = ["dense", "conv", "rnn", "attention", "functional", "nested", "embedding"]


def build(rng, index):
    """A random model: Sequential, or Functional with several inputs and outputs, shared and nested layers."""
    shared = CenterAround(0.5) if rng.random() < 0.5 else keras.constraints.MaxNorm(2)
    c = lambda rank: constraint(rng, rank, shared)  # noqa: E731
    kind = KINDS[index % len(KINDS)]
    name = f"m{index}_{kind}"
    if kind == "dense":
        model = keras.Sequential([keras.Input((8,)), layers.Dense(rng.randint(2, 6), kernel_constraint=c(2),
                                                                   bias_constraint=c(1)),
                                  layers.BatchNormalization(beta_constraint=c(1), gamma_constraint=c(1)),
                                  layers.Dense(3, kernel_constraint=c(2))], name=name)
    elif kind == "conv":
        model = keras.Sequential([keras.Input((8, 8, 2)), layers.Conv2D(4, 3, kernel_constraint=c(4), bias_constraint=c(1)),
                                  layers.DepthwiseConv2D(3, depthwise_constraint=c(4)),
                                  layers.SeparableConv2D(3, 2, depthwise_constraint=c(4), pointwise_constraint=c(4)),
                                  layers.Flatten(), layers.Dense(2, kernel_constraint=c(2))], name=name)
    elif kind == "rnn":
        cell = rng.choice([layers.LSTM, layers.GRU, layers.SimpleRNN])
        model = keras.Sequential([keras.Input((5, 3)),
                                  layers.Bidirectional(cell(4, kernel_constraint=c(2), recurrent_constraint=c(2),
                                                            return_sequences=True)),
                                  layers.TimeDistributed(layers.Dense(2, kernel_constraint=c(2))),
                                  cell(3, bias_constraint=c(1))], name=name)
    elif kind == "attention":
        x = keras.Input((4, 6), name="x")
        y = layers.MultiHeadAttention(2, 3, kernel_constraint=c(3), bias_constraint=c(2))(x, x)
        model = keras.Model(x, layers.LayerNormalization(beta_constraint=c(1))(y), name=name)
    elif kind == "functional":
        a = keras.Input((6,), name="a")
        b = keras.Input((6,), name="b")
        tower = layers.Dense(4, kernel_constraint=c(2), name="tower")
        ha, hb = tower(a), tower(b)
        merged = layers.Concatenate()([ha, hb]) if rng.random() < 0.5 else layers.Add()([ha, hb])
        model = keras.Model([a, b], [layers.Dense(1, kernel_constraint=c(2))(merged),
                                     layers.Dense(2, bias_constraint=c(1))(hb)], name=name)
    elif kind == "nested":
        inner = keras.Sequential([keras.Input((5,)), layers.Dense(3, kernel_constraint=c(2))], name="inner")
        x = keras.Input((5,), name="x")
        model = keras.Model(x, layers.Dense(2, kernel_constraint=c(2))(inner(x)), name=name)
    else:
        model = keras.Sequential([keras.Input((5,), dtype="int32"), layers.Embedding(10, 4, embeddings_constraint=c(2)),
                                  layers.Flatten(), layers.Dense(2, kernel_constraint=c(2))], name=name)
    return model


def kerb(*args, check=True):
    result = subprocess.run([KERB, *args], capture_output=True, text=True)
    if check and result.returncode != 0:
        raise RuntimeError(f"kerb {' '.join(args)} exited {result.returncode}: {result.stderr.strip()}")
    return result


def keras_constraints(document):
    """(layer name, key, constraint dict) for every constraint Keras wrote in a model config, wherever it is nested;
    Keras 3's shared_object_id, a Python object id, is left out."""
    found = []

    def walk(value, layer):
        if isinstance(value, dict):
            config = value.get("config")
            if isinstance(config, dict) and isinstance(config.get("name"), str) and "trainable" in config:
                layer = config["name"]
            for key, item in value.items():
                if key.endswith("_constraint") and isinstance(item, dict):
                    found.append((layer, key, {k: v for k, v in item.items() if k != "shared_object_id"}))
                else:
                    walk(item, layer)
        elif isinstance(value, list):
            for item in value:
                walk(item, layer)

    walk(document, "model")
    return found


def config_of(path):
    """The model config Keras wrote in a file: to_json() text, a .keras archive's config.json, an .h5 model_config."""
    if path.endswith(".keras"):
        return json.loads(zipfile.ZipFile(path).read("config.json"))
    if path.endswith(".h5"):
        import h5py
        with h5py.File(path) as f:
            text = f.attrs["model_config"]
        return json.loads(text.decode() if isinstance(text, bytes) else text)
    return json.loads(open(path).read())


def same_json(a, b):
    """Equal as JSON values, and an int is not a float (2 is not 2.0)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return type(a) is type(b) and a == b
    return a == b


def check_describe(failures, name, path):
    expected = keras_constraints(config_of(path))
    got = json.loads(kerb("describe", "--json", path).stdout)
    keras_dicts = sorted((json.dumps(d, sort_keys=True) for _, _, d in expected))
    kerb_dicts = sorted(json.dumps(e["constraint"], sort_keys=True) for e in got)
    if keras_dicts != kerb_dicts:
        failures.add(name, os.path.basename(path), "describe", keras_dicts, kerb_dicts)
        return len(got)
    for entry in got:  # exact, int and float kinds kept
        match = [d for _, key, d in expected if key == entry["key"] and same_json(d, entry["constraint"])]
        if not match:
            failures.add(name, entry["layer"], entry["key"], [d for _, k, d in expected if k == entry["key"]],
                         entry["constraint"])
    return len(got)


def check_convert(failures, name, model, work):
    keras3 = os.path.join(work, "model.json")
    with open(keras3, "w") as f:
        f.write(model.to_json())
    keras2 = os.path.join(work, "k2.json")
    back = os.path.join(work, "k3.json")
    kerb("convert", keras3, "--to", "keras2", "-o", keras2)
    kerb("convert", keras2, "--to", "keras3", "-o", back)
    try:
        loaded = keras.models.model_from_json(open(back).read())
        loaded.set_weights(model.get_weights())
    except Exception as e:  # noqa: BLE001 - any failure to load is the finding
        failures.add(name, "-", "convert", "Keras 3 loads the round trip", f"{type(e).__name__}: {e}"[:300])
        return
    rng = np.random.RandomState(0)
    inputs = [rng.randint(0, 10, (2, *i.shape[1:])).astype(i.dtype) if "int" in str(i.dtype)
              else rng.randn(2, *i.shape[1:]).astype("float32") for i in model.inputs]
    inputs = inputs[0] if len(inputs) == 1 else inputs
    a = model.predict(inputs, verbose=0)
    b = loaded.predict(inputs, verbose=0)
    for x, y in zip(a if isinstance(a, list) else [a], b if isinstance(b, list) else [b]):
        if not np.allclose(x, y, atol=1e-6):
            failures.add(name, "-", "convert", "the same outputs", float(np.abs(x - y).max()))


def check_archive(failures, name, path, work):
    out = os.path.join(work, "rewritten.keras")
    kerb("convert", path, "--to", "keras3", "-o", out)
    if zipfile.ZipFile(path).read("model.weights.h5") != zipfile.ZipFile(out).read("model.weights.h5"):
        failures.add(name, "-", ".keras rewrite", "model.weights.h5 bit for bit", "different bytes")


def keras_summary(model):
    """What Keras' model.summary() shows, by row: (name, output shape, params, trainable, non-trainable), and the
    model's trainable and non-trainable totals; rows and shapes as keras/src/utils/summary_utils.py takes them."""
    functional = isinstance(model, Functional) and not isinstance(model, Sequential)
    rows = []
    for layer in model._operations if functional else model.layers:
        shape = None
        if layer._inbound_nodes:  # format_layer_shape: the outputs of the layer's last node
            shapes = [[None if d is None else int(d) for d in t.shape]
                      for t in keras.tree.flatten(layer._inbound_nodes[-1].output_tensors)]
            shape = shapes[0] if len(shapes) == 1 else shapes
        built = getattr(layer, "built", False)
        rows.append((layer.name, shape, layer.count_params() if built else 0,
                     summary_utils.count_params(layer.trainable_weights) if built else 0,
                     summary_utils.count_params(layer.non_trainable_weights) if built else 0))
    return rows, (summary_utils.count_params(model.trainable_weights),
                  summary_utils.count_params(model.non_trainable_weights))


def check_summary(failures, name, model, path):
    """`kerb summary --json` of a file against Keras' summary of the model that wrote it; returns the rows compared."""
    file = os.path.basename(path)
    result = kerb("summary", "--json", path, check=False)
    if result.returncode != 0:
        failures.add(name, "-", f"summary {file}", "kerb summary succeeds", result.stderr.strip())
        return 0
    got = json.loads(result.stdout)
    rows, (trainable, non_trainable) = keras_summary(model)
    if got["misfit"] is not None:
        failures.add(name, "-", f"summary {file} misfit", None, got["misfit"])
    if [row[0] for row in rows] != [layer["name"] for layer in got["layers"]]:
        failures.add(name, "-", f"summary {file} rows", [row[0] for row in rows],
                     [layer["name"] for layer in got["layers"]])
        return 0
    for (layer, *expected), entry in zip(rows, got["layers"]):
        for key, value in zip(("output_shape", "params", "trainable_params", "non_trainable_params"), expected):
            if entry[key] != value:
                failures.add(name, layer, f"summary {file} {key}", value, entry[key])
    for key, value in (("trainable_params", trainable), ("non_trainable_params", non_trainable)):
        if got[key] != value:
            failures.add(name, "model", f"summary {file} {key}", value, got[key])
    return len(rows)


def check_apply(failures, name, model, work, rng, fixtures=None):
    count = 0
    for var in model.weights:
        c = var.constraint
        if c is None or isinstance(c, CenterAround):
            continue
        shape = tuple(var.shape)
        w64 = rng.randn(*shape) * rng.choice([0.1, 1.0, 5.0])
        spec = json.dumps(keras.constraints.serialize(c))
        for dtype, rtol in (("float32", 1e-6), ("float64", 1e-12)):
            source = os.path.join(work, f"w_{dtype}.npy")
            target = os.path.join(work, f"o_{dtype}.npy")
            np.save(source, w64.astype(dtype))
            result = kerb("apply", "-c", spec, "-i", source, "-o", target, check=False)
            if result.returncode != 0:
                failures.add(name, var.path, dtype, "kerb apply succeeds", result.stderr.strip())
                continue
            got = np.load(target).astype(np.float64)
            ref = np.asarray(c(keras.ops.convert_to_tensor(w64.astype(dtype).astype(np.float64), dtype="float64")))
            if fixtures is not None:
                stem = f"apply{count}_{dtype}"
                np.save(os.path.join(fixtures["dir"], stem + ".in.npy"), w64.astype(dtype))
                np.save(os.path.join(fixtures["dir"], stem + ".keras.npy"), ref)
                fixtures["apply"].append({"constraint": json.loads(spec), "weight": var.path, "dtype": dtype,
                                          "input": stem + ".in.npy", "expected": stem + ".keras.npy",
                                          "rtol": rtol})
            error = np.abs(got - ref) / np.maximum(np.abs(ref), 1e-30)
            bad = error > rtol + 1e-37
            small = np.abs(ref) < 1e-30
            if np.any(bad & ~small):
                i = np.unravel_index(np.argmax(np.where(small, 0, error)), error.shape)
                failures.add(name, var.path, f"{spec} {dtype}", float(ref[i]), float(got[i]))
        count += 1
    return count


def check_initialized(failures, name, path, work, rng):
    """`kerb convert --seed 7` of the model's JSON config to .keras and .h5: Keras loads, predicts and trains each;
    returns the files checked."""
    checked = 0
    for target in (os.path.join(work, f"{name}.kerb.keras"), os.path.join(work, f"{name}.kerb.h5")):
        result = kerb("convert", path, "--to", "keras3", "-o", target, "--seed", "7", check=False)
        if result.returncode != 0:
            failures.add(name, "-", f"initialized {os.path.basename(target)}", "kerb convert --seed succeeds",
                         result.stderr.strip())
            continue
        failures.lines += [f"seed {failures.seed} model {name} initialized: {problem}"
                           for problem in check_written(target, rng)]
        checked += 1
    return checked


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=15)
    parser.add_argument("--seed", type=int, default=random.SystemRandom().randrange(2**31))
    parser.add_argument("--fixtures", help="also write each model's files and what Keras says into this folder")
    args = parser.parse_args()
    assert keras.__version__ == "3.15.1", keras.__version__
    print(f"crosscheck: seed {args.seed} (reproduce with --seed {args.seed}), {args.models} models, Keras {keras.__version__}")
    rng = random.Random(args.seed)
    nrng = np.random.RandomState(args.seed % (2**32))
    grng = np.random.default_rng(args.seed)
    keras.utils.set_random_seed(args.seed % (2**32))
    failures = Failures(args.seed)
    constraints = applied = summarized = initialized = 0
    kinds = set()
    for index in range(args.models):
        model = build(rng, index)
        name = model.name
        kinds.add(name.split("_", 1)[1])
        with tempfile.TemporaryDirectory() as work:
            archive = os.path.join(work, "model.keras")
            legacy = os.path.join(work, "model.h5")
            keras_json = os.path.join(work, "model.json")
            model.save(archive)
            model.save(legacy)
            with open(keras_json, "w") as f:
                f.write(model.to_json())
            for path in (keras_json, archive, legacy):
                constraints += check_describe(failures, name, path)
                summarized += check_summary(failures, name, model, path)
            check_convert(failures, name, model, work)
            check_archive(failures, name, archive, work)
            fixtures = None
            if args.fixtures:
                fixtures = {"dir": os.path.join(args.fixtures, name), "apply": []}
                os.makedirs(fixtures["dir"], exist_ok=True)
            applied += check_apply(failures, name, model, work, nrng, fixtures)
            if fixtures is not None:
                import shutil
                describe = {}
                for path in (keras_json, archive, legacy):
                    shutil.copy(path, fixtures["dir"])
                    describe[os.path.basename(path)] = [{"layer": layer, "key": key, "constraint": d}
                                                        for layer, key, d in keras_constraints(config_of(path))]
                with open(os.path.join(fixtures["dir"], "keras.json"), "w") as f:
                    json.dump({"keras_version": keras.__version__, "seed": args.seed, "describe": describe,
                               "apply": fixtures["apply"]}, f, indent=1)
            initialized += check_initialized(failures, name, keras_json, work, grng)
    for line in failures.lines:
        print(line)
    print(f"crosscheck: {args.models} models ({', '.join(sorted(kinds))}), {constraints} constraints described, "
          f"{applied} applied in float32 and float64, {summarized} summary rows compared, {initialized} "
          f"Kerb-initialized files checked in Keras: {len(failures.lines)} failures")
    return 1 if failures.lines else 0


if __name__ == "__main__":
    sys.exit(main())
