# Writes model/src/test/resources/summary/rich-tables.json: ~150 random summary tables rendered by rich 15.0.0 exactly
# as Keras 3.15.1's print_summary renders its layer table (fixed-width rich.table.Column per field, Table(width=
# line_length, show_lines=True), captured by a Console(highlight=False, force_terminal=False, color_system=None)),
# each with its headers, justification, positions, line length, column widths (computed as print_summary computes
# them), plain cell texts and rich's captured text. RichTableTest renders every one with RichTable and compares bytes.
# Most tables use Keras' default positions (sequential and functional, with and without show_trainable); the rest use
# user positions (print_summary takes any), since only positions ending short of 1.0 reach rich's round-half-to-even
# and table-expanding paths (the script checks that both are covered). Each text is also checked against a console of
# the default width with COLUMNS=200, as Keras creates it. It also renders the tables of three real model.summary()
# calls from their recorded cells, checks that they match Keras' own output, and adds them too.
# Run with Keras 3.15.1 and rich 15.0.0 installed (the seed is fixed, so the output is reproducible):
#   KERAS_BACKEND=jax python make_rich_tables.py
import importlib.metadata
import io
import json
import os
import random
from fractions import Fraction

import rich.console
import rich.markup
import rich.table

assert importlib.metadata.version("rich") == "15.0.0", importlib.metadata.version("rich")

HERE = os.path.dirname(os.path.abspath(__file__))
SEQUENTIAL = (["Layer (type)", "Output Shape", "Param #"], ["left", "left", "right"], [0.45, 0.80, 1.0])
FUNCTIONAL = (["Layer (type)", "Output Shape", "Param #", "Connected to"], ["left", "left", "right", "left"],
              [0.3, 0.56, 0.74, 1.0])


def keras_widths(positions, line_length):
    """Column widths exactly as keras.src.utils.summary_utils.print_summary computes them (None when it raises)."""
    column_widths = []
    current = 0
    for pos in positions:
        width = int(pos * line_length) - current
        if width < 4:
            return None
        column_widths.append(width)
        current += width
    return column_widths


def render(headers, justify, widths, line_length, rows, **console_args):
    """rich's text for the table, built and captured the way print_summary builds and captures it."""
    columns = [rich.table.Column(name, justify=justify[i], width=widths[i]) for i, name in enumerate(headers)]
    table = rich.table.Table(*columns, width=line_length, show_lines=True)
    for row in rows:
        table.add_row(*row)
    console = rich.console.Console(highlight=False, force_terminal=False, color_system=None, **console_args)
    console.begin_capture()
    console.print(table)
    return console.end_capture()


NAMES = ["dense", "dense_12", "conv2d", "conv2d_3", "input_layer", "max_pooling2d", "batch_normalization_7",
         "v", "add", "concatenate_1", "sequential", "functional_2", "dropout", "flatten"]
CLASSES = ["Dense", "Conv2D", "InputLayer", "MaxPooling2D", "BatchNormalization", "Add", "Concatenate",
           "Sequential", "Functional", "Dropout", "Flatten", "QuantDense"]
LONG = ["a_really_long_layer_name_that_never_breaks_anywhere", "batch_normalization_with_a_long_suffix_0123",
        "x" * 37, "conv2d_transpose_with_extra_long_name"]


def shape():
    dims = [random.choice(["None", "6", "28", "1024", "3"]) for _ in range(random.randint(0, 4))]
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"


def number():
    return f"{random.choice([0, 5, 36, 1036, 123456, 23587712, 1234567890]):,}"


def word():
    kind = random.randrange(9)
    if kind == 0:
        return f"{random.choice(NAMES)} ({random.choice(CLASSES)})"
    if kind == 1:
        return shape()
    if kind == 2:
        return number()
    if kind == 3:
        return ", ".join(f"{random.choice(NAMES)}[0][{random.randint(0, 2)}]" for _ in range(random.randint(1, 3)))
    if kind == 4:
        return random.choice(LONG)
    if kind == 5:
        return "   " * random.randint(1, 3) + f"└ {random.choice(NAMES)} ({random.choice(CLASSES)})"
    if kind == 6:
        return random.choice(["-", "Y", "N", "0 (unbuilt)", "", " ", "  padded  ", "a  b", "…"])
    if kind == 7:
        return " ".join(random.choice(NAMES + CLASSES) for _ in range(random.randint(2, 8)))
    return "".join(random.choice("abcxyz_ ,.-()0123456789") for _ in range(random.randint(1, 30)))


def cell():
    """A random plain cell: empty, one word, or words joined by spaces, commas or forced line breaks."""
    if random.random() < 0.1:
        return ""
    text = word()
    for _ in range(random.choice([0, 0, 0, 1, 1, 2])):
        text += random.choice([" ", ", ", "\n", "\n", "  "]) + word()
    if random.random() < 0.05:
        text += random.choice(["\n", " ", "\n\n"])
    assert rich.markup.render(text).plain == text, text  # plain text: nothing rich would read as markup
    return text


def layout():
    """Headers, justification and positions: Keras' defaults (optionally with show_trainable) or user positions."""
    kind = random.random()
    headers, justify, positions = random.choice([SEQUENTIAL, FUNCTIONAL])
    if kind < 0.6:
        return list(headers), list(justify), list(positions)
    if kind < 0.7:  # show_trainable, as print_summary extends the defaults
        return headers + ["Trainable"], justify + ["center"], [p * 0.90 for p in positions] + [1.0]
    # User positions: the widths need not fill the line; ending just short of it makes rich's share a .5 now and then.
    end = random.choice([random.uniform(0.5, 1.0), random.uniform(0.93, 1.0)])
    cuts = sorted(round(random.uniform(0.05, end), 2) for _ in range(len(headers) - 1))
    return list(headers), random.choices(["left", "right", "center"], k=len(headers)), cuts + [round(end, 2)]


def reduce_differs(widths, line_length):
    """True when rich's last-resort ratio_reduce rounds a .5 share, where round-half-up would give other widths."""
    padded = [w + 2 for w in widths]
    total_ratio, remaining = len(widths), sum(padded) - (line_length - len(widths) - 1)
    if remaining <= 0:
        return False
    for maximum in padded:
        share = Fraction(remaining, total_ratio)
        if share.denominator == 2 and round(share) != int(share + Fraction(1, 2)) and round(share) <= maximum:
            return True
        remaining -= min(maximum, round(share))
        total_ratio -= 1
    return False


def random_fixtures(count):
    fixtures = []
    while len(fixtures) < count:
        headers, justify, positions = layout()
        line_length = random.randint(40, 140)
        widths = keras_widths(positions, line_length)
        if widths is None:
            continue
        rows = [[cell() for _ in headers] for _ in range(random.choice([0, 1, 2, 3, 3, 4, 5, 7]))]
        fixtures.append(fixture(headers, justify, positions, line_length, widths, rows))
    return fixtures


def fixture(headers, justify, positions, line_length, widths, rows):
    text = render(headers, justify, widths, line_length, rows, width=300)
    os.environ["COLUMNS"] = "200"  # a console of the default width, as Keras creates it, gives the same text
    try:
        assert render(headers, justify, widths, line_length, rows) == text
    finally:
        del os.environ["COLUMNS"]
    return {"headers": headers, "justify": justify, "positions": positions, "line_length": line_length,
            "widths": widths, "rows": rows, "text": text}


def keras_fixtures():
    """Tables of real model.summary() calls, from the cells Keras added, checked against Keras' own output."""
    import keras
    from keras.src.utils import summary_utils

    assert keras.__version__ == "3.15.1", keras.__version__
    inner = keras.Sequential([keras.Input((6,)), keras.layers.Dense(3, name="inner_dense")], name="inner")
    a = keras.Input((4,), name="v")
    b = keras.layers.Dense(4, name="a_really_long_dense_layer_name_that_overflows")(a)
    functional = keras.Model(a, keras.layers.Dense(6)(keras.layers.Concatenate()([a, b])))
    calls = [
        (keras.Sequential([keras.Input((8,)), keras.layers.Dense(4, name="a_really_long_dense_layer_name"),
                           keras.layers.Dense(1000)]), dict(line_length=50)),
        (functional, dict(line_length=70)),
        (keras.Sequential([keras.Input((6,)), inner, keras.layers.Dense(2)]),
         dict(line_length=78, expand_nested=True, show_trainable=True)),
    ]  # under 80: Keras' console is 80 columns wide off a terminal, and rich crops longer lines there
    fixtures = []
    original = rich.table.Table
    for model, args in calls:
        tables = []

        class Recording(original):
            def __init__(self, *columns, **kwargs):
                super().__init__(*columns, **kwargs)
                tables.append((columns, kwargs["width"], []))

            def add_row(self, *cells, **kwargs):
                tables[-1][2].append([rich.markup.render(c).plain if isinstance(c, str) else c.plain for c in cells])
                super().add_row(*cells, **kwargs)

        summary_utils.rich.table.Table = Recording
        try:
            out = []
            model.summary(print_fn=lambda s, line_break=False: out.append(s), **args)
        finally:
            summary_utils.rich.table.Table = original
        (columns, line_length, rows), = tables
        headers = [c.header for c in columns]
        positions = [0.45, 0.80, 1.0] if len(headers) - args.get("show_trainable", False) == 3 else \
            [0.3, 0.56, 0.74, 1.0]
        if args.get("show_trainable"):
            positions = [p * 0.90 for p in positions] + [1.0]
        widths = keras_widths(positions, line_length)
        assert widths == [c.width for c in columns], (widths, [c.width for c in columns])
        f = fixture(headers, [c.justify for c in columns], positions, line_length, widths, rows)
        lines = "".join(out).splitlines(keepends=True)
        start = next(i for i, line in enumerate(lines) if line.startswith("┏"))
        end = next(i for i, line in enumerate(lines) if line.startswith("└"))
        assert "".join(lines[start:end + 1]) == f["text"], "".join(lines[start:end + 1]) + f["text"]
        fixtures.append(f)
    return fixtures


random.seed(20240915)
fixtures = random_fixtures(147) + keras_fixtures()
assert sum(reduce_differs(f["widths"], f["line_length"]) for f in fixtures) >= 3, "too few fixtures round a .5 share"
assert any(sum(f["widths"]) + 2 * len(f["widths"]) < f["line_length"] - len(f["widths"]) - 1 for f in fixtures)
assert any(f["text"].split("\n")[2].startswith("┃") for f in fixtures), "no header wraps"
with io.open(os.path.join(HERE, "rich-tables.json"), "w", encoding="utf-8", newline="\n") as out:
    out.write("[\n" + ",\n".join(json.dumps(f, ensure_ascii=False) for f in fixtures) + "\n]\n")  # one a line
print(len(fixtures), "fixtures")
