package dev.directspec.ranking;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sums of {@code evaluate --breakdown} on four users with known top-K lists and item degrees, by hand. */
class BreakdownSumsTest {
  /** Training degree of items 0..5: 26 interactions over 6 items. */
  static final int[] ITEM_DEGREES = {10, 6, 4, 2, 1, 3};
  static final double LOG2_3 = Math.log(3) / Math.log(2);

  @Test
  void bucketsPopularityAndCoverageOfFourUsers() throws Exception {
    // K = 2. A: 3 training rows, top [0, 1] (item 2 at rank 3 is past K), test {1}: hit at rank 1.
    //        recall 1, ndcg 1 / log2(3); recommended degrees (10 + 6) / 2 = 8; test degree 6.
    // B: 7 rows, top [0, 2], test {3, 4} (3 twice): no hit; recommended (10 + 4) / 2 = 7; test (2 + 1) / 2 = 1.5.
    BreakdownSums left = new BreakdownSums(2)
        .addUser(3, new int[] {0, 1, 2}, new int[] {1}, ITEM_DEGREES)
        .addUser(7, new int[] {0, 2}, new int[] {3, 3, 4}, ITEM_DEGREES);
    // C: 4 rows, top [2, 5], test {2, 5}: recall 1, ndcg 1; recommended (4 + 3) / 2 = 3.5; test 3.5.
    // D: 250 rows, nothing left to recommend, test {0}: recall 0; no recommended degree; test 10.
    BreakdownSums right = new BreakdownSums(2)
        .addUser(4, new int[] {2, 5}, new int[] {5, 2}, ITEM_DEGREES)
        .addUser(250, new int[0], new int[] {0}, ITEM_DEGREES);
    Breakdown got = roundTrip(left).merge(roundTrip(right)).result(ITEM_DEGREES.length, 26);

    assertEquals(2, got.k());
    assertEquals(List.of("1-4", "5-9", "200+"), got.buckets().stream().map(Breakdown.Bucket::label).toList());
    Breakdown.Bucket low = got.buckets().get(0);
    assertEquals(2, low.users());
    assertEquals(1.0, low.recall(), 1e-12);
    assertEquals((1 / LOG2_3 + 1) / 2, low.ndcg(), 1e-12);
    for (Breakdown.Bucket missed : got.buckets().subList(1, 3)) {
      assertEquals(1, missed.users());
      assertEquals(0.0, missed.recall());
      assertEquals(0.0, missed.ndcg());
    }
    assertEquals((8 + 7 + 3.5) / 3, got.recommendedItemDegree(), 1e-12);
    assertEquals((6 + 1.5 + 3.5 + 10) / 4, got.testItemDegree(), 1e-12);
    assertEquals(26.0 / 6, got.itemDegree(), 1e-12);
    assertEquals(4, got.coveredItems(), "items 0, 1, 2, 5");
    assertEquals(4.0 / 6, got.coverage(), 1e-12);
  }

  @Test
  void bucketsWeightedByUsersGiveTheOverallMetrics() {
    int[][] ranked = {{4, 1, 0}, {2, 3, 5}, {0, 5, 1}, {1, 2, 3}, {5, 4, 3}};
    int[][] tests = {{1}, {5, 0}, {3}, {1, 2, 4}, {3, 3}};
    int[] trainingDegrees = {1, 12, 60, 130, 12};
    BreakdownSums breakdown = new BreakdownSums(3);
    MetricSums overall = new MetricSums(1, 3);
    for (int u = 0; u < ranked.length; u++) {
      breakdown.addUser(trainingDegrees[u], ranked[u], tests[u], ITEM_DEGREES);
      overall.addUser(ranked[u], tests[u]);
    }
    Breakdown got = breakdown.result(ITEM_DEGREES.length, 26);
    Map<String, Double> means = overall.means();
    assertEquals(List.of("1-4", "10-19", "50-99", "100-199"),
        got.buckets().stream().map(Breakdown.Bucket::label).toList());
    assertEquals(5, got.buckets().stream().mapToLong(Breakdown.Bucket::users).sum());
    double recall = got.buckets().stream().mapToDouble(b -> b.recall() * b.users()).sum() / 5;
    double ndcg = got.buckets().stream().mapToDouble(b -> b.ndcg() * b.users()).sum() / 5;
    assertEquals(means.get("recall@3"), recall, 1e-12);
    assertEquals(means.get("ndcg@3"), ndcg, 1e-12);
    assertEquals(1.0, got.coverage(), "every item is in someone's top 3");
  }

  @Test
  void bucketBoundsAndLabels() {
    int[][] degreeAndBucket = {{0, 0}, {1, 1}, {4, 1}, {5, 2}, {9, 2}, {10, 3}, {19, 3}, {20, 4}, {49, 4},
        {50, 5}, {99, 5}, {100, 6}, {199, 6}, {200, 7}, {100_000, 7}};
    for (int[] pair : degreeAndBucket) assertEquals(pair[1], BreakdownSums.bucketOf(pair[0]), "degree " + pair[0]);
    List<String> labels = List.of("0", "1-4", "5-9", "10-19", "20-49", "50-99", "100-199", "200+");
    for (int b = 0; b < labels.size(); b++) assertEquals(labels.get(b), BreakdownSums.label(b));
  }

  @Test
  void reportLayout() {
    Breakdown got = new BreakdownSums(2).addUser(3, new int[] {0, 1}, new int[] {1}, ITEM_DEGREES)
        .result(ITEM_DEGREES.length, 26);
    Map<String, Object> json = got.toMap();
    assertEquals(List.of("k", "by_user_degree", "popularity"), List.copyOf(json.keySet()));
    assertEquals(Map.of("training_degree", "1-4", "users", 1L, "recall@2", 1.0, "ndcg@2", 1 / LOG2_3),
        ((List<?>) json.get("by_user_degree")).get(0));
    assertEquals(List.of("recommended_item_degree@2", "test_item_degree", "item_degree", "coverage@2",
        "covered_items", "items"), List.copyOf(((Map<?, ?>) json.get("popularity")).keySet()));
    String table = got.table();
    assertTrue(table.contains("  1-4                  1     1.0000     0.6309\n"), table);
    assertTrue(table.contains("  coverage@2                       0.3333  (2 of 6 items)\n"), table);
  }

  @Test
  void mergeRequiresTheSameCutoff() {
    assertThrows(IllegalArgumentException.class, () -> new BreakdownSums(10).merge(new BreakdownSums(20)));
  }

  private static BreakdownSums roundTrip(BreakdownSums sums) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(sums);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (BreakdownSums) in.readObject();
    }
  }
}
