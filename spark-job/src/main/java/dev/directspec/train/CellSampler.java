package dev.directspec.train;

import dev.directspec.blocks.EmbeddingBlock;
import java.util.SplittableRandom;

/**
 * Draws (user, positive item) pairs inside one cell so that, over the epoch's strata, pairs follow
 * the reference distribution P(u, i) = 1 / (|U| deg u) (docs/method.md 4): a user is drawn with weight
 * deg_c(u) / deg(u), then one of its items in the cell uniformly. With the cell's step count
 * proportional to its mass (BlockLayout), every pair gets the same expected number of draws as the
 * authors' sampler.
 */
final class CellSampler {
  private final EmbeddingBlock users;
  private final int itemBlock;
  private final int numBlocks;
  private final double[] cumulative;
  private final int[] rows;
  private final int count;

  CellSampler(EmbeddingBlock users, int itemBlock) {
    this.users = users;
    this.itemBlock = itemBlock;
    this.numBlocks = users.numBlocks;
    double[] cum = new double[users.size];
    int[] rowIds = new int[users.size];
    int n = 0;
    double total = 0;
    for (int u = 0; u < users.size; u++) {
      int inCell = users.cellEnd(u, itemBlock) - users.cellStart(u, itemBlock);
      if (inCell == 0) continue;
      total += inCell / (double) users.degree(u);
      cum[n] = total;
      rowIds[n++] = u;
    }
    this.cumulative = cum;
    this.rows = rowIds;
    this.count = n;
  }

  boolean isEmpty() {
    return count == 0;
  }

  /** Local index of a user drawn with weight deg_c(u) / deg(u). */
  int user(SplittableRandom rng) {
    double target = rng.nextDouble() * cumulative[count - 1];
    int lo = 0;
    int hi = count - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] <= target) lo = mid + 1;
      else hi = mid;
    }
    return rows[lo];
  }

  /** Local index (in the item block) of one of the user's items in this cell, uniformly. */
  int item(int user, SplittableRandom rng) {
    int lo = users.cellStart(user, itemBlock);
    int hi = users.cellEnd(user, itemBlock);
    return users.neighbours[lo + rng.nextInt(hi - lo)] / numBlocks;
  }

  /**
   * A negative for BPR: an item of the cell's item block that the user has not interacted with,
   * uniformly (rejection; after 32 hits on positives the last draw is kept, as dense users allow).
   */
  int negative(int user, int itemBlockSize, SplittableRandom rng) {
    int lo = users.cellStart(user, itemBlock);
    int hi = users.cellEnd(user, itemBlock);
    int j = rng.nextInt(itemBlockSize);
    for (int attempt = 0; attempt < 32; attempt++) {
      if (java.util.Arrays.binarySearch(users.neighbours, lo, hi, j * numBlocks + itemBlock) < 0) return j;
      j = rng.nextInt(itemBlockSize);
    }
    return j;
  }
}
