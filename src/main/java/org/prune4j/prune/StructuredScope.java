package org.prune4j.prune;

import java.util.List;
import java.util.Map;
import org.prune4j.nn.Parameter;
import org.prune4j.sparse.Mask;

/**
 * A scope that prunes in the groups of a {@link Structure}: the inner scope allocates, the
 * structure rounds to whole groups. This is how every schedule (one-shot, iterative, gradual)
 * and every pruner gets a granularity without knowing about it.
 */
public record StructuredScope(Structure structure, Scope scope) implements Scope {

    public StructuredScope {
        java.util.Objects.requireNonNull(structure, "structure");
        java.util.Objects.requireNonNull(scope, "scope");
    }

    @Override
    public String name() {
        return scope.name() + " " + structure.name();
    }

    @Override
    public Map<Parameter, Mask> select(List<Scored> layers, double keep) {
        Scopes.checkKeep(keep);
        return structure.select(layers, keep, scope);
    }
}
