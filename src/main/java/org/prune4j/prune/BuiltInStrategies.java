package org.prune4j.prune;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/** Prune4J's own scores, scopes and resets, registered like any outside provider. */
public final class BuiltInStrategies implements StrategyProvider {

    @Override
    public Map<String, Supplier<Scorer>> scorers() {
        Map<String, Supplier<Scorer>> m = new LinkedHashMap<>();
        m.put("magnitude", MagnitudeScore::new);
        m.put("random", RandomScore::new);
        m.put("obd", ObdScore::new);
        m.put("obd-lecun", ObdLeCunScore::new);
        m.put("snip", SnipScore::new);
        m.put("grasp", GraspScore::new);
        m.put("synflow", SynFlowScore::new);
        m.put("bn-scale", BatchNormScaleScore::new);
        return m;
    }

    @Override
    public Map<String, DoubleFunction<Scope>> scopes() {
        Map<String, DoubleFunction<Scope>> m = new LinkedHashMap<>();
        m.put("layerwise", LayerwiseScope::new);
        // an output rate scale of 0 leaves the output layer dense; other scales do not apply to one ranking
        m.put("global", scale -> new GlobalScope(scale == 0));
        m.put("erk", scale -> new ErkScope());
        return m;
    }

    @Override
    public Map<String, Function<String, Reset>> resets() {
        Map<String, Function<String, Reset>> m = new LinkedHashMap<>();
        m.put("rewind", arg -> arg == null ? new Reset.RewindToInit()
                : new Reset.RewindToIteration(Strategies.wholeNumber(arg, "rewind:K")));
        m.put("finetune", arg -> Strategies.noArgument(arg, "finetune", new Reset.KeepTrained()));
        m.put("reinit", arg -> Strategies.noArgument(arg, "reinit", new Reset.RandomReinit()));
        m.put("signed-constant", arg -> Strategies.noArgument(arg, "signed-constant", new Reset.SignedConstant()));
        return m;
    }
}
