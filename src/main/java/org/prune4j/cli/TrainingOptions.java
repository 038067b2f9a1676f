package org.prune4j.cli;

import java.util.List;

import picocli.CommandLine.Option;

/**
 * Options shared by {@code train}, {@code prune} and {@code lottery}: model, data, optimiser,
 * schedule, where results go. Options left unset take the preset's value (or the plain
 * default when there is no preset).
 */
final class TrainingOptions {
    /** Read and expanded by {@link SettingsFile} before parsing; declared here for the help text. */
    @Option(names = SettingsFile.OPTION, paramLabel = "FILE", description = "Options from a JSON or YAML file, one "
            + "key per option name without the dashes (model: resnet20, lr: 0.1, controls: [reinit, random], "
            + "resume-or-start: true); options on the command line replace the file's.")
    java.nio.file.Path settings;

    @Option(names = "--model", description = org.prune4j.nn.Models.HELP)
    String model;

    @Option(names = "--data", description = "MNIST-format folder, or CIFAR-10 / CIFAR-100 binary version folder "
            + "(data_batch_1.bin .. test_batch.bin, from https://www.cs.toronto.edu/~kriz/cifar.html) "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = DEFAULT_DATA)
    String data;

    static final String DEFAULT_DATA = "/usr/share/datasets/fashion-mnist";

    @Option(names = "--augment", description = "Training-image augmentation: none or crop-flip (random crops of the "
            + "image padded by 4 black pixels and horizontal flips, the CIFAR standard of He et al. 2016) "
            + "(default: none, or the preset's).")
    String augment;

    @Option(names = "--validation", defaultValue = "5000", description = "Training examples held out for validation.")
    int validation;

    @Option(names = "--train-subset", defaultValue = "0", description = "Use only this many training examples (0: all).")
    int trainSubset;

    @Option(names = "--test-subset", defaultValue = "0", description = "Use only this many test examples (0: all).")
    int testSubset;

    @Option(names = "--optimizer", description = "sgd, momentum, nesterov or adam.")
    String optimizer;

    @Option(names = "--lr", description = "Learning rate.")
    Double lr;

    @Option(names = "--momentum", description = "Momentum of the momentum and nesterov optimisers (default 0.9).")
    Double momentum;

    @Option(names = "--weight-decay", description = "L2 weight decay (default 0, or the preset's).")
    Double weightDecay;

    @Option(names = "--lr-schedule", description = "constant, cosine[:WARMUP] or steps:GAMMA:M1,M2 (default constant, "
            + "or the preset's).")
    String lrSchedule;

    @Option(names = "--batch", description = "Batch size.")
    Integer batch;

    @Option(names = "--iterations", description = "Training iterations per round (0: evaluate only).")
    Long iterations;

    @Option(names = "--eval-every", description = "Evaluate validation and test sets every N iterations.")
    Integer evalEvery;

    @Option(names = "--seed", description = "The seed of initialisation, data order and masks (default 1).")
    Long seed;

    @Option(names = "--seeds", split = ",", description = "Replicates: N runs seeded 1..N, or the seeds listed "
            + "(e.g. 1,5,9), each in its own resumable run folder, then their mean, standard deviation and 95%% "
            + "interval per round and branch in <out>/<first run>-seeds.")
    List<Long> seeds;

    @Option(names = "--backend", defaultValue = "auto", description = "auto, cpu or cuda.")
    String backend;

    @Option(names = "--sparse-below", converter = Fraction.class, description = "Use sparse kernels for every layer below this density "
            + "(0: always masked dense). Default: per layer, where a whole training step of that layer shape "
            + "measured faster sparse (see --step-calibration).")
    Double sparseBelow;

    @Option(names = "--calibration", description = "Use the forward-product crossover of a file written by "
            + "'bench --calibrate' instead of the whole-step calibration; --sparse-below overrides it.")
    java.nio.file.Path calibration;

    @Option(names = "--step-calibration", description = "Cache of whole-step crossovers per layer shape, measured "
            + "on first use (a few seconds per new shape; default ~/.prune4j/step-calibration.json).")
    java.nio.file.Path stepCalibration;

    @Option(names = "--out", defaultValue = "runs", description = "Folder that holds run folders.")
    String out;

    @Option(names = "--resume", description = "Continue the run with these settings where it stopped.")
    boolean resume;

    @Option(names = "--resume-or-start", description = "Continue the run with these settings if there is one, else "
            + "start it, even beside runs with other settings (for scripts over a sweep; plain --resume refuses "
            + "then, in case a setting was mistyped).")
    boolean resumeOrStart;

    @Option(names = "--fallback", defaultValue = "none", description = "After a GPU fault (out of device memory, a "
            + "kernel error): 'none' saves the run and stops (default), 'cpu' redoes the failed branch on the CPU and "
            + "goes on there.")
    String fallback;

    @Option(names = "--latency", description = "After each round, time inference at batch 1 and 256 on the run's "
            + "backend (each layer on its faster forward kernel, against all dense) into results.json and .csv.")
    boolean latency;

    @Option(names = "--accept-changes", description = "Let --resume go on with another backend or other kernel "
            + "thresholds than the run started with (recorded in environment.json); by default that is refused, "
            + "since it mixes two setups' numerics in one result.")
    boolean acceptChanges;
}
