# Writes branching.json, the Functional model ModelPlotTest draws, with Keras 3.15.1:
#   KERAS_BACKEND=jax python make_branching.py > branching.json
import json, keras
from keras import layers
left = keras.Input((4,), name="left"); right = keras.Input((4,), name="right")
shared = layers.Dense(3, name="shared", kernel_constraint=keras.constraints.MaxNorm(2.0))
joined = layers.Add(name="joined")([shared(left), shared(right)])
inner = keras.Sequential([keras.Input((3,)), layers.Dense(5, name="inner_dense", kernel_constraint=keras.constraints.NonNeg()), layers.Dense(3, name="inner_out")], name="inner")
out = layers.Concatenate(name="out")([inner(joined), joined])
m = keras.Model([left, right], out, name="branching")
print(json.dumps(json.loads(m.to_json()), indent=1))
