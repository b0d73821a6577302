package dev.directspec.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** DirectSpec+ loss and gradient (docs/method.md section 3) against a double-precision reference. */
class DirectSpecPlusObjectiveTest {

  private static final int DIM = 4;

  @Test
  void scalarTauWithAndWithoutShrink() {
    for (float shrink : new float[] {0f, 0.5f}) {
      check(new Random(1), 6, 0.8f, 3f, 2f, shrink, false, false);
    }
  }

  @Test
  void perPairTau() {
    check(new Random(2), 6, 1.0f, 3f, 3f, 0f, true, false);
    check(new Random(3), 6, 0.7f, 4f, 4f, 0.2f, true, false);
  }

  @Test
  void alphaZeroIsAlign() {
    check(new Random(4), 5, 0f, 3f, 3f, 0f, false, false);
    check(new Random(5), 5, 0f, 3f, 3f, 0.3f, false, false);
  }

  @Test
  void repeatedRowsAndSingleRow() {
    check(new Random(6), 6, 0.9f, 3f, 3f, 0.1f, false, true);
    check(new Random(7), 6, 0.9f, 3f, 3f, 0f, true, true);
    check(new Random(8), 1, 0.9f, 3f, 3f, 0.1f, false, false);
  }

  @Test
  void l2TermOnFilteredRows() {
    check(new Random(10), 6, 0.7f, 4f, 4f, 0.5f, false, false, 0.3f);
    check(new Random(11), 6, 0.7f, 3f, 3f, 0f, true, false, 0.3f);
  }

  @Test
  void sampledNegativesTerm() {
    checkNegatives(new Random(12), 5, 3, 0.8f, 3f, 0f, 0.5f);
    checkNegatives(new Random(13), 4, 2, 0.6f, 4f, 0.3f, 2f);
    checkNegatives(new Random(14), 3, 1, 0f, 3f, 0.2f, 1f);
  }

  /** Loss with N negatives per positive and all three gradients against the double reference. */
  private static void checkNegatives(Random rnd, int bsz, int n, float alpha, float tau, float shrink, float w) {
    float[] xu = Reference.random(rnd, bsz * DIM, 0.5);
    float[] xi = Reference.random(rnd, bsz * DIM, 0.5);
    float[] xj = Reference.random(rnd, bsz * n * DIM, 0.5);
    DirectSpecPlusObjective obj = new DirectSpecPlusObjective(alpha, tau, tau, shrink, 0f, w);
    float[] gu = new float[bsz * DIM];
    float[] gi = new float[bsz * DIM];
    float[] gj = new float[bsz * n * DIM];
    double loss = obj.lossAndGradient(xu, xi, bsz, DIM, gu, gi, null, null, xj, n, gj,
        new Workspace(SmallGemm.javaOnly()));
    double[][] u = Reference.rows(xu, bsz, DIM);
    double[][] i = Reference.rows(xi, bsz, DIM);
    double[][] j = Reference.rows(xj, bsz * n, DIM);
    String what = "negatives=" + n + " alpha=" + alpha + " shrink=" + shrink + " w=" + w;
    assertEquals(refLossWithNegatives(u, i, j, n, alpha, tau, shrink, w), loss, 1e-5, what);
    Reference.assertGradient("users " + what, gu,
        Reference.numericGradient(u, us -> refLossWithNegatives(us, i, j, n, alpha, tau, shrink, w)), 1e-3);
    Reference.assertGradient("items " + what, gi,
        Reference.numericGradient(i, is -> refLossWithNegatives(u, is, j, n, alpha, tau, shrink, w)), 1e-3);
    Reference.assertGradient("negatives " + what, gj,
        Reference.numericGradient(j, js -> refLossWithNegatives(u, i, js, n, alpha, tau, shrink, w)), 1e-3);
  }

  /** The positive loss plus w (1/(B N)) sum log(1 + e^(y_u . z)), z normalised and shrunk, not filtered. */
  private static double refLossWithNegatives(double[][] u, double[][] i, double[][] j, int n, double alpha,
                                             double tau, double shrink, double w) {
    double[][] yu = Reference.filter(u, alpha, tau, null, shrink);
    double[][] z = Reference.filter(j, 0, tau, null, shrink);
    double negatives = 0;
    for (int b = 0; b < u.length; b++) {
      for (int k = 0; k < n; k++) {
        negatives += Math.log1p(Math.exp(Reference.dot(yu[b], z[b * n + k])));
      }
    }
    return refLoss(u, i, alpha, tau, tau, null, null, shrink, 0) + w * negatives / (u.length * n);
  }

  @Test
  void nativeBackendAgreesWithJava() {
    Random rnd = new Random(9);
    int bsz = 64;
    int dim = 16;
    float[] xu = Reference.random(rnd, bsz * dim, 0.3);
    float[] xi = Reference.random(rnd, bsz * dim, 0.3);
    DirectSpecPlusObjective obj = new DirectSpecPlusObjective(0.7f, 4f, 4f, 0.02f);
    float[] gu1 = new float[bsz * dim];
    float[] gi1 = new float[bsz * dim];
    float[] gu2 = new float[bsz * dim];
    float[] gi2 = new float[bsz * dim];
    double l1 = obj.lossAndGradient(xu, xi, bsz, dim, gu1, gi1, new Workspace(SmallGemm.javaOnly()));
    double l2 = obj.lossAndGradient(xu, xi, bsz, dim, gu2, gi2, new Workspace());
    assertEquals(l1, l2, 1e-5);
    for (int i = 0; i < gu1.length; i++) {
      assertEquals(gu1[i], gu2[i], 1e-6 + 1e-4 * Math.abs(gu1[i]));
      assertEquals(gi1[i], gi2[i], 1e-6 + 1e-4 * Math.abs(gi1[i]));
    }
  }

  /** Random batch (optionally with duplicated rows), float kernel vs double reference + differences. */
  private static void check(Random rnd, int bsz, float alpha, float tauU, float tauI, float shrink,
                            boolean pairs, boolean repeat) {
    check(rnd, bsz, alpha, tauU, tauI, shrink, pairs, repeat, 0f);
  }

  private static void check(Random rnd, int bsz, float alpha, float tauU, float tauI, float shrink,
                            boolean pairs, boolean repeat, float reg) {
    float[] xu = Reference.random(rnd, bsz * DIM, 0.5);
    float[] xi = Reference.random(rnd, bsz * DIM, 0.5);
    if (repeat) {
      // The same user (row 0) and the same item (row 1) drawn twice: separate rows, as in the method.
      System.arraycopy(xu, 0, xu, 3 * DIM, DIM);
      System.arraycopy(xi, DIM, xi, 4 * DIM, DIM);
    }
    float[] tpu = pairs ? randomTau(rnd, bsz, 2.5f, tauU) : null;
    float[] tpi = pairs ? randomTau(rnd, bsz, 2.5f, tauI) : null;
    DirectSpecPlusObjective obj = new DirectSpecPlusObjective(alpha, tauU, tauI, shrink, reg);
    float[] gu = new float[bsz * DIM];
    float[] gi = new float[bsz * DIM];
    double loss = obj.lossAndGradient(xu, xi, bsz, DIM, gu, gi, tpu, tpi, new Workspace(SmallGemm.javaOnly()));
    double[][] u = Reference.rows(xu, bsz, DIM);
    double[][] i = Reference.rows(xi, bsz, DIM);
    double[][] tu = tpu == null ? null : Reference.rows(tpu, bsz, bsz);
    double[][] ti = tpi == null ? null : Reference.rows(tpi, bsz, bsz);
    String what = "alpha=" + alpha + " shrink=" + shrink + " pairs=" + pairs + " repeat=" + repeat + " reg=" + reg;
    assertEquals(refLoss(u, i, alpha, tauU, tauI, tu, ti, shrink, reg), loss, 1e-5, what);
    Reference.assertGradient("users " + what, gu,
        Reference.numericGradient(u, us -> refLoss(us, i, alpha, tauU, tauI, tu, ti, shrink, reg)), 1e-3);
    Reference.assertGradient("items " + what, gi,
        Reference.numericGradient(i, is -> refLoss(u, is, alpha, tauU, tauI, tu, ti, shrink, reg)), 1e-3);
  }

  /** Co-interaction-like symmetric matrix of low/high values, diagonal low. */
  static float[] randomTau(Random rnd, int bsz, float low, float high) {
    float[] t = new float[bsz * bsz];
    for (int a = 0; a < bsz; a++) {
      for (int c = a; c < bsz; c++) {
        float v = a == c || rnd.nextBoolean() ? low : high;
        t[a * bsz + c] = v;
        t[c * bsz + a] = v;
      }
    }
    return t;
  }

  private static double refLoss(double[][] u, double[][] i, double alpha, double tauU, double tauI,
                                double[][] tu, double[][] ti, double shrink, double reg) {
    double[][] yu = Reference.filter(u, alpha, tauU, tu, shrink);
    double[][] yi = Reference.filter(i, alpha, tauI, ti, shrink);
    double[] s = new double[u.length];
    double squares = 0;
    for (int b = 0; b < u.length; b++) {
      s[b] = Reference.dot(yu[b], yi[b]);
      squares += Reference.dot(yu[b], yu[b]) + Reference.dot(yi[b], yi[b]);
    }
    return Reference.meanNegLogSigmoid(s) + reg * squares / u.length;
  }
}
