#!/usr/bin/env bash
# k-winners-take-all with boosting (Ahmad and Scheinkman 2019) on Fashion-MNIST: the dense MLP,
# the same MLP with 30% of its first layer's weights and k-winners units, and the dense MLP
# magnitude-pruned to the same weights, three seeds each; one seed of the paper's Sparse and
# Dense CNN-2 on a shorter budget; then their test accuracy under Gaussian, uniform and the
# paper's white-pixel noise. Resumable; the tables and plots land in docs/literature/kwta/.
#   docs/literature/kwta.sh [RUNS_FOLDER]   (default runs/kwta)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-runs/kwta}
p4j=${PRUNE4J:-./prune4j}
seeds=(--seeds 3 --iterations 10000 --eval-every 1000 --resume-or-start)

$p4j train --model dense-mlp "${seeds[@]}" --out "$out/dense"
$p4j train --model kwta-mlp "${seeds[@]}" --out "$out/kwta"
# fc1 keeps 30% like kwta-mlp's, the output layer all of its weights (--output-rate-scale 0)
$p4j prune --model dense-mlp --schedule oneshot --sparsity 0.7 --output-rate-scale 0 --reset finetune \
    "${seeds[@]}" --out "$out/magnitude"
for m in kwta-cnn dense-cnn; do
    $p4j train --model "$m" --seed 1 --iterations 3000 --eval-every 500 --resume-or-start --out "$out/cnn"
done

levels=(--levels 0,0.1,0.2,0.3,0.4,0.5 --out docs/literature/kwta)
mlp=("$out"/dense/train-dense-mlp-???????????? "$out"/kwta/train-kwta-mlp-???????????? \
    "$out"/magnitude/prune-dense-mlp-????????????)
for noise in gaussian uniform pixels; do
    $p4j noise --noise "$noise" "${levels[@]}" --run "${mlp[@]}" --name "mlp-$noise"
done
for noise in gaussian pixels; do
    $p4j noise --noise "$noise" "${levels[@]}" --run "$out"/cnn/train-* --name "cnn-$noise"
done

# The kwta-mlp networks under the other evaluation rules (k or 1.5 k winners, boosted or not).
mvn -q -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package
java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp "target/prune4j.jar:target/lib/*" \
    docs/literature/KwtaEvaluation.java "$out"/kwta/train-kwta-mlp-???????????? \
    > docs/literature/kwta/mlp-evaluation-rules.md
