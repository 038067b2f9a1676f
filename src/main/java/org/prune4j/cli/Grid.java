package org.prune4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;

/**
 * A sweep read from a JSON or YAML file: one experiment command, the options every run shares,
 * and options varied over lists of values; the runs are every combination, the first varied
 * option outermost.
 *
 * <pre>
 * command: prune
 * options: {iterations: 2000, out: runs/sweep, schedule: oneshot}
 * vary: {score: [magnitude, snip, random], sparsity: [0.8, 0.9, 0.95], seed: [1, 2, 3]}
 * </pre>
 *
 * Every run gets {@code --resume-or-start}: a grid started again (or a task a scheduler
 * retries) continues each run where it stopped, and the run locks keep two workers off one run.
 */
record Grid(Path file, String command, List<String> shared, List<String> varied, List<List<String>> values,
        Path out) {

    Grid {
        shared = List.copyOf(shared);
        varied = List.copyOf(varied);
        values = values.stream().map(List::copyOf).toList();
    }

    static Grid read(Path file, CommandLine root) {
        JsonNode g = SettingsFile.read(file);
        String where = "grid file " + file;
        for (Iterator<String> it = g.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!List.of("command", "options", "vary").contains(k)) {
                throw new IllegalArgumentException(where + ": unknown key '" + k + "'; a grid has command, options "
                        + "and vary");
            }
        }
        String command = g.path("command").asText("");
        CommandLine cmd = root.getSubcommands().get(command);
        if (cmd == null || cmd.getCommandSpec().findOption("--resume-or-start") == null) {
            throw new IllegalArgumentException(where + ": command '" + command + "' is not an experiment command; "
                    + "use train, prune, lottery or a sparse-training method (set, rigl, ...)");
        }
        JsonNode vary = g.path("vary");
        if (!vary.isObject() || vary.isEmpty()) {
            throw new IllegalArgumentException(where + ": 'vary' must map at least one option to a list of values");
        }
        List<String> varied = new ArrayList<>();
        List<List<String>> values = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = vary.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String option = e.getKey().startsWith("--") ? e.getKey() : "--" + e.getKey();
            CommandLine.Model.OptionSpec spec = cmd.getCommandSpec().findOption(option);
            if (spec == null || spec.arity().max() == 0) {
                throw new IllegalArgumentException(where + ": '" + e.getKey() + "' is not an option of '" + command
                        + "' that takes a value");
            }
            if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                throw new IllegalArgumentException(where + ": vary." + e.getKey() + " must be a list of values");
            }
            List<String> vs = new ArrayList<>();
            e.getValue().forEach(v -> vs.add(SettingsFile.value(where, e.getKey(), v, SettingsFile.separator(spec))));
            varied.add(option);
            values.add(vs);
            names.add(option);
        }
        JsonNode options = g.path("options");
        List<String> shared = options.isMissingNode() ? List.of()
                : SettingsFile.arguments(options, cmd, Set.of(), where + " options");
        for (String a : shared) {
            if (names.contains(a)) {
                throw new IllegalArgumentException(where + ": " + a + " is both shared and varied; keep it in one");
            }
        }
        if (shared.contains("--seeds")) {
            throw new IllegalArgumentException(where + ": vary seed instead of giving --seeds, so each replicate is "
                    + "a run of the grid");
        }
        int outAt = shared.indexOf("--out");
        Path out = Path.of(outAt >= 0 ? shared.get(outAt + 1) : "runs");
        return new Grid(file, command, shared, varied, values, out);
    }

    int size() {
        int n = 1;
        for (List<String> v : values) {
            n = Math.multiplyExact(n, v.size());
        }
        return n;
    }

    /** The varied options of run {@code i} (0-based), as arguments. */
    List<String> variation(int i) {
        if (i < 0 || i >= size()) {
            throw new IllegalArgumentException("grid " + file + " has runs 0.." + (size() - 1) + ", not " + i);
        }
        List<String> out = new ArrayList<>();
        int rest = i;
        int[] pick = new int[values.size()];
        for (int a = values.size() - 1; a >= 0; a--) {
            pick[a] = rest % values.get(a).size();
            rest /= values.get(a).size();
        }
        for (int a = 0; a < values.size(); a++) {
            out.add(varied.get(a));
            out.add(values.get(a).get(pick[a]));
        }
        return out;
    }

    /** The whole command line of run {@code i}: command, shared options, its variation, resume-or-start. */
    List<String> arguments(int i) {
        List<String> a = new ArrayList<>(List.of(command));
        a.addAll(shared);
        a.addAll(variation(i));
        if (!shared.contains("--resume") && !shared.contains("--resume-or-start")) {
            a.add("--resume-or-start");
        }
        return a;
    }
}
