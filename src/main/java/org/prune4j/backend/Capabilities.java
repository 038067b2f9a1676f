package org.prune4j.backend;

import java.util.EnumSet;
import java.util.Set;
import org.prune4j.sparse.BsrMatrix;
import org.prune4j.sparse.CompactedMatrix;
import org.prune4j.sparse.CsrMatrix;
import org.prune4j.sparse.NmMatrix;
import org.prune4j.sparse.SparseMatrix;
import org.prune4j.sparse.TwoFourMatrix;

/**
 * What a backend runs: operation groups, sparse formats for {@link Feature#SPMM}, and the
 * precisions of its products. A third-party backend may declare a subset; the engine routes the
 * rest elsewhere (see {@link Backends#routed}).
 */
public record Capabilities(Set<Feature> features, Set<Format> formats, Set<Precision> precisions) {

    /** The sparse formats of {@link org.prune4j.sparse}. */
    public enum Format {
        CSR, BSR, NM, TWO_FOUR, COMPACTED;

        public static Format of(SparseMatrix m) {
            return switch (m) {
                case CsrMatrix c -> CSR;
                case BsrMatrix b -> BSR;
                case NmMatrix n -> NM;
                case TwoFourMatrix t -> TWO_FOUR;
                case CompactedMatrix c -> COMPACTED;
            };
        }
    }

    /** Arithmetic of the products; training runs in FP32. */
    public enum Precision { FP32, TF32, BF16, FP16 }

    public Capabilities {
        features = Set.copyOf(features);
        formats = Set.copyOf(formats);
        precisions = Set.copyOf(precisions);
    }

    /** Everything: what the CPU backend runs. */
    public static Capabilities all() {
        return new Capabilities(EnumSet.allOf(Feature.class), EnumSet.allOf(Format.class), EnumSet.of(Precision.FP32));
    }

    /** The products and elementwise operations only: what a backend written against the first interface runs. */
    public static Capabilities productsOnly() {
        return new Capabilities(EnumSet.of(Feature.GEMM, Feature.SPMM, Feature.SDDMM, Feature.ELEMENTWISE),
                EnumSet.allOf(Format.class), EnumSet.of(Precision.FP32));
    }

    public boolean supports(Feature f) {
        return features.contains(f);
    }

    public boolean supports(Format f) {
        return features.contains(Feature.SPMM) && formats.contains(f);
    }

    /** Whether every feature and format is here, so no routing is needed. */
    public boolean complete() {
        return features.containsAll(EnumSet.allOf(Feature.class)) && formats.containsAll(EnumSet.allOf(Format.class));
    }
}
