package org.prune4j.exchange;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.prune4j.nn.BatchNorm;
import org.prune4j.nn.Conv2d;
import org.prune4j.nn.Dropout;
import org.prune4j.nn.Flatten;
import org.prune4j.nn.Layer;
import org.prune4j.nn.Linear;
import org.prune4j.nn.MaxPool2d;
import org.prune4j.nn.Model;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.ReLU;

/**
 * A model as an ONNX graph (opset 13) for inference anywhere ONNX runs: Linear as Gemm with
 * the weight transposed, Conv2d as Conv, MaxPool2d as MaxPool, BatchNorm in evaluation form
 * with its running statistics, ReLU, Flatten; Dropout is the identity at inference and leaves
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
        List<ProtoWriter> nodes = new ArrayList<>(), inits = new ArrayList<>();
        String x = "input";
        int[] shape = model.inputShape();
        int i = 0;
        for (Layer l : model.layers()) {
            String y = "t" + (i++);
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
                    nodes.add(node("Conv", y, in, attrInts("kernel_shape", k, k),
                            attrInts("pads", p, p, p, p), attrInts("strides", c.stride(), c.stride())));
                }
                case MaxPool2d m -> nodes.add(node("MaxPool", y, List.of(x), attrInts("kernel_shape", m.size(), m.size()),
                        attrInts("strides", m.size(), m.size())));
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
                case Dropout d -> {
                    i--;
                    continue;
                }
                default -> throw new IllegalArgumentException("no ONNX form for layer " + l.describe());
            }
            x = y;
            shape = l.outputShape(shape);
        }
        nodes.forEach(n -> graph.message(1, n));
        inits.forEach(t -> graph.message(5, t));
        graph.message(11, valueInfo("input", model.inputShape()));
        graph.message(12, valueInfo(x, shape));
        return new ProtoWriter().int64(1, 7).string(2, "prune4j").string(3, "0.1.0").message(7, graph)
                .message(8, new ProtoWriter().string(1, "").int64(2, 13)).toBytes();
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
