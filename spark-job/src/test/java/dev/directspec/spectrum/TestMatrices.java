package dev.directspec.spectrum;

import java.util.Random;

/** Fixtures for the spectrum tests (and the Gram step's): matrices with known singular values. */
public final class TestMatrices {

  private TestMatrices() {
  }

  /** n x k matrix (row-major, n >= k) with orthonormal columns, by Gram-Schmidt on Gaussian columns. */
  public static double[] orthonormalColumns(int n, int k, Random rnd) {
    double[] q = new double[n * k];
    for (int c = 0; c < k; c++) {
      double[] col = new double[n];
      for (int i = 0; i < n; i++) {
        col[i] = rnd.nextGaussian();
      }
      // Two passes of modified Gram-Schmidt so the columns are orthogonal to ~1e-15.
      for (int pass = 0; pass < 2; pass++) {
        for (int p = 0; p < c; p++) {
          double dot = 0;
          for (int i = 0; i < n; i++) {
            dot += col[i] * q[i * k + p];
          }
          for (int i = 0; i < n; i++) {
            col[i] -= dot * q[i * k + p];
          }
        }
      }
      double norm = 0;
      for (double x : col) {
        norm += x * x;
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < n; i++) {
        q[i * k + c] = col[i] / norm;
      }
    }
    return q;
  }

  /** E = U diag(s) V^T, n x d row-major, with random orthonormal U (n x d) and V (d x d). */
  public static double[] withSingularValues(int n, double[] s, Random rnd) {
    int d = s.length;
    double[] u = orthonormalColumns(n, d, rnd);
    double[] v = orthonormalColumns(d, d, rnd);
    double[] e = new double[n * d];
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < d; j++) {
        double sum = 0;
        for (int k = 0; k < d; k++) {
          sum += u[r * d + k] * s[k] * v[j * d + k];
        }
        e[r * d + j] = sum;
      }
    }
    return e;
  }

  public static float[] toFloat(double[] x) {
    float[] f = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      f[i] = (float) x[i];
    }
    return f;
  }

  /** E^T E by the textbook triple loop, in double. */
  public static double[] naiveGram(double[] e, int n, int d) {
    double[] g = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double sum = 0;
        for (int r = 0; r < n; r++) {
          sum += e[r * d + i] * e[r * d + j];
        }
        g[i * d + j] = sum;
      }
    }
    return g;
  }
}
