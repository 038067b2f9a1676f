package org.prune4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.prune4j.backend.Backend;
import org.prune4j.backend.Backends;
import org.prune4j.data.ImageData;
import org.prune4j.experiment.ExperimentSettings;
import org.prune4j.experiment.Json;
import org.prune4j.experiment.LayerReset;
import org.prune4j.nn.Model;
import org.prune4j.nn.ModelState;
import org.prune4j.report.LayerResetReport;
import org.prune4j.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "layer-reset", mixinStandardHelpOptions = true,
        description = "Zhang, Bengio and Singer 2019, \"Are all layers created equal?\": train a network, then reset "
                + "each layer in turn to its parameters at earlier checkpoints of that training (re-initialisation) "
                + "and to fresh random weights (re-randomisation), every other layer trained, and measure test "
                + "accuracy. Writes layer-reset.json, .csv, .md and a heat map (.png) into <out>/layer-reset-<model>-"
                + "<hash>; with --resume-or-start a finished measurement is redrawn, not redone.")
public final class LayerResetCommand implements Callable<Integer> {
    private static final List<String> IGNORED = List.of("--seeds", "--resume", "--latency", "--sparse-below",
            "--calibration", "--step-calibration", "--fallback", "--accept-changes");

    @Spec
    CommandSpec spec;

    @Mixin
    TrainingOptions options = new TrainingOptions();

    @Option(names = "--checkpoints", split = ",", description = "Iterations whose state a layer is reset to (default "
            + "0 and 1, 2, 5, 10, 20 and 50%% of --iterations; 0 is the initialisation).")
    List<Long> checkpoints;

    @Override
    public Integer call() throws Exception {
        for (String opt : IGNORED) {
            if (spec.commandLine().getParseResult().hasMatchedOption(opt)) {
                throw new IllegalArgumentException(opt + " does not apply to layer-reset (one training, measured "
                        + "once); leave it out");
            }
        }
        ExperimentSettings s = ExperimentCommands.settings("train", options, Preset.DEFAULT, null);
        TreeSet<Long> its = new TreeSet<>();
        if (checkpoints == null) {
            for (double f : new double[] {0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5}) {
                its.add(Math.round(f * s.iterations()));
            }
        } else {
            for (long c : checkpoints) {
                if (c < 0 || c >= s.iterations()) {
                    throw new IllegalArgumentException("--checkpoints must lie in [0, --iterations) = [0, "
                            + s.iterations() + "), got " + c + "; the trained network itself is the reference");
                }
                its.add(c);
            }
        }
        Path dir = Path.of(options.out).resolve("layer-reset-" + s.model() + "-" + s.hash());
        String heading = "Layer re-initialisation, " + s.model() + " after " + s.iterations() + " iterations";
        Path json = dir.resolve("layer-reset.json");
        if (options.resumeOrStart && java.nio.file.Files.exists(json)) {
            LayerReset done = Json.PRETTY.readValue(json.toFile(), LayerReset.class);
            if (done.checkpoints().equals(new ArrayList<>(its))) {
                ExperimentCommands.log("measured before in " + dir + "; redrawing");
                LayerResetReport.write(done, dir, heading).forEach(p -> ExperimentCommands.log("wrote " + p));
                return 0;
            }
            ExperimentCommands.log(dir + " holds other checkpoints " + done.checkpoints() + "; measuring again");
        }
        ImageData data = s.loadData();
        try (Backend backend = Backends.open(options.backend); ProgressBars bars = new ProgressBars()) {
            ExperimentCommands.log("backend " + backend.description());
            Model model = s.newModel(data, 1);
            Map<Long, ModelState> states = new TreeMap<>();
            if (its.contains(0L)) {
                states.put(0L, model.state());
            }
            Trainer.Hook keep = (it, m) -> {
                if (its.contains(it)) {
                    states.put(it, m.state());
                }
            };
            new Trainer(backend, bars).train(model, s.optimiser(), s.learningRateSchedule(), data, s.trainConfig(),
                    "training " + s.model(), List.of(keep));
            ModelState trained = model.state();
            ModelState fresh = s.newModel(data, 2).state();
            LayerReset r = LayerReset.measure(model, trained, states, fresh, data.test(), backend);
            LayerResetReport.write(r, dir, heading).forEach(p -> ExperimentCommands.log("wrote " + p));
            System.out.print(LayerResetReport.markdown(r, heading));
        }
        return 0;
    }
}
