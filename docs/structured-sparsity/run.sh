#!/usr/bin/env bash
# The runs behind docs/structured-sparsity.md: LeNet-300-100 on Fashion-MNIST (Adam 1.2e-3,
# batch 60), trained dense for 20,000 iterations, pruned once by weight magnitude in each
# structure (a group ranks by the mean |w| of its weights), then fine-tuned 20,000 iterations
# with the mask fixed; validation and test every 1,000 iterations, so a run's time is mostly
# training steps. Each run checkpoints and --resume-or-start redoes only what is missing.
# About 15 minutes on 2 cores (the runs share one dense round 0; slimming trains its own).
#   docs/structured-sparsity/run.sh [RUNS_FOLDER]   (default runs/structured)
# Environment: EXTRA (more prune options, e.g. --latency to time each network's inference).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-runs/structured}
# shellcheck disable=SC2206
p=(--iterations 20000 --eval-every 1000 --out "$out" --resume-or-start ${EXTRA:-})

for structure in unstructured block:4x4 block:16x16 channels; do
    for s in 0.5 0.75 0.9 0.95; do
        ./prune4j prune --structure "$structure" --schedule oneshot --sparsity "$s" --reset finetune "${p[@]}"
    done
done
# 2:4 fixes its sparsity at 50% (the ASP recipe: train dense, prune 2:4 once, fine-tune)
./prune4j prune --recipe asp "${p[@]}"
# network slimming on the BatchNorm MLP, and the rethinking comparison (fine-tuned vs from scratch)
./prune4j prune --recipe slimming "${p[@]}"
./prune4j prune --recipe rethinking "${p[@]}"
./prune4j report --compare "$out/comparison" "$out"/prune-*/
