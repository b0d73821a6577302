package dev.directspec.eval;

import dev.directspec.blocks.EmbeddingBlock;
import dev.directspec.ranking.MetricSums;
import dev.directspec.ranking.TopKLists;
import dev.directspec.ranking.TopKScorer;
import dev.directspec.blocks.EmbeddingBlock;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

import java.util.List;
import java.util.Map;

/**
 * Blockwise full-ranking evaluation and top-K (docs/method.md 6, docs/design.md "Evaluate and recommend"): every
 * (user block, item block) pair is scored in its own task by the top-K engine ({@link TopKScorer}, the
 * user's training items in that item block excluded), the per-user top-K lists are merged per user block,
 * and only metric sums reach the driver.
 */
public final class BlockEvaluator {
  private BlockEvaluator() {}

  /** Per user block (the key), the top-K items of every user (local index) over all item blocks. */
  public static JavaPairRDD<Integer, TopKLists> topK(JavaRDD<EmbeddingBlock> users, JavaRDD<EmbeddingBlock> items,
      int k, boolean excludeTraining) {
    int p = users.getNumPartitions();
    return users.cartesian(items)
        .mapToPair(pair -> new Tuple2<>(pair._1().block, score(pair._1(), pair._2(), k, excludeTraining)))
        .reduceByKey(new HashPartitioner(p), TopKLists::merge);
  }

  /** One (user block, item block) cell: item ids are global, a user's training items in the cell are masked. */
  private static TopKLists score(EmbeddingBlock users, EmbeddingBlock items, int k, boolean excludeTraining) {
    TopKScorer.Exclusions training = !excludeTraining ? TopKScorer.Exclusions.NONE : (u, mask) -> {
      int hi = users.cellEnd(u, items.block);
      for (int e = users.cellStart(u, items.block); e < hi; e++) mask.exclude(users.neighbours[e] / items.numBlocks);
    };
    return new TopKScorer(k).score(users.factors, users.size, items.factors, items.size, users.dim,
        items::globalId, training);
  }

  /**
   * Means of every metric over users with at least one test item.
   *
   * @param testBlocks the test split in the users' block layout (dim 0): neighbours are test items
   */
  public static Map<String, Double> evaluate(JavaRDD<EmbeddingBlock> users, JavaRDD<EmbeddingBlock> items,
      JavaRDD<EmbeddingBlock> testBlocks, List<Integer> ks) {
    int maxK = ks.stream().mapToInt(Integer::intValue).max().orElseThrow();
    // Stage names in the Spark UI and the console progress line (call sites, not source lines).
    users.context().setCallSite("evaluate: full ranking, top-" + maxK + " per user, metrics");
    try {
      JavaPairRDD<Integer, EmbeddingBlock> tests = testBlocks.mapToPair(b -> new Tuple2<>(b.block, b));
      MetricSums sums = topK(users, items, maxK, true).join(tests)
          .map(pair -> sumsOf(pair._2()._1(), pair._2()._2(), ks))
          .treeReduce(MetricSums::merge);
      return sums.means();
    } finally {
      users.context().clearCallSite();
    }
  }

  private static MetricSums sumsOf(TopKLists top, EmbeddingBlock test, List<Integer> ks) {
    MetricSums sums = new MetricSums(ks.stream().mapToInt(Integer::intValue).toArray());
    for (int u = 0; u < test.size; u++) {
      int deg = test.degree(u);
      if (deg == 0) continue;
      int[] testItems = java.util.Arrays.copyOfRange(test.neighbours, test.offsets[u], test.offsets[u + 1]);
      sums.addUser(top.ranked(u), testItems);
    }
    return sums;
  }
}
