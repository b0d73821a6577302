package dev.directspec.train;

import dev.directspec.blocks.BlockLayout;
import dev.directspec.blocks.EmbeddingBlock;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blocked sampler must reproduce the reference distribution P(u, i) = 1 / (|U| deg u) over an
 * epoch (docs/method.md 4): cell step counts from the cell masses, and within a cell users weighted by
 * deg_c(u) / deg(u) and items uniform among the user's items of the cell.
 */
class CellSamplingTest {
  private static final int P = 2;

  /** Users 0..3 (blocks by id % 2), items 0..3; user 0 has 1 item, user 1 has 3, users 2, 3 have 2. */
  private static final int[][] ITEMS_OF = {{0}, {0, 1, 3}, {1, 2}, {2, 3}};

  private static EmbeddingBlock userBlock(int b) {
    int size = EmbeddingBlock.blockSize(ITEMS_OF.length, b, P);
    int[] offsets = new int[size + 1];
    int n = 0;
    for (int r = 0; r < size; r++) n += ITEMS_OF[r * P + b].length;
    int[] neighbours = new int[n];
    n = 0;
    for (int r = 0; r < size; r++) {
      for (int i : ITEMS_OF[r * P + b]) neighbours[n++] = i;
      offsets[r + 1] = n;
      EmbeddingBlock.sortByBlock(neighbours, offsets[r], offsets[r + 1], P);
    }
    return new EmbeddingBlock(b, P, size, 0, new float[0], offsets, neighbours);
  }

  @Test
  void apportionSplitsStepsInProportionAndExactly() {
    double[][] mass = {{1.5, 0.5}, {1.0, 1.0}};
    int[][] steps = BlockLayout.apportion(mass, 2, 11);
    assertEquals(11, steps[0][0] + steps[0][1] + steps[1][0] + steps[1][1]);
    // exact shares: 4.125, 1.375, 2.75, 2.75 -> floors 4, 1, 2, 2 (9), the two largest remainders get +1.
    assertEquals(4, steps[0][0]);
    assertEquals(1, steps[0][1]);
    assertEquals(3, steps[1][0]);
    assertEquals(3, steps[1][1]);
  }

  @Test
  void epochOfCellsMatchesTheReferenceDistribution() {
    int draws = 400_000;
    double[][] counts = new double[ITEMS_OF.length][4];
    // Cell masses: sum over the block's users of deg_c(u)/deg(u); cell steps proportional to them.
    double totalMass = ITEMS_OF.length;
    SplittableRandom rng = new SplittableRandom(5);
    for (int b = 0; b < P; b++) {
      EmbeddingBlock users = userBlock(b);
      for (int c = 0; c < P; c++) {
        double mass = 0;
        for (int u = 0; u < users.size; u++) {
          mass += (users.cellEnd(u, c) - users.cellStart(u, c)) / (double) users.degree(u);
        }
        int cellDraws = (int) Math.round(draws * mass / totalMass);
        CellSampler sampler = new CellSampler(users, c);
        for (int k = 0; k < cellDraws && !sampler.isEmpty(); k++) {
          int u = sampler.user(rng);
          int i = sampler.item(u, rng) * P + c;
          counts[users.globalId(u)][i]++;
        }
      }
    }
    for (int u = 0; u < ITEMS_OF.length; u++) {
      for (int i : ITEMS_OF[u]) {
        double expected = 1.0 / (ITEMS_OF.length * ITEMS_OF[u].length);
        // Binomial standard error at 400k draws is below 8e-4; 4e-3 is five of them.
        assertEquals(expected, counts[u][i] / draws, 4e-3, "P(" + u + ", " + i + ")");
      }
    }
  }

  @Test
  void negativesAvoidTheUsersItemsInTheCell() {
    EmbeddingBlock users = userBlock(1);
    CellSampler sampler = new CellSampler(users, 0);
    SplittableRandom rng = new SplittableRandom(3);
    // user 1 (local 0 of block 1) has items 0 and not 2 in item block 0 (items 0, 2 -> local 0, 1).
    for (int k = 0; k < 100; k++) {
      int j = sampler.negative(0, 2, rng);
      assertTrue(j == 1, "negative must be item 2 (local 1), got local " + j);
    }
  }
}
