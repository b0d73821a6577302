package dev.directspec.train;

/** RMS row norms of the user and item tables at the end of an epoch: sqrt(trace(F^T F) / rows). */
public record FactorNorms(double users, double items) {
  /** For runs without an epoch loop (ALS): nothing measured. */
  public static final FactorNorms UNKNOWN = new FactorNorms(Double.NaN, Double.NaN);

  /** From a table's singular values: the sum of their squares is the sum of squared row norms. */
  public static double rms(double[] sigma, long rows) {
    double energy = 0;
    for (double s : sigma) energy += s * s;
    return rows == 0 ? 0 : Math.sqrt(energy / rows);
  }
}
