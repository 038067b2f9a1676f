#!/usr/bin/env bash
# The runs behind docs/dynamic-sparse-training.md: LeNet-300-100 on Fashion-MNIST with the
# lottery-ticket protocol (Adam 1.2e-3, batch 60, 50,000 iterations, evaluation every 100), every
# method at 80, 90, 95 and 98% sparsity. Each run checkpoints and this script passes --resume-or-start, so
# rerunning it after an interruption redoes only what is missing. About three hours on 2 cores.
#   docs/dynamic-sparse-training/run.sh [RUNS_FOLDER]   (default runs/dst)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-runs/dst}
p=(--iterations 50000 --eval-every 100 --out "$out" --resume-or-start)
sparsities=(0.8 0.9 0.95 0.98)

./prune4j train "${p[@]}"
for s in "${sparsities[@]}"; do ./prune4j rigl --sparsity "$s" "${p[@]}"; done
for s in "${sparsities[@]}"; do ./prune4j set --sparsity "$s" "${p[@]}"; done
# magnitude pruning during training (Zhu & Gupta), from dense to the target between 10% and 60% of training
for s in "${sparsities[@]}"; do ./prune4j prune --score magnitude --schedule gradual --sparsity "$s" "${p[@]}"; done
for s in "${sparsities[@]}"; do ./prune4j edge-popup --sparsity "$s" "${p[@]}"; done
./prune4j supermask "${p[@]}"
./prune4j train --model mlp-bn "${p[@]}"
./prune4j bn-only "${p[@]}"
# the lottery ticket: rewound iterative magnitude pruning, 20% of each hidden layer and 10% of the
# output layer per round; rounds 7, 10, 13 and 17 come nearest to the four sparsities
./prune4j prune --score magnitude --schedule iterative --rate 0.2 --output-rate-scale 0.5 --reset rewind \
    --rounds 17 "${p[@]}"
# the spread over seeds where runs are cheap
for seed in 2 3; do
    ./prune4j train --seed "$seed" "${p[@]}"
    ./prune4j rigl --sparsity 0.9 --seed "$seed" "${p[@]}"
    ./prune4j set --sparsity 0.9 --seed "$seed" "${p[@]}"
done
# the variants: edge-popup with the scaled constant, the supermask's expected network
for s in 0.9 0.98; do ./prune4j edge-popup --sparsity "$s" --weights scaled-signed-kaiming "${p[@]}"; done
./prune4j supermask --evaluate expected "${p[@]}"
# supermasks in superposition: 5 permuted Fashion-MNIST tasks, 10,000 iterations each
./prune4j supsup --tasks 5 --sparsity 0.5 --iterations 10000 --eval-every 500 --out "$out" --resume-or-start
