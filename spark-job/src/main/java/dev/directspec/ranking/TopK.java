package dev.directspec.ranking;

import java.util.Arrays;

/**
 * Bounded selection of a user's K best-scored items, for full-ranking evaluation and top-K
 * export (docs/method.md section 6: score every item, remove the training items, keep the top K).
 *
 * <p>A min-heap of size K on primitive arrays: the root is the worst kept item, so each candidate
 * costs one comparison unless it enters. "Better" means a higher score, and on equal scores the
 * smaller item id, so results do not depend on the order candidates arrive in; that is what lets
 * per-block partial lists be {@link #merge merged} into the one-pass answer.
 *
 * <p>One instance is reused per task: {@link #reset(int[])} for each user. Not thread-safe.
 */
public final class TopK {

  private static final int[] NO_EXCLUSIONS = new int[0];

  private final int k;
  private final int[] heapItems;
  private final double[] heapScores;
  private int size;
  private int[] excluded = NO_EXCLUSIONS;

  /** @param k number of items to keep, positive */
  public TopK(int k) {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be positive: " + k);
    }
    this.k = k;
    this.heapItems = new int[k];
    this.heapScores = new double[k];
  }

  /** Capacity K. */
  public int k() {
    return k;
  }

  /** Clears the selection and the exclusions. */
  public void reset() {
    reset(NO_EXCLUSIONS);
  }

  /**
   * Clears the selection and sets the items to skip.
   *
   * @param excludedSorted ascending item ids (the user's training items); kept by reference,
   *                       not copied, so do not modify it while this user is being scored
   */
  public void reset(int[] excludedSorted) {
    for (int i = 1; i < excludedSorted.length; i++) {
      if (excludedSorted[i - 1] > excludedSorted[i]) {
        throw new IllegalArgumentException("excluded items must be sorted ascending");
      }
    }
    this.excluded = excludedSorted;
    this.size = 0;
  }

  /**
   * Considers one candidate.
   *
   * @return whether it is currently among the K best
   * @throws IllegalArgumentException on a NaN score (a diverged model must not rank silently)
   */
  public boolean offer(int item, double score) {
    if (Double.isNaN(score)) {
      throw new IllegalArgumentException("NaN score for item " + item);
    }
    if (size == k && !better(item, score, heapItems[0], heapScores[0])) {
      return false;
    }
    // The exclusion lookup is a binary search; doing it only for would-be entrants keeps the
    // common case (candidate below the threshold) at one comparison.
    if (excluded.length > 0 && Arrays.binarySearch(excluded, item) >= 0) {
      return false;
    }
    if (size < k) {
      heapItems[size] = item;
      heapScores[size] = score;
      siftUp(heapItems, heapScores, size);
      size++;
    } else {
      heapItems[0] = item;
      heapScores[0] = score;
      siftDown(heapItems, heapScores, size, 0);
    }
    return true;
  }

  /** Offers {@code scores[i]} for item {@code firstItem + i}, i in [0, scores.length): one scored item block. */
  public void offerBlock(int firstItem, double[] scores) {
    for (int i = 0; i < scores.length; i++) {
      offer(firstItem + i, scores[i]);
    }
  }

  /** Offers every entry of a partial list (exclusions still apply). */
  public void offerAll(RankedList partial) {
    int[] items = partial.items();
    double[] scores = partial.scores();
    for (int i = 0; i < items.length; i++) {
      offer(items[i], scores[i]);
    }
  }

  /** Number of items currently kept, at most K. */
  public int size() {
    return size;
  }

  /** The current selection, best first. Leaves this selection unchanged. */
  public RankedList result() {
    int[] items = Arrays.copyOf(heapItems, size);
    double[] scores = Arrays.copyOf(heapScores, size);
    // Heap sort on the copy: moving the min-heap's root (the worst) to the back each time
    // leaves the array ordered best first.
    for (int end = size - 1; end > 0; end--) {
      swap(items, scores, 0, end);
      siftDown(items, scores, end, 0);
    }
    return new RankedList(items, scores);
  }

  /**
   * Top K of the union of partial lists, as if all candidates had been offered to one
   * selection. The partials must come from disjoint candidate sets (item blocks), so an item
   * appears at most once overall.
   */
  public static RankedList merge(int k, RankedList... partials) {
    TopK topK = new TopK(k);
    for (RankedList partial : partials) {
      topK.offerAll(partial);
    }
    return topK.result();
  }

  /** Whether (itemA, scoreA) ranks before (itemB, scoreB). */
  private static boolean better(int itemA, double scoreA, int itemB, double scoreB) {
    return scoreA > scoreB || (scoreA == scoreB && itemA < itemB);
  }

  private static void siftUp(int[] items, double[] scores, int pos) {
    while (pos > 0) {
      int parent = (pos - 1) >>> 1;
      // Min-heap on "better": a parent must be worse than (not better than) its children.
      if (!better(items[parent], scores[parent], items[pos], scores[pos])) {
        return;
      }
      swap(items, scores, parent, pos);
      pos = parent;
    }
  }

  private static void siftDown(int[] items, double[] scores, int size, int pos) {
    while (true) {
      int left = 2 * pos + 1;
      if (left >= size) {
        return;
      }
      int worst = left;
      int right = left + 1;
      if (right < size && better(items[left], scores[left], items[right], scores[right])) {
        worst = right;
      }
      if (!better(items[pos], scores[pos], items[worst], scores[worst])) {
        return;
      }
      swap(items, scores, pos, worst);
      pos = worst;
    }
  }

  private static void swap(int[] items, double[] scores, int a, int b) {
    int item = items[a];
    items[a] = items[b];
    items[b] = item;
    double score = scores[a];
    scores[a] = scores[b];
    scores[b] = score;
  }
}
