package org.prune4j.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What shapes a run's numbers but not its identity, recorded in {@code environment.json}: the
 * backend that trains and, per layer shape, the density below which the kernel policy puts that
 * layer on the sparse kernels. Two backends, or two kernel choices, sum in different orders, so a
 * resumed run that changed either would mix numerics; the runner refuses that unless told to
 * accept it, and then lists every change here.
 */
public record RunEnvironment(String backend, String kernelPolicy, Map<String, Double> thresholds,
        List<String> changes) {

    public RunEnvironment {
        thresholds = new LinkedHashMap<>(thresholds == null ? Map.of() : thresholds);
        changes = new ArrayList<>(changes == null ? List.of() : changes);
    }

    /** What differs between this record and {@code now}, in words; empty when nothing does. */
    List<String> conflicts(RunEnvironment now) {
        List<String> out = new ArrayList<>();
        if (!backend.equals(now.backend)) {
            out.add("backend " + backend + " -> " + now.backend);
        }
        for (Map.Entry<String, Double> e : now.thresholds.entrySet()) {
            Double was = thresholds.get(e.getKey());
            if (was != null && !was.equals(e.getValue())) {
                out.add(e.getKey() + " sparse below density " + was + " -> " + e.getValue());
            }
        }
        if (!out.isEmpty() && !kernelPolicy.equals(now.kernelPolicy)) {
            out.add("kernel policy '" + kernelPolicy + "' -> '" + now.kernelPolicy + "'");
        }
        return out;
    }

    /** This record with {@code now}'s backend, policy and thresholds added, and {@code change} noted when not null. */
    RunEnvironment merge(RunEnvironment now, String change) {
        Map<String, Double> t = new LinkedHashMap<>(thresholds);
        t.putAll(now.thresholds);
        List<String> c = new ArrayList<>(changes);
        if (change != null) {
            c.add(change);
        }
        return new RunEnvironment(now.backend, now.kernelPolicy, t, c);
    }
}
