package dev.directspec.train;

import dev.directspec.blocks.BlockLayout;
import dev.directspec.blocks.EmbeddingBlock;
import dev.directspec.blocks.Seeds;
import dev.directspec.blocks.ShiftPartitioner;
import dev.directspec.settings.TrainSettings;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.util.List;

/**
 * The strata of docs/design.md "Strata". Task b of stratum s trains user
 * block b against item block (b + s) mod P; its outcome is cached, and the next stratum reads the user
 * blocks where they are and receives the item blocks through one shuffle. Each stratum is materialised by
 * its own job, and then the stratum before it is released: at most two strata's outcomes are cached at any
 * time (about 2 x model / P per executor when P equals the executor count), whatever P and train.rounds
 * are. The epoch's running loss rides with the user blocks.
 *
 * <p>What does not change during training, the blocks' adjacency, is cached once per run and attached in
 * the task ({@link EmbeddingBlock#attachedTo}); the outcomes hold and shuffle detached blocks
 * ({@link EmbeddingBlock#detached()}). Item blocks keep their adjacency only for the methods whose cell
 * steps read it ({@link TrainSettings#cellsReadItemAdjacency()}). Adam moments travel with the rows
 * (null, so nothing, for SGD).
 */
final class Strata {
  private final JavaSparkContext sc;
  private final TrainSettings settings;
  private final BlockLayout layout;
  private final JavaRDD<EmbeddingBlock> userAdjacency;
  private final JavaRDD<EmbeddingBlock> itemAdjacency;
  /** The materialised outcome the next stratum reads (the only one cached between strata). */
  private JavaRDD<BlockPair> cached;

  /** From the run's first tables (partition b = block b), whose adjacency is cached for the whole run. */
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
   * block b). The result, cached, holds user block b in partition b and the item block that the last
   * stratum's task b trained, with, when {@code sums}, that task's share of the epoch sums (Gram matrices
   * of its blocks and the running loss). All strata but the last are materialised here; the caller's job
   * on the result materialises the last, and then calls {@link #settled}.
   */
  JavaRDD<BlockPair> run(JavaRDD<BlockPair> start, int epoch, int first, int count, boolean sums) {
    JavaRDD<BlockPair> pairs = start;
    for (int s = first; s < first + count; s++) {
      boolean last = s == first + count - 1;
      pairs = stratum(pairs, s == first ? null : pairs, epoch, s, sums && last);
      if (!last) {
        sc.setCallSite("epoch " + (epoch + 1) + "/" + settings.schedule().epochs() + ": stratum " + (s + 1) + " materialised");
        pairs.count();
        sc.clearCallSite();
        settled(pairs);
      }
    }
    return pairs;
  }

  /** Releases the outcome cached before {@code materialised}, which is now the one the next stratum reads. */
  void settled(JavaRDD<BlockPair> materialised) {
    if (cached != null && cached != materialised) cached.unpersist(false);
    cached = materialised;
  }

  /** Item blocks of a strata result back in partition c = block c (the layout a next epoch starts from). */
  JavaRDD<EmbeddingBlock> homeItems(JavaRDD<BlockPair> end, int epoch) {
    sc.setCallSite("epoch " + (epoch + 1) + "/" + settings.schedule().epochs() + ": item blocks home");
    JavaRDD<EmbeddingBlock> home = shifted(end, 0);
    sc.clearCallSite();
    return home;
  }

  /** The item blocks of {@code pairs}, item block c moved to partition (c - shift) mod P. */
  private JavaRDD<EmbeddingBlock> shifted(JavaRDD<BlockPair> pairs, int shift) {
    return pairs.mapToPair(p -> new Tuple2<>(p.items().block, p.items()))
        .partitionBy(new ShiftPartitioner(layout.numBlocks, shift))
        .values();
  }

  /** User blocks of a strata result (or any detached blocks in partition b = block b), with their adjacency. */
  JavaRDD<EmbeddingBlock> users(JavaRDD<EmbeddingBlock> detached) {
    return detached.zipPartitions(userAdjacency, (b, a) -> List.of(b.next().attachedTo(a.next())).iterator());
  }

  /** Item blocks in partition c = block c, with their adjacency. */
  JavaRDD<EmbeddingBlock> items(JavaRDD<EmbeddingBlock> detached) {
    return detached.zipPartitions(itemAdjacency, (b, a) -> List.of(b.next().attachedTo(a.next())).iterator());
  }

  /** Frees what the strata cache: the last outcome and the adjacency. */
  void release() {
    settled(null);
    userAdjacency.unpersist(false);
    itemAdjacency.unpersist(false);
  }

  /**
   * One stratum. {@code previous} is the cached outcome of the stratum before (null for an epoch's or
   * round's first stratum, whose input {@code pairs} already pairs user block b with item block b).
   */
  private JavaRDD<BlockPair> stratum(JavaRDD<BlockPair> pairs, JavaRDD<BlockPair> previous, int epoch, int stratum,
      boolean sums) {
    TrainSettings s = settings;
    int[][] steps = layout.steps;
    int p = layout.numBlocks;
    int rounds = settings.schedule().rounds();
    int round = stratum / p;
    long seed = settings.seed();
    float lr = (float) settings.optimizer().learningRate(epoch);
    boolean itemsKeepAdjacency = settings.cellsReadItemAdjacency();
    // Spark names a stage after the call site of its last RDD: the keyed item blocks end the stage that
    // runs the previous stratum's cells (or, for stratum 0, reads the epoch's blocks).
    sc.setCallSite("epoch " + (epoch + 1) + "/" + settings.schedule().epochs() + ": stratum " + (stratum + 1) + "/"
        + rounds * p + " cells");
    JavaRDD<EmbeddingBlock> items = previous == null
        ? pairs.map(BlockPair::items)
        : shifted(previous, stratum % p);
    JavaRDD<BlockPair> users = pairs.zipPartitions(userAdjacency,
        (pairIt, adjacencyIt) -> {
          BlockPair before = pairIt.next();
          return List.of(new BlockPair(before.users().attachedTo(adjacencyIt.next()), null, before.lossSum(),
              before.steps(), null)).iterator();
        });
    JavaRDD<BlockPair> out = users.zipPartitions(items, (userIt, itemIt) -> {
      BlockPair before = userIt.next();
      EmbeddingBlock u = before.users();
      EmbeddingBlock i = itemIt.next();
      long stream = Seeds.task(seed, epoch, stratum, u.block);
      FaultInjection.maybeFail(epoch + 1, stratum, u.block);
      FaultInjection.maybeHold(epoch + 1, stratum, u.block);
      int cellSteps = EpochLoop.stepsOfRound(steps[u.block][i.block], round, rounds);
      CellOutcome cell = new CellSteps(s).run(u, i, cellSteps, lr, stream);
      double lossSum = before.lossSum() + cell.lossSum();
      long stepCount = before.steps() + cell.steps();
      EpochSums share = sums ? EpochSums.ofBlocks(cell.users(), cell.items(), lossSum, stepCount) : null;
      return List.of(new BlockPair(cell.users().detached(), moving(cell.items(), itemsKeepAdjacency), lossSum,
          stepCount, share)).iterator();
    });
    sc.clearCallSite();
    return out.setName("cells e" + (epoch + 1) + " s" + (stratum + 1)).persist(StorageLevel.MEMORY_AND_DISK());
  }
}
