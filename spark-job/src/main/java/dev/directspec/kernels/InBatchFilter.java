package dev.directspec.kernels;

/**
 * The DirectSpec+ in-batch filter for one table (docs/method.md section 3, steps 1-3):
 * <pre>
 *   N = X / ||X||                 (per row, norm guarded by eps = 1e-12)
 *   P = softmax_rows(tau (.) N N^T)   (diagonal included; tau scalar or per pair)
 *   Y0 = N - alpha P N
 *   Y = Y0 * (s ||Y0||)           (per row; only when shrink s > 0)
 * </pre>
 * {@link #forward} keeps what {@link #backward} needs in a {@link State}; backward maps dL/dY to dL/dX.
 * With alpha = 0 the B x B work is skipped: the filter is then plain row normalisation (plus shrink).
 * Immutable and thread-safe; all mutable data lives in the caller's State.
 */
public final class InBatchFilter {
  /**
   * Largest inverse temperature the shifted softmax below handles: exponents reach -2 tau, and exp(-80)
   * is still a normal float (exp(-88) is not), so above 40 whole rows underflow to 0 and cancel.
   */
  public static final double MAX_TAU = 40;

  static final float EPS = 1e-12f;

  private final float alpha;
  private final float shrink;

  /**
   * @param alpha  filter strength (0 disables the B x B balancing term)
   * @param shrink the authors' shrink_norm s; 0 skips the rescale
   */
  public InBatchFilter(float alpha, float shrink) {
    if (!(alpha >= 0f) || !(shrink >= 0f)) {
      throw new IllegalArgumentException("alpha and shrink must be >= 0: " + alpha + ", " + shrink);
    }
    this.alpha = alpha;
    this.shrink = shrink;
  }

  public float alpha() {
    return alpha;
  }

  public float shrink() {
    return shrink;
  }

  /** Forward state of one table, reused across steps (held by a {@link Workspace}). */
  public static final class State {
    int batch;
    int dim;
    float[] tauPairs;
    float tau;
    float[] norm = new float[0];    // ||x_b|| (unguarded)
    float[] n = new float[0];       // normalised rows N
    float[] p = new float[0];       // E = exp(S - shift); the softmax is P = diag(rowInv) E
    float[] rowInv = new float[0];  // 1 / row sums of E
    float[] rowDot = new float[0];  // rowsum(P (.) dP), in backward
    float[] pn = new float[0];      // P N (B x d), kept for backward's row dots
    float[] gs = new float[0];      // diag(rowInv) dL/dY0, in backward
    float[] dp = new float[0];      // dP, then dM, in backward
    float[] y0 = new float[0];      // N - alpha P N
    float[] y0Norm = new float[0];  // ||y0_b||, for the shrink
    float[] y = new float[0];       // output rows when shrink > 0
    float[] g = new float[0];       // dL/dY0
    float[] dn = new float[0];      // dL/dN

    void ensure(int b, int d, boolean pairs) {
      batch = b;
      dim = d;
      norm = Workspace.grow(norm, b);
      y0Norm = Workspace.grow(y0Norm, b);
      n = Workspace.grow(n, b * d);
      y0 = Workspace.grow(y0, b * d);
      y = Workspace.grow(y, b * d);
      g = Workspace.grow(g, b * d);
      dn = Workspace.grow(dn, b * d);
      if (pairs) {
        p = Workspace.grow(p, b * b);
        dp = Workspace.grow(dp, b * b);
        rowInv = Workspace.grow(rowInv, b);
        rowDot = Workspace.grow(rowDot, b);
        pn = Workspace.grow(pn, b * d);
        gs = Workspace.grow(gs, b * d);
      }
    }
  }

  /**
   * Runs the filter on X (B x d).
   *
   * @param tau      scalar inverse temperature, used when {@code tauPairs} is null
   * @param tauPairs per-pair inverse temperatures, B x B row-major (entry a*B+c for rows a, c), or null;
   *                 read again by backward, so keep it unchanged until then
   * @return the array holding Y (B x d, row-major); owned by {@code st}, valid until its next forward
   */
  public float[] forward(float[] x, int batch, int dim, float tau, float[] tauPairs, State st, SmallGemm gemm) {
    st.ensure(batch, dim, alpha != 0f);
    st.tau = tau;
    st.tauPairs = tauPairs;
    normaliseRows(x, batch, dim, st.norm, st.n);
    float[] y0 = st.n;
    if (alpha != 0f) {
      similaritySoftmax(st, gemm);
      // P N = diag(rowInv) (E N): the row scaling costs B x d instead of a B x B pass.
      gemm.gemm(false, false, batch, dim, batch, 1f, st.p, st.n, 0f, st.pn);
      y0 = st.y0;
      for (int b = 0; b < batch; b++) {
        int off = b * dim;
        float inv = st.rowInv[b];
        for (int j = 0; j < dim; j++) {
          st.pn[off + j] *= inv;
          y0[off + j] = st.n[off + j] - alpha * st.pn[off + j];
        }
      }
    }
    if (shrink == 0f) {
      return y0;
    }
    for (int b = 0; b < batch; b++) {
      int off = b * dim;
      float q = (float) Math.sqrt(dot(y0, off, y0, off, dim));
      st.y0Norm[b] = q;
      float scale = shrink * q;
      for (int j = 0; j < dim; j++) {
        st.y[off + j] = y0[off + j] * scale;
      }
    }
    return st.y;
  }

  /**
   * E = exp(tau (.) N N^T - shift) and its row sums: the softmax without the usual row-max pass. Rows of N
   * have norm <= 1, so every score is at most max(tau) and the constant shift max(tau) keeps every
   * exponent <= 0 (no overflow) and >= -2 max(tau) (no underflow for tau up to 40); a constant shift
   * leaves the softmax unchanged. One B x B pass instead of three (max, exp and sum, scale).
   */
  private static void similaritySoftmax(State st, SmallGemm gemm) {
    int bsz = st.batch;
    float[] p = st.p;
    float[] t = st.tauPairs;
    gemm.gemm(false, true, bsz, bsz, st.dim, t == null ? st.tau : 1f, st.n, st.n, 0f, p);
    float shift = st.tau;
    if (t != null) {
      shift = t[0];
      for (int i = 1; i < bsz * bsz; i++) {
        shift = t[i] > shift ? t[i] : shift;
      }
    }
    for (int a = 0; a < bsz; a++) {
      int off = a * bsz;
      float sum = 0f;
      if (t == null) {
        for (int c = 0; c < bsz; c++) {
          float e = expNonPositive(p[off + c] - shift);
          p[off + c] = e;
          sum += e;
        }
      } else {
        for (int c = 0; c < bsz; c++) {
          float e = expNonPositive(p[off + c] * t[off + c] - shift);
          p[off + c] = e;
          sum += e;
        }
      }
      st.rowInv[a] = 1f / sum;
    }
  }

  /**
   * Maps dL/dY (B x d) to dL/dX (B x d, overwritten) for the X of the last {@link #forward} on {@code st}.
   * {@code dy} is not modified; it may not alias {@code dx}.
   */
  public void backward(float[] dy, float[] dx, State st, SmallGemm gemm) {
    int bsz = st.batch;
    int dim = st.dim;
    float[] g = dy;
    if (shrink != 0f) {
      g = st.g;
      shrinkBackward(dy, g, alpha != 0f ? st.y0 : st.n, st.y0Norm, bsz, dim);
    }
    float[] dn = g;
    if (alpha != 0f) {
      dn = st.dn;
      filterBackward(g, dn, st, gemm);
    }
    normaliseBackward(dn, dx, st.n, st.norm, bsz, dim);
  }

  /** y = s ||y0|| y0  =>  dy0 = s (||y0|| dy + (y0 . dy) y0 / ||y0||); zero rows have zero gradient. */
  private void shrinkBackward(float[] dy, float[] g, float[] y0, float[] y0Norm, int bsz, int dim) {
    for (int b = 0; b < bsz; b++) {
      int off = b * dim;
      float q = y0Norm[b];
      float cross = q > 0f ? (float) dot(y0, off, dy, off, dim) / q : 0f;
      for (int j = 0; j < dim; j++) {
        g[off + j] = shrink * (q * dy[off + j] + cross * y0[off + j]);
      }
    }
  }

  /**
   * Y0 = N - alpha P N with P = diag(r) E, E = exp(tau (.) N N^T - shift):
   * dN = G + P^T dZ + (dM + dM^T) N, where dZ = -alpha G, dP = dZ N^T,
   * dS = P (.) (dP - rowsum(P (.) dP)) and dM = tau (.) dS. Two identities keep the B x B work to one
   * pass: P^T dZ = E^T (diag(r) dZ), and rowsum(P (.) dP)_a = dZ_a . (P N)_a with P N kept from forward.
   */
  private void filterBackward(float[] g, float[] dn, State st, SmallGemm gemm) {
    int bsz = st.batch;
    int dim = st.dim;
    float[] e = st.p;
    float[] ds = st.dp;
    for (int a = 0; a < bsz; a++) {
      int off = a * dim;
      float r = st.rowInv[a];
      float d = 0f;
      for (int j = 0; j < dim; j++) {
        st.gs[off + j] = r * g[off + j];
        d += g[off + j] * st.pn[off + j];
      }
      st.rowDot[a] = -alpha * d;
    }
    System.arraycopy(g, 0, dn, 0, bsz * dim);
    gemm.gemm(true, false, bsz, dim, bsz, -alpha, e, st.gs, 1f, dn);
    gemm.gemm(false, true, bsz, bsz, dim, -alpha, g, st.n, 0f, ds);
    float[] t = st.tauPairs;
    for (int a = 0; a < bsz; a++) {
      int off = a * bsz;
      float r = st.rowInv[a];
      float rd = st.rowDot[a];
      if (t == null) {
        for (int c = 0; c < bsz; c++) {
          ds[off + c] = r * e[off + c] * (ds[off + c] - rd);
        }
      } else {
        for (int c = 0; c < bsz; c++) {
          ds[off + c] = t[off + c] * r * e[off + c] * (ds[off + c] - rd);
        }
      }
    }
    // N appears on both sides of N N^T, so its gradient is (dM + dM^T) N. Two products instead of an
    // in-place symmetrisation: the column walk of that loop cost more than a native product (profiled).
    float scale = t == null ? st.tau : 1f;
    gemm.gemm(false, false, bsz, dim, bsz, scale, ds, st.n, 1f, dn);
    gemm.gemm(true, false, bsz, dim, bsz, scale, ds, st.n, 1f, dn);
  }

  /** n_b = x_b / max(||x_b||, eps); the unguarded norm is kept for backward. */
  private static void normaliseRows(float[] x, int bsz, int dim, float[] norm, float[] n) {
    for (int b = 0; b < bsz; b++) {
      int off = b * dim;
      float r = (float) Math.sqrt(dot(x, off, x, off, dim));
      norm[b] = r;
      float inv = 1f / Math.max(r, EPS);
      for (int j = 0; j < dim; j++) {
        n[off + j] = x[off + j] * inv;
      }
    }
  }

  /**
   * dx = (dn - n (n . dn)) / ||x||: the normalisation's Jacobian projects out the row's own direction.
   * Below eps the map is the linear x / eps, whose Jacobian is the plain 1 / eps.
   */
  private static void normaliseBackward(float[] dn, float[] dx, float[] n, float[] norm, int bsz, int dim) {
    for (int b = 0; b < bsz; b++) {
      int off = b * dim;
      float r = norm[b];
      float radial = r > EPS ? (float) dot(n, off, dn, off, dim) : 0f;
      float inv = 1f / Math.max(r, EPS);
      for (int j = 0; j < dim; j++) {
        dx[off + j] = (dn[off + j] - radial * n[off + j]) * inv;
      }
    }
  }

  /**
   * e^x for x <= 0 in float, relative error below 3e-7 (measured against Math.exp on [-20, 0]).
   * The softmax needs B^2 exponentials per table and step; Math.exp measured ~20 ns each on JDK 17 here,
   * which alone cost more than all the matrix products. Cody-Waite split x = k ln 2 + r with |r| <= ln2/2,
   * a degree-6 Taylor polynomial for e^r, and 2^k assembled in the exponent bits (k >= -126 by the clamp).
   */
  static float expNonPositive(float x) {
    float v = Math.max(x, -87f);
    // Adding 1.5 * 2^23 rounds v / ln 2 to the nearest integer in the low mantissa bits.
    float t = v * 1.442695041f + 12582912f;
    float k = t - 12582912f;
    float r = v - k * 0.693359375f + k * 2.12194440e-4f;
    float poly = 1f + r * (1f + r * (0.5f + r * (1f / 6 + r * (1f / 24 + r * (1f / 120 + r * (1f / 720))))));
    return poly * Float.intBitsToFloat((Float.floatToRawIntBits(t) - 0x4B400000 + 127) << 23);
  }

  static double dot(float[] a, int ao, float[] b, int bo, int len) {
    float s = 0f;
    for (int j = 0; j < len; j++) {
      s += a[ao + j] * b[bo + j];
    }
    return s;
  }
}
