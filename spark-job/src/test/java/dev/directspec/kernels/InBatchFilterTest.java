package dev.directspec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The filter of docs/method.md section 3, steps 1-3, on its own. */
class InBatchFilterTest {

  /**
   * X = [(1, 0), (0, 2)] gives N = I, so N N^T = I. With tau = 1 each softmax row is
   * (e, 1) / (e + 1) = (0.7310586, 0.2689414) (mirrored for row 2), so with alpha = 1
   * y1 = (1, 0) - (0.7310586, 0.2689414) = (0.2689414, -0.2689414) and y2 = -y1.
   * With shrink s = 0.5: ||y1|| = 0.2689414 * sqrt(2) = 0.3803375, so y1 is scaled by
   * 0.5 * 0.3803375 = 0.1901688, giving (0.0511451, -0.0511451).
   */
  @Test
  void handComputedTwoRows() {
    float[] x = {1f, 0f, 0f, 2f};
    Workspace ws = new Workspace(SmallGemm.javaOnly());
    float[] y = new InBatchFilter(1f, 0f).forward(x, 2, 2, 1f, null, ws.users, ws.gemm);
    assertArrayEquals(new float[] {0.2689414f, -0.2689414f, -0.2689414f, 0.2689414f},
        java.util.Arrays.copyOf(y, 4), 1e-6f);
    float[] ys = new InBatchFilter(1f, 0.5f).forward(x, 2, 2, 1f, null, ws.users, ws.gemm);
    assertArrayEquals(new float[] {0.0511451f, -0.0511451f, -0.0511451f, 0.0511451f},
        java.util.Arrays.copyOf(ys, 4), 1e-6f);
  }

  /**
   * Three rows with per-pair tau: X = [(1,0), (0,1), (1,0)] (row 3 repeats row 1), tau = 0 everywhere
   * except tau_13 = tau_31 = ln 2. Row 2: N N^T row is (0, 1, 0) times tau 0, so P = (1/3, 1/3, 1/3)
   * and y2 = (0, 1) - alpha (2/3, 1/3). Row 1: S = (0 * 1, 0 * 0, ln 2 * 1) = (0, 0, ln 2), so
   * P = (1, 1, 2) / 4, P N = (3/4, 1/4) and y1 = (1, 0) - alpha (3/4, 1/4); row 3 is the same.
   * With alpha = 1: y1 = y3 = (0.25, -0.25), y2 = (-2/3, 2/3).
   */
  @Test
  void handComputedPerPairTau() {
    float[] x = {1f, 0f, 0f, 1f, 1f, 0f};
    float ln2 = (float) Math.log(2);
    float[] tau = {0f, 0f, ln2, 0f, 0f, 0f, ln2, 0f, 0f};
    Workspace ws = new Workspace(SmallGemm.javaOnly());
    float[] y = new InBatchFilter(1f, 0f).forward(x, 3, 2, 99f, tau, ws.users, ws.gemm);
    assertArrayEquals(new float[] {0.25f, -0.25f, -2f / 3, 2f / 3, 0.25f, -0.25f},
        java.util.Arrays.copyOf(y, 6), 1e-6f);
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    Random rnd = new Random(7);
    int bsz = 5;
    int dim = 4;
    for (float shrink : new float[] {0f, 0.3f}) {
      for (float alpha : new float[] {0f, 0.8f}) {
        float[] x = Reference.random(rnd, bsz * dim, 1.0);
        float[] w = Reference.random(rnd, bsz * dim, 1.0);
        Workspace ws = new Workspace(SmallGemm.javaOnly());
        InBatchFilter f = new InBatchFilter(alpha, shrink);
        f.forward(x, bsz, dim, 3f, null, ws.users, ws.gemm);
        float[] dx = new float[bsz * dim];
        f.backward(w, dx, ws.users, ws.gemm);
        // Loss sum(W (.) Y) has dL/dY = W, so dx must match the derivative of that scalar.
        double[] num = Reference.numericGradient(Reference.rows(x, bsz, dim), xs -> {
          double[][] y = Reference.filter(xs, alpha, 3.0, null, shrink);
          double s = 0;
          for (int b = 0; b < bsz; b++) {
            for (int j = 0; j < dim; j++) {
              s += w[b * dim + j] * y[b][j];
            }
          }
          return s;
        });
        Reference.assertGradient("filter alpha=" + alpha + " shrink=" + shrink, dx, num, 1e-3);
      }
    }
  }
}
