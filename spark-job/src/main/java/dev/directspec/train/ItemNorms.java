package dev.directspec.train;

import dev.directspec.blocks.EmbeddingBlock;
import org.apache.spark.api.java.JavaRDD;

/**
 * train.item_norm_power: the scored item rows are {@code f_i * ||f_i||^(p - 1)}, so a row keeps its
 * direction and its norm becomes {@code ||f_i||^p}. DirectSpec+ normalises every row inside its loss, so
 * the norms of the rows it scores are never trained: they come from how often a row was sampled (MF) and
 * from the propagation (LightGCN, where they grow with the item's degree), and they multiply every score
 * of the item, a popularity prior nothing fitted. {@code p < 1} flattens it, {@code p = 1} scores the raw
 * rows as the DirectSpec authors do. Only the scored table changes; training never sees it.
 */
public final class ItemNorms {
  private ItemNorms() {}

  /** The item blocks with every row's norm raised to {@code power} (the same blocks when power is 1). */
  public static JavaRDD<EmbeddingBlock> withNormPower(JavaRDD<EmbeddingBlock> items, double power) {
    if (power == 1.0) return items;
    return items.map(b -> {
      float[] scaled = b.factors.clone();
      raiseNorms(scaled, b.size, b.dim, power);
      return b.withFactors(scaled);
    });
  }

  /** In place on {@code rows} (row-major, size x dim): row r becomes r * ||r||^(power - 1); zero rows stay. */
  static void raiseNorms(float[] rows, int size, int dim, double power) {
    for (int r = 0; r < size; r++) {
      int from = r * dim;
      double squares = 0;
      for (int k = from; k < from + dim; k++) squares += (double) rows[k] * rows[k];
      if (squares == 0) continue;
      double scale = Math.pow(squares, (power - 1) / 2);
      for (int k = from; k < from + dim; k++) rows[k] = (float) (rows[k] * scale);
    }
  }
}
