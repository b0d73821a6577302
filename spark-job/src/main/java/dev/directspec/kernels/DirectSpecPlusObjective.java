package dev.directspec.kernels;

/**
 * DirectSpec+ (docs/method.md section 3): filter the user rows and the item rows of the batch separately with
 * the {@link InBatchFilter}, then {@code L = -(1/B) sum_b log sigmoid(y_u,b . y_i,b)} on the positive
 * pairs only, plus {@code reg (1/B) sum_b (||y_u,b||^2 + ||y_i,b||^2)} on the filtered rows when reg > 0
 * (the L2 term of the DirectSpec authors' LightGCN script, docs/method.md 7). With alpha = 0 this is the plain
 * "align" objective on normalised (optionally shrunk) rows and skips all B x B work. The adaptive-temperature
 * variant passes per-pair tau matrices per step (see {@link CoInteraction}). Immutable and thread-safe;
 * per-thread data lives in the {@link Workspace}.
 */
public final class DirectSpecPlusObjective implements BatchObjective {

  private final InBatchFilter filter;
  private final float tauUsers;
  private final float tauItems;
  private final float reg;

  /**
   * @param alpha    filter strength (0 = align only)
   * @param tauUsers scalar inverse temperature of the user side
   * @param tauItems scalar inverse temperature of the item side
   * @param shrink   shrink_norm s (0 = no rescale)
   * @param reg      weight of the L2 term on the filtered rows (0 = none)
   */
  public DirectSpecPlusObjective(float alpha, float tauUsers, float tauItems, float shrink, float reg) {
    if (!(reg >= 0f)) throw new IllegalArgumentException("reg must be >= 0: " + reg);
    this.filter = new InBatchFilter(alpha, shrink);
    this.tauUsers = tauUsers;
    this.tauItems = tauItems;
    this.reg = reg;
  }

  /** Without the L2 term (the authors' MF script). */
  public DirectSpecPlusObjective(float alpha, float tauUsers, float tauItems, float shrink) {
    this(alpha, tauUsers, tauItems, shrink, 0f);
  }

  /** The "align" baseline: same loss without the balancing term. */
  public static DirectSpecPlusObjective align(float shrink) {
    return new DirectSpecPlusObjective(0f, 0f, 0f, shrink);
  }

  public InBatchFilter filter() {
    return filter;
  }

  @Override
  public double lossAndGradient(float[] xu, float[] xi, int batch, int dim, float[] gu, float[] gi,
                                Workspace ws) {
    return lossAndGradient(xu, xi, batch, dim, gu, gi, null, null, ws);
  }

  /**
   * As {@link #lossAndGradient(float[], float[], int, int, float[], float[], Workspace)}, with per-pair
   * inverse temperatures (B x B row-major, e.g. from {@link CoInteraction}) replacing the scalar tau of
   * a side when non-null.
   */
  public double lossAndGradient(float[] xu, float[] xi, int batch, int dim, float[] gu, float[] gi,
                                float[] tauPairsUsers, float[] tauPairsItems, Workspace ws) {
    float[] yu = filter.forward(xu, batch, dim, tauUsers, tauPairsUsers, ws.users, ws.gemm);
    float[] yi = filter.forward(xi, batch, dim, tauItems, tauPairsItems, ws.items, ws.gemm);
    float[] dyu = ws.dyUsers(batch * dim);
    float[] dyi = ws.dyItems(batch * dim);
    double loss = 0.0;
    float decay = 2f * reg / batch;
    for (int b = 0; b < batch; b++) {
      int off = b * dim;
      double score = InBatchFilter.dot(yu, off, yi, off, dim);
      loss += softplus(-score);
      if (reg != 0f) {
        loss += reg * (InBatchFilter.dot(yu, off, yu, off, dim) + InBatchFilter.dot(yi, off, yi, off, dim));
      }
      // d/ds of -log sigmoid(s) is -sigmoid(-s); the 1/B of the mean is folded in.
      float coef = (float) (-sigmoid(-score) / batch);
      for (int j = 0; j < dim; j++) {
        dyu[off + j] = coef * yi[off + j] + decay * yu[off + j];
        dyi[off + j] = coef * yu[off + j] + decay * yi[off + j];
      }
    }
    filter.backward(dyu, gu, ws.users, ws.gemm);
    filter.backward(dyi, gi, ws.items, ws.gemm);
    return loss / batch;
  }

  /** log(1 + e^z) without overflow. */
  static double softplus(double z) {
    return Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
  }

  static double sigmoid(double z) {
    if (z >= 0) {
      return 1.0 / (1.0 + Math.exp(-z));
    }
    double e = Math.exp(z);
    return e / (1.0 + e);
  }
}
