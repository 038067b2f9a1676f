package org.prune4j.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.backend.cpu.JavaGemm;
import org.prune4j.tensor.Tensor;

class ElementwiseTest {
    private final Backend b = new CpuBackend(new JavaGemm());

    private static Tensor t(float... v) {
        return Tensor.wrap(v, 2, v.length / 2);
    }

    @Test
    void handWorkedValues() {
        Tensor y = t(1, 2, 3, 4);
        b.axpy(2f, t(1, -1, 0.5f, 0), y);
        assertArrayEquals(new float[] {3, 0, 4, 4}, y.data());
        b.scale(-0.5f, y);
        // -0.5 * 0 is -0 in IEEE arithmetic.
        assertArrayEquals(new float[] {-1.5f, -0f, -2, -2}, y.data());
        Tensor p = Tensor.zeros(2, 2);
        b.mul(t(1, 2, 3, 4), t(2, 0, -1, 0.5f), p);
        assertArrayEquals(new float[] {2, 0, -3, 2}, p.data());
        Tensor r = Tensor.zeros(2, 2);
        b.relu(t(-1, 0, 2, -0f), r);
        assertArrayEquals(new float[] {0, 0, 2, 0}, r.data());
        Tensor dx = Tensor.zeros(2, 2);
        b.reluBackward(t(-1, 0, 2, 3), t(5, 6, 7, 8), dx);
        assertArrayEquals(new float[] {0, 0, 7, 8}, dx.data());
        Tensor m = Tensor.wrap(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        b.addRowVector(m, Tensor.wrap(new float[] {10, 20, 30}, 3));
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, m.data());
        Tensor s = Tensor.zeros(3);
        b.sumRows(m, s);
        assertArrayEquals(new float[] {25, 47, 69}, s.data());
    }

    @Test
    void mismatchedShapesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> b.axpy(1f, Tensor.zeros(2, 2), Tensor.zeros(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> b.addRowVector(Tensor.zeros(2, 2), Tensor.zeros(3)));
    }
}
