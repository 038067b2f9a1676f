package org.prune4j.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The default job a fresh checkout runs: doctor, then a small CPU SpMM-vs-dense benchmark
 * including real DLMC patterns when they are present.
 */
@Command(name = "demo", description = "Run doctor and a small CPU sparse-vs-dense benchmark (about a minute).")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "bench-out/demo", description = "Folder for the results.")
    String out;

    @Override
    public Integer call() throws Exception {
        DoctorCommand.report(System.out);
        System.out.println();
        String[] args = {"bench", "--m", "2048", "--k", "2048", "--n", "128", "--sparsities", "0,50,80,90,95,99",
            "--runs", "5", "--warmup", "2", "--dlmc-n", "64", "--out", out, "--name", "demo-spmm"};
        return Main.run(args);
    }
}
