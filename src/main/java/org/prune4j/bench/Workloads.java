package org.prune4j.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The shapes of real networks, as weight x activation products: LeNet's fully connected layers
 * at training and evaluation batch sizes, ResNet-50's convolutions as im2col GEMMs (batch 1,
 * 224x224 input: weight out-channels x (in-channels * k * k), n = output pixels), and
 * Transformer feed-forward layers (BERT-base 768/3072, LLaMA-7B 4096/11008) at a range of
 * token counts.
 */
public final class Workloads {
    private Workloads() {
    }

    public static List<Workload> lenet() {
        return List.of(new Workload("lenet", "lenet300.fc1 b60", 300, 784, 60),
                new Workload("lenet", "lenet300.fc2 b60", 100, 300, 60),
                new Workload("lenet", "lenet300.fc1 b1000", 300, 784, 1000));
    }

    public static List<Workload> resnet50() {
        return List.of(new Workload("resnet50", "conv2_x 3x3 64", 64, 576, 3136),
                new Workload("resnet50", "conv2_x 1x1 64->256", 256, 64, 3136),
                new Workload("resnet50", "conv3_x 3x3 128", 128, 1152, 784),
                new Workload("resnet50", "conv4_x 3x3 256", 256, 2304, 196),
                new Workload("resnet50", "conv4_x 1x1 1024->256", 256, 1024, 196),
                new Workload("resnet50", "conv5_x 3x3 512", 512, 4608, 49),
                new Workload("resnet50", "conv5_x 1x1 2048->512", 512, 2048, 49));
    }

    /** Real pruned patterns: every .smtx (DLMC) or .mtx file under {@code dir}, or the file itself. */
    public static List<Workload> fromFiles(java.nio.file.Path path, String family, int n) throws java.io.IOException {
        List<java.nio.file.Path> files;
        if (java.nio.file.Files.isDirectory(path)) {
            try (var s = java.nio.file.Files.walk(path)) {
                files = s.filter(p -> p.toString().endsWith(".smtx") || p.toString().endsWith(".mtx")).sorted().toList();
            }
        } else if (java.nio.file.Files.isRegularFile(path)) {
            files = List.of(path);
        } else {
            throw new java.io.IOException(path + " does not exist; pass a .mtx/.smtx file or a folder of them");
        }
        List<Workload> out = new ArrayList<>();
        var rng = new org.prune4j.tensor.Rng(1);
        for (var f : files) {
            var csr = f.toString().endsWith(".smtx") ? org.prune4j.sparse.io.Smtx.read(f, rng)
                    : org.prune4j.sparse.io.MatrixMarket.read(f, rng);
            String name = java.nio.file.Files.isDirectory(path) ? path.relativize(f).toString() : f.getFileName().toString();
            out.add(new Workload(family, name, csr.rows(), csr.cols(), n, csr.pattern()));
        }
        return out;
    }

    public static List<Workload> transformer(int[] tokens, boolean large) {
        List<Workload> w = new ArrayList<>();
        for (int t : tokens) {
            w.add(new Workload("transformer", "bert ffn up 768->3072 t" + t, 3072, 768, t));
            w.add(new Workload("transformer", "bert ffn down 3072->768 t" + t, 768, 3072, t));
            if (large) {
                w.add(new Workload("transformer", "llama ffn up 4096->11008 t" + t, 11008, 4096, t));
                w.add(new Workload("transformer", "llama ffn down 11008->4096 t" + t, 4096, 11008, t));
            }
        }
        return w;
    }
}
