package org.prune4j.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.prune4j.backend.Backend;
import org.prune4j.data.Dataset;
import org.prune4j.nn.Model;
import org.prune4j.nn.ModelState;
import org.prune4j.nn.Parameter;
import org.prune4j.nn.WeightedLayer;
import org.prune4j.train.Evaluation;

/**
 * Zhang, Bengio and Singer 2019, "Are all layers created equal?": take a trained network and,
 * one weighted layer at a time, put that layer's parameters back to what they were at an
 * earlier checkpoint of the same training (re-initialisation, checkpoint 0 being the
 * initialisation) or to a fresh random draw (re-randomisation), leave every other layer
 * trained, and measure test accuracy. Layers whose reset costs nothing are "robust"; the
 * others are "critical".
 *
 * @param layers        the weighted layers, input to output
 * @param checkpoints   the training iterations of the re-initialisation checkpoints
 * @param reinitialised test accuracy with layer i at checkpoint j, {@code [i][j]}
 * @param rerandomised  test accuracy with layer i freshly drawn
 * @param trained       test accuracy of the trained network, nothing reset
 */
public record LayerReset(List<String> layers, List<Long> checkpoints, double[][] reinitialised, double[] rerandomised,
        double trained) {

    /**
     * Measures every layer against every checkpoint.
     *
     * @param model       the network, holding anything (it is loaded from the states)
     * @param trained     its state after training
     * @param checkpoints states during training, by iteration (0: the initialisation)
     * @param fresh       a state from an independent initialisation, for re-randomisation
     */
    public static LayerReset measure(Model model, ModelState trained, Map<Long, ModelState> checkpoints,
            ModelState fresh, Dataset test, Backend backend) {
        List<WeightedLayer> weighted = model.weightedLayers();
        List<String> names = new ArrayList<>();
        List<Long> its = new ArrayList<>(checkpoints.keySet());
        double[][] reinit = new double[weighted.size()][its.size()];
        double[] rerandom = new double[weighted.size()];
        model.load(trained);
        double base = Evaluation.of(model, test, backend).accuracy();
        for (int i = 0; i < weighted.size(); i++) {
            List<Parameter> params = weighted.get(i).parameters();
            names.add(weighted.get(i).weight().name().replace(".weight", ""));
            for (int j = 0; j < its.size(); j++) {
                reinit[i][j] = withLayerFrom(model, trained, params, checkpoints.get(its.get(j)), test, backend);
            }
            rerandom[i] = withLayerFrom(model, trained, params, fresh, test, backend);
        }
        model.load(trained);
        return new LayerReset(List.copyOf(names), List.copyOf(its), reinit, rerandom, base);
    }

    /** Test accuracy of the trained network with {@code params} copied from {@code source}. */
    private static double withLayerFrom(Model model, ModelState trained, List<Parameter> params, ModelState source,
            Dataset test, Backend backend) {
        model.load(trained);
        Map<String, float[]> from = source.values();
        for (Parameter p : params) {
            float[] v = from.get(p.name());
            if (v == null) {
                throw new IllegalArgumentException("the checkpoint has no " + p.name() + "; it is of another model");
            }
            System.arraycopy(v, 0, p.value().data(), 0, v.length);
        }
        return Evaluation.of(model, test, backend).accuracy();
    }

    /** Rows for a CSV: layer, what it was reset to, test accuracy, change from the trained network. */
    public List<Map<String, Object>> rows() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            for (int j = 0; j < checkpoints.size(); j++) {
                out.add(row(layers.get(i), "checkpoint " + checkpoints.get(j), reinitialised[i][j]));
            }
            out.add(row(layers.get(i), "random", rerandomised[i]));
        }
        return out;
    }

    private Map<String, Object> row(String layer, String to, double accuracy) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layer", layer);
        m.put("reset_to", to);
        m.put("test_accuracy", accuracy);
        m.put("change", accuracy - trained);
        return m;
    }
}
