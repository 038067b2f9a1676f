#!/usr/bin/env bash
# Training time per structure with nothing else on the machine: LeNet-300-100, 5,000 dense
# iterations, prune once at 90% in each structure (2:4 at its 50%), then 5,000 fine-tuning
# iterations, evaluated only at the ends, so round 1's seconds are training steps. About
# 3 minutes.
#   docs/structured-sparsity/timing.sh [RUNS_FOLDER]   (default runs/structured-timing)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-runs/structured-timing}
p=(--iterations 5000 --eval-every 5000 --reset finetune --out "$out" --resume-or-start)
for structure in unstructured block:4x4 block:16x16 channels; do
    for s in 0.5 0.9; do
        ./prune4j prune --structure "$structure" --schedule oneshot --sparsity "$s" "${p[@]}"
    done
done
./prune4j prune --structure nm:2:4 "${p[@]}"
