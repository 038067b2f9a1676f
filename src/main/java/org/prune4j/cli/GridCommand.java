package org.prune4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code prune4j grid FILE}: a sweep's runs, on this machine with N worker processes or as a
 * Slurm job array. Runs coordinate only through what every run already has: its hashed run
 * folder, its lock and {@code --resume-or-start}, so workers on several machines sharing a
 * filesystem never run one experiment twice, and a grid started again finishes what is left.
 */
@Command(name = "grid", mixinStandardHelpOptions = true,
        description = {"Run a sweep: every combination of the option values a JSON or YAML file varies, as separate "
            + "resumable runs, then one comparison of them all (report --compare) in <out>/grid-report.",
            "The file: command (train, prune, lottery, rigl, ...), options (shared by every run, as in --settings), "
                + "vary (option -> list of values). Example: command: prune; options: {out: runs/sweep, iterations: "
                + "2000, schedule: oneshot}; vary: {score: [magnitude, snip], sparsity: [0.8, 0.9], seed: [1, 2]}"})
public final class GridCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The grid, a .json, .yaml or .yml file.")
    Path file;

    @Option(names = "--workers", defaultValue = "1", description = "Runs at once on this machine, each in its own "
            + "process (default: ${DEFAULT-VALUE}); the cores are shared between them.")
    int workers;

    @Option(names = "--dry-run", description = "List the runs and stop.")
    boolean dryRun;

    @Option(names = "--task", paramLabel = "I", description = "Run only run I (0-based) in this process: what each "
            + "task of the Slurm array does.")
    Integer task;

    @Option(names = "--slurm", description = "Write <out>/grid-slurm.sh, a job array of one task per run, and submit "
            + "it with sbatch (or say how to, when sbatch is not installed).")
    boolean slurm;

    @Option(names = "--slurm-option", paramLabel = "OPT", description = "An #SBATCH line for --slurm, e.g. "
            + "--slurm-option=--gres=gpu:1 --slurm-option=--time=12:00:00 (repeatable).")
    List<String> slurmOptions = new ArrayList<>();

    @Option(names = "--sbatch", defaultValue = "sbatch", description = "The sbatch command (default: ${DEFAULT-VALUE}).")
    String sbatch;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (workers < 1) {
            throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
        }
        if (!slurm && (!slurmOptions.isEmpty() || !sbatch.equals("sbatch"))) {
            throw new IllegalArgumentException("--slurm-option and --sbatch only apply with --slurm");
        }
        if (task != null && (slurm || dryRun || workers != 1)) {
            throw new IllegalArgumentException("--task runs one run in this process; it takes no --slurm, --dry-run or "
                    + "--workers");
        }
        Grid grid = Grid.read(file, spec.parent().commandLine());
        if (task != null) {
            return Main.run(grid.arguments(task).toArray(String[]::new));
        }
        if (dryRun) {
            for (int i = 0; i < grid.size(); i++) {
                System.out.println(i + ": " + String.join(" ", grid.arguments(i)));
            }
            return 0;
        }
        return slurm ? submit(grid) : runLocally(grid);
    }

    /**
     * The command line of a child JVM like this one: its system properties and -XX options
     * forwarded, then {@code memory} (a heap size or share) and, for local workers, a share of
     * the cores, so N workers run N x (cores / N) compute threads and not N x cores.
     */
    private static List<String> jvm(String memory, int cores) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC"));
        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            boolean ours = a.startsWith("-XX:ActiveProcessorCount") || a.startsWith("-XX:MaxRAMPercentage")
                    || a.equals("-XX:+UseParallelGC");
            if ((a.startsWith("-D") || a.startsWith("-XX:") || a.startsWith("-Xss")) && !ours) {
                cmd.add(a);
            }
        }
        cmd.add(memory);
        if (cores > 0) {
            cmd.add("-XX:ActiveProcessorCount=" + cores);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        return cmd;
    }

    private int runLocally(Grid grid) throws Exception {
        Path logs = grid.out().resolve("grid-logs");
        Files.createDirectories(logs);
        int n = grid.size();
        ExperimentCommands.log("grid " + file + ": " + n + " runs, " + workers + " at a time; logs in " + logs);
        Set<Process> live = ConcurrentHashMap.newKeySet();
        Thread stop = new Thread(() -> live.forEach(Process::destroy));
        Runtime.getRuntime().addShutdownHook(stop);
        AtomicInteger done = new AtomicInteger();
        List<String> failed = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int run = i;
                futures.add(pool.submit(() -> {
                    long mb = Math.max(1024, Runtime.getRuntime().maxMemory() / workers / (1024 * 1024));
                    int cores = Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
                    List<String> cmd = new ArrayList<>(jvm("-Xmx" + mb + "m", cores));
                    cmd.addAll(grid.arguments(run));
                    Path log = logs.resolve(String.format("run-%03d.log", run));
                    long t0 = System.nanoTime();
                    // appended, so a retried run's log keeps the attempt before it
                    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
                    live.add(p);
                    int code = p.waitFor();
                    live.remove(p);
                    String what = String.join(" ", grid.variation(run));
                    if (code != 0) {
                        failed.add(run + " (" + what + "): exit " + code + ", see " + log);
                    }
                    ExperimentCommands.log(String.format("grid: %d/%d finished, run %d (%s): %s in %.0f s",
                            done.incrementAndGet(), n, run, what, code == 0 ? "done" : "FAILED, exit " + code,
                            (System.nanoTime() - t0) / 1e9));
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            // a worker that failed to start stops the grid: no child may outlive it
            pool.shutdownNow();
            live.forEach(Process::destroy);
            Runtime.getRuntime().removeShutdownHook(stop);
        }
        if (!failed.isEmpty()) {
            System.err.println("prune4j: " + failed.size() + " of " + n + " runs failed; start the grid again to retry "
                    + "them (finished runs are kept):");
            failed.forEach(f -> System.err.println("  " + f));
            return 1;
        }
        Path report = grid.out().resolve("grid-report");
        int code = Main.run("report", "--compare", report.toString(), grid.out().toString());
        System.out.println("grid: " + n + " runs in " + grid.out() + "; their comparison in " + report);
        return code;
    }

    private int submit(Grid grid) throws IOException, InterruptedException {
        Path out = grid.out().toAbsolutePath().normalize();
        Path logs = out.resolve("grid-logs");
        Files.createDirectories(logs);
        StringBuilder s = new StringBuilder("#!/usr/bin/env bash\n");
        s.append("#SBATCH --job-name=prune4j-grid\n");
        s.append("#SBATCH --array=0-").append(grid.size() - 1).append('\n');
        s.append("#SBATCH --output=").append(quote(logs + "/slurm-%A_%a.log")).append('\n');
        for (String o : slurmOptions) {
            s.append("#SBATCH ").append(o).append('\n');
        }
        s.append("# ").append(grid.size()).append(" runs of ").append(file.toAbsolutePath()).append(", written out as "
                + "they were at submission; each runs with --resume-or-start, so a requeued task continues.\n");
        s.append("set -euo pipefail\n");
        s.append("cd ").append(quote(Path.of("").toAbsolutePath().toString())).append('\n');
        // the heap follows the memory Slurm grants the task, not this machine's
        List<String> jvm = jvm("-XX:MaxRAMPercentage=75", 0);
        s.append("case \"${SLURM_ARRAY_TASK_ID:?run this script with sbatch, or set SLURM_ARRAY_TASK_ID}\" in\n");
        for (int i = 0; i < grid.size(); i++) {
            StringBuilder line = new StringBuilder("  ").append(i).append(") exec");
            jvm.forEach(c -> line.append(' ').append(quote(c)));
            grid.arguments(i).forEach(c -> line.append(' ').append(quote(c)));
            s.append(line).append(" ;;\n");
        }
        s.append("  *) echo \"no run $SLURM_ARRAY_TASK_ID in this grid (0..").append(grid.size() - 1)
                .append(")\" >&2; exit 2 ;;\nesac\n");
        Path script = out.resolve("grid-slurm.sh");
        Path tmp = out.resolve("grid-slurm.sh.tmp");
        Files.writeString(tmp, s);
        Files.move(tmp, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        script.toFile().setExecutable(true);
        Process p;
        try {
            p = new ProcessBuilder(sbatch, script.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            System.out.println("grid: wrote " + script + " (" + grid.size() + " tasks); '" + sbatch + "' could not be "
                    + "started here (" + e.getMessage() + "), so submit it on the cluster with: sbatch " + script);
            return 0;
        }
        String reply = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        int code = p.waitFor();
        if (code != 0) {
            throw new IllegalStateException(sbatch + " refused " + script + " (exit " + code + "): " + reply);
        }
        System.out.println("grid: " + reply + " (" + grid.size() + " tasks, " + script + "); when they finish: "
                + "prune4j report --compare " + out.resolve("grid-report") + " " + out);
        return 0;
    }

    private static String quote(String s) {
        return s.matches("[A-Za-z0-9_./:=@%+,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
