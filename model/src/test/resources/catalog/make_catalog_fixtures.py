# Writes keras-layers.json (next to this script): for each case below, one Keras layer built by calling it on symbolic
# inputs (keras.Input with a None batch dimension) in Keras 3.15.1. A case records the layer as
# keras.saving.serialize_keras_object writes it (less build_config), how it was called, the input and output shapes,
# its variables (path, name, shape, trainable, dtype, and which *_constraint argument governs each one), its parameter
# counts, and "saved_vars": the h5 groups ("vars", "cell/vars", "forward_layer/cell/vars", ...) under the layer's group
# in the model.weights.h5 that model.save("x.keras") writes for a one-layer model, each with the variable names in the
# order that group stores them. A case whose shapes misfit records Keras' exception as "error" instead ("layer" is
# null where the constructor already refused the arguments). "call" is "tensor" (layer(x, ...)), "list"
# (layer([a, b, ...])), "attention" (layer(query, value[, key])) or "input" (an InputLayer, taken from keras.Input:
# no inputs); "input_dtype" is the dtype of the symbolic inputs.
# Constraints: every layer with *_constraint arguments gets MaxNorm(max_value=k + 1.0) on the k-th key of
# CONSTRAINT_KEYS, so that each variable's constraint maps back to its key.
# The Kotlin tests of the layer catalog read the output, so the build needs no Python. make_catalog_summaries.py
# writes the summary fixtures. Run with Keras 3.15.1 installed (same output each time):
#   KERAS_BACKEND=jax COLUMNS=200 python make_catalog_fixtures.py
import inspect
import io
import json
import os
import tempfile
import zipfile

import h5py
import numpy as np

import keras

assert keras.__version__ == "3.15.1", keras.__version__
assert keras.backend.backend() == "jax", keras.backend.backend()

L = keras.layers
CONSTRAINT_KEYS = sorted({p for n in dir(L) if inspect.isclass(getattr(L, n)) and issubclass(getattr(L, n), L.Layer)
                          for p in inspect.signature(getattr(L, n).__init__).parameters if p.endswith("_constraint")})


def text(value):
    if isinstance(value, Spec):
        return f"{value.cls}({value.args()})"
    return repr(value).replace(" ", "")


class Spec:
    """A layer to construct (after keras.backend.clear_session(), so that names start afresh)."""

    def __init__(self, cls, **kw):
        self.cls, self.kw = cls, kw

    def args(self):
        return ",".join(f"{k}={text(v)}" for k, v in self.kw.items())

    def make(self):
        cls = getattr(L, self.cls)
        kw = {k: v.make() if isinstance(v, Spec) else v for k, v in self.kw.items()}
        for key in inspect.signature(cls.__init__).parameters:
            if key.endswith("_constraint") and key not in kw:
                kw[key] = keras.constraints.MaxNorm(max_value=CONSTRAINT_KEYS.index(key) + 1.0)
        return cls(**kw)


N = None
CASES = []  # (spec, call, input shapes, input dtype)


def case(cls, inputs, call="tensor", in_dtype="float32", **kw):
    CASES.append((Spec(cls, **kw), call, inputs, in_dtype))


def each(cls, inputs, configs, call="tensor", in_dtype="float32"):
    for kw in configs:
        case(cls, inputs, call, in_dtype, **kw)


# --- layers with weights ---
each("Dense", [[N, 8]], [dict(units=4), dict(units=4, activation="relu", use_bias=False),
                         dict(units=2, dtype="float64"), dict(units=2, dtype="mixed_float16")])
case("Dense", [[N, 3, 8]], units=5)
case("Dense", [[N, 2, 3, 8]], units=3, use_bias=False)
each("EinsumDense", [[N, 8]], [dict(equation="ab,bc->ac", output_shape=4, bias_axes="c"),
                               dict(equation="ab,bc->ac", output_shape=4)])
each("EinsumDense", [[N, 5, 8]], [dict(equation="abc,cd->abd", output_shape=(N, 4), bias_axes="d"),
                                  dict(equation="abc,cde->abde", output_shape=(N, 2, 3), bias_axes="de"),
                                  dict(equation="abc,cde->abde", output_shape=(5, 2, 3)),
                                  dict(equation="abc,bcd->ad", output_shape=6, bias_axes="d"),
                                  dict(equation="...b,bc->...c", output_shape=4, bias_axes="c")])
each("Embedding", [[N, 5]], [dict(input_dim=10, output_dim=4),
                             dict(input_dim=10, output_dim=4, mask_zero=True)], in_dtype="int32")
each("Embedding", [[N, 3, 5]], [dict(input_dim=7, output_dim=2)], in_dtype="int32")
each("Embedding", [[N]], [dict(input_dim=7, output_dim=3)], in_dtype="int32")
each("Conv1D", [[N, 10, 3]], [dict(filters=4, kernel_size=3), dict(filters=4, kernel_size=3, padding="same"),
                              dict(filters=4, kernel_size=3, padding="causal"),
                              dict(filters=4, kernel_size=3, strides=2),
                              dict(filters=4, kernel_size=3, strides=3, padding="same"),
                              dict(filters=4, kernel_size=3, dilation_rate=2),
                              dict(filters=2, kernel_size=1, use_bias=False),
                              dict(filters=6, kernel_size=3, groups=3)])
case("Conv1D", [[N, 3, 10]], filters=4, kernel_size=3, data_format="channels_first")
each("Conv2D", [[N, 8, 8, 3]], [dict(filters=4, kernel_size=3), dict(filters=4, kernel_size=3, padding="same"),
                                dict(filters=4, kernel_size=(3, 1), strides=(2, 2)),
                                dict(filters=4, kernel_size=3, dilation_rate=(2, 2), use_bias=False),
                                dict(filters=6, kernel_size=3, groups=3)])
case("Conv2D", [[N, 7, 9, 3]], filters=2, kernel_size=3, strides=2, padding="same")
case("Conv2D", [[N, 3, 8, 8]], filters=4, kernel_size=3, data_format="channels_first")
each("Conv3D", [[N, 6, 6, 6, 2]], [dict(filters=3, kernel_size=3),
                                   dict(filters=3, kernel_size=(3, 2, 1), padding="same"),
                                   dict(filters=3, kernel_size=2, strides=2, use_bias=False),
                                   dict(filters=4, kernel_size=3, groups=2)])
case("Conv3D", [[N, 2, 6, 6, 6]], filters=3, kernel_size=3, data_format="channels_first")
each("Conv1DTranspose", [[N, 5, 3]], [dict(filters=4, kernel_size=3), dict(filters=4, kernel_size=3, strides=2),
                                      dict(filters=4, kernel_size=3, strides=2, padding="same"),
                                      dict(filters=4, kernel_size=3, strides=2, output_padding=1),
                                      dict(filters=4, kernel_size=3, dilation_rate=2, use_bias=False)])
case("Conv1DTranspose", [[N, 3, 5]], filters=4, kernel_size=3, strides=2, data_format="channels_first")
each("Conv2DTranspose", [[N, 5, 6, 3]], [dict(filters=4, kernel_size=3),
                                         dict(filters=4, kernel_size=3, strides=2, padding="same"),
                                         dict(filters=4, kernel_size=(3, 2), strides=(2, 3)),
                                         dict(filters=4, kernel_size=3, strides=2, output_padding=(1, 0)),
                                         dict(filters=2, kernel_size=3, dilation_rate=2, use_bias=False)])
case("Conv2DTranspose", [[N, 3, 5, 6]], filters=4, kernel_size=3, strides=2, data_format="channels_first")
each("Conv3DTranspose", [[N, 3, 4, 5, 2]], [dict(filters=3, kernel_size=3),
                                            dict(filters=3, kernel_size=2, strides=2, padding="same"),
                                            dict(filters=3, kernel_size=3, strides=2, output_padding=1,
                                                 use_bias=False)])
case("Conv3DTranspose", [[N, 2, 3, 4, 5]], filters=3, kernel_size=3, data_format="channels_first")
each("DepthwiseConv1D", [[N, 10, 3]], [dict(kernel_size=3), dict(kernel_size=3, depth_multiplier=2, padding="same"),
                                       dict(kernel_size=3, strides=2, use_bias=False),
                                       dict(kernel_size=3, dilation_rate=2)])
case("DepthwiseConv1D", [[N, 3, 10]], kernel_size=3, depth_multiplier=2, data_format="channels_first")
each("DepthwiseConv2D", [[N, 8, 8, 3]], [dict(kernel_size=3), dict(kernel_size=3, depth_multiplier=2, padding="same"),
                                         dict(kernel_size=(3, 1), strides=2, use_bias=False),
                                         dict(kernel_size=3, dilation_rate=2)])
case("DepthwiseConv2D", [[N, 3, 8, 8]], kernel_size=3, depth_multiplier=2, data_format="channels_first")
each("SeparableConv1D", [[N, 10, 3]], [dict(filters=4, kernel_size=3),
                                       dict(filters=4, kernel_size=3, depth_multiplier=2, padding="same"),
                                       dict(filters=4, kernel_size=3, strides=2, use_bias=False)])
case("SeparableConv1D", [[N, 3, 10]], filters=4, kernel_size=3, data_format="channels_first")
each("SeparableConv2D", [[N, 8, 8, 3]], [dict(filters=4, kernel_size=3),
                                         dict(filters=4, kernel_size=3, depth_multiplier=2, padding="same"),
                                         dict(filters=4, kernel_size=3, strides=2, dilation_rate=1, use_bias=False)])
case("SeparableConv2D", [[N, 3, 8, 8]], filters=4, kernel_size=3, data_format="channels_first")
case("PReLU", [[N, 5, 4]])
each("PReLU", [[N, 5, 6, 4]], [dict(shared_axes=[1]), dict(shared_axes=[1, 2])])
case("BatchNormalization", [[N, 8]])
each("BatchNormalization", [[N, 4, 4, 3]], [dict(), dict(scale=False), dict(center=False),
                                            dict(center=False, scale=False)])
case("BatchNormalization", [[N, 3, 4, 4]], axis=1)
each("LayerNormalization", [[N, 5, 4]], [dict(), dict(axis=[1, 2]), dict(rms_scaling=True), dict(center=False),
                                         dict(scale=False), dict(axis=1)])
case("GroupNormalization", [[N, 8]], groups=2)
each("GroupNormalization", [[N, 4, 4, 6]], [dict(groups=3), dict(groups=-1, center=False), dict(groups=2, scale=False)])
case("GroupNormalization", [[N, 6, 4, 4]], groups=2, axis=1)
each("MultiHeadAttention", [[N, 5, 4], [N, 6, 4]], [dict(num_heads=2, key_dim=3),
                                                    dict(num_heads=2, key_dim=3, use_bias=False),
                                                    dict(num_heads=2, key_dim=3, value_dim=5, output_shape=8),
                                                    dict(num_heads=1, key_dim=2, output_shape=(2, 3))],
     call="attention")
case("MultiHeadAttention", [[N, 5, 4], [N, 6, 7], [N, 6, 5]], call="attention", num_heads=2, key_dim=3)
each("MultiHeadAttention", [[N, 3, 5, 4], [N, 3, 6, 4]], [dict(num_heads=2, key_dim=3, attention_axes=(2,)),
                                                          dict(num_heads=2, key_dim=3, attention_axes=None)],
     call="attention")
RNN_CONFIGS = [dict(units=3), dict(units=3, return_sequences=True), dict(units=3, return_state=True),
               dict(units=3, return_sequences=True, return_state=True), dict(units=3, use_bias=False),
               dict(units=3, go_backwards=True, return_sequences=True)]
each("SimpleRNN", [[N, 5, 4]], RNN_CONFIGS)
each("LSTM", [[N, 5, 4]], RNN_CONFIGS + [dict(units=2, unit_forget_bias=False)])
each("GRU", [[N, 5, 4]], RNN_CONFIGS + [dict(units=3, reset_after=False),
                                        dict(units=3, reset_after=False, return_state=True)])
each("LSTM", [[N, N, 4]], [dict(units=2, return_sequences=True)])
each("ConvLSTM1D", [[N, 4, 10, 2]], [dict(filters=3, kernel_size=3),
                                     dict(filters=3, kernel_size=3, padding="same", return_sequences=True),
                                     dict(filters=3, kernel_size=3, strides=2, return_state=True),
                                     dict(filters=3, kernel_size=3, use_bias=False)])
case("ConvLSTM1D", [[N, 4, 2, 10]], filters=3, kernel_size=3, data_format="channels_first")
each("ConvLSTM2D", [[N, 3, 6, 6, 2]], [dict(filters=2, kernel_size=3),
                                       dict(filters=2, kernel_size=3, padding="same", return_sequences=True),
                                       dict(filters=2, kernel_size=3, return_state=True)])
case("ConvLSTM2D", [[N, 3, 2, 6, 6]], filters=2, kernel_size=3, data_format="channels_first")
BI = [dict(layer=Spec("LSTM", units=3)), dict(layer=Spec("LSTM", units=3), merge_mode="sum"),
      dict(layer=Spec("LSTM", units=3), merge_mode="ave"), dict(layer=Spec("LSTM", units=3), merge_mode="mul"),
      dict(layer=Spec("LSTM", units=3), merge_mode=None),
      dict(layer=Spec("LSTM", units=3, return_sequences=True)),
      dict(layer=Spec("LSTM", units=3, return_state=True)),
      dict(layer=Spec("LSTM", units=3, return_sequences=True, return_state=True), merge_mode=None),
      dict(layer=Spec("GRU", units=3, return_sequences=True), merge_mode="sum"),
      dict(layer=Spec("GRU", units=2, return_state=True)),
      dict(layer=Spec("SimpleRNN", units=3)),
      dict(layer=Spec("SimpleRNN", units=3, return_sequences=True), merge_mode=None),
      dict(layer=Spec("LSTM", units=3, return_sequences=True),
           backward_layer=Spec("LSTM", units=2, return_sequences=True, go_backwards=True))]
each("Bidirectional", [[N, 5, 4]], BI)
each("TimeDistributed", [[N, 5, 4]], [dict(layer=Spec("Dense", units=3))])
each("TimeDistributed", [[N, 5, 2, 4]], [dict(layer=Spec("Dense", units=3, use_bias=False))])
each("TimeDistributed", [[N, 4, 6, 6, 3]], [dict(layer=Spec("Conv2D", filters=2, kernel_size=3)),
                                            dict(layer=Spec("Conv2D", filters=2, kernel_size=3, padding="same",
                                                            strides=2))])
# --- layers without weights ---
each("Activation", [[N, 8]], [dict(activation="relu"), dict(activation="softmax")])
each("ReLU", [[N, 5, 4]], [dict(), dict(max_value=6.0, negative_slope=0.1, threshold=0.5)])
each("LeakyReLU", [[N, 8]], [dict(), dict(negative_slope=0.2)])
each("ELU", [[N, 8]], [dict(alpha=0.5)])
each("Softmax", [[N, 5, 4]], [dict(), dict(axis=1)])
each("Dropout", [[N, 5, 4]], [dict(rate=0.5), dict(rate=0.3, noise_shape=(N, 1, 4))])
each("SpatialDropout1D", [[N, 5, 4]], [dict(rate=0.2)])
each("SpatialDropout2D", [[N, 5, 5, 4]], [dict(rate=0.2), dict(rate=0.2, data_format="channels_first")])
each("SpatialDropout3D", [[N, 3, 5, 5, 4]], [dict(rate=0.2), dict(rate=0.2, data_format="channels_first")])
each("GaussianNoise", [[N, 8]], [dict(stddev=0.1)])
each("GaussianDropout", [[N, 8]], [dict(rate=0.2)])
each("AlphaDropout", [[N, 8]], [dict(rate=0.1)])
each("Flatten", [[N, 4, 4, 3]], [dict(), dict(data_format="channels_first")])
each("Flatten", [[N, 8]], [dict()])
each("Flatten", [[N, N, 3]], [dict()])
each("Flatten", [[N]], [dict()])
each("Reshape", [[N, 12]], [dict(target_shape=(3, 4)), dict(target_shape=(2, -1)), dict(target_shape=(-1, 2, 2))])
each("Reshape", [[N, 3, 4]], [dict(target_shape=(-1,)), dict(target_shape=(12, 1))])
each("Reshape", [[N, N, 4]], [dict(target_shape=(-1, 2, 2))])
each("Permute", [[N, 3, 4]], [dict(dims=(2, 1))])
each("Permute", [[N, 3, 4, 5]], [dict(dims=(3, 1, 2)), dict(dims=(1, 3, 2))])
each("RepeatVector", [[N, 4]], [dict(n=3)])
each("ZeroPadding1D", [[N, 5, 3]], [dict(padding=2), dict(padding=(1, 2))])
each("ZeroPadding2D", [[N, 4, 5, 3]], [dict(padding=1), dict(padding=((1, 2), (3, 4))),
                                       dict(padding=(1, 2), data_format="channels_first")])
each("ZeroPadding3D", [[N, 2, 3, 4, 3]], [dict(padding=1), dict(padding=((1, 2), (0, 1), (2, 0))),
                                          dict(padding=1, data_format="channels_first")])
each("Cropping1D", [[N, 6, 3]], [dict(cropping=(1, 2)), dict(cropping=1)])
each("Cropping2D", [[N, 6, 7, 3]], [dict(cropping=((1, 2), (0, 1))), dict(cropping=1, data_format="channels_first")])
each("Cropping3D", [[N, 4, 5, 6, 3]], [dict(cropping=1),
                                       dict(cropping=((1, 0), (0, 2), (1, 1)), data_format="channels_first")])
each("UpSampling1D", [[N, 5, 3]], [dict(size=2)])
each("UpSampling2D", [[N, 4, 5, 3]], [dict(size=(2, 3)), dict(size=2, interpolation="bilinear"),
                                      dict(size=2, data_format="channels_first")])
each("UpSampling3D", [[N, 2, 3, 4, 3]], [dict(size=2), dict(size=(1, 2, 3), data_format="channels_first")])
for kind in ("MaxPooling", "AveragePooling"):
    each(kind + "1D", [[N, 9, 3]], [dict(pool_size=2), dict(pool_size=3, strides=2),
                                    dict(pool_size=3, strides=2, padding="same"),
                                    dict(pool_size=2, strides=1)])
    each(kind + "1D", [[N, 3, 9]], [dict(pool_size=2, data_format="channels_first")])
    each(kind + "2D", [[N, 7, 8, 3]], [dict(pool_size=2), dict(pool_size=(3, 3), strides=2),
                                       dict(pool_size=3, strides=2, padding="same"),
                                       dict(pool_size=(2, 3), strides=(1, 2))])
    each(kind + "2D", [[N, 3, 7, 8]], [dict(pool_size=2, data_format="channels_first"),
                                       dict(pool_size=2, padding="same", data_format="channels_first")])
    each(kind + "3D", [[N, 4, 5, 6, 2]], [dict(pool_size=2), dict(pool_size=3, strides=2, padding="same")])
    each(kind + "3D", [[N, 2, 4, 5, 6]], [dict(pool_size=2, data_format="channels_first")])
    for rank, shape in ((1, [N, 5, 3]), (2, [N, 4, 5, 3]), (3, [N, 2, 4, 5, 3])):
        each(f"Global{kind}{rank}D", [shape], [dict(), dict(keepdims=True), dict(data_format="channels_first"),
                                               dict(data_format="channels_first", keepdims=True)])
each("Concatenate", [[N, 4, 3], [N, 4, 5]], [dict()], call="list")
each("Concatenate", [[N, 2, 3], [N, 5, 3], [N, 1, 3]], [dict(axis=1), dict(axis=-2)], call="list")
each("Concatenate", [[N, 2, 3], [N, 2, 3]], [dict(axis=0)], call="list")
for cls in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"):
    each(cls, [[N, 4, 3], [N, 4, 3]], [dict()], call="list")
for cls in ("Add", "Multiply", "Maximum"):
    each(cls, [[N, 4, 3], [N, 4, 3], [N, 4, 3]], [dict()], call="list")
each("Add", [[N, 4, 5], [N, 1, 5]], [dict()], call="list")
each("Add", [[N, 4, 5], [N, 5]], [dict()], call="list")
each("Dot", [[N, 4], [N, 4]], [dict(axes=1), dict(axes=-1, normalize=True)], call="list")
each("Dot", [[N, 3, 4], [N, 5, 4]], [dict(axes=2), dict(axes=-1, normalize=True)], call="list")
each("Dot", [[N, 3, 4], [N, 5, 3]], [dict(axes=(1, 2))], call="list")
each("Rescaling", [[N, 4, 4, 3]], [dict(scale=1.0 / 255), dict(scale=2.0, offset=-1.0)])
each("Normalization", [[N, 4]], [dict(mean=[1.0, 2.0, 3.0, 4.0], variance=[1.0, 4.0, 9.0, 16.0]),
                                 dict(mean=2.0, variance=3.0, axis=None),
                                 dict(), dict(axis=None), dict(invert=True)])
each("Normalization", [[N, 3, 4]], [dict(axis=1), dict(axis=(1, 2)),
                                    dict(axis=-1, mean=[0.0, 1.0, 2.0, 3.0], variance=[1.0, 1.0, 1.0, 1.0])])
each("Masking", [[N, 5, 4]], [dict(mask_value=0.0)])
each("UnitNormalization", [[N, 5, 4]], [dict(), dict(axis=[1, 2])])
each("Identity", [[N, 5, 4]], [dict()])
each("CategoryEncoding", [[N, 3]], [dict(num_tokens=5, output_mode="multi_hot"),
                                    dict(num_tokens=5, output_mode="count")], in_dtype="int32")
each("CategoryEncoding", [[N]], [dict(num_tokens=5, output_mode="one_hot")], in_dtype="int32")
each("CategoryEncoding", [[N, 1]], [dict(num_tokens=4, output_mode="one_hot")], in_dtype="int32")
# --- misfitting shapes: Keras' exception, or what it does when it does not raise ---
each("Concatenate", [[N, 6, 6, 4], [N, 5]], [dict()], call="list")
each("Concatenate", [[N, 3, 4], [N, 2, 5]], [dict()], call="list")
each("Concatenate", [[N, 3, 4], [N, 2, 5]], [dict(axis=1)], call="list")
each("Concatenate", [[N, 3, 4]], [dict()], call="list")
for cls in ("Add", "Subtract", "Multiply"):
    each(cls, [[N, 4, 3], [N, 5, 3]], [dict()], call="list")
each("Subtract", [[N, 4], [N, 4], [N, 4]], [dict()], call="list")
each("Dense", [[N]], [dict(units=4)])
each("Dense", [[]], [dict(units=4)])
each("Dense", [[N, N]], [dict(units=4)])
each("Conv2D", [[N, 8, 3]], [dict(filters=4, kernel_size=3)])
each("Conv2D", [[N, 3, 3, 1]], [dict(filters=2, kernel_size=5), dict(filters=2, kernel_size=5, padding="same")])
each("Conv1D", [[N, 2, 1]], [dict(filters=2, kernel_size=3)])
each("MaxPooling2D", [[N, 3, 3, 1]], [dict(pool_size=5), dict(pool_size=5, padding="same")])
each("MaxPooling2D", [[N, 3, 3]], [dict(pool_size=2)])
each("AveragePooling1D", [[N, 1, 3]], [dict(pool_size=2)])
each("Reshape", [[N, 12]], [dict(target_shape=(5,)), dict(target_shape=(-1, 5)), dict(target_shape=(-1, -1))])
each("Dot", [[N, 3], [N, 4]], [dict(axes=1)], call="list")
each("Dot", [[N, 3, 4], [N, 5, 6]], [dict(axes=(1, 2))], call="list")
each("Permute", [[N, 3, 4]], [dict(dims=(1, 2, 3)), dict(dims=(1, 3))])
each("Conv2D", [[N, 8, 8, 3]], [dict(filters=4, kernel_size=3, groups=2)])
each("BatchNormalization", [[N, 8]], [dict(axis=2)])
each("LSTM", [[N, 4]], [dict(units=3)])
each("Embedding", [[N, 5]], [dict(input_dim=10, output_dim=4)], in_dtype="float32")


def shape(s):
    return [None if d is None else int(d) for d in s]


def saved_vars(layer, inputs, outputs):
    """{h5 group under the layer's group: the variable names it stores, by index}, from a saved one-layer model."""
    for i, v in enumerate(layer.variables):  # a distinct value in each variable, so that datasets match back
        v.assign(np.full(v.shape, i + 1, dtype=v.dtype))
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "m.keras")
        keras.Model(inputs, outputs).save(path)
        h5 = h5py.File(io.BytesIO(zipfile.ZipFile(path).read("model.weights.h5")), "r")
    groups = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Group) and name.split("/")[-1] == "vars":
            names = []
            for j in range(len(obj)):
                data = obj[str(j)][()]
                found = [v.name for i, v in enumerate(layer.variables)
                         if tuple(v.shape) == data.shape and np.all(data == i + 1)]
                assert len(found) == 1, (layer.name, name, j, found)
                names += found
            groups[name] = names

    h5["layers"][layer.name].visititems(visit)
    return dict(sorted(groups.items()))


def run(spec, call, inputs, dtype):
    keras.backend.clear_session()
    keras.utils.set_random_seed(0)
    record = {"id": f"{spec.cls}/{spec.args()}", "layer": None, "call": call, "inputs": inputs,
              "input_dtype": dtype}
    try:
        layer = spec.make()
    except Exception as e:  # the constructor refuses the arguments: no layer to record
        record["error"] = f"{type(e).__name__}: {e}"
        return record
    xs = [keras.Input(batch_shape=tuple(s), dtype=dtype) for s in inputs]
    try:
        if call == "list":
            out = layer(xs)
        elif call == "attention":
            out = layer(*xs[:2]) if len(xs) == 2 else layer(xs[0], xs[1], xs[2])
        else:
            out = layer(*xs)
    except Exception as e:
        record["layer"] = layer_dict(layer)
        record["error"] = f"{type(e).__name__}: {e}"
        return record
    record["layer"] = layer_dict(layer)
    return finish(record, layer, xs, out)


def layer_dict(layer):
    d = keras.saving.serialize_keras_object(layer)
    return {k: v for k, v in d.items() if k not in ("build_config", "compile_config")}


def finish(record, layer, xs, out):
    record["outputs"] = [shape(t.shape) for t in keras.tree.flatten(out)]
    keys = {}
    for v in layer.weights:
        c = v.constraint
        keys[id(v)] = None if c is None else CONSTRAINT_KEYS[int(c.max_value) - 1]
    record["variables"] = [{"path": v.path, "name": v.name, "shape": shape(v.shape), "trainable": v.trainable,
                            "dtype": v.dtype, "constraint_key": keys[id(v)]} for v in layer.weights]
    record["params"] = layer.count_params()
    record["trainable_params"] = int(sum(np.prod(v.shape) for v in layer.trainable_weights))
    record["non_trainable_params"] = int(sum(np.prod(v.shape) for v in layer.non_trainable_weights))
    if layer.weights and xs:
        record["saved_vars"] = saved_vars(layer, xs, out)
    return record


def input_layer_case(shape_, dtype):
    keras.backend.clear_session()
    x = keras.Input(shape=tuple(shape_), dtype=dtype)
    layer = x._keras_history.operation
    record = {"id": f"InputLayer/shape={text(tuple(shape_))},dtype={dtype}", "layer": layer_dict(layer),
              "call": "input", "inputs": [], "input_dtype": dtype}
    return finish(record, layer, [], x)


def main():
    cases = [input_layer_case([8], "float32"), input_layer_case([None, 4], "float32"),
             input_layer_case([3, 5, 2], "int32")]
    cases += [run(*c) for c in CASES]
    seen = {}
    for c in cases:  # the same config on other input shapes: tell the ids apart by the shapes
        seen[c["id"]] = seen.get(c["id"], 0) + 1
    for c in cases:
        if seen[c["id"]] > 1:
            c["id"] += " @ " + " ".join(text(tuple(s)) for s in c["inputs"])
            c["id"] += "" if c["input_dtype"] == "float32" else " " + c["input_dtype"]
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "keras-layers.json"), "w") as f:
        f.write('{"keras_version": "%s", "cases": [\n' % keras.__version__)
        f.write(",\n".join(json.dumps(c, separators=(",", ":")) for c in cases))
        f.write("\n]}\n")
    errors = [c for c in cases if "error" in c]
    print(len(cases), "cases,", len(errors), "errors")


if __name__ == "__main__":
    main()
