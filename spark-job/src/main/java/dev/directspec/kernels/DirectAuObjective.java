package dev.directspec.kernels;

/**
 * DirectAU baseline (docs/method.md section 8) on row-normalised rows x^:
 * {@code L = align + gamma * (unif(U) + unif(I)) / 2}, with {@code align = mean_b ||u^_b - i^_b||^2} and
 * {@code unif(X) = log mean_{a != c} exp(-t ||x^_a - x^_c||^2)} over the ordered pairs of the batch.
 * Normalisation and its backward reuse {@link InBatchFilter} with alpha = 0, shrink = 0. Thread-safe.
 */
public final class DirectAuObjective implements BatchObjective {

  private static final InBatchFilter NORMALISE = new InBatchFilter(0f, 0f);

  private final float gamma;
  private final float t;

  public DirectAuObjective(float gamma, float t) {
    this.gamma = gamma;
    this.t = t;
  }

  @Override
  public double lossAndGradient(float[] xu, float[] xi, int batch, int dim, float[] gu, float[] gi,
                                Workspace ws) {
    float[] nu = NORMALISE.forward(xu, batch, dim, 0f, null, ws.users, ws.gemm);
    float[] ni = NORMALISE.forward(xi, batch, dim, 0f, null, ws.items, ws.gemm);
    float[] du = ws.dyUsers(batch * dim);
    float[] di = ws.dyItems(batch * dim);
    double align = 0.0;
    for (int k = 0; k < batch * dim; k++) {
      float diff = nu[k] - ni[k];
      align += (double) diff * diff;
      du[k] = 2f * diff / batch;
      di[k] = -du[k];
    }
    double loss = align / batch;
    if (batch > 1) {
      loss += gamma * 0.5 * uniformity(nu, batch, dim, du, gamma * 0.5f, ws);
      loss += gamma * 0.5 * uniformity(ni, batch, dim, di, gamma * 0.5f, ws);
    }
    NORMALISE.backward(du, gu, ws.users, ws.gemm);
    NORMALISE.backward(di, gi, ws.items, ws.gemm);
    return loss;
  }

  /**
   * Returns unif(X) and adds {@code weight * d unif / dX} into {@code dx}. With w_ac = exp(-t d_ac)
   * (w_aa = 0) and Z = sum w, each unordered pair appears twice, so
   * d unif / dx_a = -(4t / Z) (rowsum_a(w) x_a - (W X)_a).
   */
  private double uniformity(float[] x, int batch, int dim, float[] dx, float weight, Workspace ws) {
    float[] w = ws.pairs(batch * batch);
    float[] sq = ws.rowScratch(2 * batch);
    ws.gemm.gemm(false, true, batch, batch, dim, 1f, x, x, 0f, w);
    for (int a = 0; a < batch; a++) {
      sq[a] = w[a * batch + a];
    }
    // Logits -t d_ac from the Gram matrix; the largest is subtracted before exp for stability.
    float maxLogit = Float.NEGATIVE_INFINITY;
    for (int a = 0; a < batch; a++) {
      for (int c = 0; c < batch; c++) {
        float logit = -t * Math.max(sq[a] + sq[c] - 2f * w[a * batch + c], 0f);
        w[a * batch + c] = logit;
        maxLogit = a != c && logit > maxLogit ? logit : maxLogit;
      }
    }
    double z = 0.0;
    for (int a = 0; a < batch; a++) {
      double rowSum = 0.0;
      for (int c = 0; c < batch; c++) {
        float e = a == c ? 0f : InBatchFilter.expNonPositive(w[a * batch + c] - maxLogit);
        w[a * batch + c] = e;
        rowSum += e;
      }
      sq[batch + a] = (float) rowSum;
      z += rowSum;
    }
    float coef = (float) (weight * 4.0 * t / z);
    // dx += coef * (W X - rowsum (.) X); the e^maxLogit factor cancels between W and Z.
    ws.gemm.gemm(false, false, batch, dim, batch, coef, w, x, 1f, dx);
    for (int a = 0; a < batch; a++) {
      float r = coef * sq[batch + a];
      for (int j = a * dim; j < (a + 1) * dim; j++) {
        dx[j] -= r * x[j];
      }
    }
    return Math.log(z / ((double) batch * (batch - 1))) + maxLogit;
  }
}
