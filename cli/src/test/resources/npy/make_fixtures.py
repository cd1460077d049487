# Writes the .npy fixtures NpyTest reads, with NumPy itself, so the reader is checked against real NumPy output:
# every format version, both dtypes, 0-d and zero-size arrays, and the Fortran-order and big-endian files kerb rejects.
import numpy as np
from numpy.lib import format as fmt

def save(name, array, version=None):
    with open(name, "wb") as f:
        fmt.write_array(f, array, version=version)

a = np.arange(12, dtype=np.float32).reshape(3, 4) - 5.5
save("f4_v1.npy", a, (1, 0))
save("f4_v2.npy", a, (2, 0))
save("f4_v3.npy", a, (3, 0))
save("f8_3d.npy", (np.arange(24, dtype=np.float64).reshape(2, 3, 4) - 11.25) / 3)
save("f8_scalar.npy", np.array(-2.5, dtype=np.float64))
save("f4_empty.npy", np.zeros((0, 4), dtype=np.float32))
save("f4_empty_large.npy", np.zeros((65536, 65536, 0), dtype=np.float32))
save("f4_fortran.npy", np.asfortranarray(a))
save("f4_bigendian.npy", a.astype(">f4"))
save("i4.npy", np.arange(6, dtype=np.int32))

# Expected outputs, the Keras 3 formula evaluated by NumPy in float64 (keras/src/constraints/constraints.py):
# MaxNorm(max_value=2, axis=[0, 2]) on f8_3d.npy, and UnitNorm(axis=-1) on f4_v1.npy (widened to float64).
def norms(w, axis):
    return np.sqrt(np.sum(np.square(w), axis=axis, keepdims=True))

w = np.load("f8_3d.npy")
n = norms(w, (0, 2))
save("f8_3d_maxnorm2_axis02.expected.npy", w * (np.clip(n, 0, 2) / (1e-7 + n)))
w = np.load("f4_v1.npy").astype(np.float64)
save("f4_unitnorm_axis-1.expected.npy", w / (1e-7 + norms(w, -1)))
