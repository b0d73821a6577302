package dev.directspec.kernels;

/**
 * MF-BPR baseline (docs/method.md section 8) with N sampled negatives per positive (train.negatives).
 * The loss is the mean over the batch's B x N triples (u, i, j_n) of LightGCN's per-triple BPR loss:
 * {@code L = (1/B) sum_b (1/N) sum_n [-log sigmoid(u.i - u.j_n) + reg/2 * (||u||^2 + ||i||^2 + ||j_n||^2)]}.
 * Averaging (not summing) over the negatives is what RecBole does when it repeats a positive row once
 * per negative: the gradient on u and i keeps its scale for any N, so lr and reg carry over from N = 1,
 * and N = 1 is the one-negative loss, computed with the same float operations in the same order.
 * Needs the negatives, so it has its own signature rather than {@link BatchObjective}. Stateless.
 */
public final class BprObjective {

  private final float reg;
  private final int negatives;

  public BprObjective(float reg) {
    this(reg, 1);
  }

  public BprObjective(float reg, int negatives) {
    if (negatives < 1) throw new IllegalArgumentException("negatives per positive must be >= 1: " + negatives);
    this.reg = reg;
    this.negatives = negatives;
  }

  /**
   * Writes dL/dxu, dL/dxi (each B x d) and dL/dxj ((B N) x d, row b N + n is positive b's n-th
   * negative), all overwritten, and returns the batch loss.
   */
  public double lossAndGradient(float[] xu, float[] xi, float[] xj, int batch, int dim,
                                float[] gu, float[] gi, float[] gj) {
    double loss = 0.0;
    double squares = 0.0;
    float regB = reg / batch;
    float regNegative = regB / negatives;
    for (int b = 0; b < batch; b++) {
      int off = b * dim;
      double positive = InBatchFilter.dot(xu, off, xi, off, dim);
      for (int k = off; k < off + dim; k++) {
        gu[k] = regB * xu[k];
        gi[k] = regB * xi[k];
      }
      double softplusSum = 0.0;
      double negativeSquares = 0.0;
      for (int n = 0; n < negatives; n++) {
        int neg = (b * negatives + n) * dim;
        double margin = positive - InBatchFilter.dot(xu, off, xj, neg, dim);
        softplusSum += DirectSpecPlusObjective.softplus(-margin);
        negativeSquares += InBatchFilter.dot(xj, neg, xj, neg, dim);
        float coef = (float) (-DirectSpecPlusObjective.sigmoid(-margin) / batch / negatives);
        for (int k = 0; k < dim; k++) {
          float u = xu[off + k];
          gu[off + k] += coef * (xi[off + k] - xj[neg + k]);
          gi[off + k] += coef * u;
          gj[neg + k] = -coef * u + regNegative * xj[neg + k];
        }
      }
      loss += softplusSum / negatives;
      squares += InBatchFilter.dot(xu, off, xu, off, dim) + InBatchFilter.dot(xi, off, xi, off, dim)
          + negativeSquares / negatives;
    }
    return (loss + 0.5 * reg * squares) / batch;
  }
}
