package dev.directspec.train;

import dev.directspec.spectrum.Spectrum;
import dev.directspec.spectrum.SpectrumBalancer;

/**
 * The driver side of the epoch-end Gram step for DirectSpec (docs/method.md 2): from the spectrum of a
 * table, the d x d matrix T that every block applies as {@code E <- E T}, and the singular values the
 * table has afterwards.
 *
 * <p>The scale of alpha, which the paper leaves open: T applies the all-pass map
 * {@code sigma -> sigma (1 - a sigma^2 / sigma_max^2)} relative to the largest singular value, then
 * rescales so that the table keeps its energy {@code sum sigma^2} (its Frobenius norm). Only the shape of
 * the spectrum changes. Without the rescale every epoch shrinks the table by up to a factor (1 - a);
 * with a loss on normalised rows, whose gradients grow as 1 / ||x||, that raised the effective learning
 * rate and sped up the very collapse the step should stop (CiteULike, gram_alpha 0.3: effective rank of
 * users 63.9 -> 26.9 in 11 epochs, measured; see docs/method.md section 2).
 */
final class GramStep {
  private GramStep() {}

  /** T and the singular values after applying it. */
  record Balance(double[] t, double[] sigma) {}

  static Balance allPassKeepingEnergy(Spectrum spectrum, double a) {
    double[] sigma = spectrum.singularValues();
    double max = sigma.length == 0 ? 0 : sigma[0];
    double[] after = new double[sigma.length];
    double before2 = 0;
    double after2 = 0;
    for (int k = 0; k < sigma.length; k++) {
      after[k] = max == 0 ? sigma[k] : sigma[k] * (1 - a * sigma[k] * sigma[k] / (max * max));
      before2 += sigma[k] * sigma[k];
      after2 += after[k] * after[k];
    }
    double scale = after2 == 0 ? 1 : Math.sqrt(before2 / after2);
    double[] t = SpectrumBalancer.allPass(spectrum, a);
    for (int k = 0; k < t.length; k++) t[k] *= scale;
    for (int k = 0; k < after.length; k++) after[k] *= scale;
    return new Balance(t, after);
  }
}
