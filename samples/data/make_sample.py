# Writes dense_kernel.npy, the array the README's main job constrains: a Dense kernel (input_dim=6, units=4) whose
# columns have L2 norms 1, 2, 3 and 5, so MaxNorm(2) leaves the first two (almost) alone and caps the others.
import numpy as np

columns = np.array([[1, 0, 0, 0, 0, 0],
                    [1, 1, 1, 1, 0, 0],
                    [2, 2, 1, 0, 0, 0],
                    [3, 0, 4, 0, 0, 0]], dtype=np.float32).T
np.save("dense_kernel.npy", np.ascontiguousarray(columns))
