package org.prune4j.prune;

import java.util.List;
import java.util.Map;
import org.prune4j.nn.Parameter;
import org.prune4j.sparse.Mask;

/**
 * Turns scores into masks: which of the weights still alive survive one pruning step that
 * keeps the fraction {@code keep} of them. A pruned weight never comes back.
 */
public interface Scope {

    String name();

    Map<Parameter, Mask> select(List<Scored> layers, double keep);
}
