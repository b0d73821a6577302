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

class MetricSumsTest {

  @Test
  void meansHaveTheReportKeysInOrder() {
    Map<String, Double> means = new MetricSums(10, 20).addUser(new int[] {1}, new int[] {1}).means();
    assertEquals(List.of("recall@10", "recall@20", "recall_capped@10", "recall_capped@20", "ndcg@10", "ndcg@20",
        "precision@10", "precision@20", "hit_rate@10", "hit_rate@20", "users"), List.copyOf(means.keySet()));
  }

  @Test
  void mergedPartialsAverageOverAllUsers() throws Exception {
    // User A: single test item at rank 0 -> recall 1, ndcg 1, precision 1/10, hit 1.
    // User B: single test item not ranked  -> all 0.
    // User C: test {1, 2}, hit at rank 1   -> recall 1/2, ndcg (1/log2 3) / (1 + 1/log2 3) = 0.386853.
    MetricSums left = new MetricSums(10, 20).addUser(new int[] {5, 6}, new int[] {5}).addUser(new int[] {5, 6}, new int[] {7});
    MetricSums right = new MetricSums(10, 20).addUser(new int[] {9, 2}, new int[] {1, 2});
    MetricSums total = roundTrip(left).merge(roundTrip(right));

    Map<String, Double> means = total.means();
    double l1 = Math.log(2) / Math.log(3);
    assertEquals(3.0, means.get("users"));
    assertEquals((1 + 0 + 0.5) / 3, means.get("recall@10"), 1e-12);
    assertEquals((1 + 0 + 0.5) / 3, means.get("recall_capped@20"), 1e-12);
    assertEquals((1 + 0 + l1 / (1 + l1)) / 3, means.get("ndcg@10"), 1e-12);
    assertEquals((0.1 + 0 + 0.1) / 3, means.get("precision@10"), 1e-12);
    assertEquals(2.0 / 3, means.get("hit_rate@20"), 1e-12);
  }

  @Test
  void emptySumsReportNaN() {
    Map<String, Double> means = new MetricSums(10).means();
    assertTrue(means.get("ndcg@10").isNaN());
    assertEquals(0.0, means.get("users"));
  }

  @Test
  void mergeRequiresSameCutoffs() {
    assertThrows(IllegalArgumentException.class, () -> new MetricSums(10, 20).merge(new MetricSums(20, 10)));
  }

  private static MetricSums roundTrip(MetricSums sums) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(sums);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (MetricSums) in.readObject();
    }
  }
}
