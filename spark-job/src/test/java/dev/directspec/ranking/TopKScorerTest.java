package dev.directspec.ranking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The top-K engine against a brute-force ranking: exclusions, ties, several chunks, item sets merged. */
class TopKScorerTest {

  private static final int DIM = 8;

  @Test
  void matchesBruteForceWithExclusionsAndTies() {
    Random rnd = new Random(11);
    int users = TopKScorer.CHUNK * 2 + 37; // three chunks, the last one partial
    int items = 300;
    // Factors on a coarse grid: many exactly equal scores, so the tie rule decides.
    float[] u = grid(rnd, users * DIM);
    float[] v = grid(rnd, items * DIM);
    int[] ids = new int[items];
    for (int j = 0; j < items; j++) ids[j] = 1000 + 3 * j;
    int[][] excluded = new int[users][];
    for (int x = 0; x < users; x++) excluded[x] = rnd.ints(rnd.nextInt(20), 0, items).distinct().toArray();
    int k = 15;
    TopKLists got = new TopKScorer(k).score(u, users, v, items, DIM, j -> ids[j],
        (x, mask) -> Arrays.stream(excluded[x]).forEach(mask::exclude));
    for (int x = 0; x < users; x++) {
      int[] want = bruteForce(u, x, v, items, ids, excluded[x], k);
      assertArrayEquals(want, got.ranked(x), "user " + x);
      for (int r = 0; r < want.length; r++) {
        assertEquals(dot(u, x, v, (want[r] - 1000) / 3), got.score(x, r), "score of user " + x + " rank " + r);
      }
    }
  }

  @Test
  void mergedItemSetsEqualOnePass() {
    Random rnd = new Random(5);
    int users = 40;
    int items = 101;
    float[] u = grid(rnd, users * DIM);
    float[] v = grid(rnd, items * DIM);
    int split = 60;
    TopKScorer scorer = new TopKScorer(10);
    TopKLists all = scorer.score(u, users, v, items, DIM, j -> j, TopKScorer.Exclusions.NONE);
    TopKLists first = scorer.score(u, users, Arrays.copyOf(v, split * DIM), split, DIM, j -> j,
        TopKScorer.Exclusions.NONE);
    TopKLists second = scorer.score(u, users, Arrays.copyOfRange(v, split * DIM, items * DIM), items - split, DIM,
        j -> split + j, TopKScorer.Exclusions.NONE);
    TopKLists merged = TopKLists.merge(second, first);
    assertArrayEquals(all.items(), merged.items());
    assertArrayEquals(all.scores(), merged.scores());
  }

  @Test
  void fewerCandidatesThanKLeaveUnusedSlots() {
    float[] u = {1, 0};
    float[] v = {1, 0, 2, 0, 3, 0};
    TopKLists got = new TopKScorer(5).score(u, 1, v, 3, 2, j -> j, (x, mask) -> mask.exclude(1));
    assertArrayEquals(new int[] {2, 0}, got.ranked(0));
    assertEquals(-1, got.item(0, 2));
  }

  private static int[] bruteForce(float[] u, int x, float[] v, int items, int[] ids, int[] excluded, int k) {
    List<Integer> candidates = new ArrayList<>();
    for (int j = 0; j < items; j++) {
      final int item = j;
      if (Arrays.stream(excluded).noneMatch(e -> e == item)) candidates.add(j);
    }
    // Scores in double of the float products are exact here (grid values), so the order is the true one.
    candidates.sort(Comparator.<Integer>comparingDouble(j -> -dot(u, x, v, j)).thenComparingInt(j -> ids[j]));
    return candidates.stream().limit(k).mapToInt(j -> ids[j]).toArray();
  }

  private static float dot(float[] u, int x, float[] v, int j) {
    float s = 0;
    for (int c = 0; c < DIM; c++) s += u[x * DIM + c] * v[j * DIM + c];
    return s;
  }

  /** Values in {-2, -1.5, ..., 2}: every product and partial sum is exact in float, whatever the order. */
  private static float[] grid(Random rnd, int n) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) out[i] = (rnd.nextInt(9) - 4) * 0.5f;
    return out;
  }
}
