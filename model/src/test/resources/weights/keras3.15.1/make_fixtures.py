# Writes the Keras 3.15.1 files the weights tests read (WeightsFileTest in this module, and the CLI's check and
# constrain tests): for each model, MODEL.keras and MODEL.h5 (legacy) whose constrained weights violate their
# constraints, and MODEL.expected.json: for every weight, its Keras variable path, shape, stored values and, for a
# constrained one, the values Keras' own constraint object gives (float32, as model.fit would apply it).
# half_model.keras holds a float16 kernel with a constraint, which Kerb reads but does not project.
# Run with Keras 3.15.1 installed: KERAS_BACKEND=jax python make_fixtures.py
import json

import keras
import numpy as np
from keras import constraints as c
from keras import layers

assert keras.__version__ == "3.15.1", keras.__version__
keras.utils.set_random_seed(7)


def dense_model():
    return keras.Sequential([
        keras.Input((6,)),
        layers.Dense(5, kernel_constraint=c.MaxNorm(1.5), bias_constraint=c.NonNeg(), name="d1"),
        layers.BatchNormalization(gamma_constraint=c.NonNeg(), beta_constraint=c.MaxNorm(0.5, axis=0), name="bn"),
        layers.PReLU(alpha_constraint=c.NonNeg(), name="prelu"),
        layers.Dense(3, kernel_constraint=c.UnitNorm(axis=0), name="d2"),
    ], name="dense_model")


def conv_model():
    x = keras.Input((8, 8, 3))
    y = layers.Conv2D(4, 3, kernel_constraint=c.MaxNorm(2.0, axis=[0, 1, 2]), bias_constraint=c.NonNeg(), name="conv")(x)
    y = layers.DepthwiseConv2D(3, depthwise_constraint=c.MaxNorm(1.0, axis=[0, 1]), name="depthwise")(y)
    y = layers.SeparableConv2D(2, 2, depthwise_constraint=c.UnitNorm(axis=[0, 1]),
                               pointwise_constraint=c.MinMaxNorm(0.5, 1.0, rate=0.8, axis=[0, 1, 2]), name="separable")(y)
    y = layers.GlobalAveragePooling2D()(y)
    return keras.Model(x, layers.Dense(2, kernel_constraint=c.NonNeg(), name="head")(y), name="conv_model")


def rnn_model():
    x = keras.Input((5,), dtype="int32")
    y = layers.Embedding(20, 4, embeddings_constraint=c.UnitNorm(axis=1), name="embed")(x)
    y = layers.Bidirectional(layers.LSTM(3, return_sequences=True, kernel_constraint=c.MaxNorm(1.0),
                                         recurrent_constraint=c.MaxNorm(0.8), bias_constraint=c.NonNeg()), name="bi")(y)
    y = layers.GRU(2, kernel_constraint=c.MaxNorm(1.2), bias_constraint=c.NonNeg(), name="gru")(y)
    return keras.Model(x, y, name="rnn_model")


def nested_model():
    inner = keras.Sequential([keras.Input((4,)), layers.Dense(4, kernel_constraint=c.MaxNorm(1.0), name="inner_dense")],
                             name="inner")
    x = keras.Input((3, 4))
    y = layers.MultiHeadAttention(2, 2, kernel_constraint=c.MaxNorm(0.7), bias_constraint=c.NonNeg(), name="mha")(x, x)
    y = layers.LayerNormalization(gamma_constraint=c.NonNeg(), name="norm")(y)
    y = layers.Flatten()(y)
    y = layers.Dense(4, name="plain")(y)
    return keras.Model(x, inner(y), name="nested_model")


CONSTRAINT_KEYS = ["kernel", "bias", "recurrent_kernel", "depthwise_kernel", "pointwise_kernel", "embeddings", "gamma",
                   "beta", "alpha"]


def constraint_of(model, variable):
    """The constraint Keras applies to this variable: the one its layer (or cell) holds for it."""
    return variable.constraint


for build in (dense_model, conv_model, rnn_model, nested_model):
    model = build()
    expected = []
    for v in model.weights:
        # Violate the constraints: large values of both signs.
        values = (np.random.standard_normal(v.shape) * 3.0).astype("float32")
        if v.path.endswith("moving_variance"):
            values = np.abs(values)  # a variance, so that the model still predicts finite values
        v.assign(values)
        entry = {"path": v.path, "shape": list(v.shape), "values": [float(f) for f in values.ravel()]}
        if v.constraint is not None:
            projected = np.asarray(v.constraint(keras.ops.convert_to_tensor(values)), dtype="float32")
            entry["constraint"] = v.constraint.__class__.__name__
            entry["constrained"] = [float(f) for f in projected.ravel()]
        expected.append(entry)
    model.save(f"{model.name}.keras")
    model.save(f"{model.name}.h5")
    with open(f"{model.name}.expected.json", "w") as f:
        json.dump({"keras_version": keras.__version__, "weights": expected}, f)
    print(model.name, [(e["path"], e.get("constraint")) for e in expected])

half = keras.Sequential([keras.Input((3,)), layers.Dense(2, kernel_constraint=c.NonNeg(), dtype="float16", name="half")],
                        name="half_model")
half.save("half_model.keras")
