package dev.directspec.train;

import dev.directspec.blocks.EmbeddingBlock;

/**
 * LightGCN's in-round smoothing of a step (train.graph_spread = beta > 0): besides its own row, each
 * batch row's gradient also moves its graph neighbours that live in the cell's other block, by
 * {@code lr * beta * A_hat_ui g}, with {@code A_hat_ui = 1 / sqrt(deg_u deg_i)}. Over a round every edge
 * lies in exactly one cell, so the round's steps take the direction {@code (I + beta A_hat) g} instead of
 * {@code g}: the first-order part of how an exact LightGCN step moves the neighbours' propagated rows.
 * One instance per cell: the {@code 1 / sqrt(deg)} of both blocks are computed once, not per step.
 */
final class NeighbourSpread {
  private final EmbeddingBlock users;
  private final EmbeddingBlock items;
  private final double[] userInvRoot;
  private final double[] itemInvRoot;

  NeighbourSpread(EmbeddingBlock users, EmbeddingBlock items) {
    this.users = users;
    this.items = items;
    this.userInvRoot = inverseRootDegrees(users);
    this.itemInvRoot = inverseRootDegrees(items);
  }

  private static double[] inverseRootDegrees(EmbeddingBlock b) {
    double[] inv = new double[b.size];
    for (int r = 0; r < b.size; r++) inv[r] = 1.0 / Math.sqrt(Math.max(b.degree(r), 1));
    return inv;
  }

  /** Moves the in-cell item neighbours of batch users {@code rows} along their gradients. */
  void fromUsers(int[] rows, float[] grad, float scale) {
    apply(users, userInvRoot, rows, grad, items, itemInvRoot, scale);
  }

  /** Moves the in-cell user neighbours of batch items {@code rows} along their gradients. */
  void fromItems(int[] rows, float[] grad, float scale) {
    apply(items, itemInvRoot, rows, grad, users, userInvRoot, scale);
  }

  private static void apply(EmbeddingBlock from, double[] fromInvRoot, int[] rows, float[] grad,
      EmbeddingBlock to, double[] toInvRoot, float scale) {
    int dim = from.dim;
    for (int k = 0; k < rows.length; k++) {
      int r = rows[k];
      int start = from.cellStart(r, to.block);
      int end = from.cellEnd(r, to.block);
      double own = scale * fromInvRoot[r];
      int g = k * dim;
      for (int n = start; n < end; n++) {
        int local = from.neighbours[n] / from.numBlocks;
        float w = (float) (own * toInvRoot[local]);
        int base = local * dim;
        for (int j = 0; j < dim; j++) {
          to.factors[base + j] -= w * grad[g + j];
        }
      }
    }
  }
}
