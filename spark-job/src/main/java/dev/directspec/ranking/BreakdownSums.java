package dev.directspec.ranking;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Running sums of {@code evaluate --breakdown} over the evaluated users (at least one test item), mergeable
 * like {@link MetricSums} so only these aggregates reach the driver: the metrics at one cut-off K per bucket of
 * users' training degree, the popularity (training degree) of each user's top-K and test items, and the set of
 * items recommended to anyone (coverage).
 */
public final class BreakdownSums implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Smallest training degree of each bucket (the next floor - 1 is its largest, the last is open). Bucket 0
   * only exists for completeness: prep rejects the test rows of users without training rows.
   */
  static final int[] BUCKET_FLOORS = {0, 1, 5, 10, 20, 50, 100, 200};

  private final int k;
  private final MetricSums[] buckets;
  /** Sum over users of the mean training degree of their top-K items, and how many users had a non-empty list. */
  private double recommendedDegrees;
  private long recommendedUsers;
  /** Sum over users of the mean training degree of their distinct test items. */
  private double testDegrees;
  private long testUsers;
  /** Global ids of the items in any evaluated user's top-K. */
  private final BitSet recommended = new BitSet();

  public BreakdownSums(int k) {
    this.k = k;
    this.buckets = new MetricSums[BUCKET_FLOORS.length];
    for (int b = 0; b < buckets.length; b++) buckets[b] = new MetricSums(k);
  }

  /**
   * Adds one evaluated user.
   *
   * @param trainingDegree the user's number of training interactions
   * @param ranked         the user's ranked items, best first (only the first K are read)
   * @param testItems      the user's test items, not empty, duplicates allowed
   * @param itemDegrees    training degree of every item, by global id
   */
  public BreakdownSums addUser(int trainingDegree, int[] ranked, int[] testItems, int[] itemDegrees) {
    int[] top = ranked.length > k ? Arrays.copyOf(ranked, k) : ranked;
    buckets[bucketOf(trainingDegree)].addUser(top, testItems);
    if (top.length > 0) {
      recommendedDegrees += meanDegree(top, itemDegrees);
      recommendedUsers++;
    }
    for (int item : top) recommended.set(item);
    // De-duplicated as in RankingMetrics: an item seen twice in the test period is one relevant item.
    testDegrees += meanDegree(RankingMetrics.distinctSorted(testItems), itemDegrees);
    testUsers++;
    return this;
  }

  /** Adds {@code other} into this and returns this; both must use the same K. */
  public BreakdownSums merge(BreakdownSums other) {
    if (other.k != k) throw new IllegalArgumentException("cut-offs differ: " + k + " vs " + other.k);
    for (int b = 0; b < buckets.length; b++) buckets[b].merge(other.buckets[b]);
    recommendedDegrees += other.recommendedDegrees;
    recommendedUsers += other.recommendedUsers;
    testDegrees += other.testDegrees;
    testUsers += other.testUsers;
    recommended.or(other.recommended);
    return this;
  }

  /**
   * The means, non-empty buckets only.
   *
   * @param numItems       items in the dataset (coverage's denominator)
   * @param itemDegreeSum  sum of the training degrees of all items (the training interactions)
   */
  public Breakdown result(long numItems, long itemDegreeSum) {
    List<Breakdown.Bucket> rows = new ArrayList<>();
    for (int b = 0; b < buckets.length; b++) {
      if (buckets[b].users() == 0) continue;
      Map<String, Double> means = buckets[b].means();
      rows.add(new Breakdown.Bucket(label(b), buckets[b].users(), means.get("recall@" + k), means.get("ndcg@" + k)));
    }
    return new Breakdown(k, rows, recommendedDegrees / recommendedUsers, testDegrees / testUsers,
        (double) itemDegreeSum / numItems, recommended.cardinality(), numItems);
  }

  static int bucketOf(int trainingDegree) {
    int b = BUCKET_FLOORS.length - 1;
    while (BUCKET_FLOORS[b] > trainingDegree) b--;
    return b;
  }

  static String label(int bucket) {
    int floor = BUCKET_FLOORS[bucket];
    if (bucket == BUCKET_FLOORS.length - 1) return floor + "+";
    int last = BUCKET_FLOORS[bucket + 1] - 1;
    return floor == last ? String.valueOf(floor) : floor + "-" + last;
  }

  private static double meanDegree(int[] items, int[] itemDegrees) {
    long sum = 0;
    for (int item : items) sum += itemDegrees[item];
    return (double) sum / items.length;
  }
}
