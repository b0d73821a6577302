package dev.directspec.ranking;

import java.util.Arrays;

/**
 * Per-user full-ranking metrics at several cut-offs (docs/method.md section 6).
 *
 * <p>For a cut-off K, with {@code hits} = number of the first K ranked items that are test items
 * and {@code T} = the user's distinct test items:
 * <ul>
 *   <li>{@code recall} = hits / |T| (LightGCN, Spark's {@code RankingMetrics});</li>
 *   <li>{@code recall_capped} = hits / min(K, |T|) (the DirectSpec authors' code);</li>
 *   <li>{@code ndcg} = DCG / IDCG with binary gains, DCG = sum over hits at 0-based rank r of
 *       1 / log2(r + 2), IDCG = the same sum over ranks 0 .. min(K, |T|) - 1;</li>
 *   <li>{@code precision} = hits / K (K, not the list length, when fewer than K items were ranked);</li>
 *   <li>{@code hit_rate} = 1 if hits > 0, else 0.</li>
 * </ul>
 * K counts exactly K positions (the authors' "@10" looks at 11; this does not).
 *
 * <p><b>Duplicates.</b> The test list is de-duplicated first: an item the user interacted with
 * twice in the test period is one relevant item, |T| counts distinct items, and it can be hit
 * once. Likewise a ranked item repeated in the list counts as a hit only at its first position.
 * Binary relevance is what the metrics above define, and de-duplicating keeps recall <= 1.
 */
public final class RankingMetrics {

  /** The metrics, in report order; {@link #key()} is the prefix of the report keys. */
  public enum Metric {
    RECALL("recall"), RECALL_CAPPED("recall_capped"), NDCG("ndcg"), PRECISION("precision"), HIT_RATE("hit_rate");

    private final String key;

    Metric(String key) {
      this.key = key;
    }

    public String key() {
      return key;
    }
  }

  private RankingMetrics() {
  }

  /**
   * Metrics of one user.
   *
   * @param ranked    recommended items, best first (training items already removed); only the
   *                  first max(cutoffs) entries are read, a shorter list is allowed
   * @param testItems the user's test items, any order, duplicates allowed; must not be empty
   *                  (users without test items are not evaluated; the caller filters them)
   * @param cutoffs   positive, distinct cut-offs K
   * @return {@code values[metric.ordinal()][c]} for cutoff {@code cutoffs[c]}
   */
  public static double[][] forUser(int[] ranked, int[] testItems, int[] cutoffs) {
    checkCutoffs(cutoffs);
    if (testItems.length == 0) {
      throw new IllegalArgumentException("user has no test items; skip such users before evaluating");
    }
    int[] relevant = distinctSorted(testItems);
    int maxK = Arrays.stream(cutoffs).max().getAsInt();
    int depth = Math.min(maxK, ranked.length);

    // Prefix sums of hits and DCG over positions: one pass serves every cutoff.
    boolean[] alreadyHit = new boolean[relevant.length];
    double[] dcgPrefix = new double[depth + 1];
    int[] hitsPrefix = new int[depth + 1];
    for (int r = 0; r < depth; r++) {
      int idx = Arrays.binarySearch(relevant, ranked[r]);
      boolean hit = idx >= 0 && !alreadyHit[idx];
      if (hit) {
        alreadyHit[idx] = true;
      }
      hitsPrefix[r + 1] = hitsPrefix[r] + (hit ? 1 : 0);
      dcgPrefix[r + 1] = dcgPrefix[r] + (hit ? discount(r) : 0.0);
    }

    double[][] values = new double[Metric.values().length][cutoffs.length];
    for (int c = 0; c < cutoffs.length; c++) {
      int cutoff = cutoffs[c];
      int seen = Math.min(cutoff, depth);
      int hits = hitsPrefix[seen];
      int idealHits = Math.min(cutoff, relevant.length);
      double idcg = 0.0;
      for (int r = 0; r < idealHits; r++) {
        idcg += discount(r);
      }
      values[Metric.RECALL.ordinal()][c] = (double) hits / relevant.length;
      values[Metric.RECALL_CAPPED.ordinal()][c] = (double) hits / idealHits;
      values[Metric.NDCG.ordinal()][c] = dcgPrefix[seen] / idcg;
      values[Metric.PRECISION.ordinal()][c] = (double) hits / cutoff;
      values[Metric.HIT_RATE.ordinal()][c] = hits > 0 ? 1.0 : 0.0;
    }
    return values;
  }

  /** Binary-gain discount of 0-based rank r. */
  static double discount(int r) {
    return 1.0 / (Math.log(r + 2) / Math.log(2));
  }

  static void checkCutoffs(int[] cutoffs) {
    if (cutoffs.length == 0) {
      throw new IllegalArgumentException("at least one cutoff is needed");
    }
    int[] sorted = cutoffs.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      if (sorted[i] <= 0 || (i > 0 && sorted[i] == sorted[i - 1])) {
        throw new IllegalArgumentException("cutoffs must be positive and distinct: " + Arrays.toString(cutoffs));
      }
    }
  }

  static int[] distinctSorted(int[] items) {
    int[] sorted = items.clone();
    Arrays.sort(sorted);
    int n = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        sorted[n++] = sorted[i];
      }
    }
    return Arrays.copyOf(sorted, n);
  }
}
