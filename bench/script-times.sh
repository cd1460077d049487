#!/usr/bin/env bash
# Times what kerb run costs, with hyperfine (apt-get install hyperfine), from the repository root after the build:
# the showcase script compiled from scratch, the same script from the cache, the same tour precompiled
# (samples/target/kerb-showcase.jar), and `kerb describe` start-up, which must not depend on the script runtime.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v hyperfine > /dev/null || { echo "script-times: hyperfine is not installed (apt-get install hyperfine)" >&2; exit 1; }
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
run="java -cp cli/target/kerb.jar:script-host/target/lib/* dev.kerb.cli.MainKt run samples/scripts/showcase.kerb.kts"
hyperfine -N -w 1 -r 3 --prepare "rm -rf $cache/cold" "$run --cache-dir $cache/cold"
hyperfine -N -w 3 -r 15 "$run --cache-dir $cache/warm" "java -jar samples/target/kerb-showcase.jar"
hyperfine -N -w 3 -r 20 \
    "java -jar cli/target/kerb.jar describe testdata/keras-corpus/dl4j-keras1-mlp-sequential-maxnorm-nonneg-unitnorm-minmaxnorm.json"
