package dev.directspec.kernels;

/**
 * Scratch memory for the batch kernels of one task thread, reused across steps so the training loop
 * allocates nothing after the first step (arrays are sized on first use and regrown only when a larger
 * batch or dimension appears). Not thread-safe: create one per task thread.
 */
public final class Workspace {
  /**
   * Largest batch (and dimension) the kernels take: their B x B pair matrices (and the d x d Gram matrices)
   * are single Java arrays indexed by {@code a * B + c}, which must stay below 2^31.
   */
  public static final int MAX_SIDE = 46_340;

  final SmallGemm gemm;
  /** Filter state of the user side and of the item side; both forwards run before either backward. */
  final InBatchFilter.State users = new InBatchFilter.State();
  final InBatchFilter.State items = new InBatchFilter.State();
  /** Normalisation state of DirectSpec+'s sampled negatives (no B x B part). */
  final InBatchFilter.State negatives = new InBatchFilter.State();

  private float[] dyUsers = new float[0];
  private float[] dyItems = new float[0];
  private float[] dyNegatives = new float[0];
  private float[] pairs = new float[0];
  private float[] rows = new float[0];

  /** Workspace on the fastest available product backend (native BLAS when present). */
  public Workspace() {
    this(SmallGemm.create());
  }

  /** Workspace on a given backend, e.g. {@link SmallGemm#javaOnly()} for tests and benchmarks. */
  public Workspace(SmallGemm gemm) {
    this.gemm = gemm;
  }

  public SmallGemm gemm() {
    return gemm;
  }

  /** Gradient w.r.t. the user-side output rows, at least {@code size} long. */
  float[] dyUsers(int size) {
    if (dyUsers.length < size) {
      dyUsers = new float[size];
    }
    return dyUsers;
  }

  /** Gradient w.r.t. the item-side output rows, at least {@code size} long. */
  float[] dyItems(int size) {
    if (dyItems.length < size) {
      dyItems = new float[size];
    }
    return dyItems;
  }

  /** Gradient w.r.t. the normalised negative rows, at least {@code size} long. */
  float[] dyNegatives(int size) {
    dyNegatives = grow(dyNegatives, size);
    return dyNegatives;
  }

  /** A B x B scratch matrix, at least {@code size} long. */
  float[] pairs(int size) {
    if (pairs.length < size) {
      pairs = new float[size];
    }
    return pairs;
  }

  /** A per-row scratch vector, at least {@code size} long. */
  float[] rowScratch(int size) {
    if (rows.length < size) {
      rows = new float[size];
    }
    return rows;
  }

  static float[] grow(float[] buf, int size) {
    return buf.length >= size ? buf : new float[size];
  }
}
