# Writes initializer-fixtures.json beside this script: what Keras 3.15.1 (JAX backend, CPU) does when it initializes
# variables, for Kerb's initializer tests to compare against.
#   "samples": statistics (n, mean, population variance, min, max) of values Keras' own initializers draw, pooled
#     over seeds 0..draws-1 so that n >= 200000 (Orthogonal: >= 20 draws, plus "orthogonality", the max over draws of
#     max|M^T M / gain^2 - I|, M the tensor as (prod(shape[:-1]), shape[-1]), or of M M^T when it has fewer rows);
#     deterministic initializers are drawn once, Identity with its "values", and a case Keras refuses with "error".
#     "config" is keras.initializers.serialize of the initializer built without a seed, "arguments" what it was built
#     with (Keras 3.15.1's Identity writes no gain in its config). The float64 case is drawn with jax_enable_x64 on
#     (without it JAX hands back float32); "result_dtype" is the dtype Keras returned.
#   "shape_fans": compute_fans(shape[, input_axes, output_axes]) from keras.src.initializers.random_initializers.
#   "layer_fans": every variable of layers Keras builds on an input shape, with compute_fans of its shape; "path" is
#     v.path less the layer's name (RNNs' seed_generator_N/seed_generator_state is not under it), "keras_path" v.path.
#   "layer_values": initial values of layers built with their default initializers (random ones given a seed).
# Run with the Keras 3.15.1 venv (a second run writes the same bytes):
#   KERAS_BACKEND=jax python make_initializer_fixtures.py
import json
import math
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import jax  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import initializers as ki  # noqa: E402
from keras.src.initializers.random_initializers import RandomInitializer, compute_fans  # noqa: E402

assert keras.__version__ == "3.15.1", keras.__version__
assert keras.backend.backend() == "jax", keras.backend.backend()
keras.utils.set_random_seed(0)
MIN_N = 200000


def stats(values):
    v = np.asarray(values, dtype=np.float64)
    return {"n": int(v.size), "mean": float(v.mean()), "variance": float(v.var()),
            "min": float(v.min()), "max": float(v.max())}


def orthogonality(x, gain):
    m = np.asarray(x, dtype=np.float64).reshape(-1, x.shape[-1])
    g = m.T @ m if m.shape[0] >= m.shape[1] else m @ m.T
    return float(np.abs(g / gain ** 2 - np.eye(g.shape[0])).max())


def sample(cls, kwargs, shape, dtype="float32"):
    # "arguments": what the initializer was built with (Identity's get_config drops its gain)
    case = {"config": ki.serialize(cls(**kwargs)), "arguments": kwargs, "shape": list(shape), "dtype": dtype}
    random = issubclass(cls, RandomInitializer)
    size = math.prod(shape)
    draws = max(3, -(-MIN_N // size)) if random else 1
    if cls is ki.Orthogonal:
        draws = max(draws, 20)
    try:
        jax.config.update("jax_enable_x64", dtype == "float64")  # JAX gives float32 for float64 unless enabled
        arrays = [np.asarray((cls(seed=s, **kwargs) if random else cls(**kwargs))(shape, dtype=dtype))
                  for s in range(draws)]
    except Exception as e:
        return {"config": case["config"], "arguments": kwargs, "shape": list(shape), "error": str(e)}
    finally:
        jax.config.update("jax_enable_x64", False)
    case.update(draws=draws, result_dtype=str(arrays[0].dtype), **stats(np.concatenate([a.ravel() for a in arrays])))
    gain = kwargs.get("gain", 1.0)
    case["orthogonality"] = max(orthogonality(a, gain) for a in arrays) if cls is ki.Orthogonal else None
    if cls is ki.Identity:
        case["values"] = arrays[0].astype(np.float64).tolist()
    return case


def sample_cases():
    cases = []
    for cls in (ki.GlorotUniform, ki.GlorotNormal, ki.HeUniform, ki.HeNormal, ki.LecunUniform, ki.LecunNormal):
        for shape in ((300, 200), (3, 3, 16, 32)):
            cases.append(sample(cls, {}, shape))
    for mode in ("fan_in", "fan_out", "fan_avg"):
        for distribution in ("uniform", "truncated_normal", "untruncated_normal"):
            cases.append(sample(ki.VarianceScaling, {"scale": 2.0, "mode": mode, "distribution": distribution},
                                (3, 5, 40, 60)))
    for mode in ("fan_in", "fan_out"):
        cases.append(sample(ki.VarianceScaling, {"scale": 2.0, "mode": mode, "distribution": "uniform",
                                                 "input_axes": [0], "output_axes": [1, 2]}, (8, 4, 16)))
    cases.append(sample(ki.RandomUniform, {"minval": -0.3, "maxval": 0.7}, (500, 400)))
    cases.append(sample(ki.RandomNormal, {"mean": 0.5, "stddev": 2.0}, (500, 400)))
    cases.append(sample(ki.RandomNormal, {"mean": 0.5, "stddev": 2.0}, (500, 400), "float64"))
    cases.append(sample(ki.TruncatedNormal, {"mean": -1.0, "stddev": 0.5}, (500, 400)))
    for cls, kwargs in ((ki.Zeros, {}), (ki.Ones, {}), (ki.Constant, {"value": 0.25})):
        cases.append(sample(cls, kwargs, (7, 9)))
    for shape in ((5, 5), (4, 6), (6, 4), (5,), (2, 2, 2)):  # rank != 2 raises in Keras 3.15.1
        cases.append(sample(ki.Identity, {"gain": 2.0}, shape))
    for shape in ((64, 64), (100, 30), (30, 100), (3, 3, 8, 16)):
        cases.append(sample(ki.Orthogonal, {"gain": 1.0}, shape))
    cases.append(sample(ki.Orthogonal, {"gain": 0.5}, (40, 20)))
    return cases


def shape_fans():
    out = []
    for shape, axes in [((), None), ((7,), None), ((7, 3), None), ((3, 7, 5), None), ((3, 3, 4, 8), None),
                        ((2, 3, 3, 4, 8), None), ((8, 4, 16), ([0], [1, 2])), ((3, 7, 5), ([2], [0, 1]))]:
        fan_in, fan_out = compute_fans(shape, *(axes or (None, None)))
        out.append({"shape": list(shape), "input_axes": axes and axes[0], "output_axes": axes and axes[1],
                    "fan_in": fan_in, "fan_out": fan_out})
    return out


def build(layer, input_shape):
    layer(keras.Input(batch_shape=input_shape))
    print(layer.__class__.__name__, layer.name, [v.path for v in layer.variables])
    config = json.loads(json.dumps(keras.saving.serialize_keras_object(layer)["config"]))
    return {"class_name": layer.__class__.__name__, "config": config, "input_shape": list(input_shape)}


def relative(layer, v):
    prefix = layer.name + "/"  # a seed generator's variable (RNNs) is not under the layer's name
    return v.path[len(prefix):] if v.path.startswith(prefix) else v.path


def layer_fans():
    L = keras.layers
    layers = [(L.Dense(5), (None, 7)), (L.Conv1D(6, 3), (None, 10, 3)), (L.Conv2D(6, (3, 2)), (None, 8, 8, 3)),
              (L.Conv3D(4, (2, 3, 2)), (None, 6, 6, 6, 2)), (L.Conv2DTranspose(5, 3), (None, 8, 8, 3)),
              (L.DepthwiseConv2D(3, depth_multiplier=2), (None, 8, 8, 3)),
              (L.DepthwiseConv1D(3, depth_multiplier=2), (None, 10, 3)),
              (L.SeparableConv1D(6, 3, depth_multiplier=2), (None, 10, 3)),
              (L.SeparableConv2D(6, 3, depth_multiplier=2), (None, 8, 8, 3)),
              (L.SimpleRNN(4), (None, 5, 3)), (L.LSTM(4), (None, 5, 3)), (L.GRU(4, reset_after=True), (None, 5, 3)),
              (L.GRU(4, reset_after=False), (None, 5, 3)), (L.Embedding(10, 4), (None, 6)),
              (L.EinsumDense("ab,bc->ac", output_shape=8, bias_axes="c"), (None, 7))]
    out = []
    for layer, input_shape in layers:
        entry = build(layer, input_shape)
        entry["variables"] = []
        for v in layer.variables:
            fan_in, fan_out = compute_fans(v.shape)
            entry["variables"].append({"path": relative(layer, v), "keras_path": v.path, "shape": list(v.shape),
                                       "dtype": v.dtype, "trainable": v.trainable,
                                       "fan_in": fan_in, "fan_out": fan_out})
        out.append(entry)
    return out


def layer_values():
    L = keras.layers
    seeded = {"kernel_initializer": ki.GlorotUniform(seed=1), "recurrent_initializer": ki.Orthogonal(seed=2)}
    layers = [(L.BatchNormalization(), (None, 6)), (L.LayerNormalization(), (None, 6)),
              (L.LSTM(3, unit_forget_bias=True, **seeded), (None, 4, 2)),
              (L.LSTM(3, unit_forget_bias=False, **seeded), (None, 4, 2)),
              (L.GRU(3, **seeded), (None, 4, 2)),
              (L.Dense(4, kernel_initializer=ki.GlorotUniform(seed=3), kernel_constraint=keras.constraints.NonNeg()),
               (None, 50)),
              (L.PReLU(), (None, 5))]
    out = []
    for layer, input_shape in layers:
        entry = build(layer, input_shape)
        entry["variables"] = []
        for v in layer.variables:
            x = np.asarray(v.value)
            s = stats(x)
            var = {"path": relative(layer, v), "shape": list(v.shape), "dtype": v.dtype, "trainable": v.trainable,
                   "mean": s["mean"], "min": s["min"], "max": s["max"]}
            if x.size <= 64:
                var["values"] = x.tolist()
            entry["variables"].append(var)
        out.append(entry)
    return out


result = {"keras_version": keras.__version__, "samples": sample_cases(), "shape_fans": shape_fans(),
          "layer_fans": layer_fans(), "layer_values": layer_values()}
target = os.path.join(os.path.dirname(os.path.abspath(__file__)), "initializer-fixtures.json")
with open(target, "w") as f:
    json.dump(result, f, indent=1, sort_keys=True)
    f.write("\n")
print(len(result["samples"]), "samples,", len(result["shape_fans"]), "shape fans,", len(result["layer_fans"]),
      "layer fans,", len(result["layer_values"]), "layer values ->", target)
