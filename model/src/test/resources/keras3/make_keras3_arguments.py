# Writes model/src/main/resources/dev/kerb/model/catalog/keras3-arguments.json: for every class Keras 3.15.1 exports
# from keras.layers, keras.initializers and keras.regularizers, the constructor arguments it accepts (its own
# __init__ and every base class' __init__, which take the rest through **kwargs; Layer also pops input_dim and
# input_shape), plus every key the get_config() of an instance built with default arguments writes, since
# from_config takes those back even when __init__ pops them from **kwargs (LayerNormalization's rms_scaling). The layer catalog keeps it; conversion to Keras 3 uses it to know which classes are built in and which Keras 2 keys Keras 3
# would refuse. It also writes "initializer_defaults": for every layer class, each constructor parameter named
# *_initializer (own __init__ and bases, walked as for the arguments; the most derived default wins) mapped to its
# default when that is a string (an Initializer object is written through keras.initializers.serialize, anything else
# such as None is skipped and printed); classes with none are left out. Kerb gives a variable its layer's default
# initializer from this table when a config omits the key. Run with Keras 3.15.1 installed:
#   KERAS_BACKEND=jax python make_keras3_arguments.py
import inspect
import json
import os

import keras

assert keras.__version__ == "3.15.1", keras.__version__


def arguments(cls):
    names = set()
    for base in inspect.getmro(cls):
        init = base.__dict__.get("__init__")
        if init is None:
            continue
        for p in inspect.signature(init).parameters.values():
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                names.add(p.name)
    if issubclass(cls, keras.layers.Layer):
        names |= {"input_dim", "input_shape"}
    try:
        names |= set(cls().get_config())
    except Exception:  # a class with required arguments: its signature is all there is
        pass
    return sorted(names)


def initializer_defaults(cls, skipped):
    defaults = {}
    for base in inspect.getmro(cls):
        init = base.__dict__.get("__init__")
        if init is None:
            continue
        for p in inspect.signature(init).parameters.values():
            if not p.name.endswith("_initializer") or p.name in defaults:
                continue
            if isinstance(p.default, str):
                defaults[p.name] = p.default
            elif isinstance(p.default, keras.initializers.Initializer):
                defaults[p.name] = keras.initializers.serialize(p.default)
            else:
                defaults[p.name] = None  # keeps a base class' default from taking its place
                skipped.append("%s.%s=%r" % (cls.__name__, p.name, p.default))
    return {k: v for k, v in defaults.items() if v is not None}


def initializer_table(module, base):
    out, skipped = {}, []
    for name in sorted(dir(module)):
        obj = getattr(module, name)
        if inspect.isclass(obj) and issubclass(obj, base) and obj is not base and name[0].isupper():
            defaults = initializer_defaults(obj, skipped)
            if defaults:
                out[name] = defaults
    print("skipped non-string initializer defaults:", ", ".join(skipped) or "none")
    return out


def table(module, base):
    out = {}
    for name in sorted(dir(module)):
        obj = getattr(module, name)
        if inspect.isclass(obj) and issubclass(obj, base) and obj is not base and name[0].isupper():
            out[name] = arguments(obj)
    return out


result = {
    "keras_version": keras.__version__,
    "layers": table(keras.layers, keras.layers.Layer),
    "initializers": table(keras.initializers, keras.initializers.Initializer),
    "regularizers": table(keras.regularizers, keras.regularizers.Regularizer),
    "initializer_defaults": initializer_table(keras.layers, keras.layers.Layer),
}
here = os.path.dirname(os.path.abspath(__file__))
target = os.path.join(here, "..", "..", "..", "main", "resources", "dev", "kerb", "model", "catalog",
                      "keras3-arguments.json")
with open(target, "w") as f:
    json.dump(result, f, indent=0, sort_keys=True)
    f.write("\n")
print(len(result["layers"]), "layers,", len(result["initializers"]), "initializers,", len(result["regularizers"]), "regularizers,",
      len(result["initializer_defaults"]), "layers with initializer defaults")
