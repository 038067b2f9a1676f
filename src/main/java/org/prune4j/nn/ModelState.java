package org.prune4j.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.prune4j.sparse.Mask;

/**
 * A copy of every parameter and buffer of a model, and of its masks: what a checkpoint holds
 * and what rewinding goes back to. Immutable: the arrays are copied in and out.
 */
public final class ModelState {
    private final Map<String, float[]> values;
    private final Map<String, Mask> masks;

    public ModelState(Map<String, float[]> values, Map<String, Mask> masks) {
        Map<String, float[]> v = new LinkedHashMap<>();
        values.forEach((k, a) -> v.put(k, a.clone()));
        this.values = Collections.unmodifiableMap(v);
        this.masks = Collections.unmodifiableMap(new LinkedHashMap<>(masks));
    }

    static ModelState of(Model model) {
        Map<String, float[]> v = new LinkedHashMap<>();
        Map<String, Mask> m = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            v.put(p.name(), p.snapshot());
            if (p.mask() != null) {
                m.put(p.name(), p.mask());
            }
        }
        return new ModelState(v, m);
    }

    public Map<String, float[]> values() {
        return values;
    }

    public float[] value(String name) {
        float[] a = values.get(name);
        if (a == null) {
            throw new IllegalArgumentException("state has no tensor " + name);
        }
        return a.clone();
    }

    public Map<String, Mask> masks() {
        return masks;
    }

    void loadInto(Model model) {
        for (Parameter p : model.parameters()) {
            float[] a = values.get(p.name());
            if (a == null) {
                throw new IllegalArgumentException("state has no tensor " + p.name() + "; was it saved from "
                        + model.name() + "?");
            }
            if (a.length != p.size()) {
                throw new IllegalArgumentException("state's " + p.name() + " has " + a.length + " values, the model's "
                        + p.size());
            }
            System.arraycopy(a, 0, p.value().data(), 0, a.length);
            if (p.prunable()) {
                p.setMask(masks.get(p.name()));
            }
        }
    }
}
