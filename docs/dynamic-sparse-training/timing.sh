#!/usr/bin/env bash
# Training time of each method with nothing else on the machine: 5,000 iterations of
# LeNet-300-100 at 90% sparsity (batch 60, Adam), evaluated once at the end, so the seconds in
# each results.json are training steps and mask updates, not evaluation. About 5 minutes.
#   docs/dynamic-sparse-training/timing.sh [RUNS_FOLDER]   (default runs/dst-timing)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-runs/dst-timing}
p=(--iterations 5000 --eval-every 5000 --out "$out" --resume-or-start)
./prune4j train "${p[@]}"
./prune4j rigl --sparsity 0.9 "${p[@]}"
./prune4j set --sparsity 0.9 "${p[@]}"
./prune4j prune --score magnitude --schedule gradual --sparsity 0.9 "${p[@]}"
./prune4j edge-popup --sparsity 0.9 "${p[@]}"
./prune4j supermask "${p[@]}"
./prune4j train --model mlp-bn "${p[@]}"
./prune4j bn-only "${p[@]}"
