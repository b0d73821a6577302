package dev.directspec.spectrum;

import breeze.generic.UFunc;
import breeze.linalg.DenseMatrix;
import breeze.linalg.DenseVector;
import breeze.linalg.eigSym;
import breeze.linalg.eigSym$;
import breeze.linalg.eigSym.EigSym;

import java.io.Serializable;

/**
 * Eigendecomposition {@code G = V diag(lambda) V^T} of an embedding table's Gram matrix, read as
 * the table's singular spectrum: {@code sigma_k = sqrt(lambda_k)} (docs/method.md section 1, the
 * collapse diagnostics, and section 2, the driver-side step of DirectSpec).
 *
 * <p>Components are ordered by descending eigenvalue. Eigenvalues at or below
 * {@code d * 2^-46 * lambda_max} (and negative round-off) are clipped to 0: the tables are float,
 * whose rounding alone perturbs singular values by up to about {@code sqrt(d) * 2^-23 * sigma_max},
 * so smaller values are noise. A collapsed table then reports exact zeros instead of noise
 * directions that a whitening target would inflate to full size.
 *
 * <p>Immutable; accessors return copies.
 */
public final class Spectrum implements Serializable {

  private static final long serialVersionUID = 1L;

  /** {@code (2^-23)^2}: squared relative spacing of floats near 1. */
  private static final double FLOAT_RESOLUTION_SQUARED = 0x1p-46;

  private final int d;
  private final double[] eigenvalues;
  /** Row-major d x d; column k is the unit eigenvector of eigenvalues[k]. */
  private final double[] eigenvectors;

  private Spectrum(int d, double[] eigenvalues, double[] eigenvectors) {
    this.d = d;
    this.eigenvalues = eigenvalues;
    this.eigenvectors = eigenvectors;
  }

  /**
   * Eigendecomposes a symmetric d x d Gram matrix (row-major) with Breeze's {@code eigSym}
   * (LAPACK dsyevr). {@code gram} is not modified.
   */
  public static Spectrum of(double[] gram, int d) {
    GramMatrix.checkShape(gram, d);
    // Breeze rejects asymmetric input; average the two triangles so a Gram matrix that went
    // through other code (e.g. serialisation or a hand-built one) is accepted. The matrix is
    // symmetric, so Breeze's column-major reading of our row-major array is the same matrix.
    double[] sym = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        sym[i * d + j] = 0.5 * (gram[i * d + j] + gram[j * d + i]);
      }
    }
    DenseMatrix<Object> dm = new DenseMatrix<>(d, d, sym);
    EigSym<DenseVector<Object>, DenseMatrix<Object>> es = eigSym$.MODULE$.apply(dm, eigSymImpl());
    double[] ascValues = (double[]) es.eigenvalues().toArray(scala.reflect.ClassTag$.MODULE$.Double());
    // toArray() is column-major and compacts any stride, so column k starts at k * d.
    double[] ascVectors = (double[]) es.eigenvectors().toArray();

    double lambdaMax = Math.max(0.0, ascValues[d - 1]);
    double noise = d * FLOAT_RESOLUTION_SQUARED * lambdaMax;
    double[] values = new double[d];
    double[] vectors = new double[d * d];
    for (int k = 0; k < d; k++) {
      int src = d - 1 - k; // Breeze returns ascending order
      double lambda = ascValues[src];
      values[k] = lambda <= noise ? 0.0 : lambda;
      for (int i = 0; i < d; i++) {
        vectors[i * d + k] = ascVectors[src * d + i];
      }
    }
    return new Spectrum(d, values, vectors);
  }

  /**
   * The implicit {@code eigSym.EigSym_DM_Impl} Scala would pass. Its declared type is
   * {@code UImpl<eigSym$, ...>}; Scala's variance makes that a {@code UImpl<UFunc, ...>}, which
   * Java generics cannot express, hence the unchecked cast.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static UFunc.UImpl<UFunc, DenseMatrix<Object>, EigSym<DenseVector<Object>, DenseMatrix<Object>>> eigSymImpl() {
    return (UFunc.UImpl) eigSym.EigSym_DM_Impl$.MODULE$;
  }

  /** Embedding dimension. */
  public int d() {
    return d;
  }

  /** Eigenvalues of G, descending, clipped at 0 (these are sigma_k^2). */
  public double[] eigenvalues() {
    return eigenvalues.clone();
  }

  /** Largest eigenvalue of G, {@code sigma_max^2}. */
  public double lambdaMax() {
    return eigenvalues[0];
  }

  /** Eigenvectors as a row-major d x d matrix V whose column k belongs to eigenvalue k. */
  public double[] eigenvectors() {
    return eigenvectors.clone();
  }

  /** Singular values of E, {@code sigma_k = sqrt(lambda_k)}, descending. */
  public double[] singularValues() {
    double[] s = new double[d];
    for (int k = 0; k < d; k++) {
      s[k] = Math.sqrt(eigenvalues[k]);
    }
    return s;
  }

  /** Effective rank of this spectrum; see {@link #effectiveRank(double[])}. */
  public double effectiveRank() {
    return effectiveRank(singularValues());
  }

  /**
   * {@code erank = exp(-sum_k p_k log p_k)} with {@code p_k = sigma_k / sum_j sigma_j}: the
   * authors' definition on sigma, not sigma^2 (docs/method.md section 1). Zero p_k contribute 0
   * (the limit of p log p). Ranges from 1 (one direction) to the number of nonzero values
   * (flat spectrum). An all-zero spectrum has no direction at all and returns 0.
   */
  public static double effectiveRank(double[] sigma) {
    double total = 0.0;
    for (double s : sigma) {
      if (s < 0 || Double.isNaN(s)) {
        throw new IllegalArgumentException("singular values must be >= 0: " + s);
      }
      total += s;
    }
    if (total == 0.0) {
      return 0.0;
    }
    double entropy = 0.0;
    for (double s : sigma) {
      if (s > 0) {
        double p = s / total;
        entropy -= p * Math.log(p);
      }
    }
    return Math.exp(entropy);
  }
}
