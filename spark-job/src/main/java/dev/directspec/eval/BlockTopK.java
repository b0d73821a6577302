package dev.directspec.eval;

import java.io.Serializable;

/**
 * The running top-K of every user of one user block: K (item, score) slots per user, best first,
 * unused slots marked with item -1. Partial lists from different item blocks merge into one.
 */
public record BlockTopK(int userBlock, int size, int k, int[] items, float[] scores) implements Serializable {

  public static BlockTopK empty(int userBlock, int size, int k) {
    int[] items = new int[size * k];
    java.util.Arrays.fill(items, -1);
    float[] scores = new float[size * k];
    java.util.Arrays.fill(scores, Float.NEGATIVE_INFINITY);
    return new BlockTopK(userBlock, size, k, items, scores);
  }

  /** Merges two partial lists of the same users: per user, the K best of both (ties: smaller item). */
  public static BlockTopK merge(BlockTopK a, BlockTopK b) {
    BlockTopK out = empty(a.userBlock, a.size, a.k);
    for (int u = 0; u < a.size; u++) {
      int base = u * a.k;
      int ia = base;
      int ib = base;
      for (int slot = base; slot < base + a.k; slot++) {
        boolean takeA = ib >= base + a.k || (ia < base + a.k && better(a.items[ia], a.scores[ia], b.items[ib], b.scores[ib]));
        if (takeA) {
          out.items[slot] = a.items[ia];
          out.scores[slot] = a.scores[ia++];
        } else {
          out.items[slot] = b.items[ib];
          out.scores[slot] = b.scores[ib++];
        }
      }
    }
    return out;
  }

  static boolean better(int itemA, float scoreA, int itemB, float scoreB) {
    if (itemB < 0) return itemA >= 0;
    if (itemA < 0) return false;
    if (scoreA != scoreB) return scoreA > scoreB;
    return itemA < itemB;
  }

  /** The ranked items of local user u (slots holding -1 dropped). */
  public int[] ranked(int u) {
    int n = 0;
    while (n < k && items[u * k + n] >= 0) n++;
    int[] out = new int[n];
    System.arraycopy(items, u * k, out, 0, n);
    return out;
  }
}
