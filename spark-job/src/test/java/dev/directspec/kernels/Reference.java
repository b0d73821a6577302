package dev.directspec.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Plain double-precision re-implementations of the forward passes (docs/method.md sections 3 and 8), written
 * straight from the formulas, plus a central-difference gradient checker. The kernels under test run in
 * float; these references are what they are compared against.
 */
final class Reference {

  private Reference() {
  }

  /** Row-normalise, filter with softmax(tau (.) N N^T), optional shrink; tauPairs may be null. */
  static double[][] filter(double[][] x, double alpha, double tau, double[][] tauPairs, double shrink) {
    int bsz = x.length;
    double[][] n = normalise(x);
    double[][] y = new double[bsz][];
    for (int a = 0; a < bsz; a++) {
      double[] s = new double[bsz];
      double max = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < bsz; c++) {
        s[c] = (tauPairs == null ? tau : tauPairs[a][c]) * dot(n[a], n[c]);
        max = Math.max(max, s[c]);
      }
      double sum = 0;
      for (int c = 0; c < bsz; c++) {
        s[c] = Math.exp(s[c] - max);
        sum += s[c];
      }
      y[a] = n[a].clone();
      for (int c = 0; c < bsz; c++) {
        for (int j = 0; j < n[a].length; j++) {
          y[a][j] -= alpha * s[c] / sum * n[c][j];
        }
      }
      if (shrink > 0) {
        double scale = shrink * Math.sqrt(dot(y[a], y[a]));
        for (int j = 0; j < y[a].length; j++) {
          y[a][j] *= scale;
        }
      }
    }
    return y;
  }

  static double[][] normalise(double[][] x) {
    double[][] n = new double[x.length][];
    for (int a = 0; a < x.length; a++) {
      double r = Math.max(Math.sqrt(dot(x[a], x[a])), 1e-12);
      n[a] = new double[x[a].length];
      for (int j = 0; j < x[a].length; j++) {
        n[a][j] = x[a][j] / r;
      }
    }
    return n;
  }

  /** -(1/B) sum_b log sigmoid(s_b). */
  static double meanNegLogSigmoid(double[] scores) {
    double sum = 0;
    for (double s : scores) {
      sum += Math.log1p(Math.exp(-s));
    }
    return sum / scores.length;
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      s += a[j] * b[j];
    }
    return s;
  }

  static double[][] rows(float[] flat, int bsz, int dim) {
    double[][] r = new double[bsz][dim];
    for (int b = 0; b < bsz; b++) {
      for (int j = 0; j < dim; j++) {
        r[b][j] = flat[b * dim + j];
      }
    }
    return r;
  }

  static float[] random(Random rnd, int len, double scale) {
    float[] v = new float[len];
    for (int i = 0; i < len; i++) {
      v[i] = (float) (rnd.nextGaussian() * scale);
    }
    return v;
  }

  /**
   * Central differences of {@code loss} w.r.t. every entry of {@code x} (perturbed in place in double,
   * via a copy). Step 1e-5: truncation error O(h^2) ~ 1e-10 and rounding ~ 1e-16 / 1e-5, both far below
   * the float tolerance used in the comparisons.
   */
  static double[] numericGradient(double[][] x, ToDoubleFunction<double[][]> loss) {
    double h = 1e-5;
    int dim = x[0].length;
    double[] g = new double[x.length * dim];
    for (int b = 0; b < x.length; b++) {
      for (int j = 0; j < dim; j++) {
        double keep = x[b][j];
        x[b][j] = keep + h;
        double up = loss.applyAsDouble(x);
        x[b][j] = keep - h;
        double down = loss.applyAsDouble(x);
        x[b][j] = keep;
        g[b * dim + j] = (up - down) / (2 * h);
      }
    }
    return g;
  }

  /**
   * Asserts |analytic - numeric| <= tol * max(max|numeric|, 1e-3) elementwise. The kernels compute in float
   * (unit roundoff 6e-8); after a few dozen accumulations, a softmax with tau up to 4 and a division by
   * the row norm, relative errors of ~1e-5 are expected, so the tests use tol = 1e-3: loose enough for
   * float, tight enough that a missing term (wrong by O(1) relative) fails.
   */
  static void assertGradient(String what, float[] analytic, double[] numeric, double tol) {
    double scale = 1e-3;
    for (double v : numeric) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < numeric.length; i++) {
      double err = Math.abs(analytic[i] - numeric[i]);
      assertTrue(err <= tol * scale,
          what + ": entry " + i + " analytic " + analytic[i] + " numeric " + numeric[i] + " scale " + scale);
    }
  }
}
