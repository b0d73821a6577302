package dev.directspec.spectrum;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpectrumBalancerTest {

  // sigma_max = 1 so the 1e-6 tolerance is relative to the spectrum's scale (float rows).
  private static final double[] S = {1.0, 0.8, 0.6, 0.5, 0.4, 0.2, 0.1, 0.05};
  private static final int N = 200;
  private static final int D = S.length;

  private static float[] table(long seed) {
    return TestMatrices.toFloat(TestMatrices.withSingularValues(N, S, new Random(seed)));
  }

  private static Spectrum spectrumOf(float[] rows) {
    return Spectrum.of(GramMatrix.accumulate(GramMatrix.zeros(D), rows, N, D), D);
  }

  /** Applies T and checks sigma_k -> g(sigma_k) with order and singular vectors kept. */
  private static void assertMapsSpectrum(float[] rows, double[] t, DoubleUnaryOperator g) {
    Spectrum before = spectrumOf(rows);
    SpectrumBalancer.apply(rows, N, D, t, new double[SpectrumBalancer.scratchLength(D)]);
    Spectrum after = spectrumOf(rows);

    double[] sigma = before.singularValues();
    double[] mapped = after.singularValues();
    for (int k = 0; k < D; k++) {
      assertEquals(g.applyAsDouble(sigma[k]), mapped[k], 1e-6, "sigma_" + k);
      if (k > 0) {
        assertTrue(mapped[k] <= mapped[k - 1], "order kept");
      }
    }
    // Same right singular vectors (up to sign): |<v_k, v'_k>| = 1.
    double[] v0 = before.eigenvectors();
    double[] v1 = after.eigenvectors();
    for (int k = 0; k < D; k++) {
      double dot = 0;
      for (int i = 0; i < D; i++) {
        dot += v0[i * D + k] * v1[i * D + k];
      }
      assertEquals(1.0, Math.abs(dot), 1e-5, "singular vector " + k);
    }
  }

  @Test
  void allPassMapsEachSingularValue() {
    float[] rows = table(1);
    Spectrum spectrum = spectrumOf(rows);
    double a = 0.3;
    double lambdaMax = spectrum.lambdaMax();
    assertMapsSpectrum(rows, SpectrumBalancer.allPass(spectrum, a), s -> s * (1 - a * s * s / lambdaMax));
  }

  @Test
  void partialWhiteningMapsEachSingularValue() {
    float[] rows = table(2);
    Spectrum spectrum = spectrumOf(rows);
    double w = 0.5;
    double sigmaMax = Math.sqrt(spectrum.lambdaMax());
    assertMapsSpectrum(rows, SpectrumBalancer.partialWhitening(spectrum, w),
        s -> Math.pow(s, 1 - w) * Math.pow(sigmaMax, w));
  }

  @Test
  void fullWhiteningFlattensTheSpectrum() {
    float[] rows = table(3);
    SpectrumBalancer.apply(rows, N, D, SpectrumBalancer.partialWhitening(spectrumOf(rows), 1.0));
    assertEquals(D, spectrumOf(rows).effectiveRank(), 1e-5);
  }

  @Test
  void zeroWhiteningIsIdentity() {
    Spectrum spectrum = spectrumOf(table(4));
    double[] t = SpectrumBalancer.partialWhitening(spectrum, 0.0);
    for (int i = 0; i < D; i++) {
      for (int j = 0; j < D; j++) {
        assertEquals(i == j ? 1.0 : 0.0, t[i * D + j], 1e-12);
      }
    }
  }

  @Test
  void allPassEqualsClosedForm() {
    float[] rows = table(5);
    double[] g = GramMatrix.accumulate(GramMatrix.zeros(D), rows, N, D);
    Spectrum spectrum = Spectrum.of(g, D);
    for (double a : new double[] {0.01, 0.1, 0.33}) {
      double[] viaEigen = SpectrumBalancer.allPass(spectrum, a);
      double[] closed = SpectrumBalancer.allPassClosedForm(g, D, spectrum.lambdaMax(), a);
      assertArrayEquals(closed, viaEigen, 1e-12);
    }
  }

  @Test
  void zeroTableGetsIdentity() {
    double[] identity = {1, 0, 0, 1};
    assertArrayEquals(identity, SpectrumBalancer.allPassClosedForm(new double[4], 2, 0.0, 0.2), 0.0);
    assertArrayEquals(identity, SpectrumBalancer.allPass(Spectrum.of(new double[4], 2), 0.2), 0.0);
  }

  @Test
  void allPassAlphaMustKeepOrder() {
    Spectrum spectrum = spectrumOf(table(6));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SpectrumBalancer.allPass(spectrum, 0.5));
    assertEquals("gram_alpha must be in (0, 1/3) to keep singular values ordered: 0.5", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SpectrumBalancer.allPass(spectrum, 0.0));
    assertThrows(IllegalArgumentException.class, () -> SpectrumBalancer.allPass(spectrum, 1.0 / 3.0));
    assertThrows(IllegalArgumentException.class, () -> SpectrumBalancer.allPassClosedForm(new double[D * D], D, 1.0, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> SpectrumBalancer.partialWhitening(spectrum, 1.5));
  }

  @Test
  void targetThatReordersIsRejected() {
    Spectrum spectrum = spectrumOf(table(7));
    assertThrows(IllegalArgumentException.class, () -> SpectrumBalancer.fromTarget(spectrum, s -> 1.0 / s));
    assertThrows(IllegalArgumentException.class, () -> SpectrumBalancer.fromTarget(spectrum, s -> -s));
  }

  @Test
  void nullDirectionsGetFactorOne() {
    // Rank-1 table: the whitening factor on the null directions must be 1, not infinite.
    double[] g = {4, 0, 0, 0, 0, 0, 0, 0, 0};
    double[] t = SpectrumBalancer.partialWhitening(Spectrum.of(g, 3), 1.0);
    assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, t, 1e-12);
  }

  @Test
  void applyIsRowTimesMatrix() {
    float[] rows = {1, 2, 3, 4};
    double[] t = {0, 1, 2, 0}; // [[0, 1], [2, 0]]
    SpectrumBalancer.apply(rows, 2, 2, t);
    assertArrayEquals(new float[] {4, 1, 8, 3}, rows, 0f);
    assertThrows(IllegalArgumentException.class, () -> SpectrumBalancer.apply(rows, 2, 2, t, new double[3]));
  }
}
