package dev.directspec.ranking;

import org.junit.jupiter.api.Test;

import static dev.directspec.ranking.RankingMetrics.Metric.HIT_RATE;
import static dev.directspec.ranking.RankingMetrics.Metric.NDCG;
import static dev.directspec.ranking.RankingMetrics.Metric.PRECISION;
import static dev.directspec.ranking.RankingMetrics.Metric.RECALL;
import static dev.directspec.ranking.RankingMetrics.Metric.RECALL_CAPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RankingMetricsTest {

  private static final int[] CUTOFFS = {10, 20};
  private static final double EPS = 1e-12;

  /** Ranked list of 20 non-relevant fillers 900.. with the given items placed at the given 0-based ranks. */
  private static int[] ranked(int[] ranks, int[] items) {
    int[] list = new int[20];
    for (int r = 0; r < list.length; r++) {
      list[r] = 900 + r;
    }
    for (int i = 0; i < ranks.length; i++) {
      list[ranks[i]] = items[i];
    }
    return list;
  }

  private static double m(double[][] v, RankingMetrics.Metric metric, int cutoffIndex) {
    return v[metric.ordinal()][cutoffIndex];
  }

  @Test
  void fewerTestItemsThanK() {
    // |T| = 3 < K: hits at ranks 2 and 5; item 130 is not recommended.
    int[] test = {102, 105, 130};
    double[][] v = RankingMetrics.forUser(ranked(new int[] {2, 5}, new int[] {102, 105}), test, CUTOFFS);
    // recall = recall_capped = 2/3 (min(K, 3) = 3 = |T|).
    assertEquals(2.0 / 3, m(v, RECALL, 0), EPS);
    assertEquals(2.0 / 3, m(v, RECALL_CAPPED, 0), EPS);
    assertEquals(2.0 / 3, m(v, RECALL, 1), EPS);
    // precision = 2/10, 2/20.
    assertEquals(0.2, m(v, PRECISION, 0), EPS);
    assertEquals(0.1, m(v, PRECISION, 1), EPS);
    // DCG = 1/log2(4) + 1/log2(7) = 0.5 + 0.356207 = 0.856207;
    // IDCG over min(K, 3) = 3 positions = 1 + 0.630930 + 0.5 = 2.130930; ndcg = 0.401800.
    assertEquals(0.40179981797758046, m(v, NDCG, 0), 1e-12);
    assertEquals(0.40179981797758046, m(v, NDCG, 1), 1e-12);
    assertEquals(1.0, m(v, HIT_RATE, 0), EPS);
  }

  @Test
  void moreTestItemsThanKSeparatesTheRecalls() {
    // |T| = 15 (items 200..214); hits at ranks 0, 1, 4, 9 (4 in the top 10) and 12, 15 (6 in the top 20).
    int[] test = new int[15];
    for (int i = 0; i < test.length; i++) {
      test[i] = 200 + i;
    }
    int[] list = ranked(new int[] {0, 1, 4, 9, 12, 15}, new int[] {214, 200, 207, 203, 211, 202});
    double[][] v = RankingMetrics.forUser(list, test, CUTOFFS);
    // @10: recall = 4/15, recall_capped = 4/min(10, 15) = 4/10: the two denominators differ.
    assertEquals(4.0 / 15, m(v, RECALL, 0), EPS);
    assertEquals(0.4, m(v, RECALL_CAPPED, 0), EPS);
    // @20: min(20, 15) = 15 = |T|, so both are 6/15.
    assertEquals(6.0 / 15, m(v, RECALL, 1), EPS);
    assertEquals(6.0 / 15, m(v, RECALL_CAPPED, 1), EPS);
    assertEquals(0.4, m(v, PRECISION, 0), EPS);
    assertEquals(0.3, m(v, PRECISION, 1), EPS);
    // @10: DCG = 1 + 0.630930 + 0.386853 + 0.289065 = 2.306847; IDCG = sum of ranks 0..9 = 4.543559.
    assertEquals(2.306847387123887 / 4.543559338088346, m(v, NDCG, 0), 1e-12);
    // @20: DCG += 0.262650 + 0.244651 = 2.814147; IDCG over 15 positions = 5.861348.
    assertEquals(2.8141474642793067 / 5.861347998013804, m(v, NDCG, 1), 1e-12);
  }

  @Test
  void duplicateTestItemsCountOnce() {
    // Test list {5, 5, 5, 9} is T = {5, 9}, |T| = 2. Ranked [5, 5, 9, ...]: the repeated 5 is
    // not a second hit, so hits = 2 (ranks 0 and 2), not 3 or 4.
    int[] list = ranked(new int[] {0, 1, 2}, new int[] {5, 5, 9});
    double[][] v = RankingMetrics.forUser(list, new int[] {5, 9, 5, 5}, CUTOFFS);
    assertEquals(1.0, m(v, RECALL, 0), EPS);
    assertEquals(1.0, m(v, RECALL_CAPPED, 0), EPS);
    assertEquals(0.2, m(v, PRECISION, 0), EPS);
    // DCG = 1 + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3) = 1.630930; ndcg = 0.919721.
    assertEquals(1.5 / (1 + 1 / (Math.log(3) / Math.log(2))), m(v, NDCG, 0), EPS);
  }

  @Test
  void perfectRankingHasNdcgOne() {
    double[][] small = RankingMetrics.forUser(ranked(new int[] {0, 1, 2}, new int[] {3, 1, 2}), new int[] {1, 2, 3}, CUTOFFS);
    assertEquals(1.0, m(small, NDCG, 0), EPS);
    assertEquals(1.0, m(small, NDCG, 1), EPS);
    // More test items than K, the top 20 all relevant: ideal at both cut-offs.
    int[] test = new int[25];
    int[] list = new int[20];
    for (int i = 0; i < test.length; i++) {
      test[i] = i;
    }
    System.arraycopy(test, 0, list, 0, 20);
    double[][] large = RankingMetrics.forUser(list, test, CUTOFFS);
    assertEquals(1.0, m(large, NDCG, 0), EPS);
    assertEquals(1.0, m(large, NDCG, 1), EPS);
    assertEquals(1.0, m(large, RECALL_CAPPED, 0), EPS);
    assertEquals(10.0 / 25, m(large, RECALL, 0), EPS);
  }

  @Test
  void singleHitAtThirdPosition() {
    // One test item at the third position (0-based rank 2): DCG = 1/log2(4) = 0.5, IDCG = 1.
    double[][] v = RankingMetrics.forUser(ranked(new int[] {2}, new int[] {42}), new int[] {42}, CUTOFFS);
    assertEquals(0.5, m(v, NDCG, 0), EPS);
    assertEquals(0.5, m(v, NDCG, 1), EPS);
    assertEquals(1.0, m(v, RECALL, 0), EPS);
    assertEquals(1.0, m(v, HIT_RATE, 1), EPS);
  }

  @Test
  void exactlyKPositionsAreRead() {
    // A hit at 0-based rank 10 is the 11th item: outside @10 (the authors' off-by-one), inside @20.
    double[][] v = RankingMetrics.forUser(ranked(new int[] {10}, new int[] {7}), new int[] {7}, CUTOFFS);
    assertEquals(0.0, m(v, RECALL, 0), EPS);
    assertEquals(0.0, m(v, HIT_RATE, 0), EPS);
    assertEquals(0.0, m(v, NDCG, 0), EPS);
    assertEquals(1.0, m(v, RECALL, 1), EPS);
  }

  @Test
  void shortListStillDividesPrecisionByK() {
    double[][] v = RankingMetrics.forUser(new int[] {4, 8}, new int[] {8}, CUTOFFS);
    assertEquals(0.1, m(v, PRECISION, 0), EPS);
    assertEquals(0.05, m(v, PRECISION, 1), EPS);
    // Hit at rank 1: ndcg = (1/log2(3)) / 1 = 0.630930.
    assertEquals(Math.log(2) / Math.log(3), m(v, NDCG, 0), EPS);
  }

  @Test
  void rejectsUsersWithoutTestItemsAndBadCutoffs() {
    assertThrows(IllegalArgumentException.class, () -> RankingMetrics.forUser(new int[] {1}, new int[0], CUTOFFS));
    assertThrows(IllegalArgumentException.class, () -> RankingMetrics.forUser(new int[] {1}, new int[] {1}, new int[0]));
    assertThrows(IllegalArgumentException.class, () -> RankingMetrics.forUser(new int[] {1}, new int[] {1}, new int[] {10, 10}));
    assertThrows(IllegalArgumentException.class, () -> RankingMetrics.forUser(new int[] {1}, new int[] {1}, new int[] {0}));
  }
}
