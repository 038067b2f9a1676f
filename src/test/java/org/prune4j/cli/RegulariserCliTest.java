package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.data.ImageData;
import org.prune4j.experiment.Json;

/**
 * {@code prune --regularise}: round 0 trains under the regulariser and ends in its mask, round 1
 * fine-tunes that mask, end to end on a slice of Fashion-MNIST; options that would be ignored
 * are refused by name.
 */
class RegulariserCliTest {
    @TempDir
    Path dir;

    private static final String[] SMALL = {"--train-subset", "600", "--validation", "200", "--test-subset", "300",
        "--iterations", "40", "--eval-every", "20", "--reset", "finetune"};

    static JsonNode results(Path out, String... extra) throws Exception {
        String[] args = Stream.concat(Stream.of("prune"), Stream.concat(Stream.of(SMALL),
                Stream.concat(Stream.of(extra), Stream.of("--out", out.toString())))).toArray(String[]::new);
        CliRun r = CliRun.of(args);
        assertEquals(0, r.code(), r.err());
        try (Stream<Path> s = Files.list(out)) {
            Path run = s.filter(Files::isDirectory).findFirst().orElseThrow();
            return Json.PRETTY.readTree(run.resolve("results.json").toFile()).get("results");
        }
    }

    /** Kept weights of lenet300 when every unit keeps {@code cols - floor(gamma cols)} inputs. */
    private static long targetedKeep(double gamma) {
        int[][] layers = {{300, 784}, {100, 300}, {10, 100}};
        long kept = 0;
        for (int[] l : layers) {
            kept += (long) l[0] * (l[1] - (int) Math.floor(gamma * l[1]));
        }
        return kept;
    }

    @Test
    void targetedDropoutPrunesItsTargetsAtTheEndOfRoundZeroAndRoundOneKeepsThem() throws Exception {
        assumeTrue(Files.isDirectory(ImageData.FASHION_MNIST), "Fashion-MNIST is not installed (ci/setup installs it)");
        JsonNode res = results(dir.resolve("td"), "--regularise", "targeted-dropout", "--td-gamma", "0.9");
        assertEquals(2, res.size(), res.toString());
        for (JsonNode r : res) {
            // 0.9 in float times 300 is 269.99998: the count must come out 270 as in double
            assertEquals(targetedKeep(0.9), r.get("weightsRemaining").asLong(), r.toString());
            assertTrue(r.get("method").asText().startsWith("targeted dropout (gamma 0.9, alpha 0.5)/finetune"),
                    r.get("method").asText());
        }
        assertEquals(40, res.get(0).get("earlyStop").get("iteration").asLong(), "round 0 reports its masked end");
        assertTrue(res.get(1).get("last").get("testAccuracy").asDouble() > 0.3, res.get(1).toString());
    }

    @Test
    void variationalDropoutEndsRoundZeroInItsMaskAndRoundOneKeepsIt() throws Exception {
        assumeTrue(Files.isDirectory(ImageData.FASHION_MNIST), "Fashion-MNIST is not installed (ci/setup installs it)");
        JsonNode res = results(dir.resolve("vd"), "--regularise", "variational-dropout");
        long kept = res.get(0).get("weightsRemaining").asLong();
        assertTrue(kept > 0 && kept < res.get(0).get("weightsTotal").asLong(), res.get(0).toString());
        assertEquals(kept, res.get(1).get("weightsRemaining").asLong(), "round 1 fine-tunes round 0's mask");
        assertTrue(res.get(0).get("method").asText().startsWith("sparse variational dropout (log alpha > 3)"),
                res.get(0).get("method").asText());
    }

    @Test
    void l0EndsRoundZeroInTheGatesMaskAndRoundOneKeepsIt() throws Exception {
        assumeTrue(Files.isDirectory(ImageData.FASHION_MNIST), "Fashion-MNIST is not installed (ci/setup installs it)");
        // Adam at 0.1 moves the gates' log alpha up to 4 in 40 steps: far enough for some to close
        JsonNode res = results(dir.resolve("l0"), "--regularise", "l0", "--l0-lambda", "0.1", "--lr", "0.1");
        long kept = res.get(0).get("weightsRemaining").asLong();
        assertTrue(kept > 0 && kept < res.get(0).get("weightsTotal").asLong(), res.get(0).toString());
        assertEquals(kept, res.get(1).get("weightsRemaining").asLong(), "round 1 fine-tunes round 0's mask");
        assertTrue(res.get(0).get("method").asText().startsWith("L0 hard-concrete gates (lambda 0.1)"),
                res.get(0).get("method").asText());
    }

    @Test
    void optionsTheRegulariserWouldIgnoreAreRefused() {
        String[][] cases = {
            {"--regularise", "targeted-dropout", "--td-gamma", "0.9", "--sparsity", "0.5"},
            {"--regularise", "targeted-dropout", "--td-gamma", "0.9", "--score", "snip"},
            {"--regularise", "targeted-dropout", "--td-gamma", "0.9", "--schedule", "iterative"},
            {"--regularise", "targeted-dropout"},
            {"--td-gamma", "0.9"},
            {"--regularise", "dropconnect"},
            {"--regularise", "variational-dropout", "--td-alpha", "0.5"},
            {"--regularise", "targeted-dropout", "--td-gamma", "0.5", "--l0-lambda", "0.1"},
            {"--l0-lambda", "0.1"},
            {"--regularise", "l0", "--l0-lambda", "0"},
        };
        String[] expected = {"--sparsity does not apply with --regularise", "--score does not apply with --regularise",
            "use --schedule oneshot", "needs --td-gamma", "--td-gamma only applies with --regularise",
            "unknown regulariser 'dropconnect'", "--td-alpha applies to --regularise targeted-dropout",
            "--l0-lambda applies to --regularise l0", "--l0-lambda only applies with --regularise; add --regularise l0",
            "--l0-lambda, the penalty per expected non-zero gate"};
        for (int i = 0; i < cases.length; i++) {
            String[] args = Stream.concat(Stream.of("prune"), Stream.concat(Stream.of(cases[i]),
                    Stream.of("--out", dir.toString()))).toArray(String[]::new);
            CliRun r = CliRun.of(args);
            assertEquals(1, r.code(), String.join(" ", cases[i]));
            assertTrue(r.err().contains(expected[i]), r.err());
        }
    }
}
