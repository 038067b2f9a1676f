#!/usr/bin/env bash
# Conv-4's training step and inference time per structure, for the Pareto chart of
# docs/structured-sparsity.md: run-conv4.sh's prunings, each trained only briefly (400 dense
# iterations, pruned once, 400 fine-tuning ones, evaluated only at the ends), with nothing else
# on the machine. A round records its milliseconds per training step without the evaluations,
# and --latency times inference at batch 1 and 256 on each round's network. The runs after the
# first take its dense round 0 (latency included). About 30 minutes on 2 cores.
#   docs/structured-sparsity/timing-conv4.sh [RUNS_FOLDER]   (default runs/structured-conv4-timing)
# Then the accuracy of the long runs against these times:
#   ./prune4j report --compare OUT runs/structured-conv4 --step-times runs/structured-conv4-timing
set -euo pipefail
cd "$(dirname "$0")/../.."
ITERATIONS=400 EVAL_EVERY=400 EXTRA=--latency exec docs/structured-sparsity/run-conv4.sh \
    "${1:-runs/structured-conv4-timing}"
