package org.prune4j.cli;

import org.prune4j.guard.HostMemory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code prune4j} command. */
@Command(name = "prune4j", mixinStandardHelpOptions = true, version = "prune4j 0.1.0",
        description = "Neural-network pruning on sparse CPU and CUDA kernels.",
        subcommands = {DoctorCommand.class, BenchCommand.class, CrossoverCommand.class, DemoCommand.class, TrainCommand.class,
            PruneCommand.class, LotteryCommand.class, TensorCoreCommand.class, GpuSmokeCommand.class, ReportCommand.class,
            ExportCommand.class, ImportCommand.class, InferCommand.class, DynamicSparseCommands.Set.class,
            DynamicSparseCommands.Rigl.class, DynamicSparseCommands.EdgePopupCommand.class,
            DynamicSparseCommands.SupermaskCommand.class, DynamicSparseCommands.BnOnly.class,
            DynamicSparseCommands.SupSupCommand.class, LayerResetCommand.class, GridCommand.class,
            NoiseCommand.class, WannCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line and returns the exit code; errors become one clear line (the stack
     * trace follows with {@code PRUNE4J_DEBUG=1}), running out of memory included.
     */
    public static int run(String... args) {
        oneLogFormat();
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println("prune4j: " + message(ex));
            if (System.getenv("PRUNE4J_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        try {
            String[] expanded;
            try {
                expanded = SettingsFile.expand(cl, args);
            } catch (IllegalArgumentException e) {
                System.err.println("prune4j: " + message(e));
                return 2;
            }
            return cl.execute(expanded);
        } catch (OutOfMemoryError e) {
            // what held the memory is unreachable now, so there is room for one line
            System.err.println("prune4j: " + HostMemory.outOfMemory(e, "running '" + String.join(" ", args) + "'"));
            if (System.getenv("PRUNE4J_DEBUG") != null) {
                e.printStackTrace();
            }
            return 1;
        }
    }

    /**
     * The library logs through System.Logger (java.util.logging underneath), whose console
     * format is two lines with a date; the command prints those records in its own
     * {@code [prune4j HH:MM:SS]} line format, warnings marked, so a run's log reads as one.
     */
    private static void oneLogFormat() {
        for (java.util.logging.Handler h : java.util.logging.Logger.getLogger("").getHandlers()) {
            if (h instanceof java.util.logging.ConsoleHandler && !(h.getFormatter() instanceof LineFormat)) {
                h.setFormatter(new LineFormat());
            }
        }
    }

    private static final class LineFormat extends java.util.logging.Formatter {
        private static final java.time.format.DateTimeFormatter TIME = java.time.format.DateTimeFormatter
                .ofPattern("HH:mm:ss");

        @Override
        public String format(java.util.logging.LogRecord r) {
            String level = r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()
                    ? r.getLevel().getName() + " " : "";
            return "[prune4j " + TIME.format(java.time.LocalTime.now()) + "] " + level + formatMessage(r)
                    + System.lineSeparator();
        }
    }

    /** The one line for an exception: its message, or what it is when the message alone says nothing. */
    static String message(Throwable ex) {
        String m = ex.getMessage();
        if (ex instanceof NumberFormatException) {
            return "not a number where one was expected (" + m + ")";
        }
        if (m == null || m.isBlank()) {
            return "internal error " + ex + "; rerun with PRUNE4J_DEBUG=1 for the stack trace and report it";
        }
        return m.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
