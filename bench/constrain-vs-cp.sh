#!/usr/bin/env bash
# Times `kerb constrain` against `cp` of the same .keras file, side by side in one hyperfine run, from the repository
# root after the build: a 537 MB file (32 Dense(2048, 2048) layers, every weight constrained) and, with LAYERS=128, a
# 2.1 GB one (zip64). The file is generated once with Keras (bench/python/make_big_keras.py, in the venv .ci/check-keras
# makes) into WORK (default /tmp/kerb-big) and not committed. `cp && sync` shows what durability costs, since
# constrain flushes its output to disk before moving it into place and cp does not.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v hyperfine > /dev/null || { echo "constrain-vs-cp: hyperfine is not installed (apt-get install hyperfine)" >&2; exit 1; }
layers=${LAYERS:-32}
work=${WORK:-/tmp/kerb-big}
mkdir -p "$work"
big="$work/big$layers.keras"
[[ -f "$big" ]] || KERAS_BACKEND=jax target/keras-venv/bin/python bench/python/make_big_keras.py "$big" "$layers"
trap 'rm -f "$work/copy.keras" "$work/out.keras"' EXIT
hyperfine -N -w 1 -r 5 "cp $big $work/copy.keras" "sh -c 'cp $big $work/copy.keras && sync $work/copy.keras'" \
    "./kerb constrain $big -o $work/out.keras" "./kerb describe $big"
