# Writes, next to this script, what Keras 3.15.1 prints and computes for model summaries:
# * summaries/<name>.json: model.to_json() (the model's Keras 3 config), pretty-printed, for each model built below;
# * summaries/<name>.txt: exactly the text model.summary() prints with COLUMNS=200 (taken with print_fn, and checked
#   to be the same as what it writes to stdout), and summaries/<name>.expanded.txt: summary(expand_nested=True) for
#   the models that nest models;
# * summaries/<name>.summary.json: the numbers behind that text, one entry per summary row (see summary());
# * corpus-summaries.json: the same numbers for each model of testdata/keras-corpus, read the way Kerb's users read
#   them: Keras 3 cannot load these Keras 1/2 configs itself, so each file is first converted with
#   `kerb convert FILE --to keras3` (which reads the config inside an .h5 or .keras file), and Keras loads that with
#   keras.models.model_from_json. Where Keras still cannot load it (custom layers or constraints), the record has the
#   first line of the error Keras raises, its innermost cause and the custom class it names. Kerb's warnings are kept
#   with each record. For an .h5 file, what Keras' own load_model makes of it is kept too, for comparison.
# Rows follow keras/src/utils/summary_utils.py: model.layers for a Sequential model, model._operations for a
# Functional one. The Kotlin tests of the layer catalog read the output, so the build needs no Python.
# make_catalog_fixtures.py writes the layer fixtures. Run with Keras 3.15.1 installed and Kerb built (./kerb at the
# repository root, or KERB_COMMAND=/path/to/kerb), same output each time; --corpus-only writes corpus-summaries.json
# alone:
#   KERAS_BACKEND=jax COLUMNS=200 python make_catalog_summaries.py [--corpus-only]
import contextlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile

os.environ["COLUMNS"] = "200"  # before rich and shutil read the console width

import keras
from keras.src.models import Functional
from keras.src.models import Sequential
from keras.src.utils import summary_utils

assert keras.__version__ == "3.15.1", keras.__version__
assert keras.backend.backend() == "jax", keras.backend.backend()

L = keras.layers
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", ".."))
CORPUS = os.path.join(ROOT, "testdata", "keras-corpus")
KERB = os.environ.get("KERB_COMMAND", "./kerb")  # run from the repository root


def mlp():
    return keras.Sequential([keras.Input((20,)), L.Dense(64, activation="relu"), L.Dropout(0.2),
                             L.Dense(10, activation="softmax")], name="mlp")


def cnn():
    return keras.Sequential([keras.Input((28, 28, 1)), L.Conv2D(16, 3, activation="relu"), L.MaxPooling2D(),
                             L.BatchNormalization(), L.Conv2D(32, 3, padding="same", activation="relu"),
                             L.MaxPooling2D(), L.Flatten(), L.Dropout(0.5), L.Dense(10, activation="softmax")],
                            name="cnn")


def two_in_two_out():
    left, right = keras.Input((8,), name="left"), keras.Input((8,), name="right")
    shared = L.Dense(16, activation="relu", name="shared")
    a, b = shared(left), shared(right)
    joined = L.Concatenate(name="joined")([a, b])
    score = L.Dense(1, activation="sigmoid", name="score")(joined)
    category = L.Dense(3, activation="softmax", name="category")(b)
    return keras.Model([left, right], [score, category], name="two_in_two_out")


def nested():
    inner_seq = keras.Sequential([keras.Input((16,)), L.Dense(8, activation="relu"), L.Dense(4)],
                                 name="inner_sequential")
    i = keras.Input((4,), name="inner_input")
    inner_fn = keras.Model(i, L.Dense(2, name="inner_dense")(L.BatchNormalization()(i)), name="inner_functional")
    x = keras.Input((16,), name="features")
    h = inner_seq(x)
    return keras.Model(x, [inner_fn(h), L.Dense(1, name="side")(h)], name="nested")


def sequential_nested():
    inner = keras.Sequential([keras.Input((10,)), L.Dense(6), L.Dense(3)], name="block")
    return keras.Sequential([keras.Input((10,)), inner, L.Dense(1)], name="sequential_nested")


def bilstm():
    return keras.Sequential([keras.Input((12, 8)), L.Bidirectional(L.LSTM(16, return_sequences=True)),
                             L.TimeDistributed(L.Dense(4))], name="bilstm_timedistributed")


def lstm_state():
    enc_in, dec_in = keras.Input((None, 8), name="encoder_input"), keras.Input((None, 6), name="decoder_input")
    _, h, c = L.LSTM(16, return_state=True, name="encoder")(enc_in)
    seq = L.LSTM(16, return_sequences=True, name="decoder")(dec_in, initial_state=[h, c])
    return keras.Model([enc_in, dec_in], L.Dense(6, name="project")(seq), name="lstm_state")


def attention_block():
    x = keras.Input((10, 16), name="tokens")
    a = L.MultiHeadAttention(num_heads=4, key_dim=8)(x, x)
    y = L.LayerNormalization()(L.Add()([x, a]))
    f = L.Dense(16)(L.Dense(32, activation="relu")(y))
    return keras.Model(x, L.LayerNormalization()(L.Add()([y, f])), name="attention_block")


def einsum_embedding():
    t = keras.Input((12,), dtype="int32", name="ids")
    e = L.Embedding(100, 16)(t)
    h = L.EinsumDense("abc,cd->abd", output_shape=(None, 8), bias_axes="d")(e)
    w = L.EinsumDense("abc,cde->abde", output_shape=(None, 2, 4))(h)
    return keras.Model(t, L.Dense(2)(L.GlobalAveragePooling1D()(L.Reshape((12, 8))(w))), name="einsum_embedding")


def with_policy(policy, build):
    def make():
        keras.config.set_dtype_policy(policy)
        try:
            return build()
        finally:
            keras.config.set_dtype_policy("float32")
    return make


def float64_mlp():
    return keras.Sequential([keras.Input((6,)), L.Dense(5, activation="tanh"), L.BatchNormalization(), L.Dense(1)],
                            name="float64_mlp")


def mixed_cnn():
    x = keras.Input((16, 16, 3))
    h = L.GlobalAveragePooling2D()(L.Conv2D(8, 3, activation="relu")(x))
    return keras.Model(x, L.Activation("softmax", dtype="float32")(L.Dense(4)(h)), name="mixed_float16_cnn")


def long_names():
    a = keras.Input((4,), name="an_input_with_an_uncommonly_long_name_that_cannot_fit_in_the_first_column")
    b = keras.Input((4,), name="second_input")
    d = [L.Dense(3, name=f"dense_branch_number_{i}_with_a_name_long_enough_to_be_cut_off") for i in range(3)]
    joined = L.Concatenate(name="concatenate_all_of_the_branches_together")([d[0](a), d[1](b), d[2](a), a, b])
    shaped = L.Reshape((1, 1, 1, 1, 1, 1, 17), name="reshape to many dims")(joined)
    return keras.Model([a, b], shaped,
                       name="a_model_whose_own_name_is_also_rather_long_for_the_title_line_of_a_summary")


def constraints():
    c = keras.constraints
    return keras.Sequential([keras.Input((8,)),
                             L.Dense(4, kernel_constraint=c.MaxNorm(2.0), bias_constraint=c.NonNeg()),
                             L.Dense(2, kernel_constraint=c.UnitNorm(axis=0), bias_constraint=c.MinMaxNorm(0.0, 1.0))],
                            name="constraints")


def unbuilt():
    return keras.Sequential([L.Dense(4), L.Dense(2)], name="unbuilt")


MODELS = {"mlp": mlp, "cnn": cnn, "two_in_two_out": two_in_two_out, "nested": nested,
          "sequential_nested": sequential_nested, "bilstm_timedistributed": bilstm, "lstm_state": lstm_state,
          "attention_block": attention_block, "einsum_embedding": einsum_embedding,
          "float64_mlp": with_policy("float64", float64_mlp),
          "mixed_float16_cnn": with_policy("mixed_float16", mixed_cnn),
          "long_names": long_names, "constraints": constraints, "unbuilt": unbuilt}


def shape(s):
    return [None if d is None else int(d) for d in s]


def count(weights):
    return summary_utils.count_params(weights)


def summary(model):
    """The numbers behind model.summary(): one entry per row, as summary_utils computes and prints them."""
    functional = isinstance(model, Functional) and not isinstance(model, Sequential)
    rows = model._operations if functional else model.layers
    relevant = [n for nodes in model._nodes_by_depth.values() for n in nodes] if functional else []
    layers = []
    for layer in rows:
        built = getattr(layer, "built", False)
        output = None
        if layer._inbound_nodes:  # like format_layer_shape: the outputs of the layer's last node
            flat = [shape(t.shape) for t in keras.tree.flatten(layer._inbound_nodes[-1].output_tensors)]
            output = flat[0] if len(flat) == 1 else flat
        inbound = []
        for node in layer._inbound_nodes if functional else []:  # like get_connections
            if node in relevant:
                inbound += [f"{t._keras_history.operation.name}[{t._keras_history.node_index}]"
                            f"[{t._keras_history.tensor_index}]" for t in node.input_tensors]
        layers.append({"name": layer.name, "class_name": layer.__class__.__name__, "built": built,
                       "output_shape": output, "params": layer.count_params() if built else 0,
                       "trainable_params": count(layer.trainable_weights) if built else 0,
                       "non_trainable_params": count(layer.non_trainable_weights) if built else 0, "inbound": inbound})
    # The summary shows "Connected to" unless the graph is a plain chain (summary_utils' sequential_like).
    sequential_like = summary_utils_sequential_like(model)
    trainable, non_trainable = model.trainable_weights, model.non_trainable_weights
    return {"name": model.name, "class_name": model.__class__.__name__, "sequential_like": sequential_like,
            "layers": layers, "total_params": count(trainable) + count(non_trainable),
            "trainable_params": count(trainable), "non_trainable_params": count(non_trainable),
            "trainable_bytes": summary_utils.weight_memory_size(trainable),
            "non_trainable_bytes": summary_utils.weight_memory_size(non_trainable)}


def summary_utils_sequential_like(model):
    """Whether print_summary leaves out the "Connected to" column: its header says which way it went."""
    text = summary_text(model)
    return "Connected to" not in text.splitlines()[2]


def summary_text(model, **kw):
    printed = []
    model.summary(print_fn=printed.append, **kw)
    assert len(printed) == 1
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        model.summary(**kw)
    assert out.getvalue() == printed[0], (printed[0], out.getvalue())  # no colour codes, same text
    return printed[0]


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def dump(value, **kw):
    return json.dumps(value, ensure_ascii=False, **kw) + "\n"


def check_row_order(model, text):
    """The summary's rows are summary()'s rows, in that order (checked where every name shows in full)."""
    at = 0
    for layer in summary(model)["layers"]:
        found = text.find(f"│ {layer['name']} ", at)
        if found < 0:
            return False
        at = found
    return True


def first_line(e):
    """The exception's type and first line, less the "Full object config: ..." that repeats the whole input."""
    return f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}".split(" Full object config:")[0]


def cause(e):
    """The innermost "Exception encountered: ..." line of a wrapped deserialization error, if any."""
    causes = [line for line in str(e).splitlines() if line.startswith("Exception encountered: ")]
    return causes[-1][len("Exception encountered: "):].split(" Full object config:")[0] if causes else None


def fixtures():
    """The summaries/ files, for the models above."""
    os.makedirs(os.path.join(HERE, "summaries"), exist_ok=True)
    for name, build in MODELS.items():
        keras.backend.clear_session()
        keras.utils.set_random_seed(0)
        model = build()
        base = os.path.join(HERE, "summaries", name)
        write(base + ".json", dump(json.loads(model.to_json()), indent=1))
        text = summary_text(model)
        write(base + ".txt", text)
        if any(isinstance(layer, keras.Model) for layer in model.layers):
            write(base + ".expanded.txt", summary_text(model, expand_nested=True))
        write(base + ".summary.json", dump(summary(model), indent=1))
        print(name, "rows in order:", check_row_order(model, text))


def custom_class(e):
    """The class Keras could not find (a custom layer, constraint...), named in the error or its cause, if any."""
    found = re.search(r"Could not locate class '([^']+)'|Cannot deserialize object of type `([^`]+)`",
                      cause(e) or str(e))
    return (found.group(1) or found.group(2)) if found else None


def kerb_convert(path, out):
    """`kerb convert FILE --to keras3 -o out`, from the repository root; returns Kerb's warnings, one per line."""
    result = subprocess.run([KERB, "convert", os.path.relpath(path, ROOT), "--to", "keras3", "-o", out], cwd=ROOT,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"kerb convert exited {result.returncode}: {result.stderr.strip()}")
    return [line.removeprefix("kerb convert: warning: ") for line in result.stderr.splitlines() if line.strip()]


def built(model):
    """The model, built where Keras left it unbuilt but the converted config declares its input shape."""
    if not model.built and isinstance(model, Sequential) and model.layers:
        shape = model.layers[0].get_config().get("batch_shape") or model.layers[0].get_config().get("batch_input_shape")
        if shape:
            model.build(tuple(shape))
    return model


def corpus_record(file, work):
    """The summary of a corpus file as Keras 3.15.1 loads it after `kerb convert --to keras3`, or Keras' error."""
    path = os.path.join(CORPUS, file)
    converted = os.path.join(work, file + ".keras3.json")
    record = {"file": file}
    try:
        warnings = kerb_convert(path, converted)
    except RuntimeError as e:
        return record | {"error": f"kerb convert: {e}"}
    if warnings:
        record["kerb_warnings"] = warnings
    keras.backend.clear_session()
    try:
        with open(converted, encoding="utf-8") as f:
            model = built(keras.models.model_from_json(f.read()))
        return record | {"summary": summary(model)}
    except Exception as e:
        record["error"] = first_line(e)
        if cause(e):
            record["cause"] = cause(e)
        if custom_class(e):
            record["custom_class"] = custom_class(e)
        return record


def main():
    if "--corpus-only" not in sys.argv[1:]:
        fixtures()
    corpus = []
    with tempfile.TemporaryDirectory() as work:
        for file in sorted(os.listdir(CORPUS)):
            if not file.endswith((".json", ".h5", ".keras")):
                continue
            corpus.append(corpus_record(file, work))
            if file.endswith(".h5"):  # Keras' own way to read an .h5 file, for comparison
                path = os.path.join(CORPUS, file)
                keras.backend.clear_session()
                try:
                    corpus[-1]["load_model"] = summary(keras.saving.load_model(path, compile=False))
                except Exception as e:
                    corpus[-1]["load_model_error"] = first_line(e)
                    if cause(e):
                        corpus[-1]["load_model_cause"] = cause(e)
            print(file, f"error ({corpus[-1].get('custom_class') or corpus[-1]['error']})" if "error" in corpus[-1]
                  else "loaded")
    write(os.path.join(HERE, "corpus-summaries.json"),
          '{"keras_version": "%s", "files": [\n' % keras.__version__
          + ",\n".join(json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in corpus) + "\n]}\n")


if __name__ == "__main__":
    main()
