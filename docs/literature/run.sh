#!/usr/bin/env bash
# Results of docs/literature.md on LeNet-300-100 / Fashion-MNIST, 3 seeds each, resumable.
#   docs/literature/run.sh [RUNS_FOLDER]   (default runs/literature; about an hour on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-runs/literature}
seeds=(--seeds 3 --iterations 10000 --eval-every 1000 --resume-or-start)

# GraSP with the official temperature (T = 200), SNIP and random pruning, at initialisation, 90%.
for score in grasp snip random; do
    ./prune4j prune --score "$score" --when init --schedule oneshot --sparsity 0.9 "${seeds[@]}" \
        --out "$out/at-init-$score"
done

# The same three scores with a global scope, which lets each score choose the layers' shares,
# at 90% and 98%.
for s in 0.9 0.98; do
    for score in grasp snip random; do
        ./prune4j prune --score "$score" --when init --scope global --schedule oneshot --sparsity "$s" "${seeds[@]}" \
            --out "$out/at-init-global-$s-$score"
    done
done

# Knowledge distillation during fine-tuning: dense round 0, magnitude pruning once, then
# fine-tuning with and without the dense network as teacher (T = 4, 0.9 of the loss soft).
for s in 0.9 0.95 0.98; do
    common=(--schedule oneshot --sparsity "$s" --reset finetune "${seeds[@]}")
    ./prune4j prune "${common[@]}" --out "$out/finetune-$s"
    ./prune4j prune "${common[@]}" --distill 4 --out "$out/distill-$s"
done

# Optimal Brain Damage after training, 90% one-shot, fine-tuned like finetune-0.9 (magnitude):
# as LeCun et al. computed it, and with Hutchinson's estimate of the Hessian diagonal.
for score in obd-lecun obd; do
    ./prune4j prune --score "$score" --schedule oneshot --sparsity 0.9 --reset finetune "${seeds[@]}" \
        --out "$out/$score-0.9"
done

# Han et al. 2015: dense with L2, then three rounds of thresholding at one standard deviation,
# each retrained for 10,000 iterations at a tenth of the learning rate.
./prune4j prune --scope han --han-quality 1 --rounds 3 --reset finetune --iterations 20000 --eval-every 1000 \
    --retrain-lr 1.2e-4 --retrain-iterations 10000 --weight-decay 1e-4 --seeds 3 --resume-or-start --out "$out/han"

# Zhang et al. 2019: each layer reset to earlier checkpoints of its training, or re-drawn.
./prune4j layer-reset --iterations 20000 --eval-every 5000 --resume-or-start --out "$out/layer-reset"
./prune4j layer-reset --model lenet5 --iterations 10000 --eval-every 5000 --resume-or-start --out "$out/layer-reset"
