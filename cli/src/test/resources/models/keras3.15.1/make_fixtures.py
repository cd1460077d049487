# Writes the Keras 3.15.1 files the fidelity regression tests read (see RegressionsTest in this module):
#   mha.keras, mha.json        keras.Model(x, MultiHeadAttention(1, 2)(x, x)): value passed positionally
#   shared_custom.keras        one registered custom constraint object (Custom>CenterAround) on two Dense kernels,
#                              which makes Keras write shared_object_id on the second
# Run with Keras 3.15.1 installed: KERAS_BACKEND=jax python make_fixtures.py
import keras
from keras import layers

assert keras.__version__ == "3.15.1", keras.__version__
keras.utils.set_random_seed(1)


@keras.saving.register_keras_serializable(package="Custom")
class CenterAround(keras.constraints.Constraint):
    """The Keras docs' custom constraint: w - mean(w) + ref_value."""

    def __init__(self, ref_value=0.0):
        self.ref_value = ref_value

    def __call__(self, w):
        return w - keras.ops.mean(w) + self.ref_value

    def get_config(self):
        return {"ref_value": self.ref_value}


x = keras.Input((3, 2), name="x")
mha = keras.Model(x, layers.MultiHeadAttention(1, 2, name="mha")(x, x), name="mha_model")
with open("mha.json", "w") as f:
    f.write(mha.to_json())
mha.save("mha.keras")

center = CenterAround(0.5)
inp = keras.Input((4,), name="inp")
hidden = layers.Dense(3, kernel_constraint=center, name="d1")(inp)
shared = keras.Model(inp, layers.Dense(2, kernel_constraint=center, name="d2")(hidden), name="shared_custom")
shared.save("shared_custom.keras")
