package org.prune4j.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.prune4j.backend.Backends;
import org.prune4j.nn.Model;
import org.prune4j.nn.Models;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.Pass;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * Exported ONNX graphs run in ONNX Runtime (its Java API) and give Prune4J's own outputs: a
 * pruned LeNet-300-100, a Conv-2 with padding and pooling, LeNet-5, and an MLP with BatchNorm
 * whose running statistics are not the initial ones.
 */
class OnnxExportTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"lenet300", "conv2", "lenet5", "mlp-bn", "resnet20", "vgg16"})
    void onnxRuntimeComputesWhatPrune4jComputes(String arch) throws Exception {
        Rng rng = new Rng(11);
        // the CIFAR networks on colour images: strided convolutions, residual joins, global pooling
        int c = arch.equals("resnet20") || arch.equals("vgg16") ? 3 : 1, side = c == 3 ? 32 : 28;
        Model m = Models.create(arch, c, side, side, 10, rng);
        List<Parameter> ws = m.prunable();
        ws.get(0).setMask(Mask.random(ws.get(0).shape()[0], ws.get(0).shape()[1], 0.3, rng));
        for (Parameter p : m.parameters()) {
            if (p.kind() != Parameter.Kind.WEIGHT) {
                float[] v = p.value().data();
                for (int i = 0; i < v.length; i++) {
                    v[i] = p.name().endsWith("running_var") ? 0.5f + rng.nextFloat() : rng.uniform(-0.2f, 0.2f);
                }
            }
        }
        Path f = dir.resolve(arch + ".onnx");
        ModelFiles.write(m, f);
        int n = 5;
        Tensor x = Tensor.uniform(rng, -1, 1, n, c, side, side);
        float[] want = m.forward(x, Pass.eval(Backends.host())).data().clone();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession s = env.createSession(f.toString(), new OrtSession.SessionOptions());
                OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.data()), new long[] {n, c, side, side});
                OrtSession.Result r = s.run(Map.of("input", in))) {
            float[][] got = (float[][]) r.get(0).getValue();
            assertEquals(n, got.length);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < 10; j++) {
                    float w = want[i * 10 + j];
                    assertEquals(w, got[i][j], 1e-4 * (1 + Math.abs(w)), arch + " output " + i + "," + j);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"model.onnx"})
    void onnxIsWrittenNotReadBack(String name) {
        Model m = Models.create("lenet300", 1, 28, 28, 10, new Rng(1));
        Path f = dir.resolve(name);
        ModelFiles.write(m, f);
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFiles.read(f));
        assertTrue(e.getMessage().contains(".safetensors or .npz"), e.getMessage());
        assertArrayEquals(new byte[] {0x08, 0x07}, java.util.Arrays.copyOf(
                org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> java.nio.file.Files.readAllBytes(f)), 2),
                "an ONNX ModelProto starts with ir_version 7");
    }
}
