package dev.directspec.ranking;

import java.io.Serializable;

/**
 * A user's ranked items, best first, with their scores (docs/method.md section 6): the output of
 * {@link TopK} and the unit that blockwise scoring ships between tasks before
 * {@link TopK#merge merging}. The arrays are shared, not copied, and record equality compares
 * them by reference; compare {@code items()} with {@code Arrays.equals}.
 *
 * @param items  item ids, ordered by descending score, ties by ascending id
 * @param scores the matching scores
 */
public record RankedList(int[] items, double[] scores) implements Serializable {

  public RankedList {
    if (items.length != scores.length) {
      throw new IllegalArgumentException("items and scores differ in length: " + items.length + " vs " + scores.length);
    }
  }

  /** Number of ranked items. */
  public int size() {
    return items.length;
  }
}
