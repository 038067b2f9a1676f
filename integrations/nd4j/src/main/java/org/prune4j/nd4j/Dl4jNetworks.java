package org.prune4j.nd4j;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.prune4j.nn.Initialiser;
import org.prune4j.nn.Linear;
import org.prune4j.nn.Model;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.ReLU;
import org.prune4j.tensor.Tensor;

/**
 * DL4J multilayer networks of dense layers in and out of Prune4J: {@link #toModel} builds a
 * Prune4J model with the same weights (DL4J stores W as inputs x outputs, Prune4J as outputs x
 * inputs), which can then be pruned by any method and trained or run on Prune4J's kernels;
 * {@link #intoNetwork} writes its weights, pruned ones as zeros, back into the network. The
 * output layer's softmax belongs to Prune4J's loss, so the model's outputs are the logits.
 */
public final class Dl4jNetworks {
    private Dl4jNetworks() {
    }

    /** The network's dense layers as a Prune4J model named {@code dl4j}, input a vector of nIn features. */
    public static Model toModel(MultiLayerNetwork net) {
        List<org.prune4j.nn.Layer> layers = new ArrayList<>();
        Layer[] dl = net.getLayers();
        if (dl.length == 0) {
            throw new IllegalArgumentException("the DL4J network has no layers; call net.init() first");
        }
        int inputs = -1;
        for (int i = 0; i < dl.length; i++) {
            var conf = dl[i].conf().getLayer();
            if (!(conf instanceof DenseLayer || conf instanceof OutputLayer)) {
                throw new IllegalArgumentException("layer " + i + " of the DL4J network is a "
                        + conf.getClass().getSimpleName() + "; Prune4J imports DenseLayer and OutputLayer networks");
            }
            INDArray w = dl[i].getParam("W");
            long nIn = w.size(0), nOut = w.size(1);
            if (inputs < 0) {
                inputs = Math.toIntExact(nIn);
            }
            Linear lin = new Linear("fc" + (i + 1), Math.toIntExact(nIn), Math.toIntExact(nOut));
            lin.weight().value().copyFromHost(Nd4jTensors.toTensor(w.transpose()).data());
            lin.parameters().get(1).value().copyFromHost(Nd4jTensors.toTensor(dl[i].getParam("b").reshape(nOut)).data());
            layers.add(lin);
            IActivation act = ((BaseLayer) conf).getActivationFn();
            boolean last = i == dl.length - 1;
            if (act instanceof ActivationReLU) {
                layers.add(new ReLU());
            } else if (!(act instanceof ActivationIdentity) && !(last && act instanceof ActivationSoftmax)) {
                throw new IllegalArgumentException("layer " + i + " uses activation " + act + "; Prune4J runs relu and "
                        + "identity, and softmax on the output layer");
            }
        }
        return new Model("dl4j", new int[] {inputs}, layers, Initialiser.GLOROT_NORMAL);
    }

    /** Writes the model's weights and biases back into the network it came from (same layer shapes). */
    public static void intoNetwork(Model model, MultiLayerNetwork net) {
        Layer[] dl = net.getLayers();
        var weighted = model.weightedLayers();
        if (weighted.size() != dl.length) {
            throw new IllegalArgumentException("the model has " + weighted.size() + " weighted layers, the network "
                    + dl.length);
        }
        for (int i = 0; i < dl.length; i++) {
            Parameter w = weighted.get(i).weight(), b = weighted.get(i).parameters().get(1);
            INDArray target = dl[i].getParam("W");
            Tensor wt = w.value().transpose();
            if (target.size(0) != wt.rows() || target.size(1) != wt.cols()) {
                throw new IllegalArgumentException("layer " + i + ": the network's W is " + target.size(0) + "x"
                        + target.size(1) + " but the model's weight gives " + wt.rows() + "x" + wt.cols());
            }
            target.assign(Nd4jTensors.toNd4j(wt));
            dl[i].getParam("b").assign(Nd4jTensors.toNd4j(b.value()).reshape(dl[i].getParam("b").shape()));
        }
    }
}
