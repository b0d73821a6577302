package dev.directspec.train;

import dev.directspec.blocks.EmbeddingBlock;
import dev.directspec.spectrum.GramMatrix;

import java.io.Serializable;

/**
 * What the driver gathers at the end of an epoch: the summed d x d Gram matrices of users and items
 * and the loss of every step. Nothing here grows with |U| or |I|.
 */
record EpochSums(double[] gramUsers, double[] gramItems, double lossSum, long steps) implements Serializable {

  /** The Gram matrices of one user block and one item block, with a loss share. */
  static EpochSums ofBlocks(EmbeddingBlock users, EmbeddingBlock items, double lossSum, long steps) {
    return new EpochSums(GramMatrix.of(users.factors, users.size, users.dim),
        GramMatrix.of(items.factors, items.size, items.dim), lossSum, steps);
  }

  static EpochSums merge(EpochSums a, EpochSums b) {
    return new EpochSums(add(a.gramUsers, b.gramUsers), add(a.gramItems, b.gramItems),
        a.lossSum + b.lossSum, a.steps + b.steps);
  }

  private static double[] add(double[] a, double[] b) {
    if (a == null) return b;
    if (b == null) return a;
    double[] sum = a.clone();
    for (int k = 0; k < sum.length; k++) sum[k] += b[k];
    return sum;
  }

  double meanLoss() {
    return steps == 0 ? Double.NaN : lossSum / steps;
  }
}
