package org.prune4j.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The default job a fresh checkout runs: doctor, a small CPU SpMM-vs-dense benchmark including
 * real DLMC patterns when they are present, and a short lottery-ticket run on Fashion-MNIST.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Run doctor, a small CPU sparse-vs-dense benchmark and a short lottery-ticket "
        + "run on Fashion-MNIST (about a minute).")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "bench-out/demo", description = "Folder for the results.")
    String out;

    @Override
    public Integer call() throws Exception {
        DoctorCommand.report(System.out);
        System.out.println();
        String[] args = {"crossover", "--m", "2048", "--k", "2048", "--n", "128", "--sparsities", "0,0.5,0.8,0.9,0.95,0.99",
            "--runs", "5", "--warmup", "2", "--dlmc-n", "64", "--out", out, "--name", "demo-spmm"};
        int code = Main.run(args);
        if (code != 0) {
            return code;
        }
        System.out.println();
        // The paper's protocol (50k iterations x 10 rounds x 3 trainings) takes about two hours on
        // two cores; this is the same pipeline cut to a minute.
        return Main.run("lottery", "--preset", "lenet300-quick", "--iterations", "1000", "--rounds", "3", "--out",
                out + "/runs", "--resume-or-start");
    }
}
