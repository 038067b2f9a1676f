#!/usr/bin/env bash
# Results of docs/literature.md on LeNet-300-100 / Fashion-MNIST, 3 seeds each, resumable.
#   docs/literature/run.sh [RUNS_FOLDER]   (default runs/literature; about 30 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-runs/literature}
seeds=(--seeds 3 --iterations 10000 --eval-every 1000 --resume-or-start)

# GraSP with the official temperature (T = 200), SNIP and random pruning, at initialisation, 90%.
for score in grasp snip random; do
    ./prune4j prune --score "$score" --when init --schedule oneshot --sparsity 0.9 "${seeds[@]}" \
        --out "$out/at-init-$score"
done

# Knowledge distillation during fine-tuning: dense round 0, magnitude pruning once, then
# fine-tuning with and without the dense network as teacher (T = 4, 0.9 of the loss soft).
for s in 0.9 0.95 0.98; do
    common=(--schedule oneshot --sparsity "$s" --reset finetune "${seeds[@]}")
    ./prune4j prune "${common[@]}" --out "$out/finetune-$s"
    ./prune4j prune "${common[@]}" --distill 4 --out "$out/distill-$s"
done
