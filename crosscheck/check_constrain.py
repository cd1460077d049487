"""Checks `kerb constrain` against Keras 3.15.1: for every fixture model that Keras wrote with weights violating their
constraints (model/src/test/resources/weights/keras3.15.1), Kerb projects the stored weights into a new .keras and
legacy .h5 file; Keras must load each, hold every weight within 1e-6 relative of its own constraint objects' result
(unconstrained weights unchanged), and predict finite values; a --set edit must reach the config Keras reads. Prints
one line per file; exits 1 on any failure.
(KERB_COMMAND=/path/to/kerb checks another build.)
"""
import json
import os
import subprocess
import sys
import tempfile

import keras
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "model/src/test/resources/weights/keras3.15.1")
KERB = os.environ.get("KERB_COMMAND", os.path.join(ROOT, "kerb"))


def main():
    failures = 0
    with tempfile.TemporaryDirectory() as out:
        for name in ("dense_model", "conv_model", "rnn_model", "nested_model"):
            expected = json.load(open(os.path.join(FIXTURES, name + ".expected.json")))["weights"]
            for extension in ("keras", "h5"):
                target = os.path.join(out, f"{name}.{extension}")
                subprocess.run([KERB, "constrain", os.path.join(FIXTURES, f"{name}.{extension}"), "-o", target],
                               check=True, capture_output=True)
                model = keras.saving.load_model(target, compile=False)
                worst = 0.0
                for variable, entry in zip(model.weights, expected, strict=True):
                    want = np.array(entry.get("constrained", entry["values"]), dtype="float32").reshape(variable.shape)
                    got = np.asarray(variable)
                    worst = max(worst, float(np.max(np.abs(got - want) / np.maximum(np.abs(want), 1e-3))))
                shape = (2,) + tuple(model.input_shape[1:])
                x = np.random.randint(0, 20, shape) if name == "rnn_model" else np.random.rand(*shape)
                finite = bool(np.all(np.isfinite(model.predict(x, verbose=0))))
                ok = worst <= 1e-6 and finite
                failures += not ok
                print(f"constrain check: {name}.{extension} loads in Keras {keras.__version__}, max relative "
                      f"difference {worst:.2e} from Keras' constraints, predictions finite: {finite}"
                      + ("" if ok else "  FAILED"))
        # --set edits the config too: rewritten in place in a legacy .h5, rebuilt in a .keras archive.
        for extension in ("keras", "h5"):
            target = os.path.join(out, f"set.{extension}")
            subprocess.run([KERB, "constrain", os.path.join(FIXTURES, f"dense_model.{extension}"), "-o", target,
                            "--set", "d1/kernel_constraint=unit_norm", "--set", "d1/bias_constraint=null"],
                           check=True, capture_output=True)
            layer = keras.saving.load_model(target, compile=False).get_layer("d1")
            norms = np.sqrt(np.sum(np.square(np.asarray(layer.kernel)), axis=0))
            ok = (isinstance(layer.kernel_constraint, keras.constraints.UnitNorm) and layer.bias_constraint is None
                  and bool(np.all(np.abs(norms - 1) < 1e-6)))
            failures += not ok
            print(f"constrain check: --set on dense_model.{extension}: Keras reads UnitNorm and no bias constraint, "
                  f"kernel norms within {float(np.max(np.abs(norms - 1))):.1e} of 1" + ("" if ok else "  FAILED"))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
