package org.prune4j.prune;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.prune4j.nn.Parameter;
import org.prune4j.sparse.BsrMatrix;
import org.prune4j.sparse.Mask;
import org.prune4j.tensor.Rng;

/**
 * R x C tiles of the stored weight (out x in, a conv's in x k x k flattened), pruned whole: the
 * pattern the BSR kernels skip. Edge tiles of shapes that do not divide are smaller and ranked
 * like the rest.
 */
public record BlockStructure(int rows, int cols) implements Structure {

    public BlockStructure {
        BsrMatrix.checkBlockSize(rows, cols);
    }

    @Override
    public String name() {
        return "block:" + rows + "x" + cols;
    }

    GroupSelection.Grouping grouping(Parameter p) {
        int r = p.value().rows(), c = p.value().cols();
        int gridCols = Math.ceilDiv(c, cols);
        int[] groupOf = new int[r * c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                groupOf[i * c + j] = (i / rows) * gridCols + j / cols;
            }
        }
        return new GroupSelection.Grouping(groupOf, Math.ceilDiv(r, rows) * gridCols);
    }

    @Override
    public Map<Parameter, Mask> select(List<Scored> layers, double keep, Scope scope) {
        List<GroupSelection.Grouping> g = new ArrayList<>();
        for (Scored s : layers) {
            g.add(grouping(s.weight()));
        }
        return GroupSelection.select(layers, g, keep, scope, name());
    }

    @Override
    public Map<Parameter, Mask> randomLike(List<Parameter> layers, Map<Parameter, Mask> masks, Rng rng) {
        return Structure.eachMasked(layers, masks, rng, (p, m, r) -> Mask.of(m.rows(), m.cols(),
                GroupSelection.randomGroups(grouping(p), m, r)));
    }
}
