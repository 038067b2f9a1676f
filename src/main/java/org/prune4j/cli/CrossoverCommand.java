package org.prune4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.prune4j.bench.CrossoverReport;
import org.prune4j.bench.DlmcData;
import org.prune4j.bench.ResultsCsv;
import org.prune4j.bench.SpmmCrossoverBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code prune4j crossover}: CPU CSR SpMM against the dense GEMMs, with the crossover sparsity. */
@Command(name = "crossover", mixinStandardHelpOptions = true, description = "CPU CSR SpMM against dense GEMM on one shape over sparsities, and on the DLMC matrices, with the crossover sparsity.")
public final class CrossoverCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--m", defaultValue = "4096", description = "Rows of the weight (default ${DEFAULT-VALUE}).")
    int m;

    @Option(names = "--k", defaultValue = "4096", description = "Columns of the weight (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--n", defaultValue = "256", description = "Columns of the activations (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--sparsities", split = ",", defaultValue = "0,0.5,0.7,0.8,0.9,0.95,0.98,0.99",
            converter = Fraction.class,
            description = "Sparsities as fractions or percentages with %% (default ${DEFAULT-VALUE}).")
    double[] sparsities;

    @Option(names = "--runs", defaultValue = "10", description = "Timed runs per point; the median is reported.")
    int runs;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed warm-up runs per point.")
    int warmup;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--dlmc", description = "Folder of DLMC .smtx files (default: data/dlmc of the installation).")
    Path dlmc;

    @Option(names = "--no-dlmc", description = "Skip the DLMC matrices.")
    boolean noDlmc;

    @Option(names = "--dlmc-n", defaultValue = "256", description = "Activation columns for DLMC matrices.")
    int dlmcN;

    @Option(names = "--out", defaultValue = "bench-out", description = "Folder for the .md and .csv results.")
    Path out;

    @Option(names = "--name", defaultValue = "cpu-spmm-crossover", description = "Base name of the result files.")
    String name;

    @Override
    public Integer call() throws Exception {
        double[] fractions = new double[sparsities.length];
        for (int i = 0; i < sparsities.length; i++) {
            if (sparsities[i] >= 1) {
                throw new IllegalArgumentException("--sparsities must be below 1 (100%), got " + sparsities[i]);
            }
            fractions[i] = sparsities[i];
        }
        Path dir = noDlmc ? null : dlmc != null ? dlmc : DlmcData.find().orElse(null);
        if (!noDlmc && dir == null) {
            throw new IllegalArgumentException("DLMC matrices not found (looked at " + DlmcData.searched() + "); pass"
                    + " --dlmc DIR to include them or --no-dlmc to run the random-mask sweep only");
        }
        var config = new SpmmCrossoverBench.Config(m, k, n, fractions, warmup, runs, seed, dir, dlmcN);
        // rows go to <name>.csv.partial as they are measured; a run cut short keeps them
        ResultsCsv csv = ResultsCsv.open(out.resolve(name + ".csv"), CrossoverReport.CSV_HEADER);
        SpmmCrossoverBench.Result result;
        try {
            result = new SpmmCrossoverBench(config, msg -> System.err.println("[bench] " + msg)).run(
                    new SpmmCrossoverBench.Listener() {
                        @Override
                        public void dense(SpmmCrossoverBench.DenseResult d) {
                            csv.append(CrossoverReport.denseRow(config, d), true);
                        }

                        @Override
                        public void sparse(SpmmCrossoverBench.SparseResult s, boolean fromDlmc) {
                            csv.append(CrossoverReport.sparseRow(s, fromDlmc), s.ok());
                        }
                    });
        } finally {
            csv.finish();
        }
        String command = "prune4j " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        CrossoverReport.writeMarkdown(result, command.trim(), out, name);
        System.out.println(CrossoverReport.markdown(result, command.trim()));
        System.out.println("wrote " + out.resolve(name + ".md") + " and " + out.resolve(name + ".csv"));
        return 0;
    }
}
