package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.experiment.Json;
import org.prune4j.testing.TinyCifar;

/**
 * ResNet-20 and VGG-16 on generated CIFAR-10 binary files, from the command line, with
 * augmentation. {@code --sparse-below} fixes the kernel choice: the whole-step calibration of
 * VGG-16's eleven layer shapes takes about 85 s on 2 cores the first time on a machine.
 */
class CifarNetworksCliTest {
    @TempDir
    Path dir;

    private Path onlyRun(Path out) throws Exception {
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(Files::isDirectory).reduce((a, b) -> {
                throw new AssertionError("more than one run: " + a + ", " + b);
            }).orElseThrow();
        }
    }

    @Test
    void aResnetIsPrunedGloballyAndFineTunedOnAugmentedCifar() throws Exception {
        Path data = TinyCifar.write(dir.resolve("cifar-10-batches-bin"), 5, 16, 20, 11);
        Path out = dir.resolve("runs");
        CliRun r = CliRun.of("prune", "--model", "resnet20", "--data", dir.toString(), "--augment", "crop-flip",
                "--validation", "16", "--batch", "16", "--iterations", "6", "--eval-every", "3", "--optimizer",
                "momentum", "--lr", "0.05", "--schedule", "oneshot", "--sparsity", "0.8", "--scope", "global",
                "--reset", "finetune", "--sparse-below", "0.5", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        Path run = onlyRun(out);
        JsonNode settings = Json.PRETTY.readTree(run.resolve("settings.json").toFile());
        assertEquals("crop-flip", settings.get("augment").asText());
        assertEquals(data.toRealPath().getParent().toString(), settings.get("data").asText());
        JsonNode res = Json.PRETTY.readTree(run.resolve("results.json").toFile()).get("results");
        JsonNode pruned = res.get(res.size() - 1);
        assertEquals(0.2, pruned.get("density").asDouble(), 0.01, "global 80% over all 22 weight products");
        // every convolution inside the residual blocks was pruned and reported
        JsonNode layers = pruned.get("layerDensity");
        assertEquals(22, layers.size());
        double acc = pruned.get("last").get("testAccuracy").asDouble();
        assertTrue(acc >= 0 && acc <= 1, "test accuracy " + acc);
        String log = r.out() + r.err();
        // the blocks' convolutions were pruned and run on the sparse kernels (--sparse-below skips the calibration)
        assertTrue(log.contains("stage3.block3.conv2.weight: density 0.") && log.contains("CSR SpMM + SDDMM"), log);
    }

    @Test
    void vggTrainsAndBadAugmentationIsRefusedBeforeAnythingRuns() throws Exception {
        TinyCifar.write(dir.resolve("c"), 5, 5, 8, 12);
        Path out = dir.resolve("runs");
        CliRun r = CliRun.of("train", "--model", "vgg16", "--data", dir.resolve("c").toString(), "--validation", "8",
                "--batch", "8", "--iterations", "2", "--eval-every", "2", "--sparse-below", "0.5", "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode res = Json.PRETTY.readTree(onlyRun(out).resolve("results.json").toFile()).get("results");
        assertEquals(1.0, res.get(0).get("density").asDouble(), 1e-12);
        CliRun bad = CliRun.of("train", "--model", "resnet20", "--data", dir.resolve("c").toString(), "--augment",
                "cutout", "--out", dir.resolve("bad").toString());
        assertNotEquals(0, bad.code());
        assertTrue(bad.err().contains("unknown augmentation 'cutout'") && bad.err().contains("crop-flip"), bad.err());
        assertTrue(!Files.exists(dir.resolve("bad")) || Files.list(dir.resolve("bad")).findAny().isEmpty());
    }
}
