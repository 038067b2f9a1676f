package org.prune4j.exchange;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.prune4j.nn.BatchNorm;
import org.prune4j.nn.Conv2d;
import org.prune4j.nn.Dropout;
import org.prune4j.nn.Flatten;
import org.prune4j.nn.GlobalAvgPool;
import org.prune4j.nn.Layer;
import org.prune4j.nn.Linear;
import org.prune4j.nn.MaxPool2d;
import org.prune4j.nn.Model;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.ReLU;
import org.prune4j.nn.ResidualBlock;

/**
 * A model as an ONNX graph (opset 13) for inference anywhere ONNX runs: Linear as Gemm with
 * the weight transposed, Conv2d as Conv, MaxPool2d as MaxPool, BatchNorm in evaluation form
 * with its running statistics, ReLU, Flatten, GlobalAvgPool as GlobalAveragePool and Flatten, a
 * residual block as its two paths joined by Add and Relu; Dropout is the identity at inference and leaves
 * no node. Pruned weights are exported as the zeros they are (ONNX has no sparse weight that
 * runtimes execute). The batch dimension is symbolic. Written with the protobuf wire format
 * directly: ONNX's schema is small and stable, and it saves a dependency.
 */
public final class OnnxExport {
    private static final int FLOAT = 1;
    private static final int ATTR_FLOAT = 1;
    private static final int ATTR_INT = 2;
    private static final int ATTR_INTS = 7;

    private OnnxExport() {
    }

    public static void write(Model model, Path file) {
        byte[] bytes = encode(model);
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    static byte[] encode(Model model) {
        ProtoWriter graph = new ProtoWriter().string(2, model.name());
        Graph g = new Graph();
        String x = g.emit(model.layers(), "input");
        int[] shape = model.inputShape();
        for (Layer l : model.layers()) {
            shape = l.outputShape(shape);
        }
        g.nodes.forEach(n -> graph.message(1, n));
        g.inits.forEach(t -> graph.message(5, t));
        graph.message(11, valueInfo("input", model.inputShape()));
        graph.message(12, valueInfo(x, shape));
        return new ProtoWriter().int64(1, 7).string(2, "prune4j").string(3, "0.1.0").message(7, graph)
                .message(8, new ProtoWriter().string(1, "").int64(2, 13)).toBytes();
    }

    /** The nodes and initialisers of a graph as layers are added; values are named t0, t1, ... */
    private static final class Graph {
        final List<ProtoWriter> nodes = new ArrayList<>();
        final List<ProtoWriter> inits = new ArrayList<>();
        private int next;

        /** Adds {@code layers} in order after the value {@code x}; returns the name of their output. */
        String emit(List<Layer> layers, String x) {
            for (Layer l : layers) {
                x = emit(l, x);
            }
            return x;
        }

        private String emit(Layer l, String x) {
            if (l instanceof Dropout) {
                return x;
            }
            String y = "t" + (next++);
            switch (l) {
                case Linear lin -> {
                    Parameter w = lin.weight(), b = lin.parameters().get(1);
                    inits.add(tensor(w.name(), w.value().data(), w.shape()));
                    inits.add(tensor(b.name(), b.value().data(), b.shape()));
                    nodes.add(node("Gemm", y, List.of(x, w.name(), b.name()), attrInt("transB", 1)));
                }
                case Conv2d c -> {
                    Parameter w = c.weight();
                    int[] ws = w.shape();
                    int k = c.kernel(), inC = ws[1] / (k * k);
                    inits.add(tensor(w.name(), w.value().data(), ws[0], inC, k, k));
                    List<String> in = new ArrayList<>(List.of(x, w.name()));
                    c.bias().ifPresent(b -> {
                        inits.add(tensor(b.name(), b.value().data(), b.shape()));
                        in.add(b.name());
                    });
                    int p = c.padding();
                    nodes.add(node("Conv", y, in, attrInts("kernel_shape", k, k), attrInts("pads", p, p, p, p),
                            attrInts("strides", c.stride(), c.stride())));
                }
                case MaxPool2d m -> nodes.add(node("MaxPool", y, List.of(x), attrInts("kernel_shape", m.size(),
                        m.size()), attrInts("strides", m.size(), m.size())));
                case BatchNorm bn -> {
                    for (Parameter p : bn.parameters()) {
                        inits.add(tensor(p.name(), p.value().data(), p.shape()));
                    }
                    List<String> in = new ArrayList<>(List.of(x));
                    bn.parameters().forEach(p -> in.add(p.name()));
                    nodes.add(node("BatchNormalization", y, in, attrFloat("epsilon", BatchNorm.EPS)));
                }
                case ReLU r -> nodes.add(node("Relu", y, List.of(x)));
                case Flatten f -> nodes.add(node("Flatten", y, List.of(x), attrInt("axis", 1)));
                case GlobalAvgPool gap -> {
                    // ONNX keeps the pooled 1 x 1 plane; the model's next layer takes batch x channels
                    String pooled = y + "_pooled";
                    nodes.add(node("GlobalAveragePool", pooled, List.of(x)));
                    nodes.add(node("Flatten", y, List.of(pooled), attrInt("axis", 1)));
                }
                case ResidualBlock b -> {
                    String sum = y + "_sum";
                    nodes.add(node("Add", sum, List.of(emit(b.main(), x), emit(b.shortcut(), x))));
                    nodes.add(node("Relu", y, List.of(sum)));
                }
                default -> throw new IllegalArgumentException("no ONNX form for layer " + l.describe());
            }
            return y;
        }
    }

    private static ProtoWriter node(String op, String output, List<String> inputs, ProtoWriter... attrs) {
        ProtoWriter n = new ProtoWriter();
        inputs.forEach(in -> n.string(1, in));
        n.string(2, output).string(3, op + "_" + output).string(4, op);
        for (ProtoWriter a : attrs) {
            n.message(5, a);
        }
        return n;
    }

    private static ProtoWriter attrInt(String name, long v) {
        return new ProtoWriter().string(1, name).int64(20, ATTR_INT).int64(3, v);
    }

    private static ProtoWriter attrFloat(String name, float v) {
        return new ProtoWriter().string(1, name).int64(20, ATTR_FLOAT).float32(2, v);
    }

    private static ProtoWriter attrInts(String name, long... v) {
        ProtoWriter a = new ProtoWriter().string(1, name).int64(20, ATTR_INTS);
        for (long x : v) {
            a.int64(8, x);
        }
        return a;
    }

    private static ProtoWriter tensor(String name, float[] values, int... dims) {
        ProtoWriter t = new ProtoWriter();
        for (int d : dims) {
            t.int64(1, d);
        }
        return t.int64(2, FLOAT).string(8, name).bytes(9, NamedArray.of(name, values, values.length).bytes());
    }

    /** A float tensor input or output with a symbolic batch dimension in front of {@code shape}. */
    private static ProtoWriter valueInfo(String name, int[] shape) {
        ProtoWriter dims = new ProtoWriter().message(1, new ProtoWriter().string(2, "batch"));
        for (int d : shape) {
            dims.message(1, new ProtoWriter().int64(1, d));
        }
        ProtoWriter tensorType = new ProtoWriter().int64(1, FLOAT).message(2, dims);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }
}
