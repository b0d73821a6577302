package dev.directspec.train;

import dev.directspec.blocks.BlockLayout;
import dev.directspec.blocks.EmbeddingBlock;
import dev.directspec.blocks.Seeds;
import dev.directspec.blocks.ShiftPartitioner;
import dev.directspec.settings.TrainSettings;
import org.apache.spark.ShuffleDependency;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaPairRDD;
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
    JavaRDD<EmbeddingBlock> items = start.map(BlockPair::items);
    for (int s = first; s < first + count; s++) {
      boolean last = s == first + count - 1;
      pairs = stratum(pairs, items, epoch, s, sums && last);
      if (!last) {
        sc.setCallSite("epoch " + (epoch + 1) + "/" + settings.schedule().epochs() + ": stratum " + (s + 1) + "/"
            + settings.schedule().rounds() * layout.numBlocks + " cells");
        JavaPairRDD<Integer, EmbeddingBlock> moved = shuffled(pairs, (s + 1) % layout.numBlocks);
        sc.clearCallSite();
        materialise(moved);
        settled(pairs);
        items = moved.values();
      }
    }
    return pairs;
  }

  /**
   * Runs the map stage of {@code moved}'s shuffle as its own job: its tasks compute the stratum before it
   * (cached as they go) and write the item blocks the next stratum reads. A count() on the stratum instead
   * costs a second stage per stratum, the shuffle write apart from the cells (issue #20: CiteULike epochs
   * 0.74 s against 0.65 s of the single-job epochs); Spark's own adaptive query execution materialises its
   * shuffles the same way. The shuffle's output is kept, so the next stratum's job skips this stage.
   */
  private void materialise(JavaPairRDD<Integer, EmbeddingBlock> moved) {
    ShuffleDependency<?, ?, ?> exchange = (ShuffleDependency<?, ?, ?>) moved.rdd().dependencies().head();
    try {
      sc.sc().submitMapStage(exchange).get();
    } catch (SparkException e) {
      throw Strata.<RuntimeException>unchecked(e); // as count() would have thrown it
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T unchecked(Throwable t) throws T {
    throw (T) t;
  }

  /** Releases the outcome cached before {@code materialised}, which is now the one the next stratum reads. */
  void settled(JavaRDD<BlockPair> materialised) {
    if (cached != null && cached != materialised) cached.unpersist(false);
    cached = materialised;
  }

  /**
   * A lineage cut's clean-up on the driver, once the cut tables are written (MF and LightGCN epochs). The
   * cached outcome is dropped unless it is itself checkpointed (LightGCN checkpoints its base table, so its
   * last round's outcome still reaches the epochs before the cut). Then a full collection: Spark deletes a
   * shuffle's files only once the driver has collected its ShuffleDependency (ContextCleaner's weak
   * references; Spark's own periodic GC runs every 30 minutes), and a large driver heap rarely collects its
   * old generation: a LightGCN run with 48 exchanges per epoch held 16 GB of released shuffle files in its
   * block-manager folder by epoch 20. After a cut nothing older is reachable, so one collection per cut
   * bounds the folder to the epochs since.
   */
  void cutLineage() {
    if (cached != null && !cached.isCheckpointed()) settled(null);
    System.gc();
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
    return shuffled(pairs, shift).values();
  }

  /** The item blocks of {@code pairs} keyed by block, through the shuffle that moves them by {@code shift}. */
  private JavaPairRDD<Integer, EmbeddingBlock> shuffled(JavaRDD<BlockPair> pairs, int shift) {
    return pairs.mapToPair(p -> new Tuple2<>(p.items().block, p.items()))
        .partitionBy(new ShiftPartitioner(layout.numBlocks, shift));
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
   * One stratum: user block b of {@code pairs} (partition b) meets the item block in partition b of
   * {@code items}, item block (b + stratum) mod P.
   */
  private JavaRDD<BlockPair> stratum(JavaRDD<BlockPair> pairs, JavaRDD<EmbeddingBlock> items, int epoch,
      int stratum, boolean sums) {
    TrainSettings s = settings;
    int[][] steps = layout.steps;
    int rounds = settings.schedule().rounds();
    int round = stratum / layout.numBlocks;
    long seed = settings.seed();
    float lr = (float) settings.optimizer().learningRate(epoch);
    boolean itemsKeepAdjacency = settings.cellsReadItemAdjacency();
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
    return out.setName("cells e" + (epoch + 1) + " s" + (stratum + 1)).persist(StorageLevel.MEMORY_AND_DISK());
  }
}
