"""Times the bench workloads in NumPy (the Keras 3 formula, as keras/src/constraints/constraints.py computes it on
the NumPy backend) and in PyTorch (renorm_, clamp_ and the formula in place), each against an in-place scale of
the same bytes measured in the same run, so the ratios compare with Kerb's floor_ratio column.

PyTorch runs on a tensor of its own (a clone, allocated as PyTorch allocates model parameters) and, for torch_np_ms,
on the NumPy array itself: NumPy maps large arrays with transparent huge pages (madvise), PyTorch's allocator does not
by default and neither does a JVM, so the first compares kernels on the same page size and the second shows what
huge pages are worth on this host.

With --kerb PATH, each workload and dtype also alternates `kerb bench --json` (one JVM per run) with PyTorch's kernel
--alternations times, and prints the median of PyTorch's time over Kerb's and its range: both sides timed minutes
apart in separate sessions can differ by the host alone (its memory bandwidth moved 2.5x between sessions on the VM
measured), so this is the comparison to quote.

Not part of the build: run it by hand where numpy and torch are installed, e.g.
    python bench/python/compare.py --kerb ./kerb
"""
import argparse
import json
import statistics
import subprocess
import time

import numpy as np

try:
    import torch
except ImportError:  # the NumPy half still runs
    torch = None

EPS = 1e-7
WORKLOADS = [  # name, shape, Keras axis, kind
    ("dense_maxnorm", (4096, 4096), 0, "maxnorm2"),
    ("dense_minmaxnorm", (4096, 4096), 0, "minmax"),
    ("conv_unitnorm", (3, 3, 512, 512), (0, 1, 2), "unitnorm"),
    ("embedding_maxnorm", (1_000_000, 64), 1, "maxnorm1"),
    ("vector_nonneg", (16_777_216,), None, "nonneg"),
    ("small_dense_maxnorm", (64, 64), 0, "maxnorm2"),
    ("small_conv_unitnorm", (3, 3, 16, 16), (0, 1, 2), "unitnorm"),
]


def calls_per_run(shape):
    """As Kerb's Workload.callsPerMeasurement: a small tensor is timed over about a million elements per run."""
    return max(1, (1 << 20) // int(np.prod(shape)))


def median_time(fn, calls=1, runs=7, warmup=3):
    """Returns the median seconds per call over `runs` runs of `calls` calls each."""
    for _ in range(warmup * calls):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - start) / calls)
    return statistics.median(times)


def keras_numpy(w, axis, kind):
    """The Keras 3 formula; like Keras it returns a new array, assigned back as Variable.assign would."""
    if kind == "nonneg":
        w[...] = np.maximum(w, 0)
        return
    norms = np.sqrt(np.sum(np.square(w), axis=axis, keepdims=True))
    if kind == "unitnorm":
        w[...] = w / (EPS + norms)
        return
    if kind == "minmax":
        desired = 0.5 * np.clip(norms, 0.5, 1.0) + 0.5 * norms
    else:
        desired = np.clip(norms, 0, 2 if kind == "maxnorm2" else 1)
    w[...] = w * (desired / (EPS + norms))


def torch_in_place(t, axis, kind):
    if kind == "nonneg":
        t.clamp_(min=0)
    elif kind in ("maxnorm2", "maxnorm1"):
        kept = 1 - axis  # renorm's dim is the dimension Keras keeps
        t.renorm_(p=2, dim=kept, maxnorm=2 if kind == "maxnorm2" else 1)
    else:
        norms = torch.linalg.vector_norm(t, dim=axis, keepdim=True)
        if kind == "unitnorm":
            t.div_(norms.add_(EPS))
        else:
            desired = 0.5 * norms.clamp(0.5, 1.0) + 0.5 * norms
            t.mul_(desired.div_(norms.add_(EPS)))


def kerb_ms(kerb, name, dtype):
    """Kerb's milliseconds per call on one workload and dtype, from `kerb bench --json` in a JVM of its own."""
    out = subprocess.run([kerb, "bench", "--workload=" + name, "--dtype=" + dtype, "--json"], capture_output=True,
                         text=True, check=True).stdout
    return json.loads(out)[0]["ms"]


def main():
    parser = argparse.ArgumentParser(description="Times the bench workloads in NumPy and PyTorch.")
    parser.add_argument("--kerb", help="the kerb launcher, to alternate `kerb bench` with PyTorch on each workload")
    parser.add_argument("--alternations", type=int, default=5, help="Kerb and PyTorch runs per workload (default 5)")
    args = parser.parse_args()
    alternate = args.kerb is not None and torch is not None
    if torch is not None:
        print("# numpy %s, torch %s, %d threads" % (np.__version__, torch.__version__, torch.get_num_threads()))
    header = ("workload", "dtype", "numpy_ms", "numpy_ratio", "torch_ms", "torch_ratio", "torch_np_ms")
    if alternate:
        header += ("kerb_ms", "torch/kerb", "lowest", "highest")
    print(("%-20s %-8s" + " %12s" * (len(header) - 2)) % header)
    rng = np.random.default_rng(42)
    for name, shape, axis, kind in WORKLOADS:
        for dtype in (np.float32, np.float64):
            w = ((rng.random(shape, dtype=np.float64) - 0.5) * 0.1).astype(dtype)
            one = dtype(1.0)
            calls = calls_per_run(shape)
            floor = median_time(lambda: np.multiply(w, one, out=w), calls)
            formula = median_time(lambda: keras_numpy(w, axis, kind), calls)
            row = [name, np.dtype(dtype).name, formula * 1e3, formula / floor]
            if torch is not None:
                t = torch.from_numpy(w).clone()
                tfloor = median_time(lambda: t.mul_(1.0), calls)
                tkernel = median_time(lambda: torch_in_place(t, axis, kind), calls)
                shared = torch.from_numpy(w)
                tshared = median_time(lambda: torch_in_place(shared, axis, kind), calls)
                row += [tkernel * 1e3, tkernel / tfloor, tshared * 1e3]
            else:
                row += [float("nan")] * 3
            if alternate:
                kerb, ratios = [], []
                for _ in range(args.alternations):
                    kerb.append(kerb_ms(args.kerb, name, np.dtype(dtype).name))
                    ratios.append(median_time(lambda: torch_in_place(t, axis, kind), calls) * 1e3 / kerb[-1])
                row += [statistics.median(kerb), statistics.median(ratios), min(ratios), max(ratios)]
            print(("%-20s %-8s" + " %12.4f %12.2f %12.4f %12.2f %12.4f" + " %12.5f %12.2f %12.2f %12.2f" * alternate)
                  % tuple(row), flush=True)


if __name__ == "__main__":
    main()
