package dev.directspec.kernels;

/**
 * DirectSpec+ (docs/method.md section 3): filter the user rows and the item rows of the batch separately with
 * the {@link InBatchFilter}, then {@code L = -(1/B) sum_b log sigmoid(y_u,b . y_i,b)} on the positive
 * pairs only, plus {@code reg (1/B) sum_b (||y_u,b||^2 + ||y_i,b||^2)} on the filtered rows when reg > 0
 * (the L2 term of the DirectSpec authors' LightGCN script, docs/method.md 7). With alpha = 0 this is the plain
 * "align" objective on normalised (optionally shrunk) rows and skips all B x B work. The adaptive-temperature
 * variant passes per-pair tau matrices per step (see {@link CoInteraction}).
 *
 * <p>With a negative weight w > 0 the loss gains negative evidence (docs/method.md 3a):
 * {@code + w (1/(B N)) sum_b sum_n log(1 + exp(y_u,b . z_b,n))} over N uniformly sampled items per positive,
 * each z a normalised (and shrunk) row outside the B x B filter, so the extra work is B N d, not (B N)^2.
 * The positive-only loss has no reason to rank a popular item above a never-seen one; uniform negatives
 * (mostly long-tail items) push users away from what nobody chose, as ALS's all-unobserved term does.
 * Immutable and thread-safe; per-thread data lives in the {@link Workspace}.
 */
public final class DirectSpecPlusObjective implements BatchObjective {

  private final InBatchFilter filter;
  /** Normalisation and shrink of the sampled negatives: the filter without its B x B term. */
  private final InBatchFilter negativeRows;
  private final float negativeWeight;
  private final float tauUsers;
  private final float tauItems;
  private final float reg;

  /**
   * @param alpha    filter strength (0 = align only)
   * @param tauUsers scalar inverse temperature of the user side
   * @param tauItems scalar inverse temperature of the item side
   * @param shrink   shrink_norm s (0 = no rescale)
   * @param reg      weight of the L2 term on the filtered rows (0 = none)
   * @param negativeWeight weight w of the sampled-negatives term (0 = none: positives only)
   */
  public DirectSpecPlusObjective(float alpha, float tauUsers, float tauItems, float shrink, float reg,
      float negativeWeight) {
    if (!(reg >= 0f)) throw new IllegalArgumentException("reg must be >= 0: " + reg);
    if (!(negativeWeight >= 0f)) throw new IllegalArgumentException("negative weight must be >= 0: " + negativeWeight);
    this.filter = new InBatchFilter(alpha, shrink);
    this.negativeRows = new InBatchFilter(0f, shrink);
    this.negativeWeight = negativeWeight;
    this.tauUsers = tauUsers;
    this.tauItems = tauItems;
    this.reg = reg;
  }

  /** Positives only. */
  public DirectSpecPlusObjective(float alpha, float tauUsers, float tauItems, float shrink, float reg) {
    this(alpha, tauUsers, tauItems, shrink, reg, 0f);
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

  /** True when the loss scores sampled negatives (the caller must then pass them). */
  public boolean usesNegatives() {
    return negativeWeight > 0f;
  }

  @Override
  public double lossAndGradient(float[] xu, float[] xi, int batch, int dim, float[] gu, float[] gi,
                                Workspace ws) {
    return lossAndGradient(xu, xi, batch, dim, gu, gi, null, null, null, 0, null, ws);
  }

  /** With per-pair inverse temperatures and no negatives (see the full form below). */
  public double lossAndGradient(float[] xu, float[] xi, int batch, int dim, float[] gu, float[] gi,
                                float[] tauPairsUsers, float[] tauPairsItems, Workspace ws) {
    return lossAndGradient(xu, xi, batch, dim, gu, gi, tauPairsUsers, tauPairsItems, null, 0, null, ws);
  }

  /**
   * As {@link #lossAndGradient(float[], float[], int, int, float[], float[], Workspace)}, with per-pair
   * inverse temperatures (B x B row-major, e.g. from {@link CoInteraction}) replacing the scalar tau of
   * a side when non-null, and {@code negatives} sampled rows per positive in {@code xj} (B N x d, positive b's
   * n-th at row b N + n; their gradient goes to {@code gj}) when the negative weight is > 0.
   */
  public double lossAndGradient(float[] xu, float[] xi, int batch, int dim, float[] gu, float[] gi,
                                float[] tauPairsUsers, float[] tauPairsItems, float[] xj, int negatives,
                                float[] gj, Workspace ws) {
    if (usesNegatives() && (xj == null || negatives < 1)) {
      throw new IllegalArgumentException("negative weight " + negativeWeight + " needs sampled negatives");
    }
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
    if (usesNegatives()) {
      loss += negativeTerm(yu, dyu, xj, batch, negatives, dim, gj, ws);
    }
    filter.backward(dyu, gu, ws.users, ws.gemm);
    filter.backward(dyi, gi, ws.items, ws.gemm);
    return loss / batch;
  }

  /**
   * Adds w (1/N) sum log(1 + e^(y_u . z)) over the negatives (times B: the caller divides by B) and its
   * gradient to {@code dyu}; writes dL/dxj to {@code gj}.
   */
  private double negativeTerm(float[] yu, float[] dyu, float[] xj, int batch, int negatives, int dim,
      float[] gj, Workspace ws) {
    int rows = batch * negatives;
    float[] z = negativeRows.forward(xj, rows, dim, 0f, null, ws.negatives, ws.gemm);
    float[] dz = ws.dyNegatives(rows * dim);
    double softplusSum = 0.0;
    float scale = negativeWeight / (batch * (float) negatives);
    for (int b = 0; b < batch; b++) {
      int uOff = b * dim;
      for (int n = 0; n < negatives; n++) {
        int off = (b * negatives + n) * dim;
        double score = InBatchFilter.dot(yu, uOff, z, off, dim);
        softplusSum += softplus(score);
        float coef = (float) (sigmoid(score) * scale);
        for (int j = 0; j < dim; j++) {
          dyu[uOff + j] += coef * z[off + j];
          dz[off + j] = coef * yu[uOff + j];
        }
      }
    }
    negativeRows.backward(dz, gj, ws.negatives, ws.gemm);
    return negativeWeight * softplusSum / negatives;
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
