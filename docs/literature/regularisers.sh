#!/usr/bin/env bash
# Regularisation routes to sparsity on LeNet-300-100 / Fashion-MNIST (docs/literature.md, last
# section), each next to magnitude pruning at the sparsity the method reached. Resumable.
#   docs/literature/regularisers.sh [RUNS_FOLDER]   (default runs/reg; hours on 2 shared cores)
# Round 0 trains 10,000 iterations under the regulariser and ends in its mask (the paper's
# result: no fine-tuning); round 1 fine-tunes that mask 10,000 iterations on the sparse kernels.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-runs/reg}
common=(--iterations 10000 --eval-every 1000 --resume-or-start)

# Targeted dropout (Gomez et al. 2019): 90% of each unit's weights targeted, dropped at 0.5;
# magnitude pruning at the same 90% in every layer (the output layer too).
./prune4j prune --regularise targeted-dropout --td-gamma 0.9 --td-alpha 0.5 --reset finetune --seeds 3 "${common[@]}" \
    --out "$out/td-0.9"
./prune4j prune --schedule oneshot --sparsity 0.9 --output-rate-scale 1 --reset finetune --seeds 3 "${common[@]}" \
    --out "$out/magnitude-0.9-all"

# Sparse variational dropout (Molchanov et al. 2017): log alpha > 3 pruned. The seeds reached
# 7.5-7.8% of the weights; magnitude pruning (global scope, which also lets layers differ) at
# seed 1's 7.84%.
./prune4j prune --regularise variational-dropout --reset finetune --seeds 1,2,3 "${common[@]}" --out "$out/vd"
./prune4j prune --schedule oneshot --scope global --sparsity 0.9216 --reset finetune --seeds 1,2,3 "${common[@]}" \
    --out "$out/magnitude-global-0.9216"

# L0 with hard-concrete gates (Louizos et al. 2018), their LeNet-300-100 lambda of 0.1.
./prune4j prune --regularise l0 --l0-lambda 0.1 --reset finetune --seed 1 "${common[@]}" --out "$out/l0-0.1"

# Pooled tables (docs/literature/comparisons/regularise-*.csv)
./prune4j report "$out/td-0.9" "$out/magnitude-0.9-all" --compare "$out/compare-td"
./prune4j report "$out/vd" "$out/magnitude-global-0.9216" --compare "$out/compare-vd"
./prune4j report "$out/l0-0.1" --compare "$out/compare-l0"
