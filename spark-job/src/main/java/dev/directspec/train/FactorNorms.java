package dev.directspec.train;

/** RMS row norms of the user and item tables at the end of an epoch: sqrt(trace(F^T F) / rows). */
public record FactorNorms(double users, double items) {
  /** For runs without an epoch loop (ALS): nothing measured. */
  public static final FactorNorms UNKNOWN = new FactorNorms(Double.NaN, Double.NaN);
}
