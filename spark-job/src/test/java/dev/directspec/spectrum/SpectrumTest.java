package dev.directspec.spectrum;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SpectrumTest {

  @Test
  void recoversKnownSingularValuesAndVectors() {
    double[] s = {9.0, 5.0, 4.0, 2.5, 1.0, 0.5, 0.2, 0.01};
    int n = 40;
    int d = s.length;
    double[] e = TestMatrices.withSingularValues(n, s, new Random(42));
    double[] g = TestMatrices.naiveGram(e, n, d);

    Spectrum spectrum = Spectrum.of(g, d);

    assertArrayEquals(s, spectrum.singularValues(), 1e-9);
    double[] lambda = spectrum.eigenvalues();
    for (int k = 0; k < d; k++) {
      assertEquals(s[k] * s[k], lambda[k], 1e-9);
    }
    assertEquals(81.0, spectrum.lambdaMax(), 1e-9);
    // G v_k = lambda_k v_k for every column of V.
    double[] v = spectrum.eigenvectors();
    for (int k = 0; k < d; k++) {
      for (int i = 0; i < d; i++) {
        double gv = 0;
        for (int j = 0; j < d; j++) {
          gv += g[i * d + j] * v[j * d + k];
        }
        assertEquals(lambda[k] * v[i * d + k], gv, 1e-9);
      }
    }
  }

  @Test
  void rankDeficientTableHasExactZeros() {
    double[] s = {3.0, 2.0, 1.0, 0.0, 0.0};
    double[] e = TestMatrices.withSingularValues(20, s, new Random(3));
    Spectrum spectrum = Spectrum.of(TestMatrices.naiveGram(e, 20, 5), 5);
    double[] sigma = spectrum.singularValues();
    assertArrayEquals(new double[] {3, 2, 1}, Arrays.copyOf(sigma, 3), 1e-9);
    assertEquals(0.0, sigma[3], 0.0);
    assertEquals(0.0, sigma[4], 0.0);
  }

  @Test
  void effectiveRankOfFlatSpectrumIsD() {
    double[] flat = new double[64];
    Arrays.fill(flat, 0.7);
    assertEquals(64.0, Spectrum.effectiveRank(flat), 1e-10);
  }

  @Test
  void effectiveRankOfSingleValueIsOne() {
    assertEquals(1.0, Spectrum.effectiveRank(new double[] {3.0, 0.0, 0.0}), 1e-12);
  }

  @Test
  void effectiveRankHandExample() {
    // sigma = (2, 1, 1): p = (1/2, 1/4, 1/4),
    // H = 1/2 ln 2 + 2 * 1/4 ln 4 = 1/2 ln 2 + ln 2 = 3/2 ln 2, erank = 2^(3/2) = 2.8284271...
    assertEquals(Math.pow(2, 1.5), Spectrum.effectiveRank(new double[] {2, 1, 1}), 1e-12);
    // On sigma^2 = (4, 1, 1) it would be exp(-(2/3 ln 2/3 + 2 * 1/6 ln 1/6)) = 2.38..., not this.
  }

  @Test
  void effectiveRankFromGramMatchesSigma() {
    // G = diag(4, 1, 1) has sigma = (2, 1, 1).
    double[] g = {4, 0, 0, 0, 1, 0, 0, 0, 1};
    assertEquals(Math.pow(2, 1.5), Spectrum.of(g, 3).effectiveRank(), 1e-12);
  }

  @Test
  void zeroTableHasZeroSpectrum() {
    Spectrum spectrum = Spectrum.of(new double[16], 4);
    assertArrayEquals(new double[4], spectrum.singularValues(), 0.0);
    assertEquals(0.0, spectrum.effectiveRank(), 0.0);
  }
}
