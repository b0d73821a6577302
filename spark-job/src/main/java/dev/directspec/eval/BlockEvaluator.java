package dev.directspec.eval;

import dev.directspec.blocks.EmbeddingBlock;
import dev.directspec.ranking.Breakdown;
import dev.directspec.ranking.BreakdownSums;
import dev.directspec.ranking.MetricSums;
import dev.directspec.ranking.TopKLists;
import dev.directspec.ranking.TopKScorer;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

import java.util.Arrays;
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

  /** The metrics of {@link #evaluate} with the breakdown of {@code evaluate --breakdown}. */
  public record Evaluation(Map<String, Double> metrics, Breakdown breakdown) {}

  /**
   * {@link #evaluate} and the breakdown at the largest K, from one full ranking. Users' training degrees join
   * their top-K lists block by block; the items' degrees (one int per item) are broadcast, because any item can
   * be in any user's list.
   */
  public static Evaluation evaluateWithBreakdown(JavaRDD<EmbeddingBlock> users, JavaRDD<EmbeddingBlock> items,
      JavaRDD<EmbeddingBlock> testBlocks, List<Integer> ks) {
    int maxK = ks.stream().mapToInt(Integer::intValue).max().orElseThrow();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(users.context());
    sc.setCallSite("evaluate --breakdown: training degree of every item");
    try {
      int[] itemDegrees = itemDegrees(items);
      long interactions = Arrays.stream(itemDegrees).asLongStream().sum();
      Broadcast<int[]> shared = sc.broadcast(itemDegrees);
      sc.setCallSite("evaluate --breakdown: full ranking, top-" + maxK + " per user, metrics by user degree");
      try {
        JavaPairRDD<Integer, EmbeddingBlock> tests = testBlocks.mapToPair(b -> new Tuple2<>(b.block, b));
        JavaPairRDD<Integer, int[]> userDegrees = users.mapToPair(b -> new Tuple2<>(b.block, rowDegrees(b)));
        Tuple2<MetricSums, BreakdownSums> sums = topK(users, items, maxK, true).join(tests).join(userDegrees)
            .map(pair -> {
              TopKLists top = pair._2()._1()._1();
              EmbeddingBlock test = pair._2()._1()._2();
              BreakdownSums breakdown = breakdownOf(top, test, pair._2()._2(), shared.value(), maxK);
              return new Tuple2<>(sumsOf(top, test, ks), breakdown);
            })
            .treeReduce((x, y) -> new Tuple2<>(x._1().merge(y._1()), x._2().merge(y._2())));
        return new Evaluation(sums._1().means(), sums._2().result(itemDegrees.length, interactions));
      } finally {
        shared.destroy();
      }
    } finally {
      sc.clearCallSite();
    }
  }

  /** Training degree of every item by global id, from the item blocks' adjacency (item to users). */
  private static int[] itemDegrees(JavaRDD<EmbeddingBlock> items) {
    // Per block: its rows' global ids (the layout's own mapping, EmbeddingBlock.globalId) and degrees.
    List<int[][]> blocks = items.map(b -> {
      int[] ids = new int[b.size];
      for (int r = 0; r < b.size; r++) ids[r] = b.globalId(r);
      return new int[][] {ids, rowDegrees(b)};
    }).collect();
    int[] out = new int[blocks.stream().mapToInt(b -> b[0].length).sum()];
    for (int[][] b : blocks) for (int r = 0; r < b[0].length; r++) out[b[0][r]] = b[1][r];
    return out;
  }

  private static int[] rowDegrees(EmbeddingBlock block) {
    int[] out = new int[block.size];
    for (int r = 0; r < block.size; r++) out[r] = block.degree(r);
    return out;
  }

  private static BreakdownSums breakdownOf(TopKLists top, EmbeddingBlock test, int[] trainingDegrees,
      int[] itemDegrees, int k) {
    BreakdownSums sums = new BreakdownSums(k);
    for (int u = 0; u < test.size; u++) {
      if (test.degree(u) == 0) continue;
      sums.addUser(trainingDegrees[u], top.ranked(u), testItems(test, u), itemDegrees);
    }
    return sums;
  }

  private static MetricSums sumsOf(TopKLists top, EmbeddingBlock test, List<Integer> ks) {
    MetricSums sums = new MetricSums(ks.stream().mapToInt(Integer::intValue).toArray());
    for (int u = 0; u < test.size; u++) {
      if (test.degree(u) == 0) continue;
      sums.addUser(top.ranked(u), testItems(test, u));
    }
    return sums;
  }

  private static int[] testItems(EmbeddingBlock test, int u) {
    return Arrays.copyOfRange(test.neighbours, test.offsets[u], test.offsets[u + 1]);
  }
}
