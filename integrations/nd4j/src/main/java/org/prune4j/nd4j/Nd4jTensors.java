package org.prune4j.nd4j;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.prune4j.tensor.Tensor;

/**
 * ND4J arrays and Prune4J tensors. ND4J keeps its data off the Java heap and Prune4J's CPU
 * kernels work on heap arrays, so crossing is one copy each way (never more: a C-ordered float
 * array is read in one bulk transfer, anything else is first made so by ND4J itself).
 */
public final class Nd4jTensors {
    private Nd4jTensors() {
    }

    /** The same values and shape as a host tensor. */
    public static Tensor toTensor(INDArray a) {
        if (a.rank() == 0) {
            throw new IllegalArgumentException("a scalar INDArray has no tensor shape; reshape it to [1]");
        }
        INDArray c = a.dataType() == DataType.FLOAT && a.ordering() == 'c' && !a.isView() ? a
                : a.castTo(DataType.FLOAT).dup('c');
        int[] shape = Arrays.stream(c.shape()).mapToInt(Math::toIntExact).toArray();
        return Tensor.wrap(c.data().asFloat(), shape);
    }

    /** A C-ordered float INDArray with the tensor's values (a device tensor is read to the host first). */
    public static INDArray toNd4j(Tensor t) {
        float[] v = t.isHost() ? t.data() : t.toHost().data();
        return Nd4j.create(v.clone(), Arrays.stream(t.shape()).asLongStream().toArray(), 'c');
    }
}
