package dev.directspec.train;

import dev.directspec.spectrum.GramMatrix;
import dev.directspec.spectrum.Spectrum;
import dev.directspec.spectrum.SpectrumBalancer;
import dev.directspec.spectrum.TestMatrices;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The epoch-end Gram step as docs/method.md section 2 states it: every singular value maps to
 * {@code sigma (1 - a sigma^2 / sigma_max^2)}, then all are rescaled so that the table keeps its energy
 * {@code sum sigma^2}; the singular vectors stay. Checked on a table E = U diag(s) V^T with known U, V and
 * s: E T must be U diag(g) V^T with the g computed here from the formula.
 */
class GramStepTest {
  static final int ROWS = 60;

  /** The map of docs/method.md section 2, written out apart from the code under test. */
  private static double[] expected(double[] s, double a) {
    double max = s[0];
    double[] g = new double[s.length];
    double before = 0;
    double after = 0;
    for (int k = 0; k < s.length; k++) {
      g[k] = s[k] * (1 - a * s[k] * s[k] / (max * max));
      before += s[k] * s[k];
      after += g[k] * g[k];
    }
    for (int k = 0; k < s.length; k++) g[k] *= Math.sqrt(before / after);
    return g;
  }

  private static void check(double[] s, double a) {
    int d = s.length;
    float[] rows = TestMatrices.toFloat(TestMatrices.withSingularValues(ROWS, s, new Random(7)));
    double energyBefore = energy(rows);
    Spectrum spectrum = Spectrum.of(GramMatrix.accumulate(GramMatrix.zeros(d), rows, ROWS, d), d);
    GramStep.Balance balance = GramStep.allPassKeepingEnergy(spectrum, a);
    double[] g = expected(s, a);
    assertArrayEquals(g, balance.sigma(), 1e-5 * s[0], "reported singular values for a = " + a);

    SpectrumBalancer.apply(rows, ROWS, d, balance.t());
    // The same seed draws the same U and V: the table the map should produce.
    double[] target = TestMatrices.withSingularValues(ROWS, g, new Random(7));
    for (int k = 0; k < rows.length; k++) {
      assertEquals(target[k], rows[k], 1e-5 * s[0], "entry " + k + " of E T for a = " + a);
    }
    assertEquals(energyBefore, energy(rows), 1e-5 * energyBefore, "energy for a = " + a);
    double[] after = Spectrum.of(GramMatrix.accumulate(GramMatrix.zeros(d), rows, ROWS, d), d).singularValues();
    assertArrayEquals(g, after, 1e-4 * s[0], "singular values of E T for a = " + a);
  }

  private static double energy(float[] rows) {
    double sum = 0;
    for (float x : rows) sum += (double) x * x;
    return sum;
  }

  @Test
  void mapsEverySingularValueAndKeepsTheEnergyAndTheSingularVectors() {
    double[] collapsed = {9, 4, 2, 1, 0.5, 0.25};
    for (double a : new double[] {0.05, 0.3, 0.33}) check(collapsed, a);
    // A flat spectrum is a fixed point: every value shrinks by the same factor, which the rescale undoes.
    check(new double[] {2, 2, 2, 2}, 0.3);
    check(new double[] {3, 0.1, 0.05}, 0.2);
  }
}
