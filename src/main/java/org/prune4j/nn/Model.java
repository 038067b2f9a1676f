package org.prune4j.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/** A feed-forward stack of layers for inputs of one shape, with named parameters. */
public final class Model {
    private final String name;
    private final int[] inputShape;
    private final List<Layer> layers;
    private final List<Parameter> parameters;
    private final Map<String, Parameter> byName;
    private final Initialiser initialiser;
    private final int firstTrainedLayer;

    public Model(String name, int[] inputShape, List<Layer> layers, Initialiser initialiser) {
        this.name = name;
        this.inputShape = inputShape.clone();
        this.layers = List.copyOf(layers);
        this.initialiser = initialiser;
        int[] s = this.inputShape;
        for (Layer l : this.layers) {
            s = l.outputShape(s);
        }
        List<Parameter> ps = new ArrayList<>();
        Map<String, Parameter> names = new LinkedHashMap<>();
        for (Layer l : this.layers) {
            for (Parameter p : l.parameters()) {
                if (names.put(p.name(), p) != null) {
                    throw new IllegalArgumentException("two parameters are named " + p.name());
                }
                ps.add(p);
            }
        }
        this.parameters = List.copyOf(ps);
        this.byName = names;
        int first = 0;
        while (first < this.layers.size() && this.layers.get(first).parameters().isEmpty()) {
            first++;
        }
        this.firstTrainedLayer = first;
    }

    public String name() {
        return name;
    }

    public int[] inputShape() {
        return inputShape.clone();
    }

    public List<Layer> layers() {
        return layers;
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    public Parameter parameter(String paramName) {
        Parameter p = byName.get(paramName);
        if (p == null) {
            throw new IllegalArgumentException(name + " has no parameter " + paramName + "; it has " + byName.keySet());
        }
        return p;
    }

    /** The prunable weights in layer order; the last one is the output layer's. */
    public List<Parameter> prunable() {
        return parameters.stream().filter(Parameter::prunable).toList();
    }

    public List<WeightedLayer> weightedLayers() {
        return leaves().stream().map(Leaf::layer).filter(WeightedLayer.class::isInstance)
                .map(WeightedLayer.class::cast).toList();
    }

    /**
     * A plain layer, its input shape for one example, the index of the model layer that holds
     * it (itself, or the residual block it sits in), and whether it is the first plain layer there.
     */
    public record Leaf(Layer layer, int[] inputShape, int position, boolean firstInPosition) {
    }

    /** Every plain layer in the order data meets it, looking inside composite layers. */
    public List<Leaf> leaves() {
        List<Leaf> out = new ArrayList<>();
        int[] s = inputShape;
        for (int i = 0; i < layers.size(); i++) {
            int position = i;
            int before = out.size();
            layers.get(i).forEachLeaf(s, (l, in) -> out.add(new Leaf(l, in.clone(), position, false)));
            if (out.size() > before) {
                Leaf f = out.get(before);
                out.set(before, new Leaf(f.layer(), f.inputShape(), position, true));
            }
            s = layers.get(i).outputShape(s);
        }
        return out;
    }

    /** Whether {@code weight} is a convolution's (Frankle & Carbin prune those at their own rate). */
    public boolean isConvolution(Parameter weight) {
        return weightedLayers().stream().anyMatch(w -> w.weight() == weight && w instanceof Conv2d);
    }

    public boolean isOutput(Parameter weight) {
        List<Parameter> pr = prunable();
        return !pr.isEmpty() && pr.get(pr.size() - 1) == weight;
    }

    /** Draws fresh weights (biases zero, BatchNorm reset) from {@code rng}; masks stay and are applied. */
    public void initialise(Rng rng) {
        int i = 0;
        for (Parameter p : parameters) {
            Rng r = rng.split(++i);
            switch (p.kind()) {
                case WEIGHT -> initialiser.fill(p, r);
                case BIAS, NORM_SHIFT -> p.value().fill(0f);
                case NORM_SCALE -> p.value().fill(1f);
                case BUFFER -> p.value().fill(p.name().endsWith("running_var") ? 1f : 0f);
            }
        }
    }

    public Initialiser initialiser() {
        return initialiser;
    }

    public Tensor forward(Tensor x, Pass pass) {
        int[] s = x.shape();
        if (s.length != inputShape.length + 1 || !Arrays.equals(Arrays.copyOfRange(s, 1, s.length), inputShape)) {
            throw new IllegalArgumentException(name + " expects batch x " + Arrays.toString(inputShape) + " input, got "
                    + x.shapeString() + "; choose a model that fits the data set");
        }
        Tensor h = x;
        for (Layer l : layers) {
            h = l.forward(h, pass);
        }
        return h;
    }

    /**
     * Backpropagates dL/d(output) through every layer, overwriting all gradients. Stops at the
     * first layer with parameters: nothing before it needs a gradient, so its input gradient
     * (for LeNet-300-100 the 784-wide product, for a conv net a col2im) is not computed.
     */
    public void backward(Tensor dy) {
        int first = firstTrainedLayer;
        Tensor g = dy;
        for (int i = layers.size() - 1; i >= first && i >= 0; i--) {
            g = layers.get(i).backward(g, i > first);
        }
    }

    /** Moves every parameter back to host memory, dense, freeing what it held on a device. */
    public void release() {
        parameters.forEach(Parameter::release);
    }

    /** Picks each weighted layer's kernel for its present density, at batch 1; returns the log lines. */
    public List<String> chooseKernels(KernelPolicy policy) {
        return chooseKernels(policy, 1);
    }

    /** Picks each weighted layer's kernel for its density and its products at this batch size; returns the log lines. */
    public List<String> chooseKernels(KernelPolicy policy, int batch) {
        return layerShapes(batch).entrySet().stream().map(e -> e.getKey().chooseKernel(policy, e.getValue())).toList();
    }

    /** The product shape of each weighted layer in a training step at this batch size, in layer order. */
    public Map<WeightedLayer, LayerShape> layerShapes(int batch) {
        Map<WeightedLayer, LayerShape> out = new LinkedHashMap<>();
        for (Leaf leaf : leaves()) {
            if (leaf.layer() instanceof WeightedLayer w) {
                // only the first layer of the model's first trained layer is spared its input gradient
                boolean inputGradient = leaf.position() > firstTrainedLayer || !leaf.firstInPosition();
                int[] ws = w.weight().shape();
                out.put(w, new LayerShape(ws[0], ws[1], batch * w.positions(leaf.inputShape()), inputGradient,
                        w.layout(), w.weight().structure()));
            }
        }
        return out;
    }

    public ModelState state() {
        return ModelState.of(this);
    }

    /** Copies values (and masks, when the state has them) from {@code state}. */
    public void load(ModelState state) {
        state.loadInto(this);
    }

    public void setMasks(Map<String, Mask> masks) {
        for (Map.Entry<String, Mask> e : masks.entrySet()) {
            parameter(e.getKey()).setMask(e.getValue());
        }
    }

    /** The BatchNorm scales (gamma), in layer order; empty for a model without BatchNorm. */
    public List<Parameter> normScales() {
        return parameters.stream().filter(p -> p.kind() == Parameter.Kind.NORM_SCALE).toList();
    }

    public long weightCount() {
        return prunable().stream().mapToLong(Parameter::size).sum();
    }

    public long aliveWeights() {
        return prunable().stream().mapToLong(Parameter::alive).sum();
    }

    public double density() {
        return aliveWeights() / (double) weightCount();
    }

    public String describe() {
        StringBuilder sb = new StringBuilder(name).append(": ");
        for (int i = 0; i < layers.size(); i++) {
            sb.append(i == 0 ? "" : " > ").append(layers.get(i).describe());
        }
        return sb.append(" (").append(weightCount()).append(" weights)").toString();
    }
}
