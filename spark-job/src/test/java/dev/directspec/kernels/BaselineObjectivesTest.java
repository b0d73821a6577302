package dev.directspec.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** BPR and DirectAU (docs/method.md section 8) against double-precision references and differences. */
class BaselineObjectivesTest {

  private static final int DIM = 4;

  @Test
  void bprGradient() {
    Random rnd = new Random(21);
    int bsz = 6;
    float reg = 0.1f;
    float[] xu = Reference.random(rnd, bsz * DIM, 0.7);
    float[] xi = Reference.random(rnd, bsz * DIM, 0.7);
    float[] xj = Reference.random(rnd, bsz * DIM, 0.7);
    float[] gu = new float[bsz * DIM];
    float[] gi = new float[bsz * DIM];
    float[] gj = new float[bsz * DIM];
    double loss = new BprObjective(reg).lossAndGradient(xu, xi, xj, bsz, DIM, gu, gi, gj);
    double[][] u = Reference.rows(xu, bsz, DIM);
    double[][] i = Reference.rows(xi, bsz, DIM);
    double[][] j = Reference.rows(xj, bsz, DIM);
    assertEquals(bpr(u, i, j, reg), loss, 1e-5);
    Reference.assertGradient("bpr u", gu, Reference.numericGradient(u, x -> bpr(x, i, j, reg)), 1e-3);
    Reference.assertGradient("bpr i", gi, Reference.numericGradient(i, x -> bpr(u, x, j, reg)), 1e-3);
    Reference.assertGradient("bpr j", gj, Reference.numericGradient(j, x -> bpr(u, i, x, reg)), 1e-3);
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

  private static double bpr(double[][] u, double[][] i, double[][] j, double reg) {
    double[] margins = new double[u.length];
    double sq = 0;
    for (int b = 0; b < u.length; b++) {
      margins[b] = Reference.dot(u[b], i[b]) - Reference.dot(u[b], j[b]);
      sq += Reference.dot(u[b], u[b]) + Reference.dot(i[b], i[b]) + Reference.dot(j[b], j[b]);
    }
    return Reference.meanNegLogSigmoid(margins) + reg / 2 * sq / u.length;
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
