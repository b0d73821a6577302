package dev.directspec.spectrum;

/**
 * Gram matrix {@code G = E^T E} of an embedding table, accumulated block by block
 * (docs/method.md section 2, "Distributed form"): executors sum their partitions' rows into a
 * partial d x d matrix and the driver adds the partials with {@link #merge}.
 *
 * <p>Matrices are {@code double[]} of length {@code d * d}, row-major and symmetric. Rows of
 * the embedding block are {@code float[]} row-major (row r at offset {@code r * d}); sums are
 * kept in double because a table of millions of rows would lose most float digits.
 */
public final class GramMatrix {

  private GramMatrix() {
  }

  /** A zero d x d Gram matrix to accumulate into. */
  public static double[] zeros(int d) {
    if (d <= 0) {
      throw new IllegalArgumentException("d must be positive: " + d);
    }
    return new double[d * d];
  }

  /** Rows per {@link #accumulate} call when rows arrive one by one: amortises the triangle mirroring. */
  private static final int STREAM_CHUNK = 256;

  /** {@code E^T E} of the {@code n} packed rows of {@code rows} (a block of the trainer). */
  public static double[] of(float[] rows, int n, int d) {
    return accumulate(zeros(d), rows, n, d);
  }

  /**
   * {@code E^T E} of rows that arrive one at a time (a partition of a factor table), packed into chunks
   * and accumulated as {@link #of(float[], int, int)} would: the sums are the same bits.
   */
  public static double[] of(java.util.Iterator<float[]> rows, int d) {
    double[] g = zeros(d);
    float[] chunk = new float[STREAM_CHUNK * d];
    int n = 0;
    while (rows.hasNext()) {
      System.arraycopy(rows.next(), 0, chunk, n * d, d);
      if (++n == STREAM_CHUNK) {
        accumulate(g, chunk, n, d);
        n = 0;
      }
    }
    return accumulate(g, chunk, n, d);
  }

  /**
   * Adds {@code E^T E} of the {@code n} rows in {@code rows} to {@code g} in place.
   *
   * <p>Per row, only the upper triangle is updated ({@code g[i, j>=i] += x_i * x[j..]}, an axpy
   * over contiguous memory that the JIT vectorises), then the lower triangle is mirrored once
   * per call. That halves the work and keeps {@code g} exactly symmetric, which the eigen
   * solver requires.
   *
   * @param g    symmetric d x d accumulator, updated in place
   * @param rows row-major block, at least {@code n * d} floats
   * @param n    number of rows to add
   * @param d    embedding dimension
   * @return {@code g}, for chaining
   */
  public static double[] accumulate(double[] g, float[] rows, int n, int d) {
    checkShape(g, d);
    if (n < 0 || (long) n * d > rows.length) {
      throw new IllegalArgumentException("rows holds " + rows.length + " floats, need n*d = " + (long) n * d);
    }
    // Widen each row once so the inner loop is a pure double axpy.
    double[] x = new double[d];
    for (int r = 0; r < n; r++) {
      int base = r * d;
      for (int j = 0; j < d; j++) {
        x[j] = rows[base + j];
      }
      for (int i = 0; i < d; i++) {
        double xi = x[i];
        if (xi == 0.0) {
          continue;
        }
        int gi = i * d;
        for (int j = i; j < d; j++) {
          g[gi + j] += xi * x[j];
        }
      }
    }
    mirrorUpper(g, d);
    return g;
  }

  /**
   * Adds {@code b} into {@code a} and returns {@code a}: the associative, commutative combine
   * step of a tree reduction. {@code b} is left unchanged.
   */
  public static double[] merge(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("Gram matrices differ in size: " + a.length + " vs " + b.length);
    }
    for (int k = 0; k < a.length; k++) {
      a[k] += b[k];
    }
    return a;
  }

  /** The embedding dimension of a d x d matrix stored in {@code g}. */
  public static int dimension(double[] g) {
    int d = (int) Math.round(Math.sqrt(g.length));
    if (d * d != g.length || d == 0) {
      throw new IllegalArgumentException("not a square matrix: length " + g.length);
    }
    return d;
  }

  private static void mirrorUpper(double[] g, int d) {
    for (int i = 1; i < d; i++) {
      for (int j = 0; j < i; j++) {
        g[i * d + j] = g[j * d + i];
      }
    }
  }

  static void checkShape(double[] g, int d) {
    if (d <= 0 || g.length != d * d) {
      throw new IllegalArgumentException("expected a " + d + "x" + d + " matrix, got length " + g.length);
    }
  }
}
