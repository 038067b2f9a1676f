#!/usr/bin/env bash
# Weight-agnostic neural networks (Gaier and Ha 2019): the search on the cart-pole swing-up at
# the paper's laptop settings (population 64, 1,024 generations, 3 episodes per weight) and on
# Fashion-MNIST shrunk to 14x14 (population 128, 1,024 generations, 1,000 training images a
# generation), seeds 1-3 each, pooled per column. Resumable; the result folders land in
# docs/literature/wann/.
#   docs/literature/wann.sh [RUNS_FOLDER]   (default runs/wann)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-runs/wann}
p4j=${PRUNE4J:-./prune4j}

$p4j wann --task swingup --seeds 3 --threads 1 --out "$out" --resume-or-start
$p4j wann --task fashion-mnist --generations 1024 --seeds 3 --threads 1 --out "$out" --resume-or-start

mkdir -p docs/literature/wann
for run in "$out"/wann-*; do
    name=$(basename "$run")
    if [[ $name == *-seeds ]]; then
        cp -r "$run" docs/literature/wann/
        continue
    fi
    seed=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seed"])' "$run/settings.json")
    dest="docs/literature/wann/$(echo "$name" | sed 's/-[0-9a-f]\{12\}$//')-seed$seed"
    mkdir -p "$dest"
    cp "$run"/{results.md,results.json,progress.csv,champion.json,champion.svg,settings.json} "$dest/"
    cp "$run"/*.png "$dest/" 2>/dev/null || true
done
