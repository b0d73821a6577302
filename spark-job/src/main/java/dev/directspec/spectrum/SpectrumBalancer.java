package dev.directspec.spectrum;

import java.util.function.DoubleUnaryOperator;

/**
 * DirectSpec's spectrum balancing as a right-multiplication {@code E <- E T} (docs/method.md section 2).
 *
 * <p>With {@code E = U S V^T} and {@code T = V diag(g(sigma_k) / sigma_k) V^T}, {@code E T = U g(S) V^T}:
 * every singular value sigma becomes g(sigma) and the singular vectors stay. The driver builds T
 * (d x d, row-major) from the summed Gram matrix and broadcasts it; executors call
 * {@link #apply} on their row blocks. Users and items each get their own T.
 *
 * <p>Targets offered:
 * <ul>
 *   <li>{@link #allPass}: the paper's all-pass filter {@code g(sigma) = sigma (1 - a sigma^2 / sigma_max^2)},
 *       i.e. one step {@code E <- E - a E E^T E / lambda_max}; equal to {@link #allPassClosedForm}.</li>
 *   <li>{@link #partialWhitening}: {@code g(sigma) = sigma^(1-w) sigma_max^w}, which moves every value
 *       toward sigma_max geometrically (w = 0 identity, w = 1 flat spectrum). Not in the paper; the
 *       "any monotone target" extension docs/method.md section 2 allows, named differently.</li>
 * </ul>
 * Every target must keep the order of singular values (non-increasing along the descending
 * spectrum); {@link #fromTarget} checks that so no direction overtakes another.
 */
public final class SpectrumBalancer {

  private SpectrumBalancer() {
  }

  /** Upper bound (exclusive) on the all-pass step: above it sigma (1 - a sigma^2) stops being increasing on [0, 1]. */
  public static final double MAX_ALL_PASS_ALPHA = 1.0 / 3.0;

  /**
   * T for the all-pass target {@code g(sigma) = sigma (1 - alpha sigma^2 / sigma_max^2)}.
   *
   * @param alpha the scaled step alpha' of docs/method.md section 2, in (0, 1/3)
   */
  public static double[] allPass(Spectrum spectrum, double alpha) {
    checkAllPassAlpha(alpha);
    double lambdaMax = spectrum.lambdaMax();
    return fromTarget(spectrum, sigma -> sigma * (1.0 - alpha * sigma * sigma / lambdaMax));
  }

  /**
   * The same T without the eigenvectors: {@code I - alpha G / lambda_max(G)}. Cheaper and more
   * accurate than going through V; {@link #allPass} exists so every target shares one code path
   * and the two can be checked against each other.
   */
  public static double[] allPassClosedForm(double[] gram, int d, double lambdaMax, double alpha) {
    GramMatrix.checkShape(gram, d);
    checkAllPassAlpha(alpha);
    double[] t = new double[d * d];
    // lambda_max = 0 means E = 0: nothing to balance, T = I (and no 0/0).
    double scale = lambdaMax > 0 ? alpha / lambdaMax : 0.0;
    for (int k = 0; k < t.length; k++) {
      t[k] = -scale * gram[k];
    }
    for (int i = 0; i < d; i++) {
      t[i * d + i] += 1.0;
    }
    return t;
  }

  /**
   * T for partial whitening {@code g(sigma) = sigma^(1-w) sigma_max^w}.
   *
   * @param w whitening strength in [0, 1]
   */
  public static double[] partialWhitening(Spectrum spectrum, double w) {
    if (!(w >= 0.0 && w <= 1.0)) {
      throw new IllegalArgumentException("whitening strength must be in [0, 1]: " + w);
    }
    double sigmaMax = Math.sqrt(spectrum.lambdaMax());
    return fromTarget(spectrum, sigma -> Math.pow(sigma, 1.0 - w) * Math.pow(sigmaMax, w));
  }

  /**
   * {@code T = V diag(g(sigma_k) / sigma_k) V^T} for a target map g. Directions with sigma_k = 0
   * get factor 1: E has no component there, so any factor gives the same E T; 1 keeps T
   * well-conditioned.
   *
   * @throws IllegalArgumentException if g is negative, not finite, or reorders the spectrum
   */
  public static double[] fromTarget(Spectrum spectrum, DoubleUnaryOperator g) {
    int d = spectrum.d();
    double[] sigma = spectrum.singularValues();
    double[] v = spectrum.eigenvectors();
    double[] factor = new double[d];
    double previous = Double.POSITIVE_INFINITY;
    for (int k = 0; k < d; k++) {
      if (sigma[k] == 0.0) {
        factor[k] = 1.0;
        continue;
      }
      double target = g.applyAsDouble(sigma[k]);
      if (!(target >= 0.0) || Double.isInfinite(target)) {
        throw new IllegalArgumentException("target singular value must be finite and >= 0: g(" + sigma[k] + ") = " + target);
      }
      // Relative slack: equal sigmas may map to targets differing in the last bit.
      if (target > previous * (1.0 + 1e-12)) {
        throw new IllegalArgumentException("target map reorders the spectrum at k = " + k + ": " + target + " > " + previous);
      }
      previous = target;
      factor[k] = target / sigma[k];
    }
    // T[i][j] = sum_k V[i][k] factor[k] V[j][k]; build as rank-1 updates so the inner loop is an axpy.
    double[] t = new double[d * d];
    double[] vk = new double[d];
    for (int k = 0; k < d; k++) {
      for (int i = 0; i < d; i++) {
        vk[i] = v[i * d + k];
      }
      for (int i = 0; i < d; i++) {
        double a = factor[k] * vk[i];
        int ti = i * d;
        for (int j = 0; j < d; j++) {
          t[ti + j] += a * vk[j];
        }
      }
    }
    return t;
  }

  /** Scratch length {@link #apply} needs for dimension d. */
  public static int scratchLength(int d) {
    return 2 * d;
  }

  /**
   * {@code E_p <- E_p T} in place, one row at a time, with double intermediates.
   *
   * @param rows    row-major block, at least {@code n * d} floats, overwritten
   * @param t       row-major d x d multiplier
   * @param scratch at least {@link #scratchLength(int)} doubles; reused across calls so the
   *                per-partition loop allocates nothing
   */
  public static void apply(float[] rows, int n, int d, double[] t, double[] scratch) {
    GramMatrix.checkShape(t, d);
    if (n < 0 || (long) n * d > rows.length) {
      throw new IllegalArgumentException("rows holds " + rows.length + " floats, need n*d = " + (long) n * d);
    }
    if (scratch.length < scratchLength(d)) {
      throw new IllegalArgumentException("scratch needs " + scratchLength(d) + " doubles, got " + scratch.length);
    }
    for (int r = 0; r < n; r++) {
      int base = r * d;
      for (int i = 0; i < d; i++) {
        scratch[i] = rows[base + i];
        scratch[d + i] = 0.0;
      }
      // out = sum_i x_i T[i, :]: row-of-T axpys over contiguous memory.
      for (int i = 0; i < d; i++) {
        double xi = scratch[i];
        if (xi == 0.0) {
          continue;
        }
        int ti = i * d;
        for (int j = 0; j < d; j++) {
          scratch[d + j] += xi * t[ti + j];
        }
      }
      for (int j = 0; j < d; j++) {
        rows[base + j] = (float) scratch[d + j];
      }
    }
  }

  /** {@link #apply(float[], int, int, double[], double[])} with a fresh scratch buffer. */
  public static void apply(float[] rows, int n, int d, double[] t) {
    apply(rows, n, d, t, new double[scratchLength(d)]);
  }

  private static void checkAllPassAlpha(double alpha) {
    if (!(alpha > 0.0 && alpha < MAX_ALL_PASS_ALPHA)) {
      throw new IllegalArgumentException("gram_alpha must be in (0, 1/3) to keep singular values ordered: " + alpha);
    }
  }
}
