package org.prune4j.cli;

import java.util.List;

/** Published experimental protocols, so a run from the README matches the paper it cites. */
record Preset(String name, String model, String optimizer, double lr, int batch, long iterations, int evalEvery,
        int rounds, double rate, double outputRateScale, String about) {

    /**
     * Frankle & Carbin (ICLR 2019), LeNet-300-100: Adam 1.2e-3, batch 60, 50k iterations,
     * 20% of each hidden layer and 10% of the output layer pruned per round.
     */
    static final Preset LENET300_LTH = new Preset("lenet300-lth", "lenet300", "adam", 1.2e-3, 60, 50_000, 100, 10,
            0.2, 0.5, "Frankle & Carbin's protocol: 10 rounds of 50,000 iterations with three controls each, about "
                    + "80 minutes on 2 CPU cores");

    /** The same protocol shortened to a few minutes on a laptop, for a first look. */
    static final Preset LENET300_QUICK = new Preset("lenet300-quick", "lenet300", "adam", 1.2e-3, 60, 3_000, 100, 6,
            0.2, 0.5, "the same shortened to 6 rounds of 3,000 iterations, about 5 minutes on 2 CPU cores");

    /** Defaults for train and prune runs without a preset. */
    static final Preset DEFAULT = new Preset("default", "lenet300", "adam", 1.2e-3, 60, 5_000, 100, 5, 0.2, 0.5,
            "the defaults of train and prune");

    static final List<Preset> ALL = List.of(LENET300_LTH, LENET300_QUICK);

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
}
