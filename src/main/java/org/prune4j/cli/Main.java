package org.prune4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code prune4j} command. */
@Command(name = "prune4j", mixinStandardHelpOptions = true, version = "prune4j 0.1.0",
        description = "Neural-network pruning on sparse CPU and CUDA kernels.",
        subcommands = {DoctorCommand.class, BenchCommand.class, CrossoverCommand.class, DemoCommand.class, TrainCommand.class,
            PruneCommand.class, LotteryCommand.class, TensorCoreCommand.class, GpuSmokeCommand.class, ReportCommand.class,
            ExportCommand.class, ImportCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code; errors become one clear line. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println("prune4j: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            if (System.getenv("PRUNE4J_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
