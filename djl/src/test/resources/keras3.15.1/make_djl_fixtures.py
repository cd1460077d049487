"""Generate the Keras 3.15.1 reference fixtures used by the Kerb DJL tests.

Written beside this file, by real Keras 3.15.1 running on the JAX backend:

``layers/<case>.keras`` + ``layers/<case>.json``
    One small Functional model per case, wrapping exactly one layer under test
    (``keras.Input(...) -> layer -> output``; several Inputs for merge and
    attention layers).

``models/<case>.keras`` + ``models/<case>.json``
    Small whole models: Sequential, multi-input/multi-output Functional,
    shared layers, nested models, an LSTM text classifier.  Some layers carry
    weight constraints (MaxNorm, NonNeg, UnitNorm, MinMaxNorm), which only
    matter in training but must survive loading.

``training/<case>.{start,after1,after10}.keras`` + ``training/<case>.json``
    A compiled model with constraints, saved before training, after one
    ``train_on_batch`` call and after ten, all on one fixed batch of 8.

Every float weight is overwritten with seeded ``numpy.random.default_rng``
``uniform(-0.8, 0.8)`` values (BatchNormalization ``moving_variance`` and the
adapted ``variance`` of Normalization use ``uniform(0.5, 1.5)``).  Inputs are
seeded standard normal float32 values, batch 2 (integer indices in
``[0, input_dim)`` for Embedding inputs).  Seeds come from the CRC-32 of the
case name, so adding or removing a case never changes the others.  Rerunning gives the same JSON files and the same
``model.weights.h5`` in every ``.keras``; only the zip timestamps, the
``date_saved`` of ``metadata.json`` and, in ``config.json`` of recurrent
models, Keras's ``shared_object_id`` values (Python object ids) change.

The ``threshold`` activation is not covered by an ``activation_<name>`` case:
it has required arguments, so it cannot be used by name.

JSON schema of ``layers/*.json`` and ``models/*.json``::

    {"keras": "3.15.1", "case": <name>,
     "inputs":  [{"name": <Input name>, "shape": [2, ...], "data": [...]}],
     "outputs": [{"shape": [2, ...], "data": [...]}]}

``inputs`` follow ``model.inputs`` order, ``outputs`` follow
``model.outputs`` order (a list even for one output) and come from
``model.predict(inputs, verbose=0)``.  ``data`` is the tensor flattened in C
(row-major) order; each value is written as the shortest decimal that reads
back to the same float32 (integer inputs are written as floats).

JSON schema of ``training/*.json``::

    {"keras": "3.15.1", "case": <name>,
     "loss": <loss name as passed to compile>,
     "optimizer": {"name": "sgd" | "adam", <its main hyper-parameters>,
                   "config": <optimizer.get_config()>},
     "x": [<tensor as in "inputs">], "y": [<tensor, named by output layer>],
     "losses": [<loss returned by each of the 10 train_on_batch calls>]}

Rerun from this folder with::

    KERAS_BACKEND=jax python make_djl_fixtures.py

using a Python with ``keras==3.15.1``, ``jax`` and ``h5py`` installed (CPU is
enough; the script asserts the Keras version and backend).

It regenerates every file, then reloads each ``.keras`` with
``keras.saving.load_model`` and asserts that its predictions equal the JSON
outputs, and that retraining each ``start.keras`` reproduces the recorded
losses and the ``after1``/``after10`` weights.  ``--verify`` only verifies.

``--only CASE [CASE ...]`` writes and verifies just the named cases (of any
folder) and leaves every other file as it is::

    KERAS_BACKEND=jax python make_djl_fixtures.py --only unit_normalization

Keras numbers the layers it names in the order they are made, so it first
makes, without saving, every model that a full run makes before each named
case: a case written alone gets the layer names a full run gives it.
"""

import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import argparse  # noqa: E402
import inspect  # noqa: E402
import json  # noqa: E402
import pathlib  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import warnings  # noqa: E402
import zlib  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Callable, Optional, Sequence  # noqa: E402

import numpy as np  # noqa: E402

import keras  # noqa: E402
from keras import constraints, layers  # noqa: E402

KERAS_VERSION = "3.15.1"
HERE = pathlib.Path(__file__).resolve().parent
BATCH = 2
TRAIN_BATCH = 8
TRAIN_STEPS = 10


# --------------------------------------------------------------------------
# Seeds, random values and JSON encoding
# --------------------------------------------------------------------------


def seed_for(name: str) -> int:
    """Return the stable seed of a case: the CRC-32 of its name."""
    return zlib.crc32(name.encode("utf-8"))


def randomize_weights(model: keras.Model, seed: int) -> None:
    """Overwrite every float variable of ``model`` with seeded random values.

    Values are uniform(-0.8, 0.8), except BatchNormalization moving variances
    and adapted Normalization variances, which are uniform(0.5, 1.5) so they
    stay positive.  Integer variables (e.g. dropout seed-generator state,
    Normalization's count) are left alone.
    """
    rng = np.random.default_rng(seed)
    for v in model.weights:
        if not str(v.dtype).startswith(("float", "bfloat")):
            continue
        shape = tuple(v.shape)
        if v.path.endswith("variance"):
            values = rng.uniform(0.5, 1.5, shape)
        else:
            values = rng.uniform(-0.8, 0.8, shape)
        v.assign(values.astype(v.dtype))
    # Normalization computes with copies of its variables, which finalize_state
    # makes again (as loading does).
    for layer in model._flatten_layers():
        if hasattr(layer, "finalize_state"):
            layer.finalize_state()


def f32_values(array) -> list:
    """Flatten ``array`` in C order into floats that round-trip through float32.

    Each float is the shortest decimal that reads back to the same float32,
    which keeps the JSON small without losing any bit.
    """
    flat = np.ascontiguousarray(array, dtype=np.float32).ravel()
    if not np.all(np.isfinite(flat)):
        raise ValueError("non-finite value cannot be stored in JSON")
    return [float(str(v)) for v in flat]


def tensor_json(array, name: Optional[str] = None) -> dict:
    """Describe one tensor as ``{"name"?, "shape", "data"}``."""
    array = np.asarray(array)
    entry = {} if name is None else {"name": name}
    entry["shape"] = list(array.shape)
    entry["data"] = f32_values(array)
    return entry


def tensor_from_json(entry: dict, dtype) -> np.ndarray:
    """Rebuild the numpy array described by a ``tensor_json`` entry."""
    return np.asarray(entry["data"], dtype=np.float32).reshape(entry["shape"]).astype(dtype)


def write_json(path: pathlib.Path, obj: dict) -> None:
    """Write ``obj`` as compact JSON followed by a newline."""
    path.write_text(json.dumps(obj, separators=(",", ":")) + "\n")


def make_inputs(model: keras.Model, seed: int, int_high: Optional[int], batch: int = BATCH) -> list:
    """Seeded inputs for ``model.inputs``: standard normal float32, or
    integers in ``[0, int_high)`` for integer Inputs (Embedding)."""
    rng = np.random.default_rng(seed + 1)
    arrays = []
    for tensor in model.inputs:
        shape = (batch,) + tuple(tensor.shape[1:])
        if "int" in str(tensor.dtype):
            arrays.append(rng.integers(0, int_high, shape).astype(tensor.dtype))
        else:
            arrays.append(rng.standard_normal(shape).astype(np.float32))
    return arrays


def predict_list(model: keras.Model, inputs: list) -> list:
    """``model.predict`` that always returns a list in ``model.outputs`` order."""
    out = model.predict(inputs if len(inputs) > 1 else inputs[0], verbose=0)
    return list(out) if isinstance(out, (list, tuple)) else [out]


def save_predict_case(folder: pathlib.Path, name: str, model: keras.Model, int_high: Optional[int]) -> None:
    """Randomize ``model``, predict on seeded inputs, write ``.keras`` and ``.json``."""
    seed = seed_for(name)
    randomize_weights(model, seed)
    inputs = make_inputs(model, seed, int_high)
    outputs = predict_list(model, inputs)
    model.save(folder / f"{name}.keras")
    write_json(
        folder / f"{name}.json",
        {
            "keras": KERAS_VERSION,
            "case": name,
            "inputs": [tensor_json(a, t.name) for a, t in zip(inputs, model.inputs)],
            "outputs": [tensor_json(o) for o in outputs],
        },
    )


# --------------------------------------------------------------------------
# layers/: one layer per model
# --------------------------------------------------------------------------


@dataclass
class LayerCase:
    """One layer fixture: Input shapes (without batch) and the graph to build.

    ``build`` receives the list of Input tensors and returns the output
    tensor or a list of them.  ``int_high`` makes the Inputs int32 indices.
    """

    name: str
    shapes: Sequence[tuple]
    build: Callable[[list], object]
    input_names: Optional[Sequence[str]] = None
    int_high: Optional[int] = None

    def model(self) -> keras.Model:
        """Build the Functional model of this case."""
        names = self.input_names or (
            ["input"] if len(self.shapes) == 1 else [f"input_{i}" for i in range(len(self.shapes))]
        )
        dtype = "int32" if self.int_high else "float32"
        inputs = [keras.Input(shape=s, name=n, dtype=dtype) for s, n in zip(self.shapes, names)]
        outputs = self.build(inputs)
        return keras.Model(inputs if len(inputs) > 1 else inputs[0], outputs, name=self.name)


def one(name: str, shape: tuple, make_layer: Callable[[], layers.Layer], **kw) -> LayerCase:
    """A case applying ``make_layer()`` to a single Input."""
    return LayerCase(name, [shape], lambda xs: make_layer()(xs[0]), **kw)


def merge(name: str, shapes: Sequence[tuple], make_layer: Callable[[], layers.Layer]) -> LayerCase:
    """A case applying ``make_layer()`` to the list of all Inputs."""
    return LayerCase(name, shapes, lambda xs: make_layer()(xs))


def named_activations() -> list:
    """Every activation name Keras registers, checked against its registry.

    Returns ``(name, skip_reason)`` pairs; activations with required
    arguments besides ``x`` (``threshold``) cannot be used by name.
    """
    from keras.src.activations import ALL_OBJECTS_DICT

    public = sorted(
        n
        for n in dir(keras.activations)
        if not n.startswith("_") and n not in ("get", "serialize", "deserialize")
    )
    assert public == sorted(ALL_OBJECTS_DICT), (public, sorted(ALL_OBJECTS_DICT))
    result = []
    for n in public:
        fn = keras.activations.get(n)
        required = [
            p.name
            for p in list(inspect.signature(fn).parameters.values())[1:]
            if p.default is inspect.Parameter.empty
        ]
        result.append((n, f"needs arguments {required}" if required else None))
    return result


def activation_cases() -> list:
    """One ``activation_<name>`` case per usable named activation."""
    cases = []
    for n, skip in named_activations():
        if skip is None:
            cases.append(one(f"activation_{n}", (3, 6), lambda n=n: layers.Activation(n)))
    return cases


def mha_cases() -> list:
    """MultiHeadAttention: self, causal self, cross (separate key/value), output_shape."""
    return [
        LayerCase(
            "mha_self",
            [(4, 6)],
            lambda xs: layers.MultiHeadAttention(num_heads=2, key_dim=3)(xs[0], xs[0]),
            input_names=["query"],
        ),
        LayerCase(
            "mha_self_causal",
            [(4, 6)],
            lambda xs: layers.MultiHeadAttention(num_heads=2, key_dim=3)(xs[0], xs[0], use_causal_mask=True),
            input_names=["query"],
        ),
        LayerCase(
            "mha_cross_key_value",
            [(3, 6), (5, 5), (5, 4)],
            lambda xs: layers.MultiHeadAttention(num_heads=2, key_dim=3)(xs[0], xs[1], key=xs[2]),
            input_names=["query", "value", "key"],
        ),
        LayerCase(
            "mha_output_shape",
            [(4, 6)],
            # value_dim != key_dim fails on the JAX backend of Keras 3.15.1
            # (jax.nn.dot_product_attention needs equal head sizes).
            lambda xs: layers.MultiHeadAttention(num_heads=3, key_dim=2, output_shape=5)(xs[0], xs[0]),
            input_names=["query"],
        ),
    ]


def layer_cases() -> list:
    """All single-layer cases, grouped as in the Keras layer catalogue."""
    L = layers
    cases = [
        # Core
        one("dense_relu", (5,), lambda: L.Dense(4, activation="relu")),
        one("dense_rank3", (3, 5), lambda: L.Dense(4)),
        one("einsum_dense_ab_bc_ac", (5,), lambda: L.EinsumDense("ab,bc->ac", output_shape=4, bias_axes="c")),
        one("einsum_dense_abc_cd_abd", (3, 5), lambda: L.EinsumDense("abc,cd->abd", output_shape=(3, 4))),
        one("embedding", (5,), lambda: L.Embedding(10, 4), int_high=10),
        # Convolution
        one("conv1d_valid", (10, 3), lambda: L.Conv1D(4, 3)),
        one("conv1d_same_stride2", (10, 3), lambda: L.Conv1D(4, 3, strides=2, padding="same")),
        one("conv1d_dilation2", (10, 3), lambda: L.Conv1D(4, 3, dilation_rate=2)),
        one("conv1d_causal", (10, 3), lambda: L.Conv1D(4, 3, padding="causal")),
        one("conv1d_causal_dilation2", (10, 3), lambda: L.Conv1D(4, 3, padding="causal", dilation_rate=2)),
        one("conv2d_same_stride2_even_kernel", (7, 7, 3), lambda: L.Conv2D(4, 4, strides=2, padding="same")),
        one("conv2d_valid_stride1", (6, 6, 3), lambda: L.Conv2D(4, 3, activation="relu")),
        one("conv2d_dilation2", (7, 7, 3), lambda: L.Conv2D(4, 3, dilation_rate=2)),
        one("conv2d_groups2", (6, 6, 4), lambda: L.Conv2D(4, 3, groups=2)),
        one("conv2d_channels_first", (3, 6, 6), lambda: L.Conv2D(4, 3, data_format="channels_first")),
        one("conv3d_same", (4, 4, 4, 2), lambda: L.Conv3D(3, 3, padding="same")),
        one("conv1d_transpose_same_stride2", (5, 2), lambda: L.Conv1DTranspose(3, 3, strides=2, padding="same")),
        one("conv2d_transpose_same_stride2", (4, 4, 2), lambda: L.Conv2DTranspose(3, 3, strides=2, padding="same")),
        one(
            "conv2d_transpose_same_stride2_even_kernel",
            (4, 4, 2),
            lambda: L.Conv2DTranspose(3, 4, strides=2, padding="same"),
        ),
        one("conv2d_transpose_valid_stride2", (4, 4, 2), lambda: L.Conv2DTranspose(3, 3, strides=2, padding="valid")),
        one(
            "conv2d_transpose_output_padding1",
            (4, 4, 2),
            lambda: L.Conv2DTranspose(3, 3, strides=2, padding="valid", output_padding=1),
        ),
        one("conv3d_transpose_same_stride2", (3, 3, 3, 2), lambda: L.Conv3DTranspose(2, 3, strides=2, padding="same")),
        one("depthwise_conv1d", (8, 3), lambda: L.DepthwiseConv1D(3)),
        one(
            "depthwise_conv2d_mult2_same_stride2",
            (7, 7, 3),
            lambda: L.DepthwiseConv2D(3, strides=2, padding="same", depth_multiplier=2),
        ),
        one("separable_conv1d", (8, 3), lambda: L.SeparableConv1D(4, 3)),
        one("separable_conv2d", (6, 6, 3), lambda: L.SeparableConv2D(4, 3, depth_multiplier=2)),
        # Pooling
        one("max_pooling1d_valid", (8, 3), lambda: L.MaxPooling1D(2)),
        one("max_pooling1d_same_stride2", (7, 3), lambda: L.MaxPooling1D(3, strides=2, padding="same")),
        one("max_pooling2d_valid", (6, 6, 2), lambda: L.MaxPooling2D(2)),
        one("max_pooling2d_same_stride2", (5, 5, 2), lambda: L.MaxPooling2D(3, strides=2, padding="same")),
        one("max_pooling3d_valid", (4, 4, 4, 2), lambda: L.MaxPooling3D(2)),
        one("max_pooling3d_same_stride2", (5, 5, 5, 2), lambda: L.MaxPooling3D(3, strides=2, padding="same")),
        one("average_pooling1d_valid", (8, 3), lambda: L.AveragePooling1D(2)),
        one("average_pooling1d_same_stride2", (7, 3), lambda: L.AveragePooling1D(3, strides=2, padding="same")),
        one("average_pooling2d_valid", (6, 6, 2), lambda: L.AveragePooling2D(2)),
        one("average_pooling2d_same_stride2", (5, 5, 2), lambda: L.AveragePooling2D(3, strides=2, padding="same")),
        one("average_pooling3d_valid", (4, 4, 4, 2), lambda: L.AveragePooling3D(2)),
        one(
            "average_pooling3d_same_stride2",
            (5, 5, 5, 2),
            lambda: L.AveragePooling3D(3, strides=2, padding="same"),
        ),
        one("global_average_pooling1d", (5, 3), lambda: L.GlobalAveragePooling1D()),
        one("global_average_pooling2d", (4, 4, 3), lambda: L.GlobalAveragePooling2D()),
        one("global_average_pooling3d", (3, 3, 3, 2), lambda: L.GlobalAveragePooling3D()),
        one("global_max_pooling1d", (5, 3), lambda: L.GlobalMaxPooling1D()),
        one("global_max_pooling2d", (4, 4, 3), lambda: L.GlobalMaxPooling2D()),
        one("global_max_pooling3d", (3, 3, 3, 2), lambda: L.GlobalMaxPooling3D()),
        one("global_average_pooling2d_keepdims", (4, 4, 3), lambda: L.GlobalAveragePooling2D(keepdims=True)),
        one("global_max_pooling1d_keepdims", (5, 3), lambda: L.GlobalMaxPooling1D(keepdims=True)),
        one(
            "global_average_pooling2d_channels_first",
            (3, 4, 4),
            lambda: L.GlobalAveragePooling2D(data_format="channels_first"),
        ),
        one(
            "global_max_pooling2d_channels_first",
            (3, 4, 4),
            lambda: L.GlobalMaxPooling2D(data_format="channels_first"),
        ),
        # Normalization
        one("batch_norm_axis_last", (3, 4), lambda: L.BatchNormalization()),
        one("batch_norm_axis1_rank4", (3, 4, 4), lambda: L.BatchNormalization(axis=1)),
        one("batch_norm_no_center_no_scale", (3, 4), lambda: L.BatchNormalization(center=False, scale=False)),
        one("layer_norm_axis_last", (3, 4), lambda: L.LayerNormalization()),
        one("layer_norm_axis_1_2", (3, 4), lambda: L.LayerNormalization(axis=[1, 2])),
        # Deprecated but still loadable: x * rsqrt(var(x) + eps) * gamma, no
        # mean subtraction and no beta.
        one("layer_norm_rms_scaling", (3, 4), lambda: L.LayerNormalization(rms_scaling=True)),
        one("rms_normalization", (3, 4), lambda: L.RMSNormalization()),
        one("group_norm_groups2", (5, 4), lambda: L.GroupNormalization(groups=2)),
        # Regularization: identity at inference
        one("dropout", (6,), lambda: L.Dropout(0.5)),
        one("spatial_dropout1d", (5, 3), lambda: L.SpatialDropout1D(0.5)),
        one("spatial_dropout2d", (4, 4, 3), lambda: L.SpatialDropout2D(0.5)),
        one("gaussian_noise", (6,), lambda: L.GaussianNoise(0.5)),
        # Recurrent
        one("simple_rnn_sequences", (5, 3), lambda: L.SimpleRNN(4, return_sequences=True)),
        one("simple_rnn_last", (5, 3), lambda: L.SimpleRNN(4)),
        one("lstm_sequences", (5, 3), lambda: L.LSTM(4, return_sequences=True)),
        one("lstm_last", (5, 3), lambda: L.LSTM(4)),
        one("lstm_go_backwards_sequences", (5, 3), lambda: L.LSTM(4, return_sequences=True, go_backwards=True)),
        one("lstm_go_backwards_last", (5, 3), lambda: L.LSTM(4, go_backwards=True)),
        one("lstm_return_state", (5, 3), lambda: L.LSTM(4, return_sequences=True, return_state=True)),
        one("lstm_activation_relu", (5, 3), lambda: L.LSTM(4, activation="relu", return_sequences=True)),
        one("gru_reset_after_sequences", (5, 3), lambda: L.GRU(4, return_sequences=True)),
        one("gru_reset_after_last", (5, 3), lambda: L.GRU(4)),
        one("gru_reset_before_sequences", (5, 3), lambda: L.GRU(4, reset_after=False, return_sequences=True)),
        one("gru_reset_before_last", (5, 3), lambda: L.GRU(4, reset_after=False)),
        one("gru_go_backwards_sequences", (5, 3), lambda: L.GRU(4, return_sequences=True, go_backwards=True)),
        one("gru_return_state", (5, 3), lambda: L.GRU(4, return_state=True)),
        one(
            "gru_recurrent_activation_hard_sigmoid",
            (5, 3),
            lambda: L.GRU(4, recurrent_activation="hard_sigmoid", return_sequences=True),
        ),
        one("bidirectional_lstm_concat", (5, 3), lambda: L.Bidirectional(L.LSTM(4))),
        one("bidirectional_lstm_sum", (5, 3), lambda: L.Bidirectional(L.LSTM(4), merge_mode="sum")),
        one("bidirectional_lstm_mul", (5, 3), lambda: L.Bidirectional(L.LSTM(4), merge_mode="mul")),
        one("bidirectional_lstm_ave", (5, 3), lambda: L.Bidirectional(L.LSTM(4), merge_mode="ave")),
        one(
            "bidirectional_lstm_none",
            (5, 3),
            lambda: L.Bidirectional(L.LSTM(4, return_sequences=True), merge_mode=None),
        ),
        one("bidirectional_gru_sequences", (5, 3), lambda: L.Bidirectional(L.GRU(4, return_sequences=True))),
        one("time_distributed_dense", (3, 5), lambda: L.TimeDistributed(L.Dense(4, activation="tanh"))),
        one("time_distributed_conv2d", (3, 5, 5, 2), lambda: L.TimeDistributed(L.Conv2D(3, 3))),
        # Merging
        merge("add", [(4,), (4,), (4,)], lambda: L.Add()),
        merge("subtract", [(4,), (4,)], lambda: L.Subtract()),
        merge("multiply", [(4,), (4,)], lambda: L.Multiply()),
        merge("average", [(4,), (4,)], lambda: L.Average()),
        merge("maximum", [(4,), (4,)], lambda: L.Maximum()),
        merge("minimum", [(4,), (4,)], lambda: L.Minimum()),
        merge("concatenate_axis_last", [(3, 4), (3, 2)], lambda: L.Concatenate(axis=-1)),
        merge("concatenate_axis1", [(2, 4), (3, 4)], lambda: L.Concatenate(axis=1)),
        merge("dot_axes1", [(4,), (4,)], lambda: L.Dot(axes=1)),
        merge("dot_axes_2_2", [(3, 4), (5, 4)], lambda: L.Dot(axes=[2, 2])),
        merge("dot_normalize", [(3, 4), (5, 4)], lambda: L.Dot(axes=2, normalize=True)),
        # Reshaping
        one("flatten", (3, 4, 2), lambda: L.Flatten()),
        one("reshape", (3, 4), lambda: L.Reshape((2, 6))),
        one("reshape_minus1", (3, 4), lambda: L.Reshape((-1, 2))),
        one("permute", (2, 3, 4), lambda: L.Permute((3, 1, 2))),
        one("repeat_vector", (4,), lambda: L.RepeatVector(3)),
        one("zero_padding1d", (4, 2), lambda: L.ZeroPadding1D((1, 2))),
        one("zero_padding2d", (3, 3, 2), lambda: L.ZeroPadding2D(((1, 2), (0, 3)))),
        one("zero_padding3d", (2, 2, 2, 2), lambda: L.ZeroPadding3D(((1, 0), (0, 2), (2, 1)))),
        one("cropping1d", (8, 2), lambda: L.Cropping1D((1, 2))),
        one("cropping2d", (6, 6, 2), lambda: L.Cropping2D(((1, 2), (0, 1)))),
        one("cropping3d", (5, 5, 5, 2), lambda: L.Cropping3D(((1, 0), (0, 2), (2, 1)))),
        one("upsampling1d", (4, 2), lambda: L.UpSampling1D(2)),
        one("upsampling2d_nearest", (3, 3, 2), lambda: L.UpSampling2D((2, 3))),
        one("upsampling2d_bilinear", (3, 3, 2), lambda: L.UpSampling2D(2, interpolation="bilinear")),
        one("upsampling3d", (2, 2, 2, 2), lambda: L.UpSampling3D(2)),
        one("rescaling", (6,), lambda: L.Rescaling(scale=0.5, offset=-1.0)),
        # Activation layers
        one("relu_layer_params", (3, 6), lambda: L.ReLU(max_value=1.5, negative_slope=0.1, threshold=0.3)),
        one("leaky_relu_layer", (3, 6), lambda: L.LeakyReLU(negative_slope=0.25)),
        one("prelu_layer", (3, 6), lambda: L.PReLU()),
        one("prelu_layer_shared_axes", (3, 6), lambda: L.PReLU(shared_axes=[1])),
        one("elu_layer", (3, 6), lambda: L.ELU(alpha=0.7)),
        one("softmax_layer", (3, 6), lambda: L.Softmax(axis=-1)),
    ]
    return cases + mha_cases() + activation_cases()


def later_cases() -> list:
    """Layer cases added after the first fixtures were written, in the order
    added.  They are written after every other fixture, so that adding them
    does not renumber the layers Keras named in the others."""
    L = layers
    return [
        one(
            "einsum_dense_abc_cd_abd_bias_bd",
            (3, 5),
            lambda: L.EinsumDense("abc,cd->abd", output_shape=(3, 4), bias_axes="bd"),
        ),
        one("unit_normalization", (3, 4), lambda: L.UnitNormalization()),
        one("unit_normalization_axis_1_2", (3, 4), lambda: L.UnitNormalization(axis=[1, 2])),
        # The padded row is all zeros: Keras' epsilon keeps it zero, not NaN.
        LayerCase(
            "unit_normalization_zero_row",
            [(3, 4)],
            lambda xs: L.UnitNormalization()(L.ZeroPadding1D((0, 1))(xs[0])),
        ),
        one("alpha_dropout", (6,), lambda: L.AlphaDropout(0.5)),
        # x where x > threshold, else 0: also Keras 2's ThresholdedReLU(theta=0.4).
        one("relu_threshold", (3, 6), lambda: L.ReLU(threshold=0.4)),
        one("normalization_axis_last", (3, 4), lambda: L.Normalization()),
        one("normalization_axis_none", (3, 4), lambda: L.Normalization(axis=None)),
        one("normalization_axis1", (3, 4), lambda: L.Normalization(axis=1)),
        one("normalization_axis_1_2", (3, 4), lambda: L.Normalization(axis=(1, 2))),
        one("normalization_invert", (3, 4), lambda: L.Normalization(invert=True)),
        one(
            "normalization_given_mean_variance",
            (3, 4),
            lambda: L.Normalization(mean=[0.5, -1.0, 2.0, 0.0], variance=[1.0, 4.0, 0.25, 2.0]),
        ),
        one("normalization_given_scalars", (3, 4), lambda: L.Normalization(mean=0.3, variance=2.5)),
        # A zero variance divides by Keras' epsilon (1e-7) instead.
        one(
            "normalization_given_zero_variance",
            (3, 2),
            lambda: L.Normalization(axis=(1, 2), mean=[[0.5], [-0.2], [0.1]], variance=[[0.0], [1.0], [2.0]]),
        ),
        one(
            "normalization_given_invert",
            (3, 4),
            lambda: L.Normalization(mean=[0.5, -1.0, 2.0, 0.0], variance=[1.0, 4.0, 0.25, 2.0], invert=True),
        ),
    ]


# --------------------------------------------------------------------------
# models/: whole models with constraints
# --------------------------------------------------------------------------


def model_mlp_sequential() -> keras.Model:
    """Sequential MLP with MaxNorm kernel and NonNeg bias constraints."""
    return keras.Sequential(
        [
            keras.Input((8,), name="features"),
            layers.Dense(16, activation="relu", kernel_constraint=constraints.MaxNorm(1.0), name="hidden1"),
            layers.Dense(8, activation="tanh", bias_constraint=constraints.NonNeg(), name="hidden2"),
            layers.Dense(3, activation="softmax", name="probs"),
        ],
        name="mlp_sequential",
    )


def model_cnn_sequential() -> keras.Model:
    """Sequential CNN: Conv2D, MaxPooling2D, BatchNormalization, Flatten, Dense softmax."""
    return keras.Sequential(
        [
            keras.Input((8, 8, 1), name="image"),
            layers.Conv2D(4, 3, activation="relu", kernel_constraint=constraints.UnitNorm(axis=[0, 1, 2])),
            layers.MaxPooling2D(2),
            layers.BatchNormalization(),
            layers.Flatten(),
            layers.Dense(3, activation="softmax", kernel_constraint=constraints.MinMaxNorm(0.1, 0.9)),
        ],
        name="cnn_sequential",
    )


def model_two_inputs_two_outputs() -> keras.Model:
    """Functional model: a vector and a sequence in, a class and a value out."""
    vec = keras.Input((6,), name="vector")
    seq = keras.Input((4, 3), name="sequence")
    a = layers.Dense(5, activation="relu", kernel_constraint=constraints.MaxNorm(2.0))(vec)
    b = layers.GlobalAveragePooling1D()(layers.Conv1D(5, 2, activation="tanh")(seq))
    h = layers.Concatenate()([a, b])
    cls = layers.Dense(3, activation="softmax", name="class")(h)
    val = layers.Dense(1, bias_constraint=constraints.NonNeg(), name="value")(h)
    return keras.Model([vec, seq], [cls, val], name="two_inputs_two_outputs")


def model_shared_layer() -> keras.Model:
    """Functional model calling the same Dense layer on two inputs."""
    left = keras.Input((5,), name="left")
    right = keras.Input((5,), name="right")
    shared = layers.Dense(4, activation="elu", kernel_constraint=constraints.UnitNorm(), name="shared")
    h = layers.Subtract()([shared(left), shared(right)])
    out = layers.Dense(2, activation="sigmoid", name="out")(h)
    return keras.Model([left, right], out, name="shared_layer")


def model_sequential_in_functional() -> keras.Model:
    """Functional model with a Sequential sub-model used as a layer, plus a skip."""
    inner = keras.Sequential(
        [
            keras.Input((6,)),
            layers.Dense(8, activation="relu"),
            layers.Dense(6, kernel_constraint=constraints.MaxNorm(1.5)),
        ],
        name="inner_sequential",
    )
    x = keras.Input((6,), name="x")
    h = layers.Add()([x, inner(x)])
    out = layers.Dense(2, name="out")(layers.LayerNormalization()(h))
    return keras.Model(x, out, name="sequential_in_functional")


def model_functional_in_sequential() -> keras.Model:
    """Sequential model with a Functional sub-model used as a layer."""
    x = keras.Input((6,))
    h = layers.Dense(5, activation="tanh")(x)
    inner = keras.Model(x, layers.Concatenate()([h, layers.Dense(3)(x)]), name="inner_functional")
    return keras.Sequential(
        [
            keras.Input((6,), name="x"),
            inner,
            layers.Dense(4, activation="gelu", bias_constraint=constraints.NonNeg()),
            layers.Dense(2),
        ],
        name="functional_in_sequential",
    )


def model_lstm_text_classifier() -> keras.Model:
    """Embedding -> LSTM -> Dense softmax over int32 token ids."""
    tokens = keras.Input((7,), dtype="int32", name="tokens")
    h = layers.Embedding(20, 6)(tokens)
    h = layers.LSTM(8, recurrent_constraint=constraints.MaxNorm(1.0))(h)
    out = layers.Dense(3, activation="softmax")(h)
    return keras.Model(tokens, out, name="lstm_text_classifier")


def model_residual_cnn() -> keras.Model:
    """Functional residual block: Conv2D-BN-ReLU twice plus identity, pooled."""
    img = keras.Input((6, 6, 3), name="image")
    h = layers.Conv2D(3, 3, padding="same", use_bias=False)(img)
    h = layers.ReLU()(layers.BatchNormalization()(h))
    h = layers.Conv2D(3, 3, padding="same", kernel_constraint=constraints.NonNeg())(h)
    h = layers.ReLU()(layers.Add()([img, layers.BatchNormalization()(h)]))
    out = layers.Dense(2)(layers.GlobalAveragePooling2D()(h))
    return keras.Model(img, out, name="residual_cnn")


MODEL_CASES = {
    "mlp_sequential": (model_mlp_sequential, None),
    "cnn_sequential": (model_cnn_sequential, None),
    "two_inputs_two_outputs": (model_two_inputs_two_outputs, None),
    "shared_layer": (model_shared_layer, None),
    "sequential_in_functional": (model_sequential_in_functional, None),
    "functional_in_sequential": (model_functional_in_sequential, None),
    "lstm_text_classifier": (model_lstm_text_classifier, 20),
    "residual_cnn": (model_residual_cnn, None),
}


# --------------------------------------------------------------------------
# training/: train_on_batch with constraints
# --------------------------------------------------------------------------


def train_mlp() -> keras.Model:
    """MLP: Dense with MaxNorm(0.5) kernel and NonNeg bias, then a UnitNorm Dense."""
    return keras.Sequential(
        [
            keras.Input((4,), name="x"),
            layers.Dense(
                6,
                activation="relu",
                kernel_constraint=constraints.MaxNorm(0.5),
                bias_constraint=constraints.NonNeg(),
                name="hidden",
            ),
            layers.Dense(2, kernel_constraint=constraints.UnitNorm(), name="out"),
        ],
        name="mlp",
    )


def train_cnn() -> keras.Model:
    """Small CNN: MaxNorm(0.5) Conv2D, Flatten, NonNeg-bias Dense softmax."""
    return keras.Sequential(
        [
            keras.Input((5, 5, 1), name="image"),
            layers.Conv2D(
                3,
                3,
                activation="relu",
                kernel_constraint=constraints.MaxNorm(0.5, axis=[0, 1, 2]),
                name="conv",
            ),
            layers.Flatten(),
            layers.Dense(3, activation="softmax", bias_constraint=constraints.NonNeg(), name="probs"),
        ],
        name="cnn",
    )


def train_lstm() -> keras.Model:
    """LSTM with UnitNorm kernel and MaxNorm recurrent kernel, MinMaxNorm Dense softmax."""
    return keras.Sequential(
        [
            keras.Input((5, 3), name="sequence"),
            layers.LSTM(
                4,
                kernel_constraint=constraints.UnitNorm(axis=0),
                recurrent_constraint=constraints.MaxNorm(0.5),
                name="lstm",
            ),
            layers.Dense(
                3,
                activation="softmax",
                kernel_constraint=constraints.MinMaxNorm(min_value=0.2, max_value=0.6, rate=1.0),
                name="probs",
            ),
        ],
        name="lstm",
    )


def train_batchnorm() -> keras.Model:
    """Dense (MinMaxNorm), BatchNormalization (updates moving stats), Dense sigmoid."""
    return keras.Sequential(
        [
            keras.Input((4,), name="x"),
            layers.Dense(
                5,
                kernel_constraint=constraints.MinMaxNorm(min_value=0.3, max_value=0.7, rate=1.0),
                name="dense",
            ),
            layers.BatchNormalization(beta_constraint=constraints.NonNeg(), name="bn"),
            layers.ReLU(),
            layers.Dense(1, activation="sigmoid", kernel_constraint=constraints.MaxNorm(0.5), name="out"),
        ],
        name="batchnorm",
    )


def targets_for(loss: str, model: keras.Model, rng: np.random.Generator) -> np.ndarray:
    """Seeded targets for ``loss`` with the output width of ``model``."""
    width = model.outputs[0].shape[-1]
    if loss == "mse":
        return rng.standard_normal((TRAIN_BATCH, width)).astype(np.float32)
    if loss == "categorical_crossentropy":
        return np.eye(width, dtype=np.float32)[rng.integers(0, width, TRAIN_BATCH)]
    if loss == "sparse_categorical_crossentropy":
        return rng.integers(0, width, (TRAIN_BATCH,)).astype(np.int32)
    if loss == "binary_crossentropy":
        return rng.integers(0, 2, (TRAIN_BATCH, width)).astype(np.float32)
    raise ValueError(loss)


def optimizer_json(opt: keras.optimizers.Optimizer) -> dict:
    """Short description of ``opt`` plus its full ``get_config()``."""
    config = opt.get_config()
    name = type(opt).__name__.lower()
    keys = ("learning_rate", "momentum", "nesterov") if name == "sgd" else (
        "learning_rate", "beta_1", "beta_2", "epsilon", "amsgrad")
    short = {"name": name}
    short.update({k: config[k] for k in keys})
    short["config"] = config
    return json.loads(json.dumps(short, default=float))


TRAINING_CASES = {
    "mlp_sgd": (train_mlp, "mse", lambda: keras.optimizers.SGD(learning_rate=0.1)),
    "mlp_sgd_momentum": (train_mlp, "mse", lambda: keras.optimizers.SGD(learning_rate=0.05, momentum=0.9)),
    "mlp_sgd_nesterov": (
        train_mlp,
        "mse",
        lambda: keras.optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True),
    ),
    "mlp_adam": (train_mlp, "mse", lambda: keras.optimizers.Adam(learning_rate=0.01)),
    "cnn_adam": (train_cnn, "categorical_crossentropy", lambda: keras.optimizers.Adam(learning_rate=0.01)),
    "lstm_sgd_momentum": (
        train_lstm,
        "sparse_categorical_crossentropy",
        lambda: keras.optimizers.SGD(learning_rate=0.1, momentum=0.9),
    ),
    "batchnorm_sgd": (train_batchnorm, "binary_crossentropy", lambda: keras.optimizers.SGD(learning_rate=0.1)),
}


def constraint_binds(v) -> bool:
    """True when the constraint of variable ``v`` visibly limits its value."""
    c, w = v.constraint, np.asarray(v.value)

    def norms(axis):
        """L2 norms of ``w`` over ``axis``."""
        return np.sqrt(np.sum(np.square(w), axis=tuple(np.atleast_1d(axis))))

    if isinstance(c, constraints.NonNeg):
        return bool(np.any(w == 0)) and bool(np.all(w >= 0))
    if isinstance(c, constraints.UnitNorm):
        return bool(np.allclose(norms(c.axis), 1.0, atol=1e-4))
    if isinstance(c, constraints.MaxNorm):
        n = norms(c.axis)
        return bool(np.all(n <= c.max_value + 1e-4) and np.any(np.abs(n - c.max_value) < 1e-4))
    if isinstance(c, constraints.MinMaxNorm):
        n = norms(c.axis)
        at_bound = (np.abs(n - c.min_value) < 1e-4) | (np.abs(n - c.max_value) < 1e-4)
        return bool(np.all(n <= c.max_value + 1e-4) and np.all(n >= c.min_value - 1e-4) and np.any(at_bound))
    raise TypeError(f"unexpected constraint {c!r}")


def run_training(model: keras.Model, x: list, y: np.ndarray, steps: int, on_step=None) -> list:
    """Call ``train_on_batch`` ``steps`` times; return the losses as floats."""
    losses = []
    for step in range(1, steps + 1):
        result = model.train_on_batch(x if len(x) > 1 else x[0], y)
        losses.append(float(np.float32(np.asarray(result).ravel()[0])))
        if on_step is not None:
            on_step(step)
    return losses


def save_training_case(folder: pathlib.Path, name: str) -> None:
    """Build, randomize, compile and train one training case, saving 3 models."""
    build, loss, make_opt = TRAINING_CASES[name]
    seed = seed_for(name)
    keras.utils.set_random_seed(seed % (2**31))
    model = build()
    randomize_weights(model, seed)
    optimizer = make_opt()
    model.compile(optimizer=optimizer, loss=loss)
    x = make_inputs(model, seed, None, TRAIN_BATCH)
    y = targets_for(loss, model, np.random.default_rng(seed + 2))
    model.save(folder / f"{name}.start.keras")

    def on_step(step):
        """Save after the first and last steps; check constraints after the first."""
        if step == 1:
            model.save(folder / f"{name}.after1.keras")
            constrained = [v for v in model.trainable_variables if v.constraint is not None]
            assert constrained, name
            for v in constrained:
                assert constraint_binds(v), f"{name}: constraint on {v.path} does not bind after 1 step"
        if step == TRAIN_STEPS:
            model.save(folder / f"{name}.after10.keras")

    losses = run_training(model, x, y, TRAIN_STEPS, on_step)
    assert all(np.isfinite(losses)) and losses[0] != losses[-1], (name, losses)
    write_json(
        folder / f"{name}.json",
        {
            "keras": KERAS_VERSION,
            "case": name,
            "loss": loss,
            "optimizer": optimizer_json(optimizer),
            "x": [tensor_json(a, t.name) for a, t in zip(x, model.inputs)],
            "y": [tensor_json(y, model.layers[-1].name)],
            "losses": f32_values(losses),
        },
    )


# --------------------------------------------------------------------------
# Generation and verification
# --------------------------------------------------------------------------


def fresh_folder(name: str) -> pathlib.Path:
    """Empty (re)created sub-folder ``name`` beside this script."""
    folder = HERE / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    return folder


def generate(only: Optional[set] = None) -> dict:
    """Write all fixtures, or only the cases named in ``only`` (leaving the
    other files alone); return the case names written per folder."""
    written = {"layers": [], "models": [], "training": []}
    cases = layer_cases()
    later = later_cases()
    names = [c.name for c in cases + later]
    assert len(set(names)) == len(names), "duplicate case names"
    if only is not None:
        unknown = only - set(names) - set(MODEL_CASES) - set(TRAINING_CASES)
        assert not unknown, f"no such cases: {sorted(unknown)}"

    def folder_for(name: str) -> pathlib.Path:
        """The folder ``name``, emptied first unless writing only some cases."""
        return HERE / name if only is not None else fresh_folder(name)

    def wanted(name: str) -> bool:
        """Whether case ``name`` is written in this run."""
        return only is None or name in only

    def layer_case(folder: pathlib.Path, case: LayerCase) -> None:
        """Write ``case``, or only make its model if it is not wanted: Keras
        then numbers the layers of the cases after it as in a full run."""
        if not wanted(case.name):
            case.model()
            return
        keras.utils.set_random_seed(seed_for(case.name) % (2**31))
        save_predict_case(folder, case.name, case.model(), case.int_high)
        written["layers"].append(case.name)

    # Skipped cases below are made likewise, optimizers included.
    folder = folder_for("layers")
    for case in cases:
        layer_case(folder, case)
    folder = folder_for("models")
    for name, (build, int_high) in MODEL_CASES.items():
        if not wanted(name):
            build()
            continue
        keras.utils.set_random_seed(seed_for(name) % (2**31))
        save_predict_case(folder, name, build(), int_high)
        written["models"].append(name)
    folder = folder_for("training")
    for name in TRAINING_CASES:
        if not wanted(name):
            TRAINING_CASES[name][0]()
            TRAINING_CASES[name][2]()
            continue
        save_training_case(folder, name)
        written["training"].append(name)
    for case in later:
        layer_case(HERE / "layers", case)
    return written


def input_dtype(tensor) -> str:
    """numpy dtype name of a model Input tensor."""
    return "int32" if "int" in str(tensor.dtype) else "float32"


def case_files(folder: pathlib.Path, only: Optional[set]) -> list:
    """The JSON files of ``folder``, or of its cases named in ``only``."""
    return [p for p in sorted(folder.glob("*.json")) if only is None or p.stem in only]


def verify_predictions(folder: pathlib.Path, only: Optional[set] = None) -> int:
    """Reload each ``.keras`` in ``folder`` (those of ``only``, if given);
    assert predict equals its JSON."""
    count = 0
    for json_path in case_files(folder, only):
        fixture = json.loads(json_path.read_text())
        model = keras.saving.load_model(json_path.with_suffix(".keras"))
        inputs = [tensor_from_json(e, input_dtype(t)) for e, t in zip(fixture["inputs"], model.inputs)]
        assert [e["name"] for e in fixture["inputs"]] == [t.name for t in model.inputs], json_path
        got = predict_list(model, inputs)
        assert len(got) == len(fixture["outputs"]), json_path
        for g, e in zip(got, fixture["outputs"]):
            assert list(g.shape) == e["shape"], (json_path, g.shape, e["shape"])
            np.testing.assert_array_equal(np.asarray(g, np.float32).ravel(), np.float32(e["data"]), str(json_path))
        count += 1
    return count


def verify_training(folder: pathlib.Path, only: Optional[set] = None) -> int:
    """Retrain each ``start.keras`` (those of ``only``, if given); assert
    losses and after1/after10 weights match."""
    count = 0
    for json_path in case_files(folder, only):
        fixture = json.loads(json_path.read_text())
        name = fixture["case"]
        model = keras.saving.load_model(folder / f"{name}.start.keras")
        x = [tensor_from_json(e, input_dtype(t)) for e, t in zip(fixture["x"], model.inputs)]
        y_dtype = "int32" if fixture["loss"].startswith("sparse") else "float32"
        y = tensor_from_json(fixture["y"][0], y_dtype)
        expected = {1: folder / f"{name}.after1.keras", TRAIN_STEPS: folder / f"{name}.after10.keras"}

        def on_step(step):
            """Compare the weights with the saved snapshot of this step."""
            if step in expected:
                saved = keras.saving.load_model(expected[step])
                for a, b in zip(model.weights, saved.weights):
                    np.testing.assert_allclose(np.asarray(a.value), np.asarray(b.value), rtol=1e-6, atol=1e-7)

        losses = run_training(model, x, y, TRAIN_STEPS, on_step)
        np.testing.assert_allclose(losses, fixture["losses"], rtol=1e-6, err_msg=name)
        count += 1
    return count


def folder_size(path: pathlib.Path) -> int:
    """Total bytes of the files under ``path``."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv: list) -> None:
    """Generate (unless ``--verify``), verify, and print a summary; with
    ``--only``, just for the named cases."""
    parser = argparse.ArgumentParser(description="Write and verify the Keras 3.15.1 DJL fixtures.")
    parser.add_argument("--verify", action="store_true", help="only verify the fixtures")
    parser.add_argument("--only", nargs="+", metavar="CASE", help="write and verify only these cases")
    args = parser.parse_args(argv)
    only = set(args.only) if args.only else None
    assert keras.__version__ == KERAS_VERSION, keras.__version__
    assert keras.backend.backend() == "jax", keras.backend.backend()
    # Expected noise: the deprecated rms_scaling case, and start.keras files
    # whose optimizer had no slot variables yet when they were saved.
    warnings.filterwarnings("ignore", message=".*rms_scaling=True.*deprecated")
    warnings.filterwarnings("ignore", message="Skipping variable loading for optimizer")
    if not args.verify:
        written = generate(only)
        skipped = [(n, why) for n, why in named_activations() if why]
        for n, why in skipped:
            print(f"skipped activation_{n}: {why}")
        print(", ".join(f"{k}: {len(v)} cases" for k, v in written.items()))
    n_pred = verify_predictions(HERE / "layers", only) + verify_predictions(HERE / "models", only)
    n_train = verify_training(HERE / "training", only)
    total = sum(folder_size(HERE / d) for d in ("layers", "models", "training"))
    print(f"verified {n_pred} prediction fixtures and {n_train} training fixtures; {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
