package org.prune4j.prune;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.nn.LearningRate;
import org.prune4j.nn.Model;
import org.prune4j.nn.Optimizer;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.WeightForm;
import org.prune4j.nn.WeightedLayer;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Tensor;
import org.prune4j.train.Trainer;

/**
 * A regularisation route to sparsity as a trainer hook: every weighted layer of the model
 * computes through a {@link WeightForm} (targeted dropout, variational dropout, hard-concrete
 * gates) for {@code iterations} steps, the forms' auxiliary tensors are stepped by their own
 * optimiser after each model step, and at the end each weight becomes {@code W * testGates}
 * with the mask {@code testGates != 0}. From then on the layers are plain masked layers: the
 * pruning machinery, checkpoints and the sparse kernels see a pruned network and nothing of the
 * method.
 *
 * <p>Evaluations during training score the network the method would end in at that point (the
 * forms' test-time product); early stopping looks only at the last one ({@link #settledFrom}),
 * the network the mask belongs to.
 */
public final class SparsityRegulariser implements Trainer.Hook {
    private final List<WeightedLayer> layers;
    private final List<WeightForm> forms = new ArrayList<>();
    private final List<Parameter> auxiliary = new ArrayList<>();
    private final Optimizer optimizer;
    private final LearningRate lr;
    private final long iterations;
    private boolean finished;

    /**
     * Installs {@code form}'s weight form on every weighted layer of {@code model}; the
     * auxiliary tensors train with {@code optimizer} (a fresh instance, not the model's) at
     * {@code lr}, and the masks are set after step {@code iterations}.
     */
    public SparsityRegulariser(Model model, Function<WeightedLayer, WeightForm> form, Optimizer optimizer,
            LearningRate lr, long iterations) {
        if (iterations < 0) {
            throw new IllegalArgumentException("a regulariser trains for iterations >= 0, got " + iterations);
        }
        this.layers = model.weightedLayers();
        if (layers.isEmpty()) {
            throw new IllegalArgumentException(model.name() + " has no weighted layer to regularise");
        }
        this.optimizer = optimizer;
        this.lr = lr;
        this.iterations = iterations;
        for (WeightedLayer l : layers) {
            WeightForm f = form.apply(l);
            forms.add(f);
            auxiliary.addAll(f.auxiliary());
        }
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).useForm(forms.get(i));
        }
        optimizer.reset();
    }

    /** The layers' forms, in model order (tests and reports read their auxiliary tensors). */
    public List<WeightForm> forms() {
        return List.copyOf(forms);
    }

    @Override
    public void afterStep(long iteration, Model model) {
        if (!auxiliary.isEmpty() && !finished) {
            optimizer.step(auxiliary, lr.at(iteration - 1));
        }
    }

    @Override
    public void beforeEvaluation(long iteration, Model model) {
        if (iteration >= iterations) {
            finish();
        }
    }

    @Override
    public long settledFrom() {
        return iterations;
    }

    /** Whether the masks are set. */
    public boolean finished() {
        return finished;
    }

    /**
     * Ends the regularised training now: each weight becomes {@code W * testGates}, masked where
     * the gates are zero, the layers go back to their plain products and the auxiliary tensors
     * are released. Called by the trainer after the last step; callable once.
     */
    public void finish() {
        if (finished) {
            return;
        }
        for (int i = 0; i < layers.size(); i++) {
            WeightForm f = forms.get(i);
            Parameter w = f.weight();
            Backend be = w.currentBackend() != null ? w.currentBackend() : Backends.host();
            Tensor gatesOnBackend = f.testGates(be);
            float[] gates = gatesOnBackend.toHost().data();
            if (!gatesOnBackend.isHost()) {
                gatesOnBackend.storage().release();
            }
            layers.get(i).useForm(null);
            float[] v = w.value().data();
            boolean[] keep = new boolean[v.length];
            for (int j = 0; j < v.length; j++) {
                keep[j] = gates[j] != 0f;
                v[j] *= gates[j];
            }
            int[] s = w.shape();
            w.setMask(Mask.of(s[0], s[1], keep));
        }
        optimizer.reset();
        auxiliary.forEach(Parameter::release);
        finished = true;
    }
}
