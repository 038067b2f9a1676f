package org.prune4j.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.nn.KernelPolicy;
import org.prune4j.nn.Model;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.Pass;
import org.prune4j.prune.LayerwiseScope;
import org.prune4j.prune.MagnitudeScore;
import org.prune4j.prune.Pruner;
import org.prune4j.prune.ScoringContext;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * A DL4J network into Prune4J, pruned and run on the sparse kernels, and back: at every stage
 * the two libraries compute the same outputs (DL4J's softmax of Prune4J's logits).
 */
class Dl4jNetworksTest {

    private static MultiLayerNetwork network() {
        var conf = new NeuralNetConfiguration.Builder().seed(7).list()
                .layer(new DenseLayer.Builder().nIn(20).nOut(16).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(16).nOut(12).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(12).nOut(5)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static void assertSameOutputs(MultiLayerNetwork net, Model m, Backend be, Tensor x, String what) {
        float[] logits = m.forward(x, Pass.eval(be)).data();
        INDArray probs = net.output(Nd4jTensors.toNd4j(x));
        for (int r = 0; r < x.rows(); r++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < 5; j++) {
                max = Math.max(max, logits[r * 5 + j]);
            }
            for (int j = 0; j < 5; j++) {
                sum += Math.exp(logits[r * 5 + j] - max);
            }
            for (int j = 0; j < 5; j++) {
                assertEquals(probs.getDouble(r, j), Math.exp(logits[r * 5 + j] - max) / sum, 1e-5,
                        what + " row " + r + " class " + j);
            }
        }
    }

    @Test
    void tensorsCrossWithTheirValuesAndShape() {
        Tensor t = Tensor.uniform(new Rng(1), -1, 1, 3, 4, 5);
        INDArray a = Nd4jTensors.toNd4j(t);
        assertArrayEquals(new long[] {3, 4, 5}, a.shape());
        Tensor back = Nd4jTensors.toTensor(a);
        assertArrayEquals(t.data(), back.data());
        assertArrayEquals(t.shape(), back.shape());
        INDArray fortran = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, 'f');
        assertArrayEquals(new float[] {1, 3, 5, 2, 4, 6}, Nd4jTensors.toTensor(fortran).data(),
                "a Fortran-ordered array comes out row-major");
    }

    @Test
    void aNetworkIsImportedPrunedRunSparseAndHandedBack() {
        MultiLayerNetwork net = network();
        Model m = Dl4jNetworks.toModel(net);
        Backend be = Backends.open("cpu");
        Tensor x = Tensor.uniform(new Rng(2), -1, 1, 9, 20);
        assertSameOutputs(net, m, be, x, "imported");

        Pruner.prune(new ScoringContext(m, be, null, 1, 1, new Rng(3)), new MagnitudeScore(), new LayerwiseScope(1.0),
                0.25, 1);
        float[] dense = m.forward(x, Pass.eval(be)).data().clone();
        m.chooseKernels(new KernelPolicy(1.0, "test"), 9);
        assertTrue(m.weightedLayers().get(0).sparseKernel(), "the pruned layers run on the sparse kernels");
        float[] sparse = m.forward(x, Pass.eval(be)).data();
        for (int i = 0; i < dense.length; i++) {
            assertEquals(dense[i], sparse[i], 1e-5, "sparse and dense kernels agree at " + i);
        }

        Dl4jNetworks.intoNetwork(m, net);
        assertSameOutputs(net, m, be, x, "handed back");
        for (int i = 0; i < 3; i++) {
            Parameter w = m.weightedLayers().get(i).weight();
            INDArray dlW = net.getLayer(i).getParam("W");
            boolean[] keep = w.mask().toArray();
            int cols = w.shape()[1];
            for (int k = 0; k < keep.length; k++) {
                if (!keep[k]) {
                    assertEquals(0.0, dlW.getDouble(k % cols, k / cols), "layer " + i + " entry " + k + " is pruned");
                }
            }
        }
    }

    @Test
    void aLayerTypePrune4jCannotRunIsNamed() {
        var conf = new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(1).nOut(2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(2).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dl4jNetworks.toModel(net));
        assertTrue(e.getMessage().contains("layer 0 of the DL4J network is a ConvolutionLayer"), e.getMessage());
    }
}
