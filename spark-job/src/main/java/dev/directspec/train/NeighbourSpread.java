package dev.directspec.train;

/**
 * LightGCN's in-round smoothing of a step (train.graph_spread = beta > 0): besides its own row, each
 * batch row's gradient also moves its graph neighbours that live in the cell's other block, by
 * {@code lr * beta * A_hat_ui g}, with {@code A_hat_ui = 1 / sqrt(deg_u deg_i)}. Over a round every edge
 * lies in exactly one cell, so the round's steps take the direction {@code (I + beta A_hat) g} instead of
 * {@code g}: the first-order part of how an exact LightGCN step moves the neighbours' propagated rows.
 */
final class NeighbourSpread {
  private NeighbourSpread() {
  }

  /** Moves the neighbours (in {@code to}) of each batch row of {@code from} along that row's gradient. */
  static void apply(EmbeddingBlock from, int[] rows, float[] grad, EmbeddingBlock to, float scale) {
    int dim = from.dim;
    for (int k = 0; k < rows.length; k++) {
      int r = rows[k];
      int start = from.cellStart(r, to.block);
      int end = from.cellEnd(r, to.block);
      if (start == end) continue;
      double ownDegree = from.degree(r);
      int g = k * dim;
      for (int n = start; n < end; n++) {
        int local = from.neighbours[n] / from.numBlocks;
        float w = (float) (scale / Math.sqrt(ownDegree * to.degree(local)));
        int base = local * dim;
        for (int j = 0; j < dim; j++) {
          to.factors[base + j] -= w * grad[g + j];
        }
      }
    }
  }
}
