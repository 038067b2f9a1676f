package org.prune4j.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Consumer;
import org.prune4j.backend.ActivationLayout;
import org.prune4j.backend.Backend;
import org.prune4j.nn.Adam;
import org.prune4j.nn.KernelPolicy;
import org.prune4j.nn.LayerShape;
import org.prune4j.nn.WeightProduct;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.Pass;
import org.prune4j.nn.Workspace;
import org.prune4j.sparse.MaskStructure;
import org.prune4j.tensor.Rng;
import org.prune4j.tensor.Tensor;

/**
 * Where the sparse kernels win a whole training step, per layer shape: for each density of a
 * short ladder it times one layer's step (forward product, weight gradient, input gradient when
 * the layer needs it, Adam update of the weight) in the layer's activation layout on the masked
 * dense GEMMs and on the persistent sparse kernels (block kernels for a mask made of whole
 * blocks, since they win from a higher density; an exact 2:4 mask at its one density, on the
 * kernels a backend has for it), and records the density below which the sparse step is faster. Each shape is measured once per machine and backend and cached in a
 * JSON file
 * ({@code ~/.prune4j/step-calibration.json} by default), so only a first run pays a few seconds
 * per new shape. This is the policy training uses by default.
 */
public final class StepCalibration implements KernelPolicy.Crossovers {
    /** Densities tried, from dense-ish down; the first where sparse wins bounds the crossover. */
    static final double[] LADDER = {0.5, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01};
    private static final int MAX_WARMUP = 5000;
    private static final long FIRST_WARMUP_MS = 2000;
    private static final long WARMUP_MS = 100;
    /**
     * The kinds of step (dense or sparse in each block shape, layout, input gradient or not)
     * already warmed up in this process: compiled code is per process, not per calibration.
     */
    private static final java.util.Set<String> WARMED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** One density: the fastest of several steps on each path, in milliseconds. */
    public record Point(double density, double denseMs, double sparseMs) {
    }

    /**
     * One layer shape on one backend; {@code blocks} is the mask's structure ("4x4" blocks or
     * "2:4"), absent for unstructured masks (and in files written before structures were measured).
     */
    public record Entry(String backend, int outputs, int inputs, int rows, boolean inputGradient,
            ActivationLayout layout, String blocks, double crossover, List<Point> points, String date) {
        String key() {
            return key(backend, new LayerShape(outputs, inputs, rows, inputGradient, layout,
                    blocks == null ? MaskStructure.NONE : MaskStructure.parse(blocks)));
        }

        static String key(String backend, LayerShape s) {
            return backend + "|" + s.outputs() + "x" + s.inputs() + "|" + s.rows() + "|" + s.inputGradient() + "|"
                    + s.layout() + (s.structure().isStructured() ? "|" + s.structure() : "");
        }
    }

    /** The file's contents. */
    public record Table(List<Entry> entries) {
    }

    private final Backend backend;
    private final Path file;
    private final Consumer<String> log;
    private final int runs;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /**
     * @param file where measured crossovers are cached (read now, rewritten after each new shape)
     * @param runs timed steps per path and density (the fastest counts)
     */
    public StepCalibration(Backend backend, Path file, int runs, Consumer<String> log) {
        this.backend = backend;
        this.file = file;
        this.log = log;
        this.runs = Math.max(1, runs);
        if (Files.exists(file)) {
            try {
                for (Entry e : JSON.readValue(file.toFile(), Table.class).entries()) {
                    if (e.layout() != null) {
                        entries.put(e.key(), e);
                    }
                }
            } catch (IOException | RuntimeException e) {
                log.accept("calibration " + file + " unreadable (" + e.getMessage() + "); measuring again");
            }
        }
    }

    /**
     * {@code step-calibration.json} in the Prune4J home: the {@code prune4j.home} system property,
     * else {@code PRUNE4J_HOME}, else {@code ~/.prune4j} (tests point it into the build folder).
     */
    public static Path defaultFile() {
        String home = System.getProperty("prune4j.home", System.getenv("PRUNE4J_HOME"));
        Path dir = home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".prune4j");
        return dir.resolve("step-calibration.json");
    }

    @Override
    public String describe() {
        return "whole-step calibration of " + backend.name() + " (" + file + ")";
    }

    @Override
    public synchronized OptionalDouble crossover(LayerShape shape) {
        String key = Entry.key(backend.description(), shape);
        Entry e = entries.get(key);
        if (e == null) {
            e = measure(shape);
            entries.put(key, e);
            save();
        }
        return OptionalDouble.of(e.crossover());
    }

    /** The measured entries, in the order they were made. */
    public synchronized List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    Entry measure(LayerShape shape) {
        long t0 = System.nanoTime();
        List<Point> points = new ArrayList<>();
        double crossover = 0;
        Double denseMs = null;
        double prevDensity = 1, prevRatio = Double.NaN;
        try (Workspace ws = Workspace.caching(backend)) {
            Rng rng = new Rng(shape.hashCode());
            boolean batchMajor = shape.layout() == ActivationLayout.BATCH_MAJOR;
            Tensor x = backend.resident(batchMajor ? Tensor.uniform(rng, -1, 1, shape.rows(), shape.inputs())
                    : Tensor.uniform(rng, -1, 1, shape.inputs(), shape.rows()));
            Tensor dy = backend.resident(batchMajor ? Tensor.uniform(rng, -1e-3f, 1e-3f, shape.rows(), shape.outputs())
                    : Tensor.uniform(rng, -1e-3f, 1e-3f, shape.outputs(), shape.rows()));
            // A 2:4 mask has one density, so it is measured there alone, and if its kernels win
            // every 2:4 mask of this shape runs them (crossover 1).
            boolean twoFour = shape.structure().twoFour();
            double[] ladder = twoFour ? new double[] {0.5} : LADDER;
            List<Parameter> weights = new ArrayList<>();
            for (double d : ladder) {
                Parameter w = new Parameter("calibrate", Parameter.Kind.WEIGHT,
                        Tensor.uniform(rng, -0.1f, 0.1f, shape.outputs(), shape.inputs()), shape.inputs(),
                        shape.outputs());
                w.setMask(shape.structure().randomMask(shape.outputs(), shape.inputs(), d, rng));
                weights.add(w);
            }
            // Two untimed sparse steps at every density first: a density that takes a branch the
            // kernels have not taken yet (an edge block kept, an empty row) costs a deoptimisation
            // and a recompile, which would otherwise be timed as that density's speed.
            for (Parameter w : weights) {
                WeightProduct product = new WeightProduct(w, shape.layout());
                product.use(true);
                Pass pass = new Pass(backend, true, new Rng(1), ws);
                Adam adam = new Adam(0.9, 0.999, 1e-8, 0);
                for (int i = 0; i < 2; i++) {
                    step(product, adam, List.of(w), x, dy, shape.inputGradient(), pass);
                }
                adam.reset();
            }
            for (int k = 0; k < ladder.length; k++) {
                double d = ladder[k];
                Parameter w = weights.get(k);
                WeightProduct product = new WeightProduct(w, shape.layout());
                if (denseMs == null) {
                    product.use(false);
                    denseMs = time(product, w, x, dy, shape.inputGradient(), ws);
                }
                product.use(true);
                double sparseMs = time(product, w, x, dy, shape.inputGradient(), ws);
                w.release();
                points.add(new Point(d, denseMs, sparseMs));
                double ratio = sparseMs / denseMs;
                if (ratio < 1) {
                    crossover = twoFour ? 1.0 : Double.isNaN(prevRatio) ? d : crossing(prevDensity, prevRatio, d, ratio);
                    break;
                }
                prevDensity = d;
                prevRatio = ratio;
            }
            weights.forEach(Parameter::release);
            x.storage().release();
            dy.storage().release();
        }
        log.accept(String.format("calibrated %s on %s: sparse step wins below density %.3f (%.1f s)", shape,
                backend.name(), crossover, (System.nanoTime() - t0) / 1e9));
        return new Entry(backend.description(), shape.outputs(), shape.inputs(), shape.rows(), shape.inputGradient(),
                shape.layout(), shape.structure().isStructured() ? shape.structure().toString() : null, crossover, points,
                LocalDate.now().toString());
    }

    /**
     * Where the sparse/dense time ratio crosses 1 between a density where dense won ({@code high},
     * ratio {@code rHigh} >= 1) and a lower one where sparse won ({@code rLow} < 1), interpolating
     * the ratio linearly in log density.
     */
    static double crossing(double high, double rHigh, double low, double rLow) {
        double f = (rHigh - 1) / (rHigh - rLow);
        return Math.exp(Math.log(high) + f * (Math.log(low) - Math.log(high)));
    }

    private double time(WeightProduct product, Parameter w, Tensor x, Tensor dy, boolean inputGradient,
            Workspace ws) {
        Adam adam = new Adam(0.9, 0.999, 1e-8, 0);
        Pass pass = new Pass(backend, true, new Rng(1), ws);
        List<Parameter> trained = List.of(w);
        double best = Double.POSITIVE_INFINITY;
        // Warm-up: at least two steps, and more while they are cheap, so that a kernel this
        // process has not run yet is compiled before it is timed: a cold kernel runs 10-30x
        // slower until C2 delivers it, which on a busy 2-core machine takes a second or more,
        // and timed cold it would never be chosen. The first time each kind of path runs here
        // gets the long budget; later ones only re-warm caches.
        String kind = (product.isSparse() ? "sparse " + w.structure() : "dense") + " " + product.layout()
                + (inputGradient ? " with input gradient" : "");
        long budgetMs = WARMED.add(kind + " on " + backend.name()) ? FIRST_WARMUP_MS : WARMUP_MS;
        long warmStart = System.nanoTime();
        for (int i = 0; i < MAX_WARMUP && (i < 2 || System.nanoTime() - warmStart < budgetMs * 1_000_000L); i++) {
            step(product, adam, trained, x, dy, inputGradient, pass);
        }
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            step(product, adam, trained, x, dy, inputGradient, pass);
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        adam.reset();
        return best;
    }

    private void step(WeightProduct product, Adam adam, List<Parameter> trained, Tensor x, Tensor dy,
            boolean inputGradient, Pass pass) {
        product.forward(x, pass);
        product.backward(dy, x, pass, inputGradient);
        adam.step(trained, 1e-4, backend);
        backend.synchronize();
    }

    private void save() {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), new Table(List.copyOf(entries.values())));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.accept("could not save the calibration to " + file + " (" + org.prune4j.guard.IoErrors.reason(e) + "); it is kept for this run"
                    + " only");
        }
    }
}
