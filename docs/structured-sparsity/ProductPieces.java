// Usage (after mvn package): java --add-modules jdk.incubator.vector -cp "target/prune4j.jar:target/lib/*" \
//     docs/structured-sparsity/ProductPieces.java ROWS COLS BATCH DENSITY BLOCKS   e.g. 300 784 60 0.5 1x1,4x4,16x16
import org.prune4j.backend.*;
import org.prune4j.backend.cpu.CpuBackend;
import org.prune4j.sparse.*;
import org.prune4j.tensor.*;

/** The three products of one sparse layer timed alone (best of 300 after 100 warm-up calls): forward, weight gradient, input gradient. */
public class ProductPieces {
    public static void main(String[] a) {
        Backend be = new CpuBackend(CpuBackend.bestGemm());
        int rows = Integer.parseInt(a[0]), cols = Integer.parseInt(a[1]), n = Integer.parseInt(a[2]);
        double d = Double.parseDouble(a[3]);
        Rng rng = new Rng(1);
        for (String b : a[4].split(",")) {
            String[] rc = b.split("x");
            BlockShape bs = new BlockShape(Integer.parseInt(rc[0]), Integer.parseInt(rc[1]));
            Mask m = bs.isBlocked() ? bs.randomMask(rows, cols, d, rng) : Mask.randomExact(rows, cols, d, rng);
            SparseWeight w = be.prepareSparse(CsrMatrix.pattern(m), bs);
            Tensor v = Tensor.uniform(rng, -1, 1, w.nnz()), g = Tensor.zeros(w.nnz());
            Tensor x = Tensor.uniform(rng, -1, 1, n, cols), y = Tensor.zeros(n, rows), dy = Tensor.uniform(rng, -1, 1, n, rows), dx = Tensor.zeros(n, cols);
            double f = 1e9, bw = 1e9, bx = 1e9;
            for (int it = 0; it < 400; it++) {
                long t0 = System.nanoTime();
                be.sparseForward(w, v, x, y, ActivationLayout.BATCH_MAJOR);
                long t1 = System.nanoTime();
                be.sparseBackward(w, v, dy, x, null, g, ActivationLayout.BATCH_MAJOR);
                long t2 = System.nanoTime();
                be.sparseBackward(w, v, dy, x, dx, g, ActivationLayout.BATCH_MAJOR);
                long t3 = System.nanoTime();
                if (it > 100) { f = Math.min(f, (t1 - t0) / 1e6); bw = Math.min(bw, (t2 - t1) / 1e6); bx = Math.min(bx, (t3 - t2) / 1e6); }
            }
            System.out.printf("%s %dx%d n%d d%.2f: forward %.3f ms, dW %.3f ms, dx %.3f ms (%s)%n", b, rows, cols, n, d, f, bw, bx - bw, w.blocks());
        }
    }
}
