package dev.directspec.train;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.util.List;

/**
 * The strata of DESIGN.md "Gradient steps on partitioned embeddings" as a chain of shuffles. Task b of
 * stratum s trains user block b against item block (b + s) mod P and sends both blocks on through one
 * shuffle: the user block back to partition b, the item block to the partition whose next task needs it.
 * Nothing of a stratum is cached: the shuffle files hold its output until the next stratum has read it,
 * so an executor holds about one task's blocks (model / P) instead of every stratum's outcome, and
 * recovery replays from the previous stratum's shuffle. The epoch's running loss rides with the user
 * blocks, so the strata of an epoch still need only the one job that collects the epoch's sums.
 *
 * <p>What does not change during training, the blocks' adjacency, is cached once per run and attached
 * in the task ({@link EmbeddingBlock#attachedTo}); blocks cross the shuffles {@linkplain
 * EmbeddingBlock#detached() detached}. Item blocks keep their adjacency only for the methods whose cell
 * steps read it ({@link TrainSettings#cellsReadItemAdjacency()}). Adam moments travel with the rows
 * (null, so nothing, for SGD).
 */
final class Strata {
  private final JavaSparkContext sc;
  private final TrainSettings settings;
  private final BlockLayout layout;
  private final JavaRDD<EmbeddingBlock> userAdjacency;
  private final JavaRDD<EmbeddingBlock> itemAdjacency;

  /** @param users, items blocks in the trainer's arrangement (partition b = block b), with their adjacency */
  Strata(JavaSparkContext sc, TrainSettings settings, BlockLayout layout, JavaRDD<EmbeddingBlock> users,
      JavaRDD<EmbeddingBlock> items) {
    this.sc = sc;
    this.settings = settings;
    this.layout = layout;
    this.userAdjacency = users.map(EmbeddingBlock::adjacencyOnly).setName("user adjacency")
        .persist(StorageLevel.MEMORY_AND_DISK());
    this.itemAdjacency = items.map(EmbeddingBlock::adjacencyOnly).setName("item adjacency")
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** The strata's input from tables in the trainer's arrangement: partition b meets item block b first. */
  JavaRDD<BlockPair> pairs(JavaRDD<EmbeddingBlock> users, JavaRDD<EmbeddingBlock> items) {
    boolean itemsKeepAdjacency = settings.cellsReadItemAdjacency();
    return users.zipPartitions(items, (u, i) -> List.of(new BlockPair(u.next().detached(),
        moving(i.next(), itemsKeepAdjacency), 0, 0, null)).iterator());
  }

  private static EmbeddingBlock moving(EmbeddingBlock items, boolean keepAdjacency) {
    return keepAdjacency ? items : items.detached();
  }

  /**
   * Strata [first, first + count) of an epoch from {@code start} (partition b holds user block b and item
   * block (b + first) mod P). The result holds item block b in partition b and, with {@code sums}, each
   * task's share of the epoch sums (Gram matrices of its final blocks and the running loss).
   */
  JavaRDD<BlockPair> run(JavaRDD<BlockPair> start, int epoch, int first, int count, boolean sums) {
    JavaRDD<BlockPair> pairs = start;
    for (int s = first; s < first + count; s++) {
      pairs = stratum(pairs, epoch, s, s == first + count - 1, sums);
    }
    return pairs;
  }

  /** User blocks of a strata result, with their adjacency. */
  JavaRDD<EmbeddingBlock> users(JavaRDD<EmbeddingBlock> detached) {
    return detached.zipPartitions(userAdjacency, (b, a) -> List.of(b.next().attachedTo(a.next())).iterator());
  }

  /** Item blocks of a strata result, with their adjacency. */
  JavaRDD<EmbeddingBlock> items(JavaRDD<EmbeddingBlock> detached) {
    return detached.zipPartitions(itemAdjacency, (b, a) -> List.of(b.next().attachedTo(a.next())).iterator());
  }

  /** Frees the cached adjacency at the end of a run. */
  void release() {
    userAdjacency.unpersist(false);
    itemAdjacency.unpersist(false);
  }

  private JavaRDD<BlockPair> stratum(JavaRDD<BlockPair> pairs, int epoch, int stratum, boolean last, boolean sums) {
    TrainSettings s = settings;
    int[][] steps = layout.steps;
    int p = layout.numBlocks;
    int rounds = settings.rounds();
    int round = stratum / p;
    long seed = settings.seed();
    float lr = (float) settings.learningRate(epoch);
    boolean itemsKeepAdjacency = settings.cellsReadItemAdjacency();
    // After the last stratum item block c goes home to partition c; before, to the task that meets it next.
    int nextShift = last ? 0 : (stratum + 1) % p;
    // Spark names a stage after the call site of its last RDD: the pieces below end the stage of the cells.
    sc.setCallSite("epoch " + (epoch + 1) + "/" + settings.epochs() + ": stratum " + (stratum + 1) + "/"
        + rounds * p + " cells");
    JavaRDD<Tuple2<Integer, BlockPair>> pieces = pairs.zipPartitions(userAdjacency, (pairIt, adjacencyIt) -> {
      BlockPair before = pairIt.next();
      EmbeddingBlock u = before.users().attachedTo(adjacencyIt.next());
      EmbeddingBlock i = before.items();
      long stream = Seeds.task(seed, epoch, stratum, u.block);
      FaultInjection.maybeFail(epoch + 1, stratum, u.block);
      FaultInjection.maybeHold(epoch + 1, stratum, u.block);
      int cellSteps = DistributedTrainer.stepsOfRound(steps[u.block][i.block], round, rounds);
      CellOutcome cell = new CellTrainer(s).run(u, i, cellSteps, lr, stream);
      double lossSum = before.lossSum() + cell.lossSum();
      long stepCount = before.steps() + cell.steps();
      EpochSums share = sums ? EpochSums.ofBlocks(cell.users(), cell.items(), lossSum, stepCount) : null;
      return List.of(
          new Tuple2<>(u.block, BlockPair.ofUsers(cell.users().detached(), lossSum, stepCount, share)),
          new Tuple2<>(Math.floorMod(i.block - nextShift, p),
              BlockPair.ofItems(moving(cell.items(), itemsKeepAdjacency)))).iterator();
    });
    sc.clearCallSite();
    return JavaPairRDD.fromJavaRDD(pieces)
        .partitionBy(new ShiftPartitioner(p, 0))
        .values()
        .mapPartitions(it -> {
          // Every partition receives exactly two pieces: its user block and the item block it meets next.
          BlockPair pair = BlockPair.merge(it.next(), it.next());
          if (it.hasNext()) throw new IllegalStateException("a stratum's partition received more than two blocks");
          return List.of(pair).iterator();
        })
        .setName("blocks after e" + (epoch + 1) + " s" + (stratum + 1));
  }
}
