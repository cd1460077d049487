# Writes model-configs.json: Keras 3.15.1's model.to_json() for the models ModelDslTest builds with the DSL.
#   KERAS_BACKEND=jax python make_model_configs.py
import json
import keras
from keras import constraints as C, layers as L

assert keras.__version__ == "3.15.1", keras.__version__

mlp = keras.Sequential([
    keras.Input((784,), name="input_layer"),
    L.Dense(512, activation="relu", name="dense", kernel_constraint=C.MaxNorm(2.0), bias_constraint=C.NonNeg()),
    L.Dropout(0.5, name="dropout"),
    L.Dense(10, activation="softmax", name="dense_1", kernel_constraint=C.UnitNorm()),
], name="mlp")

a = keras.Input((8,), name="a")
b = keras.Input((4,), name="b")
shared = L.Dense(4, name="shared", kernel_constraint=C.MaxNorm(3))
h = shared(a)
cat = L.Concatenate(name="cat")([h, b])
added = L.Add(name="sum")([h, b])
out = L.Dense(1, name="out")(cat)
towers = keras.Model([a, b], [out, added], name="towers")

with open("model-configs.json", "w") as f:
    json.dump({"mlp": json.loads(mlp.to_json()), "towers": json.loads(towers.to_json())}, f, indent=1)
