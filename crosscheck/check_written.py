"""Checks the model files that Kerb writes with initialized weights against Keras 3.15.1: every `*.keras` and `*.h5`
file under the folders given (the JVM tests write theirs to dsl-kotlin/target/kerb-written) must load in Keras, hold
exactly the weight bytes Kerb wrote (Keras saves it again in the same format and every weight dataset is compared bit
for bit), predict finite values on random inputs and train one epoch with adam and mse to a finite loss; the checks
are keras_files.check_written's.

Run from the repository root after the build, with Keras 3.15.1, JAX and h5py installed:
    KERAS_BACKEND=jax python crosscheck/check_written.py DIR [DIR...]
Prints "ok <file>" or the file's problems (the file, the step, what was expected and what was got), then a summary;
exits 1 on any problem, or when no file was found.
"""
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402

sys.dont_write_bytecode = True  # importing keras_files leaves no crosscheck/__pycache__
from keras_files import check_written  # noqa: E402


def main(folders):
    if not folders:
        print("usage: KERAS_BACKEND=jax python crosscheck/check_written.py DIR [DIR...]", file=sys.stderr)
        return 2
    assert keras.__version__ == "3.15.1", keras.__version__
    files = sorted(os.path.join(top, name) for folder in folders for top, _, names in os.walk(folder)
                   for name in names if name.endswith((".keras", ".h5")))
    rng = np.random.default_rng(0)
    failed = 0
    for path in files:
        keras.utils.clear_session()
        problems = check_written(path, rng)
        failed += bool(problems)
        print("\n".join(problems) if problems else f"ok {path}")
    if not files:
        print(f"check_written: no .keras or .h5 file under {' '.join(folders)}: expected the files Kerb wrote")
        return 1
    print(f"{failed} of {len(files)} files written by Kerb have problems in Keras {keras.__version__}"
          if failed else f"{len(files)} files written by Kerb load, predict and train in Keras {keras.__version__}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
