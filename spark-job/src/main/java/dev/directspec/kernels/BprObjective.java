package dev.directspec.kernels;

/**
 * MF-BPR baseline (docs/method.md section 8) with one sampled negative per positive:
 * {@code L = -(1/B) sum_b log sigmoid(u.i - u.j) + reg/2 * (||u||^2 + ||i||^2 + ||j||^2) / B}.
 * Needs the negatives, so it has its own signature rather than {@link BatchObjective}. Stateless.
 */
public final class BprObjective {

  private final float reg;

  public BprObjective(float reg) {
    this.reg = reg;
  }

  /** Writes dL/dxu, dL/dxi, dL/dxj (each B x d, overwritten) and returns the batch loss. */
  public double lossAndGradient(float[] xu, float[] xi, float[] xj, int batch, int dim,
                                float[] gu, float[] gi, float[] gj) {
    double loss = 0.0;
    double squares = 0.0;
    float regB = reg / batch;
    for (int b = 0; b < batch; b++) {
      int off = b * dim;
      double margin = InBatchFilter.dot(xu, off, xi, off, dim) - InBatchFilter.dot(xu, off, xj, off, dim);
      loss += DirectSpecPlusObjective.softplus(-margin);
      squares += InBatchFilter.dot(xu, off, xu, off, dim) + InBatchFilter.dot(xi, off, xi, off, dim)
          + InBatchFilter.dot(xj, off, xj, off, dim);
      float coef = (float) (-DirectSpecPlusObjective.sigmoid(-margin) / batch);
      for (int k = off; k < off + dim; k++) {
        float u = xu[k];
        gu[k] = coef * (xi[k] - xj[k]) + regB * u;
        gi[k] = coef * u + regB * xi[k];
        gj[k] = -coef * u + regB * xj[k];
      }
    }
    return (loss + 0.5 * reg * squares) / batch;
  }
}
