package org.prune4j.cli;

import java.util.List;

/**
 * Published experimental protocols, so a run from the README matches the paper it cites. A
 * preset fills every option left unset; {@code dataName} says which data set the protocol
 * needs when it is not the default Fashion-MNIST, so a run without {@code --data} is refused
 * with where to get it.
 */
record Preset(String name, String model, String optimizer, double lr, int batch, long iterations, int evalEvery,
        int rounds, double rate, double outputRateScale, Protocol protocol, String about) {

    /** The rest of a protocol: weight decay, learning-rate schedule, augmentation, scope, reset, conv rate scale, data. */
    record Protocol(double weightDecay, String lrSchedule, String augment, String scope, String reset,
            double convRateScale, String dataName) {
        /** Frankle & Carbin's MNIST protocols: no decay, constant rate, no augmentation, layerwise, rewind to init. */
        static final Protocol PLAIN = new Protocol(0, "constant", null, "layerwise", "rewind", 1, null);
    }

    /**
     * Frankle & Carbin (ICLR 2019), LeNet-300-100: Adam 1.2e-3, batch 60, 50k iterations,
     * 20% of each hidden layer and 10% of the output layer pruned per round.
     */
    static final Preset LENET300_LTH = new Preset("lenet300-lth", "lenet300", "adam", 1.2e-3, 60, 50_000, 100, 10,
            0.2, 0.5, Protocol.PLAIN, "Frankle & Carbin's protocol: 10 rounds of 50,000 iterations with three controls "
                    + "each, about 80 minutes on 2 CPU cores");

    /** The same protocol shortened to a few minutes on a laptop, for a first look. */
    static final Preset LENET300_QUICK = new Preset("lenet300-quick", "lenet300", "adam", 1.2e-3, 60, 3_000, 100, 6,
            0.2, 0.5, Protocol.PLAIN, "the same shortened to 6 rounds of 3,000 iterations, about 5 minutes on 2 CPU "
                    + "cores");

    private static final Protocol CONV = new Protocol(0, "constant", null, "layerwise", "rewind", 0.5, "CIFAR-10");

    /**
     * Frankle & Carbin (ICLR 2019), Figure 2: Conv-2/4/6 on CIFAR-10 without augmentation, Adam
     * (2e-4 for Conv-2, 3e-4 for the others), batch 60, 20k/25k/30k iterations; per round 20% of
     * the fully connected layers, 10% of the output layer and 10% of the convolutions (15% for
     * Conv-6). 20 rounds take the fully connected layers to 1.2%.
     */
    static final Preset CONV2_LTH = new Preset("conv2-lth", "conv2", "adam", 2e-4, 60, 20_000, 500, 20, 0.2, 0.5,
            CONV, "Frankle & Carbin's Conv-2 on CIFAR-10: 20 rounds of 20,000 iterations with controls; a GPU "
                    + "workstation job (days on 2 CPU cores)");
    static final Preset CONV4_LTH = new Preset("conv4-lth", "conv4", "adam", 3e-4, 60, 25_000, 500, 20, 0.2, 0.5,
            CONV, "Frankle & Carbin's Conv-4 on CIFAR-10: 20 rounds of 25,000 iterations with controls; a GPU "
                    + "workstation job");
    static final Preset CONV6_LTH = new Preset("conv6-lth", "conv6", "adam", 3e-4, 60, 30_000, 500, 20, 0.2, 0.5,
            new Protocol(0, "constant", null, "layerwise", "rewind", 0.75, "CIFAR-10"), "Frankle & Carbin's Conv-6 on "
                    + "CIFAR-10: 20 rounds of 30,000 iterations, convolutions at 15% per round; a GPU workstation job");

    /**
     * ResNet-20 on CIFAR-10 with late rewinding (Frankle et al. 2020), in OpenLTH's settings for
     * cifar_resnet_20: SGD with momentum 0.9 at 0.1, batch 128, weight decay 1e-4, 160 epochs
     * with the rate cut tenfold at epochs 80 and 120, crop-and-flip augmentation, 20% of the
     * weights pruned per round in one global ranking that leaves the output layer dense. Epochs
     * are of the 45,000 training images left beside the 5,000 held out for validation (351
     * batches; OpenLTH trains on all 50,000). OpenLTH draws BatchNorm scales uniformly in [0, 1];
     * here they start at 1. The weights rewind to iteration 2,000 (about 6 epochs), not to
     * initialisation.
     */
    static final Preset RESNET20_LTH = new Preset("resnet20-lth", "resnet20", "momentum", 0.1, 128, 56_160, 1_755, 20,
            0.2, 0, new Protocol(1e-4, "steps:0.1:28080,42120", "crop-flip", "global", "rewind:2000", 1, "CIFAR-10"),
            "ResNet-20 on CIFAR-10 with rewinding to iteration 2,000 (Frankle et al. 2020): 20 rounds of 160 epochs "
                    + "(56,160 iterations); a GPU workstation job");

    /** Defaults for train and prune runs without a preset. */
    static final Preset DEFAULT = new Preset("default", "lenet300", "adam", 1.2e-3, 60, 5_000, 100, 5, 0.2, 0.5,
            Protocol.PLAIN, "the defaults of train and prune");

    static final List<Preset> ALL = List.of(LENET300_LTH, LENET300_QUICK, CONV2_LTH, CONV4_LTH, CONV6_LTH,
            RESNET20_LTH);

    /** One line per preset: its name and what it runs. */
    static String list() {
        StringBuilder sb = new StringBuilder();
        for (Preset p : ALL) {
            sb.append("  ").append(p.name).append(": ").append(p.about).append('\n');
        }
        return sb.toString();
    }

    static Preset named(String name) {
        return ALL.stream().filter(p -> p.name.equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "unknown preset '" + name + "'; choose one of " + ALL.stream().map(Preset::name).toList()));
    }

    double weightDecay() {
        return protocol.weightDecay();
    }

    String lrSchedule() {
        return protocol.lrSchedule();
    }

    String augment() {
        return protocol.augment();
    }

    String scope() {
        return protocol.scope();
    }

    String reset() {
        return protocol.reset();
    }

    double convRateScale() {
        return protocol.convRateScale();
    }

    /**
     * A protocol on another data set than the default needs {@code --data}: refused here with
     * where to get it rather than run on Fashion-MNIST under the paper's name.
     */
    void checkData(TrainingOptions o) {
        if (protocol.dataName() != null && o.data.equals(TrainingOptions.DEFAULT_DATA)) {
            throw new IllegalArgumentException("preset " + name + " runs on " + protocol.dataName() + "; pass --data "
                    + "DIR with its binary version (data_batch_1.bin .. test_batch.bin, from "
                    + "https://www.cs.toronto.edu/~kriz/cifar.html, cifar-10-binary.tar.gz, 163 MB unpacked)");
        }
    }
}
