"""Writes a .keras file of LAYERS Dense(2048, 2048) layers (16.8 MB of float32 each; 32 layers: 537 MB) whose kernels
carry MaxNorm(1.0) and biases NonNeg(), with weights that violate both, for bench/constrain-vs-cp.sh.
Run with Keras 3.15.1: KERAS_BACKEND=jax python make_big_keras.py OUT.keras [LAYERS]
"""
import sys

import keras
import numpy as np
from keras import constraints as c
from keras import layers

out, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 32
keras.utils.set_random_seed(3)
model = keras.Sequential([keras.Input((2048,))] + [
    layers.Dense(2048, kernel_constraint=c.MaxNorm(1.0), bias_constraint=c.NonNeg(), name=f"d{i}") for i in range(count)])
for v in model.weights:
    v.assign((np.random.standard_normal(v.shape) * 0.5).astype("float32"))
model.save(out)
