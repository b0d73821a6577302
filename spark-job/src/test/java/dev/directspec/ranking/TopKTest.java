package dev.directspec.ranking;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TopKTest {

  @Test
  void exclusionsAndTies() {
    // Items 2 and 5 are training items. Scores: 0->0.2, 1->0.5, 2->0.9, 3->0.5, 4->0.7, 5->1.0, 6->0.5.
    // Without 2 and 5 the order is 4 (0.7), then the 0.5-tie 1, 3, 6 by ascending id, then 0.
    // K = 3 keeps [4, 1, 3].
    int[] items = {1, 2, 3, 4, 5, 6, 0};
    double[] scores = {0.5, 0.9, 0.5, 0.7, 1.0, 0.5, 0.2};
    TopK topK = new TopK(3);
    topK.reset(new int[] {2, 5});
    for (int i = 0; i < items.length; i++) {
      topK.offer(items[i], scores[i]);
    }
    RankedList result = topK.result();
    assertArrayEquals(new int[] {4, 1, 3}, result.items());
    assertArrayEquals(new double[] {0.7, 0.5, 0.5}, result.scores(), 0.0);

    // Same answer whatever the arrival order.
    topK.reset(new int[] {2, 5});
    for (int i = items.length - 1; i >= 0; i--) {
      topK.offer(items[i], scores[i]);
    }
    assertArrayEquals(new int[] {4, 1, 3}, topK.result().items());
  }

  @Test
  void fewerCandidatesThanKAndReset() {
    TopK topK = new TopK(5);
    topK.offerBlock(10, new double[] {0.1, 0.3, 0.2});
    assertArrayEquals(new int[] {11, 12, 10}, topK.result().items());
    assertEquals(3, topK.size(), "result() does not consume the selection");
    topK.reset();
    assertEquals(0, topK.result().size());
  }

  @Test
  void rejectsNaNAndUnsortedExclusions() {
    TopK topK = new TopK(2);
    assertThrows(IllegalArgumentException.class, () -> topK.offer(1, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> topK.reset(new int[] {3, 1}));
    assertThrows(IllegalArgumentException.class, () -> new TopK(0));
    topK.reset(new int[] {1});
    assertFalse(topK.offer(1, 100.0));
  }

  @Test
  void mergeOfBlockPartialsEqualsOnePassAndBruteForce() {
    Random rnd = new Random(11);
    for (int trial = 0; trial < 50; trial++) {
      int numItems = 1 + rnd.nextInt(1200);
      int k = 1 + rnd.nextInt(30);
      double[] scores = new double[numItems];
      for (int i = 0; i < numItems; i++) {
        scores[i] = rnd.nextInt(40) / 4.0; // coarse values: many ties
      }
      int[] excluded = IntStream.range(0, numItems).filter(i -> rnd.nextInt(5) == 0).toArray();

      TopK onePass = new TopK(k);
      onePass.reset(excluded);
      onePass.offerBlock(0, scores);
      RankedList expected = onePass.result();

      // Items split into blocks of random size, each scored into its own partial top-K.
      TopK blockTopK = new TopK(k);
      RankedList[] partials = new RankedList[0];
      for (int start = 0; start < numItems; ) {
        int len = Math.min(numItems - start, 1 + rnd.nextInt(300));
        blockTopK.reset(excluded);
        blockTopK.offerBlock(start, Arrays.copyOfRange(scores, start, start + len));
        partials = Arrays.copyOf(partials, partials.length + 1);
        partials[partials.length - 1] = blockTopK.result();
        start += len;
      }
      RankedList merged = TopK.merge(k, partials);
      assertArrayEquals(expected.items(), merged.items(), "trial " + trial);
      assertArrayEquals(expected.scores(), merged.scores(), 0.0);

      int[] brute = IntStream.range(0, numItems)
          .filter(i -> Arrays.binarySearch(excluded, i) < 0)
          .boxed()
          .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i))
          .limit(k)
          .mapToInt(Integer::intValue)
          .toArray();
      assertArrayEquals(brute, merged.items(), "trial " + trial);
    }
  }
}
