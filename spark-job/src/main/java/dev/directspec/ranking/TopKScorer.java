package dev.directspec.ranking;

import dev.directspec.kernels.SmallGemm;

import java.util.function.IntUnaryOperator;

/**
 * The top-K engine (docs/method.md 6, docs/design.md "Evaluate and recommend"): every user's K best items
 * of one item set by dot product, for evaluate, recommend and the Spark ML model's recommendations.
 * Users are scored a chunk of {@value #CHUNK} at a time with one matrix product against the whole item
 * set ({@link SmallGemm#create()}: native BLAS when present, else netlib's VectorBLAS), excluded items are masked, and each score row goes
 * through a bounded heap ({@link TopK}); only K (item, score) pairs per user leave. The largest buffer is
 * {@value #CHUNK} x |items| floats: no |U| x |I| matrix exists anywhere. The item side is read in place,
 * so a caller that caches its item sets (item blocks, packed partitions) scores every user chunk against
 * the same arrays.
 *
 * <p>Ties and exclusions: a masked item never enters; an item whose score is -infinity never enters either;
 * equal scores rank the smaller item id first ({@link TopKLists#merge} keeps that across item sets).
 * Scores are the float products of the GEMM. One instance per task thread (it owns the GEMM scratch and
 * the score buffer); not thread-safe.
 */
public final class TopKScorer {

  /** Users per matrix product. */
  public static final int CHUNK = 128;

  /** Marks the items user {@code u} must not be recommended. */
  @FunctionalInterface
  public interface Exclusions {
    /** Nothing is excluded (the Spark ML model's recommendations). */
    Exclusions NONE = (u, mask) -> { };

    /** Calls {@code mask.exclude(localItem)} for every excluded item of user u (u indexes the user rows). */
    void forUser(int u, Mask mask);
  }

  /** Receives the excluded items of one user, by their index in the item rows. */
  @FunctionalInterface
  public interface Mask {
    void exclude(int localItem);
  }

  private final int k;
  private final SmallGemm gemm = SmallGemm.create();
  private final TopK heap;
  private float[] scores = new float[0];
  private float[] chunk = new float[0];

  /** @param k items to keep per user, positive */
  public TopKScorer(int k) {
    this.heap = new TopK(k);
    this.k = k;
  }

  /**
   * The top K of every user among the given items.
   *
   * @param users      row-major user factors, {@code userCount} rows of {@code dim}
   * @param items      row-major item factors, {@code itemCount} rows of {@code dim}
   * @param itemIds    the id reported for the item in row j (a block's global id, a table's id column)
   * @param exclusions items each user must not get
   * @return lists indexed like the user rows
   */
  public TopKLists score(float[] users, int userCount, float[] items, int itemCount, int dim,
      IntUnaryOperator itemIds, Exclusions exclusions) {
    TopKLists out = TopKLists.empty(userCount, k);
    if (itemCount == 0 || userCount == 0) return out;
    int rowsPerChunk = Math.min(CHUNK, userCount);
    scores = grow(scores, rowsPerChunk * itemCount);
    chunk = grow(chunk, rowsPerChunk * dim);
    for (int start = 0; start < userCount; start += CHUNK) {
      int rows = Math.min(CHUNK, userCount - start);
      // scores[rows x n] = U[start..start+rows) (rows x d) * I^T (d x n)
      System.arraycopy(users, start * dim, chunk, 0, rows * dim);
      gemm.gemm(false, true, rows, itemCount, dim, 1f, chunk, items, 0f, scores);
      for (int r = 0; r < rows; r++) {
        select(start + r, r * itemCount, itemCount, itemIds, exclusions, out);
      }
    }
    return out;
  }

  /** Masks user u's excluded items in its score row, offers the rest to the heap, stores the best K. */
  private void select(int u, int rowBase, int itemCount, IntUnaryOperator itemIds, Exclusions exclusions,
      TopKLists out) {
    float[] row = scores;
    exclusions.forUser(u, j -> row[rowBase + j] = Float.NEGATIVE_INFINITY);
    heap.reset();
    for (int j = 0; j < itemCount; j++) {
      float s = row[rowBase + j];
      if (s != Float.NEGATIVE_INFINITY) heap.offer(itemIds.applyAsInt(j), s);
    }
    RankedList best = heap.result();
    for (int slot = 0; slot < best.size(); slot++) {
      out.items()[u * k + slot] = best.items()[slot];
      out.scores()[u * k + slot] = (float) best.scores()[slot];
    }
  }

  private static float[] grow(float[] buf, int size) {
    return buf.length >= size ? buf : new float[size];
  }
}
