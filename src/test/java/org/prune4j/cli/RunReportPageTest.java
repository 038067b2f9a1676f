package org.prune4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.prune4j.experiment.Json;
import org.prune4j.testing.TinyData;

/** A run's report.html and its small-multiple curves, checked against the run's results.json. */
class RunReportPageTest {
    @TempDir
    Path dir;

    @Test
    void thePageShowsEveryRoundAndEveryChartItLinks() throws Exception {
        Path data = TinyData.write(dir.resolve("data"), 200, 8, 9);
        CliRun r = CliRun.of("prune", "--data", data.toString(), "--validation", "40", "--iterations", "20",
                "--eval-every", "5", "--rounds", "5", "--rate", "0.5", "--controls", "random", "--sparse-below", "0.5",
                "--out", dir.resolve("runs").toString());
        assertEquals(0, r.code(), r.err());
        Path run;
        try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
            run = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        String html = Files.readString(run.resolve("report.html"));
        JsonNode results = Json.PRETTY.readTree(run.resolve("results.json").toFile()).get("results");
        int mainRounds = 0;
        for (JsonNode x : results) {
            String acc = String.format(Locale.ROOT, "%.2f%%", 100 * x.get("earlyStop").get("testAccuracy").asDouble());
            String row = "<td>" + x.get("round").asInt() + "</td><td class=\"l\">" + x.get("branch").asText() + "</td>";
            assertTrue(html.contains(row), "a row for round " + x.get("round") + " " + x.get("branch"));
            assertTrue(html.contains(acc), acc + " in the page");
            mainRounds += x.get("branch").asText().equals("main") ? 1 : 0;
        }
        assertEquals(6, mainRounds);
        Matcher m = Pattern.compile("src=\"([^\"]+)\"").matcher(html);
        int images = 0;
        while (m.find()) {
            assertTrue(Files.exists(run.resolve(m.group(1))), m.group(1) + " exists");
            images++;
        }
        assertTrue(images >= 4, images + " charts on the page");
        // six main rounds in rows of four: two rows of 360 x 260 panels
        BufferedImage png = javax.imageio.ImageIO.read(run.resolve("curves-accuracy.png").toFile());
        assertEquals(4 * 360, png.getWidth());
        assertEquals(2 * 260, png.getHeight());
        Path svg = run.resolve("curves-loss.svg");
        var doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        var root = doc.getDocumentElement();
        int panels = 0;
        for (var n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            panels += n instanceof org.w3c.dom.Element e && e.getTagName().equals("g")
                    && e.getElementsByTagName("svg").getLength() == 1 ? 1 : 0;
        }
        assertEquals(6, panels, "one placed panel per round");
        assertTrue(html.contains("commit"), "provenance on the page");
    }
}
