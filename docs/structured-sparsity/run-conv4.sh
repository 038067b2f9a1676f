#!/usr/bin/env bash
# The Conv-4 half of docs/structured-sparsity.md's question, for a machine with time to spare
# or a GPU: Conv-4 (Frankle & Carbin 2019) on Fashion-MNIST, Adam 1.2e-3, batch 60, trained
# dense, pruned once by weight magnitude in each structure at 50% and 90% (2:4 at its 50%),
# then fine-tuned with the mask fixed. Each run checkpoints; --resume-or-start redoes only what
# is missing, so the script can be stopped and started again at any point.
#   docs/structured-sparsity/run-conv4.sh [RUNS_FOLDER]      (default runs/structured-conv4)
# Environment: ITERATIONS (per round, default 4000), EVAL_EVERY (default 1000), BACKEND
# (auto, cpu or cuda; default auto), EXTRA (more prune options, e.g. the subsets of a smoke run).
# A Conv-4 step costs about 27 GFLOP at batch 60: about 0.3-0.5 s on 2 CPU cores and milliseconds
# on a GPU. The sweep is nine runs; the first trains the dense round 0 and the other eight take it
# from that run (the same dense training), so it is ten trainings of ITERATIONS steps: some 4-6
# hours on 2 CPU cores at the default.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-runs/structured-conv4}
# shellcheck disable=SC2206
p=(--model conv4 --iterations "${ITERATIONS:-4000}" --eval-every "${EVAL_EVERY:-1000}" --backend "${BACKEND:-auto}"
   --out "$out" --resume-or-start ${EXTRA:-})

# 8x8 blocks, not LeNet's 16x16: conv1 is 64 x 9 (one input channel, 3x3), so 16-wide blocks would
# make it four blocks, and at 90% it would keep none, which pruning refuses.
for structure in unstructured block:4x4 block:8x8 channels; do
    for s in 0.5 0.9; do
        ./prune4j prune --structure "$structure" --schedule oneshot --sparsity "$s" --reset finetune "${p[@]}"
    done
done
# 2:4 fixes its sparsity at 50% (the ASP recipe: train dense, prune 2:4 once, fine-tune)
./prune4j prune --recipe asp "${p[@]}"
./prune4j report --compare "$out/comparison" "$out"/prune-*/
