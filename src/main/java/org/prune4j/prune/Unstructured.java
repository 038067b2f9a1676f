package org.prune4j.prune;

import java.util.List;
import java.util.Map;
import org.prune4j.nn.Parameter;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;

/** Every weight is its own group: the scope's masks as they are. */
public record Unstructured() implements Structure {

    @Override
    public String name() {
        return "unstructured";
    }

    @Override
    public Map<Parameter, Mask> select(List<Scored> layers, double keep, Scope scope) {
        return scope.select(layers, keep);
    }

    @Override
    public Map<Parameter, Mask> randomLike(List<Parameter> layers, Map<Parameter, Mask> masks, Rng rng) {
        return Structure.eachMasked(layers, masks, rng, (p, m, r) -> Mask.randomCount(m.rows(), m.cols(),
                m.keptCount(), r));
    }
}
