package dev.directspec.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** BPR and DirectAU (docs/method.md section 8) against double-precision references and differences. */
class BaselineObjectivesTest {

  private static final int DIM = 4;

  @Test
  void bprGradient() {
    checkBprGradient(new Random(21), 6, 1, 0.1f);
  }

  /** N = 3 negatives per positive: the mean over the B x N triples, against double differences. */
  @Test
  void bprWithSeveralNegativesGradient() {
    checkBprGradient(new Random(23), 5, 3, 0.2f);
  }

  private static void checkBprGradient(Random rnd, int bsz, int negatives, float reg) {
    float[] xu = Reference.random(rnd, bsz * DIM, 0.7);
    float[] xi = Reference.random(rnd, bsz * DIM, 0.7);
    float[] xj = Reference.random(rnd, bsz * negatives * DIM, 0.7);
    float[] gu = new float[bsz * DIM];
    float[] gi = new float[bsz * DIM];
    float[] gj = new float[bsz * negatives * DIM];
    double loss = new BprObjective(reg, negatives).lossAndGradient(xu, xi, xj, bsz, DIM, gu, gi, gj);
    double[][] u = Reference.rows(xu, bsz, DIM);
    double[][] i = Reference.rows(xi, bsz, DIM);
    double[][] j = Reference.rows(xj, bsz * negatives, DIM);
    assertEquals(bpr(u, i, j, negatives, reg), loss, 1e-5);
    Reference.assertGradient("bpr u", gu, Reference.numericGradient(u, x -> bpr(x, i, j, negatives, reg)), 1e-3);
    Reference.assertGradient("bpr i", gi, Reference.numericGradient(i, x -> bpr(u, x, j, negatives, reg)), 1e-3);
    Reference.assertGradient("bpr j", gj, Reference.numericGradient(j, x -> bpr(u, i, x, negatives, reg)), 1e-3);
  }

  /**
   * One negative per positive gives, bit for bit, the kernel the project had before train.negatives
   * (its float expressions are restated here), so negatives = 1 trains the same model as before.
   */
  @Test
  void oneNegativeIsBitIdenticalToTheOneNegativeKernel() {
    Random rnd = new Random(24);
    int bsz = 7;
    float reg = 1e-4f;
    float[] xu = Reference.random(rnd, bsz * DIM, 3);
    float[] xi = Reference.random(rnd, bsz * DIM, 3);
    float[] xj = Reference.random(rnd, bsz * DIM, 3);
    float[][] got = {new float[bsz * DIM], new float[bsz * DIM], new float[bsz * DIM]};
    float[][] want = {new float[bsz * DIM], new float[bsz * DIM], new float[bsz * DIM]};
    double loss = new BprObjective(reg, 1).lossAndGradient(xu, xi, xj, bsz, DIM, got[0], got[1], got[2]);
    double before = oneNegativeKernel(reg, xu, xi, xj, bsz, want[0], want[1], want[2]);
    assertEquals(Double.doubleToLongBits(before), Double.doubleToLongBits(loss));
    for (int t = 0; t < 3; t++) assertArrayEquals(want[t], got[t]);
  }

  /** N copies of one negative are that negative once: averaging, not summing, over the negatives. */
  @Test
  void repeatedNegativesAverageToOne() {
    Random rnd = new Random(25);
    int bsz = 4;
    int negatives = 4;
    float[] xu = Reference.random(rnd, bsz * DIM, 0.7);
    float[] xi = Reference.random(rnd, bsz * DIM, 0.7);
    float[] xj = Reference.random(rnd, bsz * DIM, 0.7);
    float[] repeated = new float[bsz * negatives * DIM];
    for (int b = 0; b < bsz; b++) {
      for (int n = 0; n < negatives; n++) System.arraycopy(xj, b * DIM, repeated, (b * negatives + n) * DIM, DIM);
    }
    float[] gu1 = new float[bsz * DIM];
    float[] gi1 = new float[bsz * DIM];
    float[] gj1 = new float[bsz * DIM];
    float[] guN = new float[bsz * DIM];
    float[] giN = new float[bsz * DIM];
    float[] gjN = new float[bsz * negatives * DIM];
    double one = new BprObjective(0.3f, 1).lossAndGradient(xu, xi, xj, bsz, DIM, gu1, gi1, gj1);
    double many = new BprObjective(0.3f, negatives).lossAndGradient(xu, xi, repeated, bsz, DIM, guN, giN, gjN);
    assertEquals(one, many, 1e-6);
    assertArrayEquals(gu1, guN, 1e-6f);
    assertArrayEquals(gi1, giN, 1e-6f);
    for (int b = 0; b < bsz; b++) {
      for (int k = 0; k < DIM; k++) {
        assertEquals(gj1[b * DIM + k] / negatives, gjN[(b * negatives) * DIM + k], 1e-6f);
      }
    }
  }

  @Test
  void directAuGradientWithRepeatedRows() {
    Random rnd = new Random(22);
    int bsz = 6;
    float[] xu = Reference.random(rnd, bsz * DIM, 0.7);
    float[] xi = Reference.random(rnd, bsz * DIM, 0.7);
    System.arraycopy(xu, 0, xu, 2 * DIM, DIM);
    float[] gu = new float[bsz * DIM];
    float[] gi = new float[bsz * DIM];
    double loss = new DirectAuObjective(1.5f, 2f).lossAndGradient(xu, xi, bsz, DIM, gu, gi,
        new Workspace(SmallGemm.javaOnly()));
    double[][] u = Reference.rows(xu, bsz, DIM);
    double[][] i = Reference.rows(xi, bsz, DIM);
    assertEquals(directAu(u, i, 1.5, 2), loss, 1e-5);
    Reference.assertGradient("au u", gu, Reference.numericGradient(u, x -> directAu(x, i, 1.5, 2)), 1e-3);
    Reference.assertGradient("au i", gi, Reference.numericGradient(i, x -> directAu(u, x, 1.5, 2)), 1e-3);
  }

  /** The mean over the B x N triples of -log sigmoid(margin) plus the L2 term, in doubles. */
  private static double bpr(double[][] u, double[][] i, double[][] j, int negatives, double reg) {
    double[] margins = new double[j.length];
    double sq = 0;
    for (int b = 0; b < u.length; b++) {
      sq += Reference.dot(u[b], u[b]) + Reference.dot(i[b], i[b]);
      for (int n = 0; n < negatives; n++) {
        double[] neg = j[b * negatives + n];
        margins[b * negatives + n] = Reference.dot(u[b], i[b]) - Reference.dot(u[b], neg);
        sq += Reference.dot(neg, neg) / negatives;
      }
    }
    return Reference.meanNegLogSigmoid(margins) + reg / 2 * sq / u.length;
  }

  /** The one-negative kernel as it was before train.negatives, in the same float operations. */
  private static double oneNegativeKernel(float reg, float[] xu, float[] xi, float[] xj, int batch,
      float[] gu, float[] gi, float[] gj) {
    double loss = 0.0;
    double squares = 0.0;
    float regB = reg / batch;
    for (int b = 0; b < batch; b++) {
      int off = b * DIM;
      double margin = InBatchFilter.dot(xu, off, xi, off, DIM) - InBatchFilter.dot(xu, off, xj, off, DIM);
      loss += DirectSpecPlusObjective.softplus(-margin);
      squares += InBatchFilter.dot(xu, off, xu, off, DIM) + InBatchFilter.dot(xi, off, xi, off, DIM)
          + InBatchFilter.dot(xj, off, xj, off, DIM);
      float coef = (float) (-DirectSpecPlusObjective.sigmoid(-margin) / batch);
      for (int k = off; k < off + DIM; k++) {
        float u = xu[k];
        gu[k] = coef * (xi[k] - xj[k]) + regB * u;
        gi[k] = coef * u + regB * xi[k];
        gj[k] = -coef * u + regB * xj[k];
      }
    }
    return (loss + 0.5 * reg * squares) / batch;
  }

  private static double directAu(double[][] u, double[][] i, double gamma, double t) {
    double[][] nu = Reference.normalise(u);
    double[][] ni = Reference.normalise(i);
    double align = 0;
    for (int b = 0; b < u.length; b++) {
      align += sqDist(nu[b], ni[b]);
    }
    return align / u.length + gamma * (uniformity(nu, t) + uniformity(ni, t)) / 2;
  }

  private static double uniformity(double[][] x, double t) {
    double sum = 0;
    for (int a = 0; a < x.length; a++) {
      for (int c = 0; c < x.length; c++) {
        if (a != c) {
          sum += Math.exp(-t * sqDist(x[a], x[c]));
        }
      }
    }
    return Math.log(sum / (x.length * (x.length - 1.0)));
  }

  private static double sqDist(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += (a[j] - b[j]) * (a[j] - b[j]);
    }
    return s;
  }
}
