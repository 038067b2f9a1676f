package org.prune4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;

/**
 * {@code prune4j COMMAND --settings FILE}: the command's options written in a JSON or YAML file,
 * one key per option name without its dashes ({@code model: resnet20}, {@code lr: 0.1},
 * {@code controls: [reinit, random]}, {@code resume-or-start: true}). The file's options come
 * first and every option also given on the command line replaces the file's, so a file holds
 * an experiment and flags vary it. What a run finally used is in its settings.json, whichever
 * way it was given.
 */
final class SettingsFile {
    static final String OPTION = "--settings";

    private SettingsFile() {
    }

    /** {@code args} with the settings file, if any, expanded in place of {@code --settings FILE}. */
    static String[] expand(CommandLine root, String[] args) {
        int at = -1;
        String file = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(OPTION)) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--settings needs a JSON or YAML file");
                }
                at = i;
                file = args[i + 1];
                break;
            }
            if (args[i].startsWith(OPTION + "=")) {
                at = i;
                file = args[i].substring(OPTION.length() + 1);
                break;
            }
        }
        if (at < 0) {
            return args;
        }
        if (at == 0 || !root.getSubcommands().containsKey(args[0])) {
            throw new IllegalArgumentException("--settings goes after a command, e.g. prune4j prune --settings "
                    + file);
        }
        CommandLine command = root.getSubcommands().get(args[0]);
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (i == at) {
                i += args[at].equals(OPTION) ? 1 : 0;
                continue;
            }
            rest.add(args[i]);
        }
        Set<String> given = new HashSet<>();
        for (String a : rest) {
            if (a.equals(OPTION) || a.startsWith(OPTION + "=")) {
                throw new IllegalArgumentException("--settings is given twice; put everything in one file, or the "
                        + "differences as options on the command line");
            }
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                given.add(eq < 0 ? a : a.substring(0, eq));
            }
        }
        List<String> out = new ArrayList<>(List.of(args[0]));
        out.addAll(options(Path.of(file), command, given));
        out.addAll(rest);
        return out.toArray(String[]::new);
    }

    /** The file's options as command-line arguments, leaving out those the command line gives. */
    static List<String> options(Path file, CommandLine command, Set<String> given) {
        return arguments(read(file), command, given, "settings file " + file);
    }

    /**
     * A mapping of option names to values as command-line arguments of {@code command}, leaving
     * out the options in {@code given}; {@code where} names the source in errors.
     */
    static List<String> arguments(JsonNode root, CommandLine command, Set<String> given, String where) {
        if (!root.isObject()) {
            throw new IllegalArgumentException(where + " must hold a mapping of option names to values (model: "
                    + "resnet20, lr: 0.1), not " + root.getNodeType().name().toLowerCase());
        }
        String name = command.getCommandName();
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String option = e.getKey().startsWith("--") ? e.getKey() : "--" + e.getKey();
            CommandLine.Model.OptionSpec spec = command.getCommandSpec().findOption(option);
            if (spec == null || option.equals(OPTION)) {
                throw new IllegalArgumentException(where + ": '" + e.getKey() + "' is not an "
                        + "option of '" + name + "'; see prune4j " + name + " --help for its options");
            }
            if (given.contains(option)) {
                continue;
            }
            JsonNode v = e.getValue();
            if (spec.arity().max() == 0) {
                if (!v.isBoolean()) {
                    throw new IllegalArgumentException(where + ": '" + e.getKey() + "' is a switch;"
                            + " give it true or false, not " + v);
                }
                if (v.booleanValue()) {
                    out.add(option);
                }
                continue;
            }
            out.add(option);
            out.add(value(where, e.getKey(), v, separator(spec)));
        }
        return out;
    }

    /** A list becomes one argument joined by the option's own separator. */
    static String value(String where, String key, JsonNode v, String separator) {
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(x -> parts.add(value(where, key, x, separator)));
            return String.join(separator, parts);
        }
        if (v.isValueNode() && !v.isNull()) {
            return v.asText();
        }
        throw new IllegalArgumentException(where + ": '" + key + "' must be a value or a list of "
                + "values, not " + (v.isNull() ? "empty" : "a nested mapping"));
    }

    /** The separator an option splits its value at (its split regex when that is one plain character), else a comma. */
    static String separator(CommandLine.Model.OptionSpec spec) {
        String r = spec.splitRegex();
        return r != null && r.length() == 1 && ",;:|".contains(r) ? r : ",";
    }

    static JsonNode read(Path file) {
        String n = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase();
        boolean yaml = n.endsWith(".yaml") || n.endsWith(".yml");
        if (!yaml && !n.endsWith(".json")) {
            throw new IllegalArgumentException("settings file " + file + " must end in .json, .yaml or .yml, so its "
                    + "format is clear");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("settings file " + file + " does not exist or is not a file");
        }
        ObjectMapper m = yaml ? new ObjectMapper(new YAMLFactory()) : new ObjectMapper();
        try {
            JsonNode node = m.readTree(file.toFile());
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("settings file " + file + " is empty");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException("settings file " + file + " is not valid " + (yaml ? "YAML" : "JSON")
                    + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
