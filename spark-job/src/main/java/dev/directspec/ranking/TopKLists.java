package dev.directspec.ranking;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The running top-K of a group of users (a user block, a chunk of rows): K (item, score) slots per user,
 * best first, unused slots marked with item -1. Partial lists of the same users from different item sets
 * merge into one ({@link #merge}); "better" is a higher score, on equal scores the smaller item id, as in
 * {@link TopK}, so the merged lists do not depend on how the items were split.
 *
 * @param size   number of users
 * @param k      slots per user
 * @param items  size * k item ids, user u's at [u * k, (u + 1) * k)
 * @param scores the matching scores
 */
public record TopKLists(int size, int k, int[] items, float[] scores) implements Serializable {

  /** Lists with every slot unused. */
  public static TopKLists empty(int size, int k) {
    int[] items = new int[size * k];
    Arrays.fill(items, -1);
    float[] scores = new float[size * k];
    Arrays.fill(scores, Float.NEGATIVE_INFINITY);
    return new TopKLists(size, k, items, scores);
  }

  /** Merges two partial lists of the same users: per user, the K best of both. */
  public static TopKLists merge(TopKLists a, TopKLists b) {
    TopKLists out = empty(a.size, a.k);
    for (int u = 0; u < a.size; u++) {
      int base = u * a.k;
      int ia = base;
      int ib = base;
      for (int slot = base; slot < base + a.k; slot++) {
        boolean takeA = ib >= base + a.k
            || (ia < base + a.k && better(a.items[ia], a.scores[ia], b.items[ib], b.scores[ib]));
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

  /** Number of used slots of user u. */
  public int count(int u) {
    int n = 0;
    while (n < k && items[u * k + n] >= 0) n++;
    return n;
  }

  /** The ranked items of user u (unused slots dropped). */
  public int[] ranked(int u) {
    return Arrays.copyOfRange(items, u * k, u * k + count(u));
  }

  /** Slot {@code rank} (0 = best) of user u: the item, or -1 when unused. */
  public int item(int u, int rank) {
    return items[u * k + rank];
  }

  /** The score in slot {@code rank} of user u. */
  public float score(int u, int rank) {
    return scores[u * k + rank];
  }
}
